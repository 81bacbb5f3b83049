/*
 * gm_lstm_pe.h -- golden model of the E-LSTM processing element (lstm_pe, docs/lstm_pe.md):
 * a ROWS x COLS matrix in the compressed format of gm_lstm.h (per row, every group of N
 * columns keeps min(K, group length) weights, each a packed word {index, sign, exponent
 * code}) times a vector of B-bit activations.
 *
 * The value model is the plain product: the words held at weight addresses r*KPR + j are
 * decoded into a gm_lstm_mat, and y[r] is gm_lstm_row_dot of that row (the same function
 * the fixed-point LSTM uses, so a PE's output adds into the layer's pre-activation bit for
 * bit), wrapped to ACC bits. It knows nothing of the PE's schedule. The cycle model is
 * separate: gm_lstm_pe_row_cost here (the closed form of the contract: a row costs
 * max(1, its words that meet a non-zero activation) issue cycles), and the cycle-stepped
 * model in gm_lstm_pe_gen.c that the RTL is checked against edge for edge.
 */
#ifndef GM_LSTM_PE_H
#define GM_LSTM_PE_H

#include "gm_lstm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gm_lstm_pe_cfg {
    int rows, cols; /* the matrix the PE holds */
    int n, k;       /* groups of n columns (a power of two), k kept per group */
    int em, ef;     /* weight exponents e in [-ef, em]; code = e + ef */
    int b;          /* activation width (two's complement) */
    int acc;        /* accumulator and output width */
    int dbuf;       /* 1: double-buffered activations (the next vector loads while one
                     * computes; weight writes wait until none computes); 0: single bank */
} gm_lstm_pe_cfg;

/* Sizes derived from the configuration. */
typedef struct gm_lstm_pe_dims {
    int ngroups;    /* ceil(cols / n) */
    int kpr;        /* words per row: (ngroups - 1) * k + min(k, last group length) */
    int iw, ew, ww; /* index, code and word widths: log2 n, max(1, clog2(em+ef+1)), iw+1+ew */
    int aw;         /* address width: a weight address or a column, max(1, clog2(max(rows *
                     * kpr, cols))) */
    int dw;         /* data field of the input stream, max(b, ww) */
    int acc_min;    /* narrowest exact accumulator: b + em + ef + 1 + clog2(kpr) */
} gm_lstm_pe_dims;

int gm_lstm_pe_check(const gm_lstm_pe_cfg *c, char *err, size_t n);
void gm_lstm_pe_dims_of(const gm_lstm_pe_cfg *c, gm_lstm_pe_dims *d);

typedef struct gm_lstm_pe {
    gm_lstm_pe_cfg c;
    gm_lstm_pe_dims d;
    uint64_t *word;  /* rows * kpr words as written (0 until written) */
    gm_lstm_mat mat; /* the same, decoded */
} gm_lstm_pe;

/* 0, or -1 (bad configuration or no memory). */
int gm_lstm_pe_init(gm_lstm_pe *p, const gm_lstm_pe_cfg *c);
void gm_lstm_pe_free(gm_lstm_pe *p);
/* The weight write port: word (low ww bits) to address addr; addresses >= rows * kpr are
 * ignored, as the RTL ignores them. */
void gm_lstm_pe_write(gm_lstm_pe *p, uint64_t addr, uint64_t word);
/* Value model: y[r] for r < rows, x[cols] sign-extended activations. */
void gm_lstm_pe_eval(const gm_lstm_pe *p, const int64_t *x, gm_val *y);
/* Column of word j of a row: (j / k) * n + index; >= cols for an index past a shorter last
 * group (such a word meets no activation: it adds nothing and costs nothing). */
int gm_lstm_pe_col(const gm_lstm_pe *p, int j, uint64_t word);
/* Closed-form cycle contract: the issue cycles of row r, max(1, a_r), a_r = the words of
 * the row whose column holds a non-zero activation. */
int64_t gm_lstm_pe_row_cost(const gm_lstm_pe *p, const int64_t *x, int r);

/* Cycle model run on a script: records of the lstm_pe "in" stream (fields load, addr, d, last)
 * offered back to back from edge 0, the output always ready. in_edge[i] receives the accept
 * edge of record i, out_edge[o] the first-valid edge of output o (room for nout_max).
 * *nout: outputs produced. 0, or -1 on a bad argument or no memory. (gm_lstm_pe_gen.c) */
struct gm_rec;
int gm_lstm_pe_script_run(const gm_lstm_pe_cfg *c, const struct gm_rec *in, int64_t n,
                          int64_t *in_edge, int64_t *out_edge, int64_t nout_max, int64_t *nout);

#ifdef __cplusplus
}
#endif
#endif
