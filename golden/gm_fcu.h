/*
 * gm_fcu.h -- golden model of the fast-FIR convolution unit (FCU): an L-tap FIR
 *     y[n] = sum_{k=0}^{L-1} h[k] x[n-k]
 * over each row of samples, computed the textbook way from the sample history (nothing
 * fast, no blocks inside the arithmetic: the FFA is only in the RTL). Samples arrive L at a
 * time (one block, x[Lb] .. x[Lb+L-1]) and the L outputs of the block are returned; a row
 * starts with zero history (x[n] = 0 before its first sample). A new row starts after a
 * block marked last, after a coefficient write, and (reconfigurable unit) when the mode
 * changes. Samples and coefficients are two's complement; y wraps modulo 2^OW.
 *
 * The reconfigurable unit (fcu_reconf) holds six coefficients and runs, per row, as two
 * independent 3-tap filters (mode 0: h0..h2 on x0..x2 -> y0..y2, h3..h5 on x3..x5 -> y3..y5)
 * or as one 5-tap filter (mode 1: h0..h4 on x0..x4 -> y0..y4, y5 = 0).
 */
#ifndef GM_FCU_H
#define GM_FCU_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GM_FCU_MAXL 9

typedef struct gm_fcu_cfg {
    int l;      /* block length = taps (2..9); 6 for the reconfigurable unit */
    int xw, hw; /* sample and coefficient widths (2..24), signed */
    int ow;     /* output width (2..64); 0: the exact width gm_fcu_exact_width */
    int reconf; /* 1: the 2x3 / 1x5 reconfigurable unit */
} gm_fcu_cfg;

typedef struct gm_fcu {
    gm_fcu_cfg c;
    int64_t h[GM_FCU_MAXL];        /* coefficients, sign-extended */
    int64_t hist[GM_FCU_MAXL];     /* the row's previous block (zeros at a row start) */
    int first;                     /* the next block starts a row */
    int mode;                      /* reconfigurable: mode of the current row */
} gm_fcu;

/* Width of the largest |y| of a `taps`-tap filter, signed: exact output width. */
int gm_fcu_exact_width(int taps, int xw, int hw);
/* The output width in force (ow, or the exact width when ow = 0). */
int gm_fcu_out_width(const gm_fcu_cfg *c);
/* 0, or -1 with a message naming the legal values. */
int gm_fcu_check(const gm_fcu_cfg *c, char *msg, size_t n);
void gm_fcu_init(gm_fcu *f, const gm_fcu_cfg *c);
/* Write coefficient idx (raw hw-bit value); an index >= the unit's taps is ignored. */
void gm_fcu_load(gm_fcu *f, unsigned idx, uint64_t w);
/* One block of raw xw-bit samples; y[] gets the outputs, raw (masked to the output width). */
void gm_fcu_block(gm_fcu *f, const uint64_t *x, int last, int mode, uint64_t *y);

/* ---- the processing unit (fcu_pu): K-1 output rows of a K x K correlation per pass ----
 * Input: blocks of K columns of 2K-2 input rows (a tile); output row j (0..K-2), column n:
 *     y[j][n] = bias + sum_{i<K} sum_{t<K} w[i][t] x[j+i][n-K+1+t]
 * with x = 0 left of the tile's first block (the first K-1 columns of a pass are the
 * partial, zero-padded outputs), wrapped to OW bits, then ReLU (a negative OW-bit value
 * becomes 0). Weight w[i][t] is written at index i*K+t, the bias at index K*K (hw bits,
 * two's complement); any write, and a block marked last, starts a new pass. */
#define GM_FCU_PU_MAXK 7

typedef struct gm_fcu_pu_cfg {
    int k, xw, hw, ow, bias, relu;
} gm_fcu_pu_cfg;

typedef struct gm_fcu_pu {
    gm_fcu_pu_cfg c;
    int64_t w[GM_FCU_PU_MAXK][GM_FCU_PU_MAXK], b;
    int64_t hist[2 * GM_FCU_PU_MAXK - 2][GM_FCU_PU_MAXK];
    int first;
} gm_fcu_pu;

