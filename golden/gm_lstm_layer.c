/*
 * gm_lstm_layer.c -- the decoupled E-LSTM schedule of gm_lstm_layer.h as plain loops: the
 * order of the hardware (all W x_t first), the arithmetic of the layer golden (gm_lstm.c).
 * Sums are kept in unsigned 64-bit words until they are rounded, so no input can overflow a
 * signed type; the accumulator bound is the one gm_lstm_fx_pre checks.
 */
#include "gm_lstm_layer.h"

#include <stdlib.h>

int gm_lstm_layer_pe_rows(int hid, int p, int pe)
{
    if (p < 1 || pe < 0 || pe >= p || hid < 1)
        return 0;
    return pe < hid ? 4 * ((hid - 1 - pe) / p + 1) : 0;
}

int gm_lstm_layer_row(int hid, int p, int pe, int r)
{
    int j = pe + p * (r / 4);
    return (r % 4) * hid + j;
}

/* A 64-bit two's complement pattern as the signed value it stands for. */
static int64_t as_signed(uint64_t u)
{
    return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

int64_t gm_lstm_layer_run(const gm_lstm_comp *z, const int64_t *bq, const gm_lstm_fx *q,
                          int64_t tq, int batch, int steps, const int64_t *x, int64_t *h,
                          int64_t *c, int64_t *wx)
{
    int I = z->in, H = z->hid, s, t, j;
    int64_t zeros = 0, *own = NULL, *sum, *pre;
    if (batch < 1 || steps < 1 || !x || !h || !c || !bq)
        return -1;
    if (q->b + z->c.m + z->c.f + gm_clog2((uint64_t)(I + H + 1)) + 1 > 62)
        return -1;
    if (!wx) {
        own = malloc((size_t)batch * (size_t)steps * 4u * (size_t)H * sizeof *own);
        if (!own)
            return -1;
        wx = own;
    }
    pre = malloc(4u * (size_t)H * sizeof *pre);
    if (!pre) {
        free(own);
        return -1;
    }
    /* phase 1: W x_t for every step of every sequence, exact */
    for (s = 0; s < batch; s++)
        for (t = 0; t < steps; t++) {
            size_t v = (size_t)s * (size_t)steps + (size_t)t;
            for (j = 0; j < 4 * H; j++)
                wx[v * 4u * (size_t)H + (size_t)j] =
                    as_signed(gm_lstm_row_dot(&z->w, z->c.f, j, x + v * (size_t)I));
        }
    /* phase 2: the recurrent steps, the sequences of the batch interleaved step by step */
    for (t = 0; t < steps; t++)
        for (s = 0; s < batch; s++) {
            size_t v = (size_t)s * (size_t)steps + (size_t)t;
            const int64_t *hp = t > 0 ? h + (v - 1) * (size_t)H : NULL;
            const int64_t *cp = t > 0 ? c + (v - 1) * (size_t)H : NULL;
            int64_t *hn = h + v * (size_t)H, *cn = c + v * (size_t)H;
            sum = wx + v * 4u * (size_t)H;
            for (j = 0; j < 4 * H; j++) {
                int64_t acc = bq[j] + sum[j];
                if (hp)
                    acc += as_signed(gm_lstm_row_dot(&z->u, z->c.f, j, hp));
                pre[j] = gm_lstm_fx_round(q, z->c.f, acc);
            }
            for (j = 0; j < H; j++) {
                cn[j] = cp ? cp[j] : 0;
                hn[j] = gm_lstm_fx_cell(q, tq, pre[j], pre[H + j], pre[2 * H + j],
                                        pre[3 * H + j], &cn[j]);
                zeros += hn[j] == 0;
            }
        }
    free(pre);
    free(own);
    return zeros;
}
