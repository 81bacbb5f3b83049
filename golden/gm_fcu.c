/*
 * gm_fcu.c -- the FCU's textbook FIR (see gm_fcu.h). Arithmetic is done in uint64_t
 * (wrapping, no signed overflow) and masked to the output width at the end; with widths
 * up to 24 bits and 9 taps every true value fits in 53 bits, so the result is exact.
 */
#include "gm_fcu.h"

#include <stdio.h>
#include <string.h>

static int64_t sext(uint64_t v, int w)
{
    uint64_t m = (w >= 64) ? UINT64_MAX : ((UINT64_C(1) << w) - 1u);
    v &= m;
    if (w < 64 && (v >> (w - 1)) & 1u)
        v |= ~m;
    return (int64_t)v;
}

int gm_fcu_exact_width(int taps, int xw, int hw)
{
    /* largest magnitude: every product (-2^(xw-1)) * (-2^(hw-1)) = 2^(xw+hw-2), taps times */
    uint64_t maxpos = (uint64_t)taps << (xw + hw - 2);
    int w = 1;
    while (w < 64 && ((UINT64_C(1) << (w - 1)) - 1u) < maxpos)
        w++;
    return w;
}

static int taps_of(const gm_fcu_cfg *c)
{
    return c->reconf ? 5 : c->l;
}

int gm_fcu_out_width(const gm_fcu_cfg *c)
{
    return c->ow ? c->ow : gm_fcu_exact_width(taps_of(c), c->xw, c->hw);
}

int gm_fcu_check(const gm_fcu_cfg *c, char *msg, size_t n)
{
    if (c->reconf ? c->l != 6 : (c->l < 2 || c->l > GM_FCU_MAXL)) {
        snprintf(msg, n, "L=%d out of range (legal: 2..%d)", c->l, GM_FCU_MAXL);
        return -1;
    }
    if (c->xw < 2 || c->xw > 24 || c->hw < 2 || c->hw > 24) {
        snprintf(msg, n, "widths XW=%d HW=%d out of range (legal: 2..24)", c->xw, c->hw);
        return -1;
    }
    if (c->ow != 0 && (c->ow < 2 || c->ow > 64)) {
        snprintf(msg, n, "OW=%d out of range (legal: 0 = exact, or 2..64)", c->ow);
        return -1;
    }
    return 0;
}

void gm_fcu_init(gm_fcu *f, const gm_fcu_cfg *c)
{
    memset(f, 0, sizeof *f);
    f->c = *c;
    f->first = 1;
}

void gm_fcu_load(gm_fcu *f, unsigned idx, uint64_t w)
{
    if (idx < (unsigned)f->c.l)
        f->h[idx] = sext(w, f->c.hw);
    f->first = 1; /* a coefficient write starts a new row (the history is dropped) */
}

/* y[n] = sum_{k<taps} h[k] x[n-k] for the `taps` samples x[0..taps-1] of one block, with
 * the previous block in hist (zeros when first). */
static void fir(const int64_t *h, int taps, const int64_t *x, const int64_t *hist, int first,
                int ow, uint64_t *y)
{
    uint64_t m = ow >= 64 ? UINT64_MAX : ((UINT64_C(1) << ow) - 1u);
    int n, k;
    for (n = 0; n < taps; n++) {
        uint64_t s = 0;
        for (k = 0; k < taps; k++) {
            int64_t xv = n - k >= 0 ? x[n - k] : (first ? 0 : hist[n - k + taps]);
            s += (uint64_t)h[k] * (uint64_t)xv;
        }
        y[n] = s & m;
    }
}

