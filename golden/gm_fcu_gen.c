/*
 * gm_fcu_gen.c -- stimulus, expected outputs and the cycle model of the FCU blocks (fcu,
 * fcu_reconf, fcu_pu, fcu_cp).
 *
 * Values come from the textbook FIR (gm_fcu.c). The timing contract (docs/fcu.md) is that
 * of a stall-all pipeline of PIPE register stages in front of the output register:
 *   - in_ready = !out_valid || out_ready (the pipeline advances when the output register is
 *     free or being read); a record is accepted at an edge where in_valid && in_ready;
 *   - a coefficient write takes effect at its accept edge (it produces no output);
 *   - a block accepted at edge e moves one stage per advancing edge and is loaded into the
 *     output register PIPE advancing edges later (at e itself when PIPE = 0); out_valid is
 *     seen from the next edge. One block per cycle when the output is always read.
 * The model below steps those rules edge by edge together with the testbench's gap and
 * stall policy, exactly as verif/tb_check.h and the Icarus bench apply it.
 *
 * fcu_cp with POOL = 1 adds the pool stage behind the units' output register (docs/fcu_cp.md):
 * each block carries a tag (first of its pass, marked last) through the pipeline; at the
 * units' output, with a first half held and the block starting a new pass, the held half is
 * flushed (completed with the virtual block) and the block waits; holding nothing and the
 * block not last, it is taken as the first half (no output needed); otherwise the block is
 * taken when the pool's output register is free or being read, and a pooled record is
 * loaded into it (out_valid seen from the next edge).
 *
 * fcu_cp's profile "layer:FILE" streams one layer file (docs/schedule.md; K x K, stride 1):
 * for every output channel and every group of P input channels, the group's kernels (and
 * a zero bias), then the row tiles (2K-2 input rows advancing by K-1) in column blocks, the
 * last block of a tile marked last. Expected values come from the CP's golden model as
 * always; with OW=0, RELU=0 and POOL=0 the group sums are also added up per output pixel
 * and compared with the direct convolution of the layer (gm_layer_conv), and any
 * difference poisons the expected stream (the run fails, naming the pixel on stderr).
 */
#include "gm_fcu.h"
#include "gm_layer.h"
#include "gm_stream_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const fcu_blocks[] = { "fcu", "fcu_reconf", "fcu_pu", "fcu_cp", NULL };
static const char *const fcu_params[] = { "L",    "XW",   "HW",   "OW", "PIPE", "ALG",
                                          "K",    "BIAS", "RELU", "P",  "POOL",
                                          NULL };
static const char *const xname[] = { "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8" };
static const char *const rname[] = { "r0", "r1", "r2", "r3", "r4", "r5",
                                     "r6", "r7", "r8", "r9", "r10", "r11" };
#define NY 42
static char yname[NY][16];
#define NCR 44
static char cname[NCR][12]; /* fcu_cp: channel p, row i: "c<p>r<i>" */

#define OUTQ 64
#define MAXPIPE 4

typedef struct cst {
    gm_fcu_cfg c;
    gm_fcu gold;
    gm_rng rng;
    int64_t nvec, made;
    int profile;   /* 0 mixed (directed corners, gaps, stalls), 1 stream (no gaps/stalls) */
    int pipe, iw, ow, fx, flast, fmode;
    int64_t row_left;
    int need_coefs, extreme, small, mode;
    int near;             /* fcu_cp: a pass of near-equal outputs (below) */
    int ext_all;          /* fcu_cp: an extreme pass of -2^(w-1) only: the largest sum */
    uint64_t near_v;
    gm_rec q[OUTQ];
    int qh, qn;
    uint64_t yv[OUTQ][NY];
    int pu, ny;           /* fcu_pu: the processing unit; outputs per record */
    gm_fcu_pu_cfg pc;
    gm_fcu_pu pgold;
    int cp;               /* fcu_cp: the complex processor */
    gm_fcu_cp_cfg cc;
    gm_fcu_cp cgold;
    int yh, yn;
    int have_in;
    gm_rec in;
    /* cycle model */
    int64_t e, a_prev, d_prev, hold_next, out_n, fval_edge;
    int v[MAXPIPE], ov;
    /* fcu_cp pool stage: tags (first, last) along the pipeline, the half held, its output */
    int tg[MAXPIPE], otg, pstart, have, pov;
    /* fcu_cp profile layer:FILE */
    int lay, xcheck, poison;
    gm_layer L;
    int lo, lg, lt, lb, lwrite, ntiles, nblocks, ngroups;
    int64_t *lsum; /* this output channel's group sums, (h-K+1) x (w-K+1) */
} cst;

