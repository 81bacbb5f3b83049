/*
 * gm_fofir.h -- golden model of the folded FIR (FoFIR, FPAP): a K-tap correlation
 * y[n] = sum_k h[k] x[n+k] over each row, computed the textbook way (nothing folded, no
 * partial-sum registers, no tap order). Each product is one PAMAC operation's value
 * (gm_pamac_eval with T = 0), so precision, decomposition and approximation mean exactly
 * what they mean for the PAMAC; the sum wraps modulo 2^ACC.
 *
 * Coefficients are written by records on the same stream as the samples; a product
 * h[k] x[m] uses the coefficient in force when x[m] arrives.
 * The cycle model (the timing contract) is in gm_fofir_gen.c, separate from this.
 */
#ifndef GM_FOFIR_H
#define GM_FOFIR_H

#include "gm_pamac.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GM_FOFIR_MAX_K 16

typedef struct gm_fofir_cfg {
    int k;           /* taps, 1..16 */
    int xw, hw;      /* sample and coefficient widths */
    int signed_x;    /* samples two's complement (1) or unsigned (0) */
    gm_pamac_cfg mac;/* the PAMAC: n = max(xw, hw), acc, decomp, approx, prec */
} gm_fofir_cfg;

typedef struct gm_fofir {
    gm_fofir_cfg c;
    uint64_t h[GM_FOFIR_MAX_K];                  /* raw coefficients (hw bits) */
    gm_val contrib[GM_FOFIR_MAX_K][GM_FOFIR_MAX_K]; /* ring: products of the last K samples */
    int64_t m;                                   /* sample position in the row */
} gm_fofir;

int gm_fofir_check(const gm_fofir_cfg *c, char *msg, size_t n);
void gm_fofir_init(gm_fofir *f, const gm_fofir_cfg *c);
/* The raw PAMAC operand of a sample / coefficient (extended to the PAMAC width). */
uint64_t gm_fofir_xop(const gm_fofir_cfg *c, uint64_t x);
uint64_t gm_fofir_hop(const gm_fofir_cfg *c, uint64_t h);
void gm_fofir_load(gm_fofir *f, unsigned idx, uint64_t h);
/* One sample; returns 1 and sets *y when it completes an output (y[m-K+1]). */
int gm_fofir_sample(gm_fofir *f, uint64_t x, int last, unsigned prec, unsigned mode,
                    unsigned kk, gm_val *y);

/* Cycle model of one filter offered the given input records back to back (fields as the
 * fofir "in" stream: load, idx, d, last, then prec/mode/k when built; delays ignored) with
 * its output always ready, starting in the state after a row clear: edge 0 is the first
 * edge that sees the first record. Reports the accept edge of the last record, the
 * transfer edge of the last output (-1: none) and the number of outputs. 0, or -1 on a
 * bad argument or no memory. (Implemented with the cycle model in gm_fofir_gen.c.) */
struct gm_rec;
int gm_fofir_script_run(const gm_fofir_cfg *c, const struct gm_rec *in, int64_t n,
                        int64_t *last_in_edge, int64_t *last_out_edge, int64_t *nout);

#ifdef __cplusplus
}
#endif
#endif
