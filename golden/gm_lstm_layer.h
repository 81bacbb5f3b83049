/*
 * gm_lstm_layer.h -- golden model of the E-LSTM layer (issue 5's lstm_layer; the RTL is not
 * built yet, the plan is in docs/lstm.md "lstm_layer"): a compressed LSTM run over a batch
 * of sequences in the E-LSTM decoupled order. First W x_t for every step of every sequence
 * (no recurrence: the W weights are fetched once for the whole batch), kept exact with
 * F + f fraction bits; then, step by step, U h_(t-1) is added to the stored W x_t and the
 * bias, the sum rounded once (gm_lstm_fx_round), and the gate units update c and h
 * (gm_lstm_fx_cell). Because nothing is rounded before the three terms meet, the result is
 * bit for bit that of gm_lstm_fx_step run step after step (tests/unit/test_lstm_pe.c).
 *
 * The PE partition the RTL will use: hidden unit j belongs to PE j mod P, which holds its
 * four gate rows (i, f, g, o), so each PE's outputs feed one gate unit without exchange.
 */
#ifndef GM_LSTM_LAYER_H
#define GM_LSTM_LAYER_H

#include "gm_lstm.h"
#include "gm_lstm_pe.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Rows of PE pe (0..P-1) among P: 4 * (hidden units j < hid with j mod P == pe). */
int gm_lstm_layer_pe_rows(int hid, int p, int pe);
/* The gate row (0..4*hid-1, gate blocks i, f, g, o) held as row r of PE pe: unit
 * j = pe + P * (r / 4), gate r % 4, row (r % 4) * hid + j. */
int gm_lstm_layer_row(int hid, int p, int pe, int r);

/* Run `batch` sequences of `steps` steps from the initial states h0, c0 (batch * H values
 * each, sequence s at s * H; NULL: h = c = 0, the state-load records of docs/lstm.md). x holds batch * steps vectors of
 * I activations ((s * steps + t) * I), h and c receive batch * steps vectors of H values
 * (h_t, c_t after step t), bq the 4H biases (gm_lstm_bias_q), tq the clipping threshold
 * (gm_lstm_quant(T), 0: none). wx, when not NULL, receives the phase-1 sums W x_t
 * (batch * steps * 4H, F + f fraction). Returns the number of h values exactly zero, or -1
 * on a bad argument, an accumulator bound exceeded (as gm_lstm_fx_pre) or no memory. */
int64_t gm_lstm_layer_run(const gm_lstm_comp *z, const int64_t *bq, const gm_lstm_fx *q,
                          int64_t tq, int batch, int steps, const int64_t *x, int64_t *h,
                          int64_t *c, int64_t *wx, const int64_t *h0, const int64_t *c0);

/* ---- the lstm_layer block (docs/lstm.md "lstm_layer"): configuration and sizes ---- */
typedef struct gm_lstm_layer_cfg {
    int in, hid;      /* I, H */
    int n, k, em, ef; /* (n,k) pruning, weight exponents e in [-ef, em] */
    int b, f;         /* activations and states: B bits, F fraction bits */
    int p;            /* PEs (slices); unit j on PE j mod P */
    int batch, steps; /* sequences of a run, steps per sequence */
    int tq;           /* clipping threshold round(T * 2^F), 0: none */
} gm_lstm_layer_cfg;

typedef struct gm_lstm_layer_dims {
    int units;        /* U = ceil(H / P): hidden units a PE holds (the last ones may be dummy) */
    int rows;         /* 4U: gate rows a PE holds */
    int cw;           /* ceil(I / n) * n: W's columns padded to whole groups; h_j is column cw + j */
    int nv;           /* batch * steps vectors a run */
    gm_lstm_pe_cfg pe;    /* the PE every slice instantiates: rows x (cw + H) */
    gm_lstm_pe_dims ped;
    int acc;          /* the PE's accumulator = the bias width: its narrowest exact width */
    int lw;           /* weight address bits within a PE: max(1, clog2(rows * kpr)) */
    int rw;           /* row address bits: max(1, clog2(rows)) */
    int pb;           /* PE select bits: clog2(P) (0 when P = 1) */
    int qw;           /* state address bits within a PE: max(1, clog2(2 * batch * units)) */
    int aw, dw;       /* in_addr and in_d widths */
} gm_lstm_layer_dims;

int gm_lstm_layer_check(const gm_lstm_layer_cfg *c, char *err, size_t n);
void gm_lstm_layer_dims_of(const gm_lstm_layer_cfg *c, gm_lstm_layer_dims *d);

/* The layer's memory images of a compressed model (docs/lstm.md "Weight memory"): words
 * (P * rows * kpr: PE p's word a, the op-1 address (p << lw) | a, at p * rows * kpr + a)
 * and biases (P * rows: PE p's row r at p * rows + r, ACC-bit two's complement, bq as
 * gm_lstm_bias_q gives them). Short last W groups get filler words (index n-1, +2^-ef);
 * dummy rows (units >= H) are all zero words and zero biases. 0, or -1 when z does not
 * match c (sizes, n, k, exponent range). */
int gm_lstm_layer_image(const gm_lstm_layer_cfg *c, const gm_lstm_comp *z, const int64_t *bq,
                        uint64_t *words, uint64_t *bias);

/* A $readmemh-style image file as `compress --layer` and `vad --dump` write it: an optional
 * first line '// ' + header (copied to hdr, at most hdrn - 1 bytes), further '//' comment
 * lines, blank lines, and one word a line of 1..16 hex digits whose value fits `width` bits
 * (1..64). At most `max` words. *out (malloc'd, free it) and *count; 0, or -1 with a
 * one-line message naming the line. */
int gm_hexwords_parse(const char *text, size_t len, int width, int64_t max, char *hdr,
                      size_t hdrn, uint64_t **out, int64_t *count, char *err, size_t n);
/* The integer value of 'KEY=V' in a header (a token preceded by a space or at the start);
 * 0, or -1 when absent or not an integer in [-2^31, 2^31). */
int gm_header_int(const char *hdr, const char *key, int *v);

#ifdef __cplusplus
}
#endif
#endif