static void fcu_close(void *vs);

static uint64_t maskn(int w)
{
    return w >= 64 ? UINT64_MAX : ((UINT64_C(1) << w) - 1u);
}

/* A sample or coefficient: extremes (the most negative value maximizes every product's
 * magnitude: the bit-growth corner), zero, or uniform. */
static uint64_t rnd_val(cst *s, int w)
{
    uint64_t r = gm_rng_below(&s->rng, 8);
    if (s->small) {
        uint64_t v = gm_rng_below(&s->rng, 3);
        return v == 2 ? maskn(w) : v; /* -1, 0, 1 */
    }
    if (s->extreme && s->cp && !s->ext_all) /* large sums of either sign, unequal: the pool's
                               * comparisons at their top bits */
        return gm_rng_below(&s->rng, 2) ? maskn(w - 1) : UINT64_C(1) << (w - 1);
    if (s->extreme)
        return UINT64_C(1) << (w - 1); /* -2^(w-1) */
    if (s->profile == 0 && r == 0)
        return 0;
    if (s->profile == 0 && r == 1)
        return gm_rng_below(&s->rng, 2) ? (UINT64_C(1) << (w - 1)) : maskn(w - 1);
    return gm_rng_next(&s->rng) & maskn(w);
}

static gm_val pack(const uint64_t *v, int n, int w)
{
    gm_val g = { 0, 0 };
    int i, pos = 0;
    for (i = 0; i < n; i++, pos += w) {
        uint64_t x = v[i] & maskn(w);
        if (pos < 64) {
            g.lo |= x << pos;
            if (pos + w > 64)
                g.hi |= x >> (64 - pos);
        } else {
            g.hi |= x << (pos - 64);
        }
    }
    return g;
}

/* fcu_pu: a weight/bias write or a column block of the 2K-2 input rows. */
static void make_input_pu(cst *s, gm_rec *r)
{
    int K = s->pc.k, nw = K * K + 1, i, t;
    memset(r, 0, sizeof *r);
    r->stream = 0;
    r->op = s->made++;
    if (s->profile == 0 && gm_rng_below(&s->rng, 4) == 0)
        r->delay = 1 + (int64_t)gm_rng_below(&s->rng, 3);
    if (s->row_left == 0 && s->need_coefs == 0) {
        if (s->made == 1 || gm_rng_below(&s->rng, 3) == 0)
            s->need_coefs = nw;
        s->row_left = s->profile == 0 ? 1 + (int64_t)gm_rng_below(&s->rng, 6) : 32;
        s->extreme = s->profile == 0 && gm_rng_below(&s->rng, 8) == 0;
    }
    if (s->need_coefs > 0 ||
        (s->profile == 0 && s->made > 2 && gm_rng_below(&s->rng, 30) == 0)) {
        /* the kernel and bias in order, or (mixed) one write mid-pass, the bias half the
         * time (blocks still in flight must keep the bias they were accepted with) */
        unsigned idx = s->need_coefs > 0 ? (unsigned)(nw - s->need_coefs--)
                       : gm_rng_below(&s->rng, 2) ? (unsigned)(nw - 1)
                                                  : (unsigned)gm_rng_below(&s->rng, (uint64_t)nw);
        uint64_t w = rnd_val(s, s->pc.hw);
        r->f[0] = gm_val_from_u64(1);
        r->f[1] = gm_val_from_u64(idx);
        r->f[2] = gm_val_from_u64(w);
        gm_fcu_pu_load(&s->pgold, idx, w);
        return;
    }
    {
        uint64_t x[2 * GM_FCU_PU_MAXK - 2][GM_FCU_PU_MAXK];
        int last = --s->row_left == 0 || s->made == s->nvec;
        if (last)
            s->row_left = 0;
        r->f[0] = gm_val_from_u64(0);
        r->f[1] = gm_val_from_u64(gm_rng_next(&s->rng) & maskn(s->iw));
        r->f[2] = gm_val_from_u64(gm_rng_next(&s->rng) & maskn(s->pc.hw));
        for (i = 0; i < 2 * K - 2; i++) {
            for (t = 0; t < K; t++)
                x[i][t] = rnd_val(s, s->pc.xw);
            r->f[s->fx + i] = pack(x[i], K, s->pc.xw);
        }
        r->f[s->flast] = gm_val_from_u64((uint64_t)last);
        gm_fcu_pu_block(&s->pgold, (const uint64_t(*)[GM_FCU_PU_MAXK])x, last,
                        s->yv[(s->yh + s->yn) % OUTQ]);
        s->yn++;
    }
}

