/*
 * gm_fcu_cp.c -- golden model of the FCU complex processor (fcu_cp; see gm_fcu.h): P
 * channels, each a direct 2-D correlation (gm_fcu_pu_block, exact), summed, the bias
 * added, wrapped to OW bits, ReLU, then the 2x2 max-pool over row pairs and over the
 * column pairs of a pass. Nothing of the RTL's structure (FCUs, adder tree, tag pipeline)
 * is modelled: only which values come out and in which order.
 */
#include "gm_fcu.h"

#include <stdio.h>
#include <string.h>

static uint64_t mask(int w)
{
    return w >= 64 ? UINT64_MAX : ((UINT64_C(1) << w) - 1u);
}

static int64_t sx(uint64_t v, int w)
{
    v &= mask(w);
    if (w < 64 && (v >> (w - 1)) & 1u)
        v |= ~mask(w);
    return (int64_t)v;
}

int gm_fcu_cp_check(const gm_fcu_cp_cfg *c, char *msg, size_t n)
{
    gm_fcu_pu_cfg pc = { c->k, c->xw, c->hw, c->ow, c->bias, c->relu };
    if (gm_fcu_pu_check(&pc, msg, n))
        return -1;
    if (c->p < 1 || c->p > GM_FCU_CP_MAXP) {
        snprintf(msg, n, "P=%d out of range (legal: 1..%d)", c->p, GM_FCU_CP_MAXP);
        return -1;
    }
    /* one vector field per channel row (docs/vectors.md: at most 48 fields a record) */
    if (c->p * (2 * c->k - 2) > 44) {
        snprintf(msg, n, "P=%d channels of %d input rows exceed 44 row ports (legal: P <= %d "
                         "for K=%d)", c->p, 2 * c->k - 2, 44 / (2 * c->k - 2), c->k);
        return -1;
    }
    return 0;
}

int gm_fcu_cp_out_width(const gm_fcu_cp_cfg *c)
{
    uint64_t maxpos;
    int w = 1;
    if (c->ow)
        return c->ow;
    maxpos = ((uint64_t)(c->p * c->k * c->k) << (c->xw + c->hw - 2)) +
             (c->bias ? UINT64_C(1) << (c->hw - 1) : 0u);
    while (w < 64 && ((UINT64_C(1) << (w - 1)) - 1u) < maxpos)
        w++;
    return w;
}

int gm_fcu_cp_outputs(const gm_fcu_cp_cfg *c)
{
    return c->pool ? (c->k - 1) / 2 * c->k : (c->k - 1) * c->k;
}

void gm_fcu_cp_init(gm_fcu_cp *p, const gm_fcu_cp_cfg *c)
{
    gm_fcu_pu_cfg pc = { c->k, c->xw, c->hw, 64, 0, 0 }; /* exact channel sums */
    int i;
    memset(p, 0, sizeof *p);
    p->c = *c;
    for (i = 0; i < c->p; i++)
        gm_fcu_pu_init(&p->pu[i], &pc);
    p->first = 1;
}

void gm_fcu_cp_load(gm_fcu_cp *p, unsigned idx, uint64_t w)
{
    unsigned kk = (unsigned)(p->c.k * p->c.k);
    int i;
    for (i = 0; i < p->c.p; i++) /* every unit sees the write: all start a new pass */
        gm_fcu_pu_load(&p->pu[i], idx / kk == (unsigned)i ? idx % kk : kk + 1u, w);
    if (idx == (unsigned)p->c.p * kk && p->c.bias)
        p->b = sx(w, p->c.hw);
    p->first = 1;
}

static uint64_t smax(uint64_t a, uint64_t b, int w)
{
    return sx(a, w) >= sx(b, w) ? a : b;
}

/* One pooled record: columns 0..K-1 of the first block (f) and of the second (s, or the
 * virtual block when s is NULL). */
static void pool_rec(const gm_fcu_cp *p, uint64_t (*f)[GM_FCU_PU_MAXK],
                     uint64_t (*s)[GM_FCU_PU_MAXK], uint64_t *y)
{
    int K = p->c.k, ow = gm_fcu_cp_out_width(&p->c), u, m, d;
    uint64_t virt = p->c.relu ? 0 : UINT64_C(1) << (ow - 1);
    for (u = 0; u < (K - 1) / 2; u++)
        for (m = 0; m < K; m++) {
            uint64_t v[2];
            for (d = 0; d < 2; d++) {
                int col = 2 * m + d;
                v[d] = col < K ? f[u][col] : s ? s[u][col - K] : virt;
            }
            y[u * K + m] = smax(v[0], v[1], ow);
        }
}

int gm_fcu_cp_block(gm_fcu_cp *p, const uint64_t (*x)[2 * GM_FCU_PU_MAXK - 2][GM_FCU_PU_MAXK],
                    int last, uint64_t (*y)[GM_FCU_CP_NY])
{
    int K = p->c.k, ow = gm_fcu_cp_out_width(&p->c), ch, q, u, n, nrec = 0;
    uint64_t a[GM_FCU_CP_NY], s[GM_FCU_CP_NY], cy[GM_FCU_CP_NY];
    uint64_t rm[GM_FCU_PU_MAXK / 2][GM_FCU_PU_MAXK];
    int first = p->first;
    for (q = 0; q < (K - 1) * K; q++)
        s[q] = (uint64_t)p->b;
    for (ch = 0; ch < p->c.p; ch++) {
        gm_fcu_pu_block(&p->pu[ch], x[ch], last, cy);
        for (q = 0; q < (K - 1) * K; q++)
            s[q] += cy[q]; /* exact (two's complement in 64 bits) */
    }
    for (q = 0; q < (K - 1) * K; q++) {
        a[q] = s[q] & mask(ow);
        if (p->c.relu && (a[q] >> (ow - 1)) & 1u)
            a[q] = 0;
    }
    p->first = last != 0;
    if (!p->c.pool) {
        memcpy(y[0], a, sizeof a);
        return 1;
    }
    for (u = 0; u < (K - 1) / 2; u++)
        for (n = 0; n < K; n++)
            rm[u][n] = smax(a[2 * u * K + n], a[(2 * u + 1) * K + n], ow);
    if (p->have && first) { /* the previous pass ended on its odd block */
        pool_rec(p, p->half, NULL, y[nrec++]);
        p->have = 0;
    }
    if (p->have) {
        pool_rec(p, p->half, rm, y[nrec++]);
        p->have = 0;
    } else if (last) {
        pool_rec(p, rm, NULL, y[nrec++]);
    } else {
        memcpy(p->half, rm, sizeof rm);
        p->have = 1;
    }
    return nrec;
}
