/*
 * block.h -- the descriptor every block exports. Adding a block means adding one file in
 * gen/ with one `const dnn_block` (name, summary, parameter table, cross-parameter check,
 * Verilog emission, fault kinds), one template in rtl_templates/, one golden model family
 * in golden/, and a line in blocks.c. Everything else (parsing, the manifest, the harness
 * header, SDC, the filelist, verification with three simulators, synthesis) is generic and
 * driven by the descriptor and the golden library's stream description.
 */
#ifndef DNN_BLOCK_H
#define DNN_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define DNN_MAX_PARAMS 24

struct dnn_tvars;

typedef enum { DNN_P_INT, DNN_P_BOOL, DNN_P_ENUM } dnn_pkind;

typedef struct dnn_pdesc {
    const char *name;
    const char *tag; /* short form used in the module name, e.g. "n" -> n16 */
    dnn_pkind kind;
    int64_t def, min, max;
    const char *const *enums; /* DNN_P_ENUM: names, index = value */
    const char *doc;
} dnn_pdesc;

/* A configured design: the block plus one value per parameter (in table order). */
typedef struct dnn_design {
    const struct dnn_block *blk;
    int64_t pv[DNN_MAX_PARAMS];
    char prefix[64];
    char fault[32];    /* "" or an injected fault kind (test-only) */
    char top[256];     /* module name */
} dnn_design;

typedef struct dnn_block {
    const char *name;
    const char *summary;
    const dnn_pdesc *params;
    int nparams;
    const char *const *faults; /* injectable fault kinds, NULL-terminated */
    const char *timing;        /* one-line timing contract for the manifest */
    const char *doc;           /* docs page */
    /* Cross-parameter constraints; 0 or DNN_EUSAGE with a message. */
    int (*check)(const dnn_design *d, char *err, size_t n);
    /* Fill the template dictionary (dnn_tvars) and choose the template; see template.h. */
    int (*vars)(const dnn_design *d, struct dnn_tvars *tv, char *err, size_t n);
    const char *template_name; /* file in rtl_templates/ */
    /* Optional: a block built on another one fills *sub (a configured design of the other
     * block, its top named for this design) and returns 1; its module is emitted first in
     * the same file. NULL or 0: none. */
    int (*sub)(const struct dnn_design *d, struct dnn_design *sub);
    /* Optional: the host's obligations on an input field (docs), for the mutation
     * equivalence check, which otherwise leaves every input free. Writes into buf a Verilog
     * expression over the raw inputs (STREAM_FIELD names, STREAM_valid) of the field's
     * width that equals the field whenever the obligations hold and is a legal value
     * otherwise; returns 1, or 0 when the field has no obligation. NULL: none at all. */
    int (*contract)(const struct dnn_design *d, const char *stream, const char *field,
                    int width, char *buf, size_t n);
} dnn_block;

extern const dnn_block *const dnn_blocks[];

/* The filter parameters fofir and fir_parallel share (K, XW, HW, ACC, SIGNED_X first). */
extern const dnn_pdesc dnn_fofir_params[];
int dnn_fofir_check(const dnn_design *d, char *err, size_t n);
const dnn_block *dnn_block_find(const char *name);

/* Template dictionary: names to strings, and boolean flags for //@if. */
#define DNN_MAX_TVARS 96
typedef struct dnn_tvars {
    int n;
    char name[DNN_MAX_TVARS][32];
    char *value[DNN_MAX_TVARS];
} dnn_tvars;

void tv_init(dnn_tvars *tv);
void tv_free(dnn_tvars *tv);
void tv_set(dnn_tvars *tv, const char *name, const char *value);
void tv_setf(dnn_tvars *tv, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tv_flag(dnn_tvars *tv, const char *name, int on);
const char *tv_get(const dnn_tvars *tv, const char *name);

/* Expand a template: @{NAME} substitutions; //@if NAME, //@if !NAME, //@else, //@endif
 * lines (nestable) keep or drop the lines between them. Unknown names are errors, so a
 * typo in a template cannot silently produce wrong Verilog. */
int dnn_template_expand(const char *text, const dnn_tvars *tv, sbuf *out, char *err, size_t n);

/* Parameter helpers */
int dnn_param_index(const dnn_block *b, const char *name);
int64_t dnn_param(const dnn_design *d, const char *name);
/* Parse "value" for parameter i; 0 or DNN_EUSAGE with a message naming the legal values. */
int dnn_param_parse(const dnn_block *b, int i, const char *value, int64_t *out, char *err,
                    size_t n);
/* Value as the user writes it (enum name, 0/1, integer). */
void dnn_param_format(const dnn_block *b, int i, int64_t v, char *buf, size_t n);
void dnn_param_legal(const dnn_block *b, int i, char *buf, size_t n);
void dnn_design_defaults(dnn_design *d, const dnn_block *b);
/* Name the module: prefix + block + tagged parameters (+ fault). */
void dnn_design_name(dnn_design *d);

#endif