/* fcu_cp: a weight/bias write or a column block of every channel's 2K-2 input rows. */
static void make_input_cp(cst *s, gm_rec *r)
{
    int K = s->cc.k, P = s->cc.p, nw = P * K * K + 1, ch, i, t, n, k;
    memset(r, 0, sizeof *r);
    r->stream = 0;
    r->op = s->made++;
    if (s->profile == 0 && gm_rng_below(&s->rng, 4) == 0)
        r->delay = 1 + (int64_t)gm_rng_below(&s->rng, 3);
    if (s->row_left == 0 && s->need_coefs == 0) {
        if (s->made == 1 || gm_rng_below(&s->rng, 4) == 0)
            s->need_coefs = nw;
        /* passes of 1..7 blocks: odd and even ends of the pool's pairs; a quarter at the
         * extremes (the top bits of the sums and compares), an eighth with values -1, 0, 1
         * and an eighth "near" (kernels of a tap or two of 1, samples v or v+1, a small
         * bias: outputs that differ by 1 from their neighbours, so that every pool compare
         * sees an even value against the next odd one: its low bit) */
        s->row_left = s->profile == 0 ? 1 + (int64_t)gm_rng_below(&s->rng, 7) : 32;
        {
            uint64_t m = s->profile == 0 ? gm_rng_below(&s->rng, 8) : 7;
            s->extreme = m < 2;
            s->small = m == 2;
            s->near = s->cp && m == 3;
            s->ext_all = s->extreme && gm_rng_below(&s->rng, 2) == 0; /* the top bits set */
            s->near_v = gm_rng_below(&s->rng, UINT64_C(1) << (s->cc.xw - 2));
            if (s->extreme || s->small || s->near) /* kernels of the samples' kind */
                s->need_coefs = nw;
        }
    }
    if (s->need_coefs > 0 ||
        (s->profile == 0 && s->made > 2 && gm_rng_below(&s->rng, 40) == 0)) {
        /* the kernels and bias in order, or (mixed) one write anywhere, also past the
         * bias (ignored): mid-pass ones start a new pass */
        unsigned idx = s->need_coefs > 0 ? (unsigned)(nw - s->need_coefs--)
                       : gm_rng_below(&s->rng, 2) ? (unsigned)(nw - 1) /* the bias, in flight */
                                                  : (unsigned)gm_rng_below(&s->rng, (uint64_t)1 << s->iw);
        uint64_t w = !s->near ? rnd_val(s, s->cc.hw)
                     : idx == (unsigned)(nw - 1) ? gm_rng_below(&s->rng, 4) /* the bias */
                     : gm_rng_below(&s->rng, (uint64_t)(nw / 10 + 1)) == 0 ? 1u : 0u;
        r->f[0] = gm_val_from_u64(1);
        r->f[1] = gm_val_from_u64(idx);
        r->f[2] = gm_val_from_u64(w);
        for (i = 0; i < P * (2 * K - 2); i++) /* row fields carry noise on a write */
            r->f[s->fx + i] = gm_val_from_u64(gm_rng_next(&s->rng) & maskn(s->cc.xw));
        r->f[s->flast] = gm_val_from_u64(gm_rng_below(&s->rng, 2));
        gm_fcu_cp_load(&s->cgold, idx, w);
        return;
    }
    {
        static uint64_t x[GM_FCU_CP_MAXP][2 * GM_FCU_PU_MAXK - 2][GM_FCU_PU_MAXK];
        uint64_t y[2][GM_FCU_CP_NY];
        int last = --s->row_left == 0 || s->made == s->nvec;
        if (last)
            s->row_left = 0;
        r->f[0] = gm_val_from_u64(0);
        r->f[1] = gm_val_from_u64(gm_rng_next(&s->rng) & maskn(s->iw));
        r->f[2] = gm_val_from_u64(gm_rng_next(&s->rng) & maskn(s->cc.hw));
        for (ch = 0; ch < P; ch++)
            for (i = 0; i < 2 * K - 2; i++) {
                for (t = 0; t < K; t++)
                    x[ch][i][t] = s->near ? s->near_v + gm_rng_below(&s->rng, 2)
                                  : s->ext_all && gm_rng_below(&s->rng, 8) == 0
                                      ? 0 /* sums near the top that differ: a unique maximum */
                                      : rnd_val(s, s->cc.xw);
                r->f[s->fx + ch * (2 * K - 2) + i] = pack(x[ch][i], K, s->cc.xw);
            }
        r->f[s->flast] = gm_val_from_u64((uint64_t)last);
        n = gm_fcu_cp_block(&s->cgold, (const uint64_t(*)[2 * GM_FCU_PU_MAXK - 2][GM_FCU_PU_MAXK])x,
                            last, y);
        for (k = 0; k < n; k++) {
            memcpy(s->yv[(s->yh + s->yn) % OUTQ], y[k], sizeof y[k]);
            s->yn++;
        }
    }
}

