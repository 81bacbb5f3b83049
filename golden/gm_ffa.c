/*
 * gm_ffa.c -- construction of the fast FIR algorithm (interval products for prime L,
 * nesting for composite L), its exactness check, and greedy common-subexpression
 * elimination into adder networks (see gm_ffa.h for the math).
 *
 * The elimination is deterministic: candidates are ordered by (first symbol, second
 * symbol, sign) with current symbols before delayed ones, and the first of the most
 * frequent wins, so identical parameters always give identical networks (and Verilog).
 */
#include "gm_ffa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- construction */

static void interval(int l, gm_ffa_alg *a)
{
    int idx[GM_FFA_MAXL][GM_FFA_MAXL], i, j, m, p = 0;
    memset(a, 0, sizeof *a);
    a->l = l;
    for (i = 0; i < l; i++)
        for (j = i; j < l; j++) {
            int t;
            idx[i][j] = p;
            for (t = i; t <= j; t++)
                a->u[p][t] = a->v[p][t] = 1;
            p++;
        }
    a->p = p;
#define ADDM(ii, jj, mm, s)                                                                    \
    do {                                                                                       \
        if ((ii) <= (jj))                                                                      \
            a->c[mm][idx[ii][jj]] += (s);                                                      \
    } while (0)
    for (m = 0; m < 2 * l - 1; m++) {
        for (i = 0; i < l; i++) {
            j = m - i;
            if (j <= i || j >= l)
                continue;
            /* h_i x_j + h_j x_i = M(i,j) - M(i+1,j) - M(i,j-1) + M(i+1,j-1) */
            ADDM(i, j, m, 1);
            ADDM(i + 1, j, m, -1);
            ADDM(i, j - 1, m, -1);
            ADDM(i + 1, j - 1, m, 1);
        }
        if (m % 2 == 0 && m / 2 < l)
            ADDM(m / 2, m / 2, m, 1);
    }
#undef ADDM
}

/* L = L1 * L2: polyphase index j = a + L1 t; products are pairs (p1, p2). */
static void nest(const gm_ffa_alg *a1, const gm_ffa_alg *a2, gm_ffa_alg *a)
{
    int l1 = a1->l, l2 = a2->l, p1, p2, x, t, s, r;
    memset(a, 0, sizeof *a);
    a->l = l1 * l2;
    a->p = a1->p * a2->p;
    for (p1 = 0; p1 < a1->p; p1++)
        for (p2 = 0; p2 < a2->p; p2++) {
            int p = p1 * a2->p + p2;
            for (x = 0; x < l1; x++)
                for (t = 0; t < l2; t++) {
                    a->u[p][x + l1 * t] = (int8_t)(a1->u[p1][x] * a2->u[p2][t]);
                    a->v[p][x + l1 * t] = (int8_t)(a1->v[p1][x] * a2->v[p2][t]);
                }
            for (s = 0; s < 2 * l1 - 1; s++)
                for (r = 0; r < 2 * l2 - 1; r++)
                    a->c[s + l1 * r][p] += a1->c[s][p1] * a2->c[r][p2];
        }
}

static int build(int l, gm_ffa_alg *a)
{
    int f;
    for (f = 2; f < l; f++)
        if (l % f == 0) {
            gm_ffa_alg *a1 = malloc(sizeof *a1), *a2 = malloc(sizeof *a2);
            int rc = -1;
            if (a1 && a2 && build(f, a1) == 0 && build(l / f, a2) == 0 &&
                a1->p * a2->p <= GM_FFA_MAXP) {
                nest(a1, a2, a);
                rc = 0;
            }
            free(a1);
            free(a2);
            return rc;
        }
    interval(l, a);
    return 0;
}

int gm_ffa_build(int l, gm_ffa_alg *a, char *err, size_t n)
{
    int m, j, k, p;
    if (l < 2 || l > GM_FFA_MAXL) {
        snprintf(err, n, "FFA block length %d out of range (legal: 2..%d)", l, GM_FFA_MAXL);
        return -1;
    }
    if (build(l, a)) {
        snprintf(err, n, "FFA for L=%d: out of memory or too many products", l);
        return -1;
    }
    for (m = 0; m < 2 * l - 1; m++)
        for (j = 0; j < l; j++)
            for (k = 0; k < l; k++) {
                long s = 0;
                for (p = 0; p < a->p; p++)
                    s += (long)a->c[m][p] * a->u[p][j] * a->v[p][k];
                if (s != (j + k == m)) {
                    snprintf(err, n, "FFA for L=%d is not exact (c_%d, h_%d x_%d: %ld)", l, m,
                             j, k, s);
                    return -1;
                }
            }
    return 0;
}

