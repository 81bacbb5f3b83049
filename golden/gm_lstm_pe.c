/*
 * gm_lstm_pe.c -- the value model and the closed-form cycle contract of the LSTM PE
 * (gm_lstm_pe.h). The weight memory is kept twice: the words as written (what the RTL
 * stores) and decoded into a gm_lstm_mat, so that a row's value is computed by the layer
 * golden's own gm_lstm_row_dot and nothing here re-derives the arithmetic.
 */
#include "gm_lstm_pe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gm_lstm_pe_check(const gm_lstm_pe_cfg *c, char *err, size_t n)
{
    gm_lstm_pe_dims d;
    long long bits;
    if (c->rows < 1 || c->rows > 1024 || c->cols < 1 || c->cols > 4096) {
        snprintf(err, n, "ROWS=%d COLS=%d out of range (legal: ROWS 1..1024, COLS 1..4096)",
                 c->rows, c->cols);
        return -1;
    }
    if (c->n < 2 || c->n > 256 || (c->n & (c->n - 1)) != 0) {
        snprintf(err, n, "N=%d is not a power of two in 2..256 (legal: 2, 4, 8, ..., 256)",
                 c->n);
        return -1;
    }
    if (c->k < 1 || c->k > c->n) {
        snprintf(err, n, "K=%d out of range for N=%d (legal: 1..N)", c->k, c->n);
        return -1;
    }
    if (c->em < 0 || c->em > 16 || c->ef < 0 || c->ef > 24 || c->em + c->ef > 31) {
        snprintf(err, n, "exponent range [-%d, %d] out of range (legal: EM 0..16, EF 0..24, "
                         "EM+EF <= 31)",
                 c->ef, c->em);
        return -1;
    }
    if (c->b < 2 || c->b > 32) {
        snprintf(err, n, "B=%d out of range (legal: 2..32)", c->b);
        return -1;
    }
    if (c->dbuf != 0 && c->dbuf != 1) {
        snprintf(err, n, "DBUF=%d out of range (legal: 0, 1)", c->dbuf);
        return -1;
    }
    gm_lstm_pe_dims_of(c, &d);
    if (c->acc < d.acc_min || c->acc > 64) {
        snprintf(err, n, "ACC=%d cannot hold a row's exact sum (legal: B+EM+EF+1+clog2(KPR) = "
                         "%d..64)",
                 c->acc, d.acc_min);
        return -1;
    }
    if ((long long)c->rows * d.kpr > 32768) { /* the testbenches read a weight load ahead */
        snprintf(err, n, "ROWS*KPR = %lld weight words are too many (legal: ROWS*KPR <= 32768)",
                 (long long)c->rows * d.kpr);
        return -1;
    }
    bits = (long long)c->rows * d.kpr * d.ww + (long long)c->cols * c->b * (1 + c->dbuf);
    if (bits > (1LL << 20)) {
        snprintf(err, n, "weight and activation registers of %lld bits are too large (legal: "
                         "ROWS*KPR*(log2 N+1+EW) + (1+DBUF)*COLS*B <= %lld)",
                 bits, 1LL << 20);
        return -1;
    }
    return 0;
}

void gm_lstm_pe_dims_of(const gm_lstm_pe_cfg *c, gm_lstm_pe_dims *d)
{
    int last;
    memset(d, 0, sizeof *d);
    if (c->n < 1 || c->cols < 1 || c->k < 1)
        return;
    d->ngroups = (c->cols + c->n - 1) / c->n;
    last = c->cols - (d->ngroups - 1) * c->n;
    d->kpr = (d->ngroups - 1) * c->k + (last < c->k ? last : c->k);
    d->iw = gm_clog2((uint64_t)c->n);
    d->ew = c->em + c->ef >= 0 ? gm_clog2((uint64_t)(c->em + c->ef + 1)) : 1;
    if (d->ew < 1)
        d->ew = 1;
    d->ww = d->iw + 1 + d->ew;
    { /* a weight address or an activation's column */
        uint64_t na = c->rows >= 1 ? (uint64_t)c->rows * (uint64_t)d->kpr : 1;
        d->aw = gm_clog2(na > (uint64_t)c->cols ? na : (uint64_t)c->cols);
    }
    if (d->aw < 1)
        d->aw = 1;
    d->dw = c->b > d->ww ? c->b : d->ww;
    d->acc_min = c->b + c->em + c->ef + 1 + gm_clog2((uint64_t)d->kpr);
}

int gm_lstm_pe_init(gm_lstm_pe *p, const gm_lstm_pe_cfg *c)
{
    char err[256];
    memset(p, 0, sizeof *p);
    if (gm_lstm_pe_check(c, err, sizeof err))
        return -1;
    p->c = *c;
    gm_lstm_pe_dims_of(c, &p->d);
    p->word = calloc((size_t)c->rows * (size_t)p->d.kpr, sizeof *p->word);
    if (!p->word || gm_lstm_mat_alloc(&p->mat, c->rows, c->cols, c->n, c->k)) {
        gm_lstm_pe_free(p);
        return -1;
    }
    /* word 0 decodes to index 0, sign +, code 0: e = -ef */
    {
        size_t i, nw = (size_t)c->rows * (size_t)p->d.kpr;
        for (i = 0; i < nw; i++)
            p->mat.ex[i] = -c->ef;
    }
    return 0;
}

void gm_lstm_pe_free(gm_lstm_pe *p)
{
    free(p->word);
    p->word = NULL;
    gm_lstm_mat_free(&p->mat);
}

void gm_lstm_pe_write(gm_lstm_pe *p, uint64_t addr, uint64_t word)
{
    int idx, sgn, code;
    if (addr >= (uint64_t)p->c.rows * (uint64_t)p->d.kpr)
        return;
    word &= (UINT64_C(1) << p->d.ww) - 1u;
    p->word[addr] = word;
    gm_lstm_unpack(word, p->d.iw, p->d.ew, &idx, &sgn, &code);
    p->mat.idx[addr] = idx;
    p->mat.sgn[addr] = sgn;
    p->mat.ex[addr] = code - p->c.ef; /* the shift e + ef is the code itself */
}

void gm_lstm_pe_eval(const gm_lstm_pe *p, const int64_t *x, gm_val *y)
{
    int r;
    for (r = 0; r < p->c.rows; r++)
        y[r] = gm_val_mask(gm_val_from_u64(gm_lstm_row_dot(&p->mat, p->c.ef, r, x)), p->c.acc);
}

int gm_lstm_pe_col(const gm_lstm_pe *p, int j, uint64_t word)
{
    int idx, sgn, code;
    gm_lstm_unpack(word, p->d.iw, p->d.ew, &idx, &sgn, &code);
    return (j / p->c.k) * p->c.n + idx;
}

int64_t gm_lstm_pe_row_cost(const gm_lstm_pe *p, const int64_t *x, int r)
{
    int64_t a = 0;
    int j;
    for (j = 0; j < p->d.kpr; j++) {
        int col = gm_lstm_pe_col(p, j, p->word[(size_t)r * (size_t)p->d.kpr + (size_t)j]);
        if (col < p->c.cols && x[col] != 0)
            a++;
    }
    return a > 1 ? a : 1;
}