/* fcu_cp, profile layer:FILE: the next write or block of the layer (see the top). */
static void make_input_layer(cst *s, gm_rec *r)
{
    const gm_layer *L = &s->L;
    int K = s->cc.k, P = s->cc.p, kk = K * K, nw = P * kk + (s->cc.bias ? 1 : 0), i, t, ch, q;
    memset(r, 0, sizeof *r);
    r->stream = 0;
    r->op = s->made++;
    if (s->lwrite < nw) { /* the group's kernels, then a zero bias */
        int idx = s->lwrite++, p = idx / kk;
        int64_t w = 0;
        ch = s->lg * P + p;
        if (idx < P * kk && ch < L->cin)
            w = GM_LAYER_W(L, s->lo, ch, idx % kk / K, idx % K);
        r->f[0] = gm_val_from_u64(1);
        r->f[1] = gm_val_from_u64((uint64_t)idx);
        r->f[2] = gm_val_from_u64((uint64_t)w & maskn(s->cc.hw));
        gm_fcu_cp_load(&s->cgold, (unsigned)idx, (uint64_t)w & maskn(s->cc.hw));
        return;
    }
    {
        static uint64_t x[GM_FCU_CP_MAXP][2 * GM_FCU_PU_MAXK - 2][GM_FCU_PU_MAXK];
        uint64_t y[2][GM_FCU_CP_NY];
        int r0 = s->lt * (K - 1), c0 = s->lb * K, last = s->lb == s->nblocks - 1, n, k, j;
        for (i = 0; i < P; i++)
            for (j = 0; j < 2 * K - 2; j++) {
                for (t = 0; t < K; t++) {
                    int yy = r0 + j, xx = c0 + t;
                    ch = s->lg * P + i;
                    x[i][j][t] = ch < L->cin && yy < L->h && xx < L->w
                                     ? (uint64_t)GM_LAYER_X(L, ch, yy, xx) & maskn(s->cc.xw)
                                     : 0;
                }
                r->f[s->fx + i * (2 * K - 2) + j] = pack(x[i][j], K, s->cc.xw);
            }
        r->f[0] = gm_val_from_u64(0);
        r->f[s->flast] = gm_val_from_u64((uint64_t)last);
        n = gm_fcu_cp_block(&s->cgold, (const uint64_t(*)[2 * GM_FCU_PU_MAXK - 2][GM_FCU_PU_MAXK])x,
                            last, y);
        if (s->xcheck) /* valid pixels: row r0+j, column bK+n-(K-1) */
            for (j = 0; j < K - 1; j++)
                for (q = 0; q < K; q++) {
                    int yy = r0 + j, xx = c0 + q - (K - 1);
                    uint64_t v = y[0][j * K + q];
                    int ow = gm_fcu_cp_out_width(&s->cc);
                    if (yy > L->h - K || xx < 0 || xx > L->w - K)
                        continue;
                    if (ow < 64 && (v >> (ow - 1)) & 1u)
                        v |= ~maskn(ow);
                    s->lsum[(size_t)yy * (size_t)(L->w - K + 1) + (size_t)xx] += (int64_t)v;
                }
        for (k = 0; k < n; k++) {
            memcpy(s->yv[(s->yh + s->yn) % OUTQ], y[k], sizeof y[k]);
            if (s->poison)
                memset(s->yv[(s->yh + s->yn) % OUTQ], 0xff, sizeof y[k]);
            s->yn++;
        }
    }
    /* advance: block, tile, group, output channel */
    if (++s->lb < s->nblocks)
        return;
    s->lb = 0;
    if (++s->lt < s->ntiles)
        return;
    s->lt = 0;
    s->lwrite = 0;
    if (++s->lg < s->ngroups)
        return;
    s->lg = 0;
    if (s->xcheck) {
        int yy, xx, ho = L->h - K + 1, wo = L->w - K + 1;
        for (yy = 0; yy < ho; yy++)
            for (xx = 0; xx < wo; xx++) {
                gm_val d = gm_layer_conv(L, 64, s->lo, yy, xx);
                int64_t *v = &s->lsum[(size_t)yy * (size_t)wo + (size_t)xx];
                if ((int64_t)d.lo != *v && !s->poison) {
                    fprintf(stderr, "gm_fcu_gen: layer cross-check: output channel %d pixel "
                                    "(%d,%d): CP groups sum to %lld, direct convolution %lld\n",
                            s->lo, yy, xx, (long long)*v, (long long)(int64_t)d.lo);
                    s->poison = 1;
                }
                *v = 0;
            }
    }
    s->lo++;
}

