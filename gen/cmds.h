/*
 * cmds.h -- the subcommands. Each returns an exit status (util.h) and prints its own
 * one-line error; main.c only dispatches.
 */
#ifndef DNN_CMDS_H
#define DNN_CMDS_H

#include "design.h"

int cmd_list(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_golden(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_schedule(int argc, char **argv);
int cmd_layer(int argc, char **argv);
int cmd_regress(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_compress(int argc, char **argv);
int cmd_storage(int argc, char **argv);
int cmd_mutate(int argc, char **argv);
int cmd_onnx_info(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_vad(int argc, char **argv);

/* Shared by the subcommands: print "dnngen: <msg>" to stderr and return rc. */
int dnn_fail(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parse a non-negative integer option value with an upper bound. */
int dnn_parse_count(const char *opt, const char *v, int64_t max, int64_t *out);
/* Resolve the block named by argv[*i] (advancing *i); prints the error itself. */
const dnn_block *dnn_take_block(int argc, char **argv, int *i, const char *sub);
/* Write the vectors file for a design (golden command and Icarus runs share it). */
int dnn_write_vectors(const dnn_design *d, uint64_t seed, int64_t nvec, const char *profile,
                      const char *path, char *err, size_t n);

#define DNN_MAX_VECTORS INT64_C(100000000)

/* A subcommand's own option: "--name VALUE" stored in *value, or a flag setting *flag. */
typedef struct dnn_opt {
    const char *name;
    const char **value; /* NULL for a flag */
    int *flag;
    int repeat; /* > 0: value is an array of that many slots, filled in order (NULL: free) */
} dnn_opt;

/* Parse "BLOCK [options]" for subcommand `sub`: the design options (-p, -c, --prefix,
 * --inject-fault, applied and checked into d) and the command's own (opts, NULL-name
 * terminated). Returns 0 to go on, -1 when --help was printed (exit 0), or DNN_EUSAGE
 * after printing the one-line error. */
int dnn_parse_cmd(int argc, char **argv, const char *sub, const char *help, const dnn_opt *opts,
                  dnn_design *d);

#endif