/* ---------------------------------------------------------------- elimination */

int gm_ffa_csd_digits(int64_t c)
{
    uint64_t v = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
    int d = 0;
    while (v) {
        if (v & 1u) {
            d++;
            if (v & 2u)
                v += 1u; /* ..11 -> digit -1, carry */
            else
                v -= 1u;
        }
        v >>= 1;
    }
    return d;
}

static int ex_find(const gm_ffa_expr *e, int sym)
{
    int i;
    for (i = 0; i < e->n; i++)
        if (e->t[i].sym == sym)
            return i;
    return -1;
}

static int ex_add(gm_ffa_expr *e, int sym, int coef)
{
    int i = ex_find(e, sym), j;
    if (coef == 0)
        return 0;
    if (i < 0) {
        if (e->n >= GM_FFA_MAXT)
            return -1;
        /* keep terms sorted by symbol: deterministic order everywhere */
        for (j = e->n; j > 0 && e->t[j - 1].sym > sym; j--)
            e->t[j] = e->t[j - 1];
        e->t[j].sym = sym;
        e->t[j].coef = coef;
        e->n++;
        return 0;
    }
    e->t[i].coef += coef;
    if (e->t[i].coef == 0) {
        for (j = i; j + 1 < e->n; j++)
            e->t[j] = e->t[j + 1];
        e->n--;
    }
    return 0;
}

typedef struct cand {
    int a, b, sign, count;
} cand;

static int cand_cmp(const void *x, const void *y)
{
    const cand *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return p->sign < q->sign ? -1 : (p->sign > q->sign);
}

static int iabs(int v)
{
    return v < 0 ? -v : v;
}

/* Replace occurrences of a + sign*b in e by node (as many times as the coefficients allow). */
static int subst(gm_ffa_expr *e, int a, int b, int sign, int node)
{
    int ia = ex_find(e, a), ib = ex_find(e, b), ca, cb, t;
    if (ia < 0 || ib < 0)
        return 0;
    ca = e->t[ia].coef;
    cb = e->t[ib].coef;
    if (((ca > 0) == (cb > 0)) != (sign == 1))
        return 0;
    t = iabs(ca) < iabs(cb) ? iabs(ca) : iabs(cb);
    if (ca < 0)
        t = -t;
    if (ex_add(e, a, -t) || ex_add(e, b, -t * sign) || ex_add(e, node, t))
        return -1;
    return 0;
}

static int cse(gm_ffa_net *net, char *err, size_t n)
{
    size_t cap = 4096, nc;
    cand *c = malloc(cap * sizeof *c);
    int next = net->nin, rc = -1;
    if (!c) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    for (;;) {
        int o, i, j, best = -1;
        size_t k, w;
        nc = 0;
        for (o = 0; o < net->nout; o++) {
            const gm_ffa_expr *e = &net->out[o];
            for (i = 0; i < e->n; i++)
                for (j = i + 1; j < e->n; j++) {
                    int a = e->t[i].sym, b = e->t[j].sym, ca = e->t[i].coef, cb = e->t[j].coef;
                    if (nc == cap) {
                        cand *nb = realloc(c, 2 * cap * sizeof *c);
                        if (!nb) {
                            snprintf(err, n, "out of memory");
                            goto out;
                        }
                        c = nb;
                        cap *= 2;
                    }
                    if (a >= GM_FFA_DLY && b >= GM_FFA_DLY) { /* a delayed pair: same pattern */
                        a -= GM_FFA_DLY;
                        b -= GM_FFA_DLY;
                    }
                    c[nc].a = a;
                    c[nc].b = b;
                    c[nc].sign = (ca > 0) == (cb > 0) ? 1 : -1;
                    c[nc].count = iabs(ca) < iabs(cb) ? iabs(ca) : iabs(cb);
                    nc++;
                }
        }
        if (nc == 0)
            break;
        qsort(c, nc, sizeof *c, cand_cmp);
        for (k = 1, w = 0; k < nc; k++) { /* merge equal candidates */
            if (cand_cmp(&c[w], &c[k]) == 0)
                c[w].count += c[k].count;
            else
                c[++w] = c[k];
        }
        nc = w + 1;
        for (k = 0; k < nc; k++)
            if (c[k].count >= 2 && (best < 0 || c[k].count > c[best].count))
                best = (int)k;
        if (best < 0)
            break;
        if (net->nnode >= GM_FFA_MAXN - net->nin || next >= GM_FFA_DLY) {
            snprintf(err, n, "adder network too large");
            goto out;
        }
        {
            gm_ffa_node *nd = &net->node[net->nnode++];
            int a = c[best].a, b = c[best].b, s = c[best].sign;
            nd->sym = next++;
            nd->a = a;
            nd->b = b;
            nd->sign = s;
            for (o = 0; o < net->nout; o++) {
                if (subst(&net->out[o], a, b, s, nd->sym))
                    goto full;
                if (a < GM_FFA_DLY && b < GM_FFA_DLY &&
                    subst(&net->out[o], a + GM_FFA_DLY, b + GM_FFA_DLY, s,
                          nd->sym + GM_FFA_DLY))
                    goto full;
            }
        }
    }
    rc = 0;
    goto out;
full:
    snprintf(err, n, "adder network expression too long");
out:
    free(c);
    return rc;
}