static int open_layer(cst *s, const char *path, char *err, size_t errn)
{
    const gm_layer *L = &s->L;
    int K = s->cc.k, nw;
    if (gm_layer_load(&s->L, path, err, errn))
        return -1;
    s->lay = 1;
    if (L->k != K) {
        snprintf(err, errn, "layer kernel %dx%d does not match the CP's K=%d (legal: k = K)",
                 L->k, L->k, K);
        return -1;
    }
    if (L->hw > s->cc.hw || L->xw + (L->signed_x ? 0 : 1) > s->cc.xw) {
        snprintf(err, errn, "layer widths xw=%d%s hw=%d do not fit XW=%d HW=%d (legal: xw%s <= "
                            "XW, hw <= HW)", L->xw, L->signed_x ? "" : " unsigned", L->hw,
                 s->cc.xw, s->cc.hw, L->signed_x ? "" : "+1");
        return -1;
    }
    if (L->h < K || L->w < K) {
        snprintf(err, errn, "layer %dx%d smaller than the kernel (legal: h, w >= K=%d)", L->h,
                 L->w, K);
        return -1;
    }
    s->ngroups = (L->cin + s->cc.p - 1) / s->cc.p;
    s->ntiles = (L->h - K + 1 + K - 2) / (K - 1);
    s->nblocks = (L->w + K - 1) / K;
    nw = s->cc.p * K * K + (s->cc.bias ? 1 : 0);
    s->nvec = (int64_t)L->cout * s->ngroups * (nw + (int64_t)s->ntiles * s->nblocks);
    s->xcheck = s->cc.ow == 0 && !s->cc.relu && !s->cc.pool;
    if (s->xcheck) {
        s->lsum = calloc((size_t)(L->h - K + 1) * (size_t)(L->w - K + 1), sizeof *s->lsum);
        if (!s->lsum) {
            snprintf(err, errn, "out of memory");
            return -1;
        }
    }
    return 0;
}

static void make_input(cst *s, gm_rec *r)
{
    int L = s->c.l, i;
    if (s->lay) {
        make_input_layer(s, r);
        return;
    }
    if (s->cp) {
        make_input_cp(s, r);
        return;
    }
    if (s->pu) {
        make_input_pu(s, r);
        return;
    }
    memset(r, 0, sizeof *r);
    r->stream = 0;
    r->op = s->made++;
    if (s->profile == 0 && gm_rng_below(&s->rng, 4) == 0)
        r->delay = 1 + (int64_t)gm_rng_below(&s->rng, 3);
    if (s->row_left == 0 && s->need_coefs == 0) {
        if (s->made == 1 || gm_rng_below(&s->rng, 3) == 0)
            s->need_coefs = L + ((1 << s->iw) > L && s->profile == 0 && gm_rng_below(&s->rng, 6) == 0);
        s->row_left = s->profile == 0 ? 1 + (int64_t)gm_rng_below(&s->rng, 6) : 32;
        s->extreme = s->profile == 0 && gm_rng_below(&s->rng, 8) == 0;
        if (s->c.reconf)
            s->mode = (int)gm_rng_below(&s->rng, 2);
    }
    if (s->need_coefs > 0 ||
        (s->profile == 0 && s->made > 2 && gm_rng_below(&s->rng, 30) == 0)) {
        /* a coefficient write (mid-row ones start a new row, as documented) */
        unsigned idx;
        uint64_t w = rnd_val(s, s->c.hw);
        if (s->need_coefs > L) /* an out-of-range index: ignored by both models */
            idx = (unsigned)(L + (int)gm_rng_below(&s->rng, (uint64_t)((1 << s->iw) - L)));
        else if (s->need_coefs > 0)
            idx = (unsigned)(L - s->need_coefs);
        else
            idx = (unsigned)gm_rng_below(&s->rng, (uint64_t)L);
        if (s->need_coefs > 0)
            s->need_coefs--;
        r->f[0] = gm_val_from_u64(1);
        r->f[1] = gm_val_from_u64(idx);
        r->f[2] = gm_val_from_u64(w);
        for (i = 0; i < L; i++) /* data fields carry noise on a write: ignored */
            r->f[s->fx + i] = gm_val_from_u64(gm_rng_next(&s->rng) & maskn(s->c.xw));
        r->f[s->flast] = gm_val_from_u64(gm_rng_below(&s->rng, 2));
        gm_fcu_load(&s->gold, idx, w);
        return;
    }
    {
        uint64_t x[GM_FCU_MAXL];
        int last = --s->row_left == 0 || s->made == s->nvec;
        if (last)
            s->row_left = 0;
        r->f[0] = gm_val_from_u64(0);
        r->f[1] = gm_val_from_u64(gm_rng_next(&s->rng) & maskn(s->iw));
        r->f[2] = gm_val_from_u64(gm_rng_next(&s->rng) & maskn(s->c.hw));
        for (i = 0; i < L; i++) {
            x[i] = rnd_val(s, s->c.xw);
            r->f[s->fx + i] = gm_val_from_u64(x[i]);
        }
        r->f[s->flast] = gm_val_from_u64((uint64_t)last);
        if (s->fmode >= 0)
            r->f[s->fmode] = gm_val_from_u64((uint64_t)s->mode);
        gm_fcu_block(&s->gold, x, last, s->mode, s->yv[(s->yh + s->yn) % OUTQ]);
        s->yn++;
    }
}

