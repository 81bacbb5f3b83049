/*
 * gm_stride2.c -- stride-2 convolution on stride-1 hardware (see gm_stride2.h).
 */
#include "gm_stride2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gm_stride2_oh(const gm_layer *L)
{
    return L->h >= L->k ? (L->h - L->k) / 2 + 1 : 0;
}

int gm_stride2_ow(const gm_layer *L)
{
    return L->w >= L->k ? (L->w - L->k) / 2 + 1 : 0;
}

gm_val gm_stride2_direct(const gm_layer *L, int acc, int o, int y, int x)
{
    gm_val s = gm_val_from_u64(0);
    int ci, kr, kc;
    for (ci = 0; ci < L->cin; ci++)
        for (kr = 0; kr < L->k; kr++)
            for (kc = 0; kc < L->k; kc++) {
                int64_t p = GM_LAYER_W(L, o, ci, kr, kc) *
                            GM_LAYER_X(L, ci, 2 * y + kr, 2 * x + kc);
                s = gm_val_add(s, gm_val_from_i64(p));
            }
    return gm_val_mask(s, acc);
}

int gm_stride2_phase(const gm_layer *L, int kp, gm_layer *P, char *err, size_t n)
{
    int oh = gm_stride2_oh(L), ow = gm_stride2_ow(L), o, ci, p, q, a, b, y, x;
    size_t nw, na;
    memset(P, 0, sizeof *P);
    if (oh < 1 || ow < 1) {
        snprintf(err, n, "stride 2: a %dx%d input is smaller than the %dx%d kernel (legal: "
                         "h, w >= k)", L->h, L->w, L->k, L->k);
        return -1;
    }
    if (kp < (L->k + 1) / 2 || kp > GM_LAYER_MAX_K) {
        snprintf(err, n, "stride 2: phase kernel %d (legal: %d..%d for a %dx%d kernel)", kp,
                 (L->k + 1) / 2, GM_LAYER_MAX_K, L->k, L->k);
        return -1;
    }
    if (L->cin > GM_LAYER_MAX_CH / 4) {
        snprintf(err, n, "stride 2: %d input channels make %d phase channels (legal: cin <= %d)",
                 L->cin, 4 * L->cin, GM_LAYER_MAX_CH / 4);
        return -1;
    }
    P->cin = 4 * L->cin;
    P->cout = L->cout;
    P->k = kp;
    P->h = oh + kp - 1;
    P->w = ow + kp - 1;
    P->xw = L->xw;
    P->hw = L->hw;
    P->signed_x = L->signed_x;
    nw = (size_t)P->cout * (size_t)P->cin * (size_t)kp * (size_t)kp;
    na = (size_t)P->cin * (size_t)P->h * (size_t)P->w;
    if (nw > GM_LAYER_MAX_ELEMS || na > GM_LAYER_MAX_ELEMS) {
        snprintf(err, n, "stride 2: the phase layer needs %zu weights and %zu inputs (legal: "
                         "at most %d each)", nw, na, GM_LAYER_MAX_ELEMS);
        return -1;
    }
    P->wt = calloc(nw, sizeof *P->wt);
    P->in = calloc(na, sizeof *P->in);
    if (!P->wt || !P->in) {
        gm_layer_free(P);
        snprintf(err, n, "out of memory");
        return -1;
    }
    for (p = 0; p < 2; p++)
        for (q = 0; q < 2; q++) {
            int ph = 2 * p + q;
            for (o = 0; o < L->cout; o++)
                for (ci = 0; ci < L->cin; ci++)
                    for (a = 0; a < kp && 2 * a + p < L->k; a++)
                        for (b = 0; b < kp && 2 * b + q < L->k; b++)
                            GM_LAYER_W(P, o, ph * L->cin + ci, a, b) =
                                GM_LAYER_W(L, o, ci, 2 * a + p, 2 * b + q);
            for (ci = 0; ci < L->cin; ci++)
                for (y = 0; y < P->h && 2 * y + p < L->h; y++)
                    for (x = 0; x < P->w && 2 * x + q < L->w; x++)
                        GM_LAYER_X(P, ph * L->cin + ci, y, x) =
                            GM_LAYER_X(L, ci, 2 * y + p, 2 * x + q);
        }
    return 0;
}

long gm_stride2_check(const gm_layer *L, const gm_layer *S, int how, int acc, long *checked)
{
    int oh = gm_stride2_oh(L), ow = gm_stride2_ow(L), o, y, x;
    int nh = how == GM_S2_PHASE ? oh : 2 * oh - 1, nw = how == GM_S2_PHASE ? ow : 2 * ow - 1;
    long bad = 0, nc = 0;
    if (S->cout != L->cout || S->h - S->k + 1 < nh || S->w - S->k + 1 < nw) {
        *checked = 0;
        return 1; /* S cannot hold these outputs: not equal */
    }
    for (o = 0; o < L->cout; o++)
        for (y = 0; y < oh; y++)
            for (x = 0; x < ow; x++) {
                gm_val d = gm_stride2_direct(L, acc, o, y, x);
                gm_val s = how == GM_S2_PHASE ? gm_layer_conv(S, acc, o, y, x)
                                              : gm_layer_conv(S, acc, o, 2 * y, 2 * x);
                nc++;
                bad += !gm_val_eq(d, s);
            }
    *checked = nc;
    return bad;
}