void gm_fcu_block(gm_fcu *f, const uint64_t *x, int last, int mode, uint64_t *y)
{
    int64_t xs[GM_FCU_MAXL];
    int i, ow = gm_fcu_out_width(&f->c);
    for (i = 0; i < f->c.l; i++)
        xs[i] = sext(x[i], f->c.xw);
    if (f->c.reconf && (mode & 1) != f->mode) {
        f->mode = mode & 1; /* a mode change starts a new row */
        f->first = 1;
    }
    if (!f->c.reconf) {
        fir(f->h, f->c.l, xs, f->hist, f->first, ow, y);
    } else if (f->mode) {
        fir(f->h, 5, xs, f->hist, f->first, ow, y);
        y[5] = 0;
    } else {
        fir(f->h, 3, xs, f->hist, f->first, ow, y);
        fir(f->h + 3, 3, xs + 3, f->hist + 3, f->first, ow, y + 3);
    }
    memcpy(f->hist, xs, sizeof xs);
    f->first = last != 0;
}

/* ---------------------------------------------------------------- processing unit */

int gm_fcu_pu_check(const gm_fcu_pu_cfg *c, char *msg, size_t n)
{
    if (c->k != 3 && c->k != 5 && c->k != 7) {
        snprintf(msg, n, "K=%d not supported (legal: 3, 5, 7)", c->k);
        return -1;
    }
    if (c->xw < 2 || c->xw > 18 || c->k * c->xw > 128 || c->hw < 2 || c->hw > 24) {
        snprintf(msg, n, "widths XW=%d HW=%d out of range (legal: XW 2..18 with K*XW <= 128, "
                         "HW 2..24)", c->xw, c->hw);
        return -1;
    }
    if (c->ow != 0 && (c->ow < 2 || c->ow > 64)) {
        snprintf(msg, n, "OW=%d out of range (legal: 0 = exact, or 2..64)", c->ow);
        return -1;
    }
    return 0;
}

int gm_fcu_pu_out_width(const gm_fcu_pu_cfg *c)
{
    uint64_t maxpos;
    int w = 1;
    if (c->ow)
        return c->ow;
    maxpos = ((uint64_t)(c->k * c->k) << (c->xw + c->hw - 2)) +
             (c->bias ? UINT64_C(1) << (c->hw - 1) : 0u);
    while (w < 64 && ((UINT64_C(1) << (w - 1)) - 1u) < maxpos)
        w++;
    return w;
}

void gm_fcu_pu_init(gm_fcu_pu *p, const gm_fcu_pu_cfg *c)
{
    memset(p, 0, sizeof *p);
    p->c = *c;
    p->first = 1;
}

void gm_fcu_pu_load(gm_fcu_pu *p, unsigned idx, uint64_t w)
{
    int K = p->c.k;
    if (idx < (unsigned)(K * K))
        p->w[idx / (unsigned)K][idx % (unsigned)K] = sext(w, p->c.hw);
    else if (idx == (unsigned)(K * K) && p->c.bias)
        p->b = sext(w, p->c.hw);
    p->first = 1;
}

void gm_fcu_pu_block(gm_fcu_pu *p, const uint64_t (*x)[GM_FCU_PU_MAXK], int last, uint64_t *y)
{
    int K = p->c.k, ow = gm_fcu_pu_out_width(&p->c), r, j, n, i, t;
    uint64_t m = ow >= 64 ? UINT64_MAX : ((UINT64_C(1) << ow) - 1u);
    int64_t xs[2 * GM_FCU_PU_MAXK - 2][2 * GM_FCU_PU_MAXK]; /* previous block, this block */
    for (r = 0; r < 2 * K - 2; r++)
        for (t = 0; t < K; t++) {
            xs[r][t] = p->first ? 0 : p->hist[r][t];
            xs[r][K + t] = sext(x[r][t], p->c.xw);
        }
    for (j = 0; j < K - 1; j++)
        for (n = 0; n < K; n++) {
            uint64_t s = (uint64_t)p->b;
            for (i = 0; i < K; i++)
                for (t = 0; t < K; t++) /* column n-K+1+t of this block = xs index n+1+t */
                    s += (uint64_t)p->w[i][t] * (uint64_t)xs[j + i][n + 1 + t];
            s &= m;
            if (p->c.relu && ((s >> (ow - 1)) & 1u))
                s = 0;
            y[j * K + n] = s;
        }
    for (r = 0; r < 2 * K - 2; r++)
        for (t = 0; t < K; t++)
            p->hist[r][t] = xs[r][K + t];
    p->first = last != 0;
}