static void push_rec(cst *s, const gm_rec *r)
{
    s->q[(s->qh + s->qn) % OUTQ] = *r;
    s->qn++;
}

static void out_transfer(cst *s, int64_t e)
{
    gm_rec r;
    int i;
    memset(&r, 0, sizeof r);
    r.stream = 1;
    r.op = s->out_n++;
    r.delay = s->hold_next;
    r.cycle = s->fval_edge;
    r.cycle2 = e;
    for (i = 0; i < s->ny; i++) {
        if (s->yn > 0)
            r.f[i] = gm_val_from_u64(s->yv[s->yh][i]);
        else
            r.f[i].lo = r.f[i].hi = UINT64_MAX; /* model disagreement: the check will fail */
    }
    if (s->yn > 0) {
        s->yh = (s->yh + 1) % OUTQ;
        s->yn--;
    }
    push_rec(s, &r);
    s->d_prev = e;
    s->hold_next = (s->profile == 0 && gm_rng_below(&s->rng, 4) == 0)
                       ? 1 + (int64_t)gm_rng_below(&s->rng, 4)
                       : 0;
}

/* One clock edge e: the handshakes decided before it, then the state after it. */
static void step(cst *s)
{
    int64_t e = s->e;
    int pool = s->cp && s->cc.pool;
    int out_ready = e >= s->d_prev + 1 + s->hold_next;
    int xfer = (pool ? s->pov : s->ov) && out_ready, pu_ready = out_ready;
    int emit = 0, flush = 0, pair = 0, solo = 0, hold = 0, adv, in_valid, accept, blk, i, nov;
    int tag, ntg;
    if (pool && s->ov) { /* the pool stage in front of its output register */
        int ofree = !s->pov || out_ready, first = (s->otg & 2) != 0, lst = s->otg & 1;
        flush = s->have && first;
        pair = s->have && !first;
        solo = !s->have && lst;
        hold = !s->have && !lst;
        pu_ready = hold || ((pair || solo) && ofree);
        emit = ofree && (flush || pair || solo);
    }
    adv = !s->ov || pu_ready;
    in_valid = s->have_in && e >= s->a_prev + 1 + s->in.delay;
    accept = in_valid && adv;
    blk = accept && s->in.f[0].lo == 0;
    tag = (s->pstart ? 2 : 0) | (int)(s->in.f[s->flast].lo & 1u);
    if (xfer)
        out_transfer(s, e);
    if (pool) {
        if (hold)
            s->have = 1;
        if (emit && (pair || flush))
            s->have = 0;
        if (emit) {
            s->pov = 1;
            s->fval_edge = e + 1;
        } else if (xfer) {
            s->pov = 0;
        }
    }
    if (adv) {
        nov = s->pipe ? s->v[s->pipe - 1] : blk;
        ntg = s->pipe ? s->tg[s->pipe - 1] : tag;
        for (i = s->pipe - 1; i > 0; i--) {
            s->v[i] = s->v[i - 1];
            s->tg[i] = s->tg[i - 1];
        }
        if (s->pipe) {
            s->v[0] = blk;
            s->tg[0] = tag;
        }
        if (nov && !pool)
            s->fval_edge = e + 1;
        s->ov = nov;
        s->otg = ntg;
    }
    if (accept) {
        s->pstart = s->in.f[0].lo != 0 || (s->in.f[s->flast].lo & 1u);
        s->in.cycle = s->in.cycle2 = e;
        push_rec(s, &s->in);
        s->a_prev = e;
        s->have_in = 0;
        if (s->made < s->nvec) {
            make_input(s, &s->in);
            s->have_in = 1;
        }
    }
    s->e++;
}

