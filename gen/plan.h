/*
 * plan.h -- regression plans (`dnngen regress PLAN`, docs/nightly.md): a JSON file listing
 * blocks x parameter sets x simulators x seeds, expanded here into a flat list of jobs.
 *
 * The parser is a pure function of the text (no files, no processes) so that a libFuzzer
 * harness (tests/fuzz/fuzz_plan.c) can drive it. Every block and parameter is checked
 * against the block descriptors, and every count is bounded before anything is allocated:
 * a plan asking for 10^9 seeds is a one-line error, not an allocation failure.
 */
#ifndef DNN_PLAN_H
#define DNN_PLAN_H

#include "block.h"

#define DNN_PLAN_MAX_JOBS 50000
#define DNN_PLAN_MAX_CONFIGS 4096
#define DNN_PLAN_MAX_RESEED 10000
#define DNN_PLAN_MAX_TIMEOUT 86400
#define DNN_PLAN_MAX_SEED INT64_C(9007199254740991) /* 2^53 - 1: exact in a JSON number */

/* One parameter set of one block. */
typedef struct dnn_plan_cfg {
    dnn_design d;    /* every parameter set and checked; d.top named */
    char label[256]; /* the parameters the plan gave, "N=2 ACC=3", or "defaults" */
} dnn_plan_cfg;

typedef enum { DNN_TS_NONE, DNN_TS_CRASH, DNN_TS_HANG, DNN_TS_ABORT } dnn_test_sim;

typedef struct dnn_plan_job {
    int cfg;         /* index into plan.cfgs */
    int sim;         /* index into dnn_plan_sims */
    int coverage;    /* collect coverage (verilator jobs of a run with "coverage": true) */
    int test_sim;    /* dnn_test_sim, test only */
    uint64_t seed;
    int64_t vectors;
    int timeout;     /* seconds, the whole job (build and simulation) */
    int run;         /* index of the "runs" entry it came from */
    const char *profile; /* NULL or a string owned by the plan */
} dnn_plan_job;

typedef struct dnn_plan {
    char name[64];
    int ncfgs, njobs, nruns;
    dnn_plan_cfg *cfgs;
    dnn_plan_job *jobs;
    char **strings; /* profiles, freed with the plan */
    int nstrings;
} dnn_plan;

/* Overrides from the command line (negative: keep the plan's). */
typedef struct dnn_plan_over {
    int64_t seed, reseed, timeout;
} dnn_plan_over;

extern const char *const dnn_plan_sims[]; /* "verilator", "icarus", "systemc", NULL */

/* Parse and expand a plan. path only names it in messages. Returns 0, or DNN_EUSAGE with a
 * one-line message in err; *p is empty (freeable) either way. */
int dnn_plan_parse(const char *text, size_t len, const char *path, const dnn_plan_over *over,
                   dnn_plan *p, char *err, size_t n);
void dnn_plan_free(dnn_plan *p);

#endif
