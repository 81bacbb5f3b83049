/*
 * gm_lstm.h -- E-LSTM compression (blocks.md section 5): float LSTM weights, (n,k)
 * structured top-k pruning, LogQ weight codes, the packed weight memories the LSTM PEs
 * load, and the compression report. Format and rules: docs/lstm.md.
 *
 * Float model file (JSON): "input" I, "hidden" H, and "W" (4H x I), "U" (4H x H), "b" (4H)
 * as flat row-major arrays of numbers, gate blocks in the order i, f, g, o.
 */
#ifndef GM_LSTM_H
#define GM_LSTM_H

#include "gm_common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GM_LSTM_MAX_DIM 4096

typedef struct gm_lstm_float {
    int in, hid;
    double *w, *u, *b; /* 4H*I, 4H*H, 4H */
} gm_lstm_float;

/* Compression settings. Weight codes: sign and exponent e in [-f, m], w ~ sign * 2^e. */
typedef struct gm_lstm_cfg {
    int n, k;    /* keep the k largest magnitudes of every n consecutive weights of a row */
    int m, f;    /* exponent range [-f, m]; 2^ewidth >= m + f + 1 */
} gm_lstm_cfg;

/* One compressed matrix: rows x cols, every group of n columns of a row keeps exactly
 * min(k, group length) entries, in column order: index within the group, sign, exponent. */
typedef struct gm_lstm_mat {
    int rows, cols, n, k, ngroups, kept_per_row;
    int *idx;  /* rows * kept_per_row: column within the group */
    int *sgn;  /* 1: negative */
    int *ex;   /* exponent, -f..m */
} gm_lstm_mat;

typedef struct gm_lstm_comp {
    gm_lstm_cfg c;
    int in, hid;
    gm_lstm_mat w, u;
    int ewidth, iwidth, code_bits; /* exponent bits, index bits, bits per kept weight */
} gm_lstm_comp;

int gm_lstm_cfg_check(const gm_lstm_cfg *c, char *err, size_t n);
/* Parse a float model (len bytes of JSON). 0, or -1 with a one-line message. */
int gm_lstm_parse(gm_lstm_float *m, const char *text, size_t len, char *err, size_t n);
void gm_lstm_float_free(gm_lstm_float *m);
/* A reproducible random float model (weights ~ uniform(-a, a), a = 1/sqrt(hidden)). */
int gm_lstm_random(gm_lstm_float *m, int in, int hid, uint64_t seed, char *err, size_t n);
int gm_lstm_compress(const gm_lstm_float *m, const gm_lstm_cfg *c, gm_lstm_comp *out, char *err,
                     size_t n);
void gm_lstm_comp_free(gm_lstm_comp *c);
/* LogQ of one weight: the nearest of +-2^e (e in [-f, m]) in the linear domain, ties to the
 * larger magnitude. */
void gm_lstm_logq(double w, int m, int f, int *sgn, int *ex);
/* Dequantized weight of matrix entry (row r, column col) of a compressed matrix: 0 if
 * pruned. */
double gm_lstm_deq(const gm_lstm_mat *a, int r, int col);
/* Packed memory word of kept entry j of row r: {index, sign, exponent code} (code =
 * e + f), iwidth + 1 + ewidth bits. */
uint64_t gm_lstm_word(const gm_lstm_comp *c, const gm_lstm_mat *a, int r, int j);
/* The same packing from its parts, and back (fields taken modulo their widths). */
uint64_t gm_lstm_pack(int idx, int sgn, int code, int ewidth);
void gm_lstm_unpack(uint64_t word, int iwidth, int ewidth, int *idx, int *sgn, int *code);
/* Prune and quantize one rows x cols row-major matrix (the W or U of a model, or any
 * block of rows a PE holds) into a; free with gm_lstm_mat_free. 0, or -1 (no memory). */
int gm_lstm_mat_compress(const double *src, int rows, int cols, const gm_lstm_cfg *c,
                         gm_lstm_mat *a);
