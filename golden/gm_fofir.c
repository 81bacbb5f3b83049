/*
 * gm_fofir.c -- the textbook FIR of gm_fofir.h. The ring keeps, for each of the last K
 * samples, its K products (one per tap, with the coefficients in force then); output n is
 * the plain sum of the products of x[n+k] with tap k.
 */
#include "gm_fofir.h"

#include <stdio.h>
#include <string.h>

static uint64_t maskw(int w)
{
    return w >= 64 ? UINT64_MAX : ((UINT64_C(1) << w) - 1u);
}

int gm_fofir_check(const gm_fofir_cfg *c, char *msg, size_t n)
{
    if (c->k < 1 || c->k > GM_FOFIR_MAX_K) {
        snprintf(msg, n, "K=%d out of range (legal: 1..%d)", c->k, GM_FOFIR_MAX_K);
        return -1;
    }
    if (c->xw < 2 || c->xw > 32 || c->hw < 2 || c->hw > 32) {
        snprintf(msg, n, "XW=%d/HW=%d out of range (legal: 2..32)", c->xw, c->hw);
        return -1;
    }
    if (c->mac.n != (c->xw > c->hw ? c->xw : c->hw)) {
        snprintf(msg, n, "PAMAC width %d is not max(XW, HW)", c->mac.n);
        return -1;
    }
    return gm_pamac_check(&c->mac, msg, n);
}

void gm_fofir_init(gm_fofir *f, const gm_fofir_cfg *c)
{
    memset(f, 0, sizeof *f);
    f->c = *c;
}

uint64_t gm_fofir_xop(const gm_fofir_cfg *c, uint64_t x)
{
    return (uint64_t)gm_pamac_operand(x, c->xw, c->signed_x) & maskw(c->mac.n);
}

uint64_t gm_fofir_hop(const gm_fofir_cfg *c, uint64_t h)
{
    return (uint64_t)gm_pamac_operand(h, c->hw, 1) & maskw(c->mac.n);
}

void gm_fofir_load(gm_fofir *f, unsigned idx, uint64_t h)
{
    if (idx < (unsigned)f->c.k)
        f->h[idx] = h & maskw(f->c.hw);
}

int gm_fofir_sample(gm_fofir *f, uint64_t x, int last, unsigned prec, unsigned mode,
                    unsigned kk, gm_val *y)
{
    int K = f->c.k, k, slot = (int)(f->m % K), out = 0;
    for (k = 0; k < K; k++) {
        gm_pamac_op op;
        gm_pamac_res res;
        memset(&op, 0, sizeof op);
        op.a = gm_fofir_xop(&f->c, x);
        op.w = gm_fofir_hop(&f->c, f->h[k]);
        op.prec = prec;
        op.mode = mode;
        op.k = kk;
        gm_pamac_eval(&f->c.mac, &op, &res);
        f->contrib[slot][k] = res.y;
    }
    if (f->m >= K - 1) {
        gm_val s = { 0, 0 };
        int64_t n0 = f->m - K + 1;
        for (k = 0; k < K; k++)
            s = gm_val_add(s, f->contrib[(n0 + k) % K][k]);
        *y = gm_val_mask(s, f->c.mac.acc);
        out = 1;
    }
    f->m = last ? 0 : f->m + 1;
    return out;
}