int gm_ffa_pre_net(const gm_ffa_alg *a, gm_ffa_net *net, char *err, size_t n)
{
    int p, k;
    memset(net, 0, sizeof *net);
    net->nin = a->l;
    net->nout = a->p;
    for (p = 0; p < a->p; p++)
        for (k = 0; k < a->l; k++)
            if (ex_add(&net->out[p], k, a->v[p][k]))
                return -1;
    return cse(net, err, n);
}

int gm_ffa_post_net(const gm_ffa_alg *a, gm_ffa_net *net, char *err, size_t n)
{
    int i, p, l = a->l;
    memset(net, 0, sizeof *net);
    net->nin = a->p;
    net->nout = l;
    for (i = 0; i < l; i++)
        for (p = 0; p < a->p; p++) {
            if (ex_add(&net->out[i], p, a->c[i][p]))
                goto full;
            if (i + l < 2 * l - 1 && ex_add(&net->out[i], p + GM_FFA_DLY, a->c[i + l][p]))
                goto full;
        }
    return cse(net, err, n);
full:
    snprintf(err, n, "adder network expression too long");
    return -1;
}

int gm_ffa_net_adders(const gm_ffa_net *net)
{
    int adds = net->nnode, o, i;
    for (o = 0; o < net->nout; o++) {
        int terms = 0, pos = 0;
        for (i = 0; i < net->out[o].n; i++) {
            terms += gm_ffa_csd_digits(net->out[o].t[i].coef);
            pos |= net->out[o].t[i].coef > 0;
        }
        if (terms > 1)
            adds += terms - 1;
        if (terms > 0 && !pos) /* -a - b ...: the first term costs a negation */
            adds++;
    }
    return adds;
}

/* ---------------------------------------------------------------- evaluation */

static uint64_t node_val(const uint64_t *cur, const uint64_t *prev, int sym)
{
    if (sym >= GM_FFA_DLY)
        return prev[sym - GM_FFA_DLY];
    return cur[sym];
}

void gm_ffa_net_eval(const gm_ffa_net *net, const int64_t *in, const int64_t *din, int64_t *out)
{
    /* unsigned: wrapping arithmetic, no overflow UB; exact while the true values fit */
    static uint64_t cur[GM_FFA_MAXN], prev[GM_FFA_MAXN];
    int i, o, pass;
    memset(cur, 0, sizeof cur);
    memset(prev, 0, sizeof prev);
    for (i = 0; i < net->nin; i++) {
        cur[i] = (uint64_t)in[i];
        prev[i] = din ? (uint64_t)din[i] : 0u;
    }
    /* the previous block's nodes first (they use only current symbols), then this block's */
    for (pass = 0; pass < 2; pass++) {
        uint64_t *v = pass ? cur : prev;
        for (i = 0; i < net->nnode; i++) {
            const gm_ffa_node *nd = &net->node[i];
            if (pass == 0 && (nd->a >= GM_FFA_DLY || nd->b >= GM_FFA_DLY))
                continue;
            v[nd->sym] = node_val(v, prev, nd->a) +
                         (nd->sign > 0 ? 1u : UINT64_MAX) * node_val(v, prev, nd->b);
        }
    }
    for (o = 0; o < net->nout; o++) {
        uint64_t s = 0;
        for (i = 0; i < net->out[o].n; i++)
            s += (uint64_t)(int64_t)net->out[o].t[i].coef * node_val(cur, prev,
                                                                       net->out[o].t[i].sym);
        out[o] = (int64_t)s;
    }
}
