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

#ifdef __cplusplus
extern "C" {
#endif

/* Rows of PE pe (0..P-1) among P: 4 * (hidden units j < hid with j mod P == pe). */
int gm_lstm_layer_pe_rows(int hid, int p, int pe);
/* The gate row (0..4*hid-1, gate blocks i, f, g, o) held as row r of PE pe: unit
 * j = pe + P * (r / 4), gate r % 4, row (r % 4) * hid + j. */
int gm_lstm_layer_row(int hid, int p, int pe, int r);

/* Run `batch` sequences of `steps` steps from h = c = 0. x holds batch * steps vectors of
 * I activations ((s * steps + t) * I), h and c receive batch * steps vectors of H values
 * (h_t, c_t after step t), bq the 4H biases (gm_lstm_bias_q), tq the clipping threshold
 * (gm_lstm_quant(T), 0: none). wx, when not NULL, receives the phase-1 sums W x_t
 * (batch * steps * 4H, F + f fraction). Returns the number of h values exactly zero, or -1
 * on a bad argument, an accumulator bound exceeded (as gm_lstm_fx_pre) or no memory. */
int64_t gm_lstm_layer_run(const gm_lstm_comp *z, const int64_t *bq, const gm_lstm_fx *q,
                          int64_t tq, int batch, int steps, const int64_t *x, int64_t *h,
                          int64_t *c, int64_t *wx);

#ifdef __cplusplus
}
#endif
#endif