int gm_fcu_pu_check(const gm_fcu_pu_cfg *c, char *msg, size_t n);
int gm_fcu_pu_out_width(const gm_fcu_pu_cfg *c);
void gm_fcu_pu_init(gm_fcu_pu *p, const gm_fcu_pu_cfg *c);
void gm_fcu_pu_load(gm_fcu_pu *p, unsigned idx, uint64_t w);
/* x[r][t]: raw samples of input row r (0..2K-3), column t of the block; y[j*K+t]. */
void gm_fcu_pu_block(gm_fcu_pu *p, const uint64_t (*x)[GM_FCU_PU_MAXK], int last, uint64_t *y);

/* ---- the complex processor (fcu_cp): P processing units, an adder tree over the P input
 * channels, bias, ReLU and an optional 2x2 max-pool ----
 * Channel p's unit gets its own kernel (w_p[i][t] at index p*K*K + i*K + t; the bias at
 * index P*K*K) and its own 2K-2 input rows; every record goes to every channel, so the P
 * units move in lock step. Before pooling, output row j (0..K-2), column n of a block is
 *     a[j][n] = ReLU( bias + sum_p sum_{i<K} sum_{t<K} w_p[i][t] x_p[j+i][n-K+1+t] )
 * (each channel a direct 2-D correlation, gm_fcu_pu_block), wrapped to OW bits.
 * POOL = 1: rows pair up (2u, 2u+1), u < (K-1)/2, and so do the columns of a pass in the
 * order they are output (q = b*K + n for block b: pairs (2m, 2m+1)); with K odd two blocks
 * make one pooled record of K columns: pooled[u][m] = max of the 2x2 window (signed OW-bit
 * compare). A pass that ends on its odd block (the block marked last, or the next pass's
 * first block arrives) completes that record with a virtual block whose values are the
 * smallest output (0 with ReLU, -2^(OW-1) without): the window straddling the pass end is
 * the max of its real columns, windows wholly past the end read that value. */
#define GM_FCU_CP_MAXP 8
#define GM_FCU_CP_NY ((GM_FCU_PU_MAXK - 1) * GM_FCU_PU_MAXK)

typedef struct gm_fcu_cp_cfg {
    int k, p, xw, hw, ow, bias, relu, pool;
} gm_fcu_cp_cfg;

typedef struct gm_fcu_cp {
    gm_fcu_cp_cfg c;
    gm_fcu_pu pu[GM_FCU_CP_MAXP];
    int64_t b;
    int first;                                   /* the next block starts a pass */
    int have;                                    /* pool: first half of a record held */
    uint64_t half[GM_FCU_PU_MAXK / 2][GM_FCU_PU_MAXK]; /* its row maxima */
} gm_fcu_cp;

int gm_fcu_cp_check(const gm_fcu_cp_cfg *c, char *msg, size_t n);
int gm_fcu_cp_out_width(const gm_fcu_cp_cfg *c);
/* Outputs per record: K*(K-1), or K*(K-1)/2 with POOL. */
int gm_fcu_cp_outputs(const gm_fcu_cp_cfg *c);
void gm_fcu_cp_init(gm_fcu_cp *p, const gm_fcu_cp_cfg *c);
void gm_fcu_cp_load(gm_fcu_cp *p, unsigned idx, uint64_t w);
/* x[p][r][t]: channel p, input row r (0..2K-3), column t. Output records (0, 1 or 2) go
 * to y[0], y[1]; returns how many. */
int gm_fcu_cp_block(gm_fcu_cp *p, const uint64_t (*x)[2 * GM_FCU_PU_MAXK - 2][GM_FCU_PU_MAXK],
                    int last, uint64_t (*y)[GM_FCU_CP_NY]);

#ifdef __cplusplus
}
#endif
#endif
