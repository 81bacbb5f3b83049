/*
 * gm_fpap.c -- mapping of a layer onto the FPAP array, per-PE cycles (from the FoFIR cycle
 * model, run on the record script the PE's sequencer plays) and the array's cycle formula.
 * The array's contract (docs/fpap_array.md), with no gaps on the input and the output
 * always ready:
 *   - a buffer write record takes one cycle;
 *   - GO accepted at edge g0: every active PE's FoFIR sees its first record at edge g0+1
 *     and plays its script back to back; a PE is done at the edge its last output is
 *     accumulated (g0 + L, L from gm_fpap_pe_cycles); the array sees all PEs done one
 *     edge after the last one (g0 + Lmax + 1) and accepts again from the next edge;
 *   - after the last group of a row block, the accumulators are emitted, one output per
 *     cycle from edge g0 + Lmax + 2, and the array accepts from the edge after the last
 *     transfer.
 */
#include "gm_fpap.h"
#include "gm_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t maskn(int w)
{
    return w >= 64 ? UINT64_MAX : ((UINT64_C(1) << w) - 1u);
}

int gm_fpap_check(const gm_fpap_cfg *a, const gm_layer *L, char *err, size_t n)
{
    if (L->k != a->pe.k) {
        snprintf(err, n, "layer kernel k=%d does not match the array's K=%d (legal: %d)", L->k,
                 a->pe.k, a->pe.k);
        return -1;
    }
    if (L->w > a->wmax || L->w < L->k || L->h < L->k) {
        snprintf(err, n, "layer %dx%d does not fit the array (legal: h >= k, k <= w <= WMAX=%d)",
                 L->h, L->w, a->wmax);
        return -1;
    }
    if (L->xw > a->pe.xw || L->hw > a->pe.hw || L->signed_x != a->pe.signed_x) {
        snprintf(err, n, "layer widths xw=%d hw=%d signed_x=%d do not fit the array (legal: "
                         "xw <= %d, hw <= %d, signed_x = %d)",
                 L->xw, L->hw, L->signed_x, a->pe.xw, a->pe.hw, a->pe.signed_x);
        return -1;
    }
    return 0;
}

int gm_fpap_passes(const gm_fpap_cfg *a, const gm_layer *L)
{
    return (L->cout + a->c - 1) / a->c;
}

int gm_fpap_blocks(const gm_fpap_cfg *a, const gm_layer *L)
{
    return (L->h - L->k + 1 + a->r - 1) / a->r;
}

int gm_fpap_groups(const gm_fpap_cfg *a, const gm_layer *L)
{
    return (L->cin + a->g - 1) / a->g;
}

/* The records PE (row r of block b, kernel o) plays in group gi: per input channel of the
 * group and kernel row, K coefficient loads then the W samples of the input row. */
static gm_rec *pe_script(const gm_fpap_cfg *a, const gm_layer *L, int o, int gi,
                         const gm_layer *x, int b, int r, int64_t *nrec)
{
    int K = L->k, ci, kr, j, c0 = gi * a->g, c1 = c0 + a->g, y = b * a->r + r;
    int mode_f = a->pe.mac.decomp == GM_DECOMP_BOTH ? 4 : -1;
    int64_t n = 0, cap;
    gm_rec *s;
    if (c1 > L->cin)
        c1 = L->cin;
    cap = (int64_t)(c1 - c0) * K * (K + L->w);
    s = calloc((size_t)cap, sizeof *s);
    if (!s)
        return NULL;
    for (ci = c0; ci < c1; ci++)
        for (kr = 0; kr < K; kr++) {
            for (j = 0; j < K; j++) {
                gm_rec *q = &s[n++];
                q->f[0].lo = 1;
                q->f[1].lo = (uint64_t)j;
                q->f[2].lo = (uint64_t)GM_LAYER_W(L, o, ci, kr, j) & maskn(a->pe.hw);
            }
            for (j = 0; j < L->w; j++) {
                gm_rec *q = &s[n++];
                q->f[0].lo = 0;
                q->f[2].lo = x ? (uint64_t)GM_LAYER_X(x, ci, y + kr, j) & maskn(a->pe.xw) : 1u;
                q->f[3].lo = j == L->w - 1;
                if (mode_f >= 0)
                    q->f[mode_f].lo = x ? GM_MODE_AUTO : GM_MODE_WD;
            }
        }
    *nrec = n;
    return s;
}

int64_t gm_fpap_pe_cycles(const gm_fpap_cfg *a, const gm_layer *L, int o, int gi,
                          const gm_layer *x, int b, int r)
{
    int64_t n = 0, lo = -1;
    gm_rec *s = pe_script(a, L, o, gi, x, b, r, &n);
    if (!s)
        return -1;
    if (gm_fofir_script_run(&a->pe, s, n, NULL, &lo, NULL) != 0)
        lo = -2;
    free(s);
    return lo + 1;
}