static void *fcu_open(const char *block, const gm_param *ps, int np, uint64_t seed,
                      int64_t nvec, const char *profile, gm_stream *st, int *ns, char *err,
                      size_t errn)
{
    cst *s;
    int nf = 0, i;
    if (gm_param_known(ps, np, fcu_params, err, errn))
        return NULL;
    s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errn, "out of memory");
        return NULL;
    }
    s->c.reconf = strcmp(block, "fcu_reconf") == 0;
    s->cp = strcmp(block, "fcu_cp") == 0;
    s->pu = s->cp || strcmp(block, "fcu_pu") == 0; /* the CP shares the unit's checks */
    for (i = 0; i < NY; i++)
        snprintf(yname[i], sizeof yname[i], "y%d", i);
    if (s->pu) {
        s->pc.k = (int)gm_param_get(ps, np, "K", 3);
        s->pc.xw = (int)gm_param_get(ps, np, "XW", 8);
        s->pc.hw = (int)gm_param_get(ps, np, "HW", 8);
        s->pc.ow = (int)gm_param_get(ps, np, "OW", 0);
        s->pc.bias = gm_param_get(ps, np, "BIAS", 1) != 0;
        s->pc.relu = gm_param_get(ps, np, "RELU", 1) != 0;
        if (gm_fcu_pu_check(&s->pc, err, errn))
            goto error;
    }
    if (s->cp) {
        s->cc.k = s->pc.k;
        s->cc.xw = s->pc.xw;
        s->cc.hw = s->pc.hw;
        s->cc.ow = s->pc.ow;
        s->cc.bias = s->pc.bias;
        s->cc.relu = s->pc.relu;
        s->cc.p = (int)gm_param_get(ps, np, "P", 2);
        s->cc.pool = gm_param_get(ps, np, "POOL", 1) != 0;
        if (gm_fcu_cp_check(&s->cc, err, errn))
            goto error;
    }
    s->c.l = s->c.reconf ? 6 : (int)gm_param_get(ps, np, "L", 3);
    s->c.xw = (int)gm_param_get(ps, np, "XW", 8);
    s->c.hw = (int)gm_param_get(ps, np, "HW", 8);
    s->c.ow = (int)gm_param_get(ps, np, "OW", 0);
    s->pipe = (int)gm_param_get(ps, np, "PIPE", 1);
    if (s->pu) { /* the unit's own checks above; an FCU of K taps for the shared code */
        s->c.l = s->pc.k;
        s->c.xw = s->pc.xw;
        s->c.hw = s->pc.hw;
    } else if (gm_fcu_check(&s->c, err, errn)) {
        goto error;
    }
    if (s->pipe < 0 || s->pipe > 2) {
        snprintf(err, errn, "PIPE=%d out of range (legal: 0..2)", s->pipe);
        goto error;
    }
    if (nvec < 0) {
        snprintf(err, errn, "vector count %lld is negative", (long long)nvec);
        goto error;
    }
    if (profile == NULL || strcmp(profile, "mixed") == 0) {
        s->profile = 0;
    } else if (strcmp(profile, "stream") == 0) {
        s->profile = 1;
    } else if (s->cp && strncmp(profile, "layer:", 6) == 0) {
        s->profile = 1; /* no gaps or stalls: the layer's own cycles */
    } else {
        snprintf(err, errn, "unknown profile '%.60s' (legal: mixed, stream%s)", profile,
                 s->cp ? ", layer:FILE" : "");
        goto error;
    }
    gm_fcu_init(&s->gold, &s->c);
    gm_rng_seed(&s->rng, seed);
    s->nvec = nvec;
    s->iw = gm_clog2((uint64_t)s->c.l);
    s->ow = gm_fcu_out_width(&s->c);
    s->ny = s->c.l;
    if (s->pu) {
        gm_fcu_pu_init(&s->pgold, &s->pc);
        s->iw = gm_clog2((uint64_t)(s->pc.k * s->pc.k + 1));
        s->ow = gm_fcu_pu_out_width(&s->pc);
        s->ny = (s->pc.k - 1) * s->pc.k;
    }
    if (s->cp) {
        int rows = 2 * s->cc.k - 2;
        gm_fcu_cp_init(&s->cgold, &s->cc);
        s->iw = gm_clog2((uint64_t)(s->cc.p * s->cc.k * s->cc.k + 1));
        s->ow = gm_fcu_cp_out_width(&s->cc);
        s->ny = gm_fcu_cp_outputs(&s->cc);
        for (i = 0; i < s->cc.p * rows; i++)
            snprintf(cname[i], sizeof cname[i], "c%dr%d", i / rows % 100, i % rows % 100);
        s->pstart = 1;
        if (profile && strncmp(profile, "layer:", 6) == 0 && open_layer(s, profile + 6, err, errn))
            goto error;
    }
    memset(st, 0, sizeof *st * 2);
    st[0].name = "in";
    st[0].is_input = 1;
    st[0].f[nf].name = "load"; st[0].f[nf++].width = 1;
    st[0].f[nf].name = "idx"; st[0].f[nf++].width = s->iw;
    st[0].f[nf].name = "w"; st[0].f[nf++].width = s->c.hw;
    s->fx = nf;
    for (i = 0; !s->pu && i < s->c.l; i++) {
        st[0].f[nf].name = xname[i];
        st[0].f[nf++].width = s->c.xw;
    }
    for (i = 0; s->cp && i < s->cc.p * (2 * s->cc.k - 2); i++) {
        st[0].f[nf].name = cname[i];
        st[0].f[nf++].width = s->cc.k * s->cc.xw;
    }
    for (i = 0; s->pu && !s->cp && i < 2 * s->pc.k - 2; i++) {
        st[0].f[nf].name = rname[i];
        st[0].f[nf++].width = s->pc.k * s->pc.xw;
    }
    s->flast = nf;
    st[0].f[nf].name = "last"; st[0].f[nf++].width = 1;
    s->fmode = -1;
    if (s->c.reconf) {
        s->fmode = nf;
        st[0].f[nf].name = "mode"; st[0].f[nf++].width = 1;
    }
    st[0].nf = nf;
    st[1].name = "out";
    st[1].nf = s->ny;
    for (i = 0; i < s->ny; i++) {
        st[1].f[i].name = yname[i];
        st[1].f[i].width = s->ow;
    }
    *ns = 2;
    s->a_prev = -1;
    s->d_prev = -1;
    if (nvec > 0) {
        make_input(s, &s->in);
        s->have_in = 1;
    }
    return s;
