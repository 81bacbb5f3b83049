/*
 * sweep.h -- design-space sweep specs (`dnngen sweep SPEC`, docs/sweep.md): a JSON file
 * giving a block, value lists, ranges or derived values per parameter, a workload, the
 * liberty and the clock target; expanded here into the list of design points.
 *
 * The parser is a pure function of the text (no files, no processes) so that a libFuzzer
 * harness (tests/fuzz/fuzz_sweep.c) can drive it. Every count is bounded before anything is
 * allocated: a spec asking for 10^9 points is a one-line error, not an allocation failure.
 * Combinations a block's cross-parameter check rejects (ACC narrower than N+1, say) are not
 * designs: they are skipped and counted, and the first one is named.
 *
 * Also here, so that they are tested without running tools: the workload profile of a
 * point (the essential-term distribution a pamac sparsity means) and the Pareto front.
 */
#ifndef DNN_SWEEP_H
#define DNN_SWEEP_H

#include "block.h"

#define DNN_SWEEP_MAX_POINTS 10000      /* the product of the value counts */
#define DNN_SWEEP_MAX_TEXT (1u << 20)   /* bytes of spec */
#define DNN_SWEEP_MAX_TIMEOUT 86400     /* seconds per point */
#define DNN_SWEEP_MAX_VECTORS INT64_C(100000000)
#define DNN_SWEEP_MAX_SEED INT64_C(9007199254740991) /* 2^53 - 1: exact in a JSON number */

/* Workload kinds: how the cycles of a point are measured (docs/sweep.md). */
enum { DNN_WL_PROFILE, DNN_WL_SPARSITY, DNN_WL_LAYER, DNN_WL_SHAPE };

/* Test only: what a point's worker does instead of (part of) its work. crash, hang and
 * abort are passed to the short verify as --test-sim; worker kills the worker itself. */
enum { DNN_STS_NONE, DNN_STS_CRASH, DNN_STS_HANG, DNN_STS_ABORT, DNN_STS_WORKER };
extern const char *const dnn_sweep_ts_names[]; /* indexed by DNN_STS_*, [0] = "" */

typedef struct dnn_sweep_wl {
    int kind;
    char profile[1024];            /* PROFILE: verify --profile as given ("" = mixed) */
    double sparsity, act_sparsity; /* SPARSITY, SHAPE: fractions of zero weights, inputs */
    int has_act;                   /* act_sparsity given */
    char layer[1024], order[1024]; /* LAYER: files as given (relative to the spec) */
    int64_t shape[4];              /* SHAPE: CIN, COUT, H, W of a random layer per point */
    int64_t vectors;               /* operations simulated (PROFILE, SPARSITY) */
} dnn_sweep_wl;

typedef struct dnn_sweep_point {
    dnn_design d;    /* every parameter set and checked; d.top named */
    char label[256]; /* the parameters the spec names, "N=4 ACC=16", or "defaults" */
    int test_sim;    /* DNN_STS_*, test only */
} dnn_sweep_point;

typedef struct dnn_sweep {
    char name[64];
    const dnn_block *blk;
    int npoints;
    dnn_sweep_point *pts;
    int64_t ncombos, nskipped; /* combinations, and those the block's check rejected */
    char skipped[512];         /* the first rejected one and why */
    dnn_sweep_wl wl;
    char liberty[1024];        /* "" for the default (osu018) */
    double period_ns;          /* clock target */
    double activity;           /* input toggle rate for the power estimate */
    int64_t verify_vectors;    /* the short verify */
    uint64_t seed;
    int timeout;               /* seconds per point, all its steps */
} dnn_sweep;

/* Parse and expand a spec. path only names it in messages. Returns 0, or DNN_EUSAGE with a
 * one-line message in err; *s is empty (freeable) either way. */
int dnn_sweep_parse(const char *text, size_t len, const char *path, dnn_sweep *s, char *err,
                    size_t n);
void dnn_sweep_free(dnn_sweep *s);

/* The verify --profile measuring a point's cycles, into out ("" = the default profile).
 * layer: the layer file the point uses (LAYER and SHAPE kinds), order: "" or its order
 * file. Returns 0, or DNN_EUSAGE when it does not fit in n. */
int dnn_sweep_profile(const dnn_sweep *s, const dnn_design *d, const char *layer,
                      const char *order, char *out, size_t n);

/* Probabilities of 0..nd essential terms (non-zero radix-4 Booth digits, gm_booth_digits)
 * of an n-bit operand whose raw bits are uniform random; p holds nd+1 values, nd =
 * gm_pamac_ndigits(n, is_signed). Exact (a walk over the digits, bit by bit). */
int dnn_booth_term_dist(int n, int is_signed, double *p, int maxp);

/* Figures a sweep records per point; --pareto takes any two of them. */
typedef struct dnn_sweep_metric {
    const char *name;  /* column of the points table */
    const char *label; /* axis label, with its unit */
    int maximize;      /* 1: larger is better, 0: smaller is better */
} dnn_sweep_metric;
extern const dnn_sweep_metric dnn_sweep_metrics[]; /* NULL-name terminated */
int dnn_sweep_metric_find(const char *name);       /* index, or -1 */

/* Pareto front of n points, both coordinates to be minimized: front[i] = 1 when no other
 * point is at least as good in both and better in one. Points with a NaN are never on it
 * (and dominate nothing). */
void dnn_pareto(const double *x, const double *y, int n, unsigned char *front);

#endif