int64_t gm_fpap_predict(const gm_fpap_cfg *a, const gm_layer *L, const int *order, int exact,
                        int64_t *compute)
{
    int P = gm_fpap_passes(a, L), B = gm_fpap_blocks(a, L), G = gm_fpap_groups(a, L);
    int hout = L->h - L->k + 1, wout = L->w - L->k + 1, p, b, gi, c, r;
    int64_t t = 0, comp = 0;
    int64_t *est = NULL;
    if (!exact) { /* weights only: the same for every block and row */
        est = calloc((size_t)L->cout * (size_t)G, sizeof *est);
        if (!est)
            return -1;
        for (c = 0; c < L->cout; c++)
            for (gi = 0; gi < G; gi++)
                est[(size_t)c * (size_t)G + (size_t)gi] = gm_fpap_pe_cycles(a, L, c, gi, NULL, 0, 0);
    }
    for (p = 0; p < P; p++) {
        int cact = L->cout - p * a->c < a->c ? L->cout - p * a->c : a->c;
        for (b = 0; b < B; b++) {
            int ract = hout - b * a->r < a->r ? hout - b * a->r : a->r;
            for (gi = 0; gi < G; gi++) {
                int gact = L->cin - gi * a->g < a->g ? L->cin - gi * a->g : a->g;
                int64_t lmax = 0;
                t += (int64_t)cact * gact * L->k * L->k + (int64_t)ract * gact * L->k * L->w;
                for (c = 0; c < cact; c++) {
                    int o = order ? order[p * a->c + c] : p * a->c + c;
                    for (r = 0; r < ract; r++) {
                        int64_t l = exact ? gm_fpap_pe_cycles(a, L, o, gi, L, b, r)
                                          : est[(size_t)o * (size_t)G + (size_t)gi];
                        if (l > lmax)
                            lmax = l;
                        if (!exact)
                            break; /* every row the same */
                    }
                }
                comp += lmax;
                t += lmax + 2; /* the GO record, the compute, the synchronization */
                if (gi == G - 1)
                    t += (int64_t)ract * cact * wout;
            }
        }
    }
    free(est);
    if (compute)
        *compute = comp;
    return t;
}

int gm_order_parse(const char *text, size_t len, int cout, int *order, char *err, size_t n)
{
    size_t i = 0;
    int count = 0, line = 1;
    unsigned char *seen;
    if (cout < 1 || cout > GM_LAYER_MAX_CH) {
        snprintf(err, n, "order: %d channels out of range (legal: 1..%d)", cout, GM_LAYER_MAX_CH);
        return -1;
    }
    seen = calloc((size_t)cout, 1);
    if (!seen) {
        snprintf(err, n, "order: out of memory");
        return -1;
    }
    while (i < len) {
        char c = text[i];
        if (c == '#') {
            while (i < len && text[i] != '\n')
                i++;
        } else if (c == '\n') {
            line++;
            i++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            i++;
        } else if (c >= '0' && c <= '9') {
            long v = 0;
            while (i < len && text[i] >= '0' && text[i] <= '9') {
                v = v * 10 + (text[i] - '0');
                if (v >= cout)
                    break;
                i++;
            }
            if (v >= cout || (i < len && text[i] >= '0' && text[i] <= '9')) {
                snprintf(err, n, "order: line %d: channel out of range (legal: 0..%d)", line,
                         cout - 1);
                goto bad;
            }
            if (seen[v]) {
                snprintf(err, n, "order: line %d: channel %ld listed twice (legal: a "
                                 "permutation of 0..%d)", line, v, cout - 1);
                goto bad;
            }
            if (count == cout) {
                snprintf(err, n, "order: more than %d channels (legal: a permutation of 0..%d)",
                         cout, cout - 1);
                goto bad;
            }
            seen[v] = 1;
            order[count++] = (int)v;
        } else {
            snprintf(err, n, "order: line %d: not a channel number (legal: integers 0..%d, "
                             "'#' comments)", line, cout - 1);
            goto bad;
        }
    }
    free(seen);
    if (count != cout) {
        snprintf(err, n, "order: %d channels listed (legal: a permutation of 0..%d)", count,
                 cout - 1);
        return -1;
    }
    return 0;
bad:
    free(seen);
    return -1;
}

char *gm_order_format(const int *order, int cout, const char *comment)
{
    size_t cap = (size_t)cout * 12 + (comment ? strlen(comment) : 0) + 16, m = 0;
    char *s = malloc(cap);
    int i;
    if (!s)
        return NULL;
    s[0] = '\0';
    if (comment)
        m += (size_t)snprintf(s + m, cap - m, "# %s\n", comment);
    for (i = 0; i < cout && m < cap; i++)
        m += (size_t)snprintf(s + m, cap - m, "%d\n", order[i]);
    return s;
}
