/*
 * design.h -- a configured design rendered into the files `dnngen gen` writes, and the
 * option parsing shared by every subcommand that names a design.
 */
#ifndef DNN_DESIGN_H
#define DNN_DESIGN_H

#include "block.h"
#include "gm_stream.h"

#define DNN_MAX_FILES 8

typedef struct dnn_render {
    int nfiles;
    outfile files[DNN_MAX_FILES];
    sbuf bufs[DNN_MAX_FILES];
    char names[DNN_MAX_FILES][300];
    int nstreams;
    gm_stream streams[GM_MAX_STREAMS];
} dnn_render;

/* Options naming a design: -p NAME=VALUE, -c CONFIG.json, --prefix P, --inject-fault K.
 * Returns 1 when argv[*i] was one of them (consumed, *i advanced), 0 when not, or a
 * negative value with err filled (-DNN_EUSAGE). Values from -c are applied first, then -p
 * in order, whatever their position. */
typedef struct dnn_dopts {
    const char *config;
    int np;
    const char *pname[64];
    const char *pval[64];
} dnn_dopts;

int dnn_dopt(int argc, char **argv, int *i, dnn_dopts *o, dnn_design *d, char *err, size_t n);
/* Apply the collected options to d (block already set); checks every value. */
int dnn_dopts_apply(const dnn_dopts *o, dnn_design *d, char *err, size_t n);

/* Apply a JSON config held in memory (path only names it in messages). */
int dnn_config_apply_text(const char *text, size_t len, const char *path, dnn_design *d,
                          char *err, size_t n);

/* Golden parameter list for the design. */
int dnn_design_gparams(const dnn_design *d, gm_param *ps);
/* Streams from the golden model (ports are derived from them). */
int dnn_design_streams(const dnn_design *d, gm_stream *st, int *ns, char *err, size_t n);
/* The canonical command reproducing the design, e.g. "dnngen gen pamac -p N=16 ...". */
void dnn_design_command(const dnn_design *d, const char *sub, sbuf *out);

/* Expand the block's template for d into out (the Verilog text of one module). */
int dnn_render_verilog(const dnn_design *d, sbuf *out, char *err, size_t n);
/* Render all output files: the Verilog (<sub>.v first when the block is built on another
 * block, then <top>.v), <top>.f, manifest.json, <top>_params.h, <top>.sdc. */
int dnn_render_design(const dnn_design *d, dnn_render *r, char *err, size_t n);
/* Number of leading Verilog files in a render (1, or 2 with a sub-block). */
int dnn_render_nverilog(const dnn_render *r);
void dnn_render_free(dnn_render *r);

#endif