error:
    fcu_close(s);
    return NULL;
}

static int fcu_next(void *vs, gm_rec *r)
{
    cst *s = vs;
    int64_t idle = 0;
    while (s->qn == 0) {
        int i, busy = s->have_in || s->ov || s->pov;
        for (i = 0; i < s->pipe; i++)
            busy |= s->v[i];
        if (!busy)
            return 0;
        step(s);
        if (++idle > 10000000)
            return 0;
    }
    *r = s->q[s->qh];
    s->qh = (s->qh + 1) % OUTQ;
    s->qn--;
    return 1;
}

static void fcu_describe(void *vs, const gm_rec *in, char *buf, size_t n)
{
    cst *s = vs;
    size_t k;
    int i;
    if (in->f[0].lo) {
        snprintf(buf, n, "load h[%llu] = 0x%llx", (unsigned long long)in->f[1].lo,
                 (unsigned long long)in->f[2].lo);
        return;
    }
    if (s->cp) {
        snprintf(buf, n, "column block of %d channels x %d input rows%s (record %lld)", s->cc.p,
                 2 * s->cc.k - 2, in->f[s->flast].lo ? ", last of the pass" : "",
                 (long long)in->op);
        return;
    }
    if (s->pu) {
        snprintf(buf, n, "column block of %d input rows%s (record %lld)", 2 * s->pc.k - 2,
                 in->f[s->flast].lo ? ", last of the pass" : "", (long long)in->op);
        return;
    }
    k = (size_t)snprintf(buf, n, "block x =");
    for (i = 0; i < s->c.l && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, " 0x%llx", (unsigned long long)in->f[s->fx + i].lo);
    if (k < n)
        snprintf(buf + k, n - k, "%s%s (record %lld)", in->f[s->flast].lo ? ", last of row" : "",
                 s->fmode >= 0 ? (in->f[s->fmode].lo ? ", mode 1x5" : ", mode 2x3") : "",
                 (long long)in->op);
}

static void fcu_close(void *vs)
{
    cst *s = vs;
    if (s && s->lay)
        gm_layer_free(&s->L);
    if (s)
        free(s->lsum);
    free(vs);
}

const gm_family gm_fcu_family = { fcu_blocks, fcu_open, fcu_next, fcu_describe, fcu_close };