/* An empty compressed matrix of that shape (every entry index 0, sign +, e = 0), to be
 * filled entry by entry (the LSTM PE's golden model decodes its weight memory into it). */
int gm_lstm_mat_alloc(gm_lstm_mat *a, int rows, int cols, int n, int k);
void gm_lstm_mat_free(gm_lstm_mat *a);
/* Row r of a compressed matrix times v (cols entries): the sum over its kept weights of
 * +-(v[col] << (e + f)), the shift-and-sign product of the hardware, modulo 2^64 (exact
 * whenever the true sum fits 63 bits). An entry whose column is past the matrix (an index
 * beyond a shorter last group, which compress never writes) adds nothing. */
uint64_t gm_lstm_row_dot(const gm_lstm_mat *a, int f, int r, const int64_t *v);

/* ---- fixed-point LSTM (the golden model of the LSTM PEs; rules: docs/lstm.md) ---- */
typedef struct gm_lstm_fx {
    int b, f;   /* activations and states: B-bit two's complement, F fractional bits */
    double t;   /* clipped gating: a sigmoid gate below or at T is 0 (0: no clipping) */
} gm_lstm_fx;

int gm_lstm_fx_check(const gm_lstm_fx *q, char *err, size_t n);
/* clip(round(x * 2^F), -2^(B-1), 2^(B-1)-1), rounding half away from zero. */
int64_t gm_lstm_quant(const gm_lstm_fx *q, double x);
/* Piecewise-linear sigmoid (PLAN's slopes 1/4, 1/8, 1/32, 0; the middle segments meet
 * where they cross, so it is monotone) and tanh(z) = 2 sig(2z) - 1 on F-fraction fixed
 * point, exactly as the hardware computes them (docs/lstm.md). */
int64_t gm_lstm_sig(const gm_lstm_fx *q, int64_t z);
int64_t gm_lstm_tanh(const gm_lstm_fx *q, int64_t z);
/* Bias j as the pre-activation sums hold it: round(b[j] * 2^(F+f)) (floor(x + 0.5)),
 * clamped to +-2^60. */
int64_t gm_lstm_bias_q(const gm_lstm_comp *z, const gm_lstm_float *m, const gm_lstm_fx *q,
                       int j);
/* An exact sum with F + f fraction bits back to F: rounded half away from zero, saturated
 * to B bits (f <= 0: shifted left). */
int64_t gm_lstm_fx_round(const gm_lstm_fx *q, int f, int64_t acc);
/* The gate units and the cell update of one hidden unit, from its four pre-activations
 * (i, f, g, o): sigmoid/tanh, clipped gating against tq = gm_lstm_quant(T) (tq = 0: none),
 * c = sat(f*c + i*g) updated in place; returns h = o * tanh(c). */
int64_t gm_lstm_fx_cell(const gm_lstm_fx *q, int64_t tq, int64_t zi, int64_t zf, int64_t zg,
                        int64_t zo, int64_t *c);
/* The 4H pre-activations of one step, gate blocks i, f, g, o: round(b + W x + U h) to F
 * fractional bits (half away from zero), saturated to B bits. 0, or -1 when the
 * accumulator bound below is exceeded. */
int gm_lstm_fx_pre(const gm_lstm_comp *z, const gm_lstm_float *m, const gm_lstm_fx *q,
                   const int64_t *x, const int64_t *h, int64_t *pre);
/* One time step: x[I] (quantized), h[H], c[H] updated in place. Returns the number of
 * h entries that are exactly zero after the step, or -1 when B + m + f + log2(I+H+1) + 1
 * exceeds 62 (the accumulator would not fit 64 bits) or there is no memory. */
int gm_lstm_fx_step(const gm_lstm_comp *z, const gm_lstm_float *m, const gm_lstm_fx *q,
                    const int64_t *x, int64_t *h, int64_t *c);
/* Float reference step with the float weights (z == NULL) or the compressed ones
 * dequantized (z != NULL). */
void gm_lstm_float_step(const gm_lstm_float *m, const gm_lstm_comp *z, const double *x,
                        double *h, double *c);

#ifdef __cplusplus
}
#endif
#endif
