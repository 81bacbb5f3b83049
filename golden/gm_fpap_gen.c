/*
 * gm_fpap_gen.c -- stimulus, expected outputs and the cycle model of fpap_array.
 *
 * A layer (random per the profile, or a layer file) is streamed the way a host does it:
 * for every pass p (C output channels, in the given order), row block b (R output rows) and
 * input-channel group: the coefficient writes of the active columns, the row-buffer writes
 * of the active PE rows, then GO. Expected outputs are the direct 2-D convolution
 * (gm_layer_conv), emitted after the final group of each row block. Timing: the array's
 * contract (gm_fpap.c), with each PE's cycles taken from the FoFIR cycle model run on the
 * records its sequencer plays (the real activations), plus the testbench's gaps and
 * output stalls applied the way tb_check.h and the Icarus bench apply them.
 *
 * Profiles: "mixed" (default): random small layers that exercise partial passes, groups
 * and row blocks, zero kernels and zero rows, random channel orders, gaps and stalls,
 * a group started twice now and then (a second GO with no write between),
 * until the requested number of input records is reached (the last layer is finished).
 * "layer:FILE" or "layer:FILE,order=ORDERFILE": one layer file (docs/schedule.md) in
 * natural or the given channel order, no gaps, output always ready -- the setting in which
 * the cycles equal gm_fpap_predict(..., exact = 1).
 */
#include "gm_fpap.h"
#include "gm_stream_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const fpap_blocks[] = { "fpap_array", NULL };
static const char *const fpap_params[] = { "R",  "C",   "G",        "K",      "WMAX", "XW",
                                           "HW", "ACC", "SIGNED_X", "DECOMP", NULL };

enum { F_KIND, F_SEL, F_ADDR, F_D, F_STEPS, F_WLEN, F_ROWS, F_COLS, F_FIRST, F_FINAL, F_N };

typedef struct pst {
    gm_fpap_cfg a;
    gm_rng rng;
    int profile; /* 0 mixed, 1 layer file */
    int64_t nvec, made;
    gm_layer L;
    int have_layer, *order;
    int p, b, gi; /* next unit of the current layer */
    gm_rec *q;
    size_t qh, qn, qcap;
    int64_t t_ready, a_prev, d_prev, out_n, nlayers;
    int selw, addrw, dwd;
} pst;

static uint64_t maskn(int w)
{
    return w >= 64 ? UINT64_MAX : ((UINT64_C(1) << w) - 1u);
}

static int push(pst *s, const gm_rec *r)
{
    if (s->qh + s->qn == s->qcap) {
        if (s->qh > 0) {
            memmove(s->q, s->q + s->qh, s->qn * sizeof *s->q);
            s->qh = 0;
        }
        if (s->qn == s->qcap) {
            size_t nc = s->qcap ? 2 * s->qcap : 1024;
            gm_rec *nq = realloc(s->q, nc * sizeof *nq);
            if (!nq)
                return -1;
            s->q = nq;
            s->qcap = nc;
        }
    }
    s->q[s->qh + s->qn] = *r;
    s->qn++;
    return 0;
}

static int64_t gap(pst *s)
{
    if (s->profile == 0 && gm_rng_below(&s->rng, 4) == 0)
        return 1 + (int64_t)gm_rng_below(&s->rng, 3);
    return 0;
}

/* An input record: accepted when the array is idle and the testbench offers it. */
static int in_rec(pst *s, gm_rec *r)
{
    int64_t e;
    r->stream = 0;
    r->op = s->made++;
    r->delay = gap(s);
    e = s->a_prev + 1 + r->delay;
    if (e < s->t_ready)
        e = s->t_ready;
    r->cycle = r->cycle2 = e;
    s->a_prev = e;
    s->t_ready = e + 1;
    return push(s, r);
}

static void shuffle(pst *s, int *v, int n)
{
    int i;
    for (i = n - 1; i > 0; i--) {
        int j = (int)gm_rng_below(&s->rng, (uint64_t)i + 1u), t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}

/* A random layer that fits the array, with the corner cases of the mapping. */
static int new_random_layer(pst *s, char *err, size_t n)
{
    int K = s->a.pe.k, R = s->a.r, C = s->a.c, G = s->a.g, i;
    /* The first layer fills the array exactly once: one full group, pass and row block of
     * the longest rows, dense weights (below), so every PE, accumulator and coefficient-
     * buffer bit is used. A layer of several passes and row blocks rewrites the row buffers
     * for each: a 1000-record run held two or three random layers, and mutants that need a
     * particular PE, accumulator or weight bit survived it (docs/mutation.md, measured
     * scores). Only the first: with every other layer full, the sync fault (PE (0,0) done
     * one row early, seen only when it is the slowest PE, i.e. in partial units) escaped a
     * 2000-record run. */
    int unit1 = s->nlayers == 0;
    int cin = unit1 ? G : 1 + (int)gm_rng_below(&s->rng, (uint64_t)(2 * G + 1));
    int cout = unit1 ? C : 1 + (int)gm_rng_below(&s->rng, (uint64_t)(2 * C + 1));
    int h = K + (unit1 ? R - 1 : (int)gm_rng_below(&s->rng, (uint64_t)(2 * R + 1)));
    int w = unit1 ? s->a.wmax : K + (int)gm_rng_below(&s->rng, (uint64_t)(s->a.wmax - K + 1));
    static const double wsp[] = { 0.0, 0.5, 0.8, 1.0 }, asp[] = { 0.0, 0.3, 0.6 };
    double ws = wsp[gm_rng_below(&s->rng, 4)], as = asp[gm_rng_below(&s->rng, 3)];
    if (ws == 1.0 && gm_rng_below(&s->rng, 3) != 0)
        ws = 0.5; /* all-zero layers now and then */
    if (unit1)
        ws = 0.0; /* dense: every bit of every coefficient buffer entry in use */
    gm_layer_free(&s->L);
    double spread = gm_rng_below(&s->rng, 2) ? 0.0 : 0.3;
    uint64_t lseed = gm_rng_next(&s->rng);
    if (gm_layer_random(&s->L, cin, cout, h, w, K, s->a.pe.xw, s->a.pe.hw, s->a.pe.signed_x, ws,
                        spread, as, lseed, err, n))
        return -1;
    /* a zero input row and a zero kernel now and then; extreme values */
    if (gm_rng_below(&s->rng, 3) == 0) {
        int ci = (int)gm_rng_below(&s->rng, (uint64_t)cin), y = (int)gm_rng_below(&s->rng, (uint64_t)h);
        for (i = 0; i < w; i++)
            GM_LAYER_X(&s->L, ci, y, i) = 0;
    }
    if (gm_rng_below(&s->rng, 3) == 0) {
        int o = (int)gm_rng_below(&s->rng, (uint64_t)cout), ci = (int)gm_rng_below(&s->rng, (uint64_t)cin);
        for (i = 0; i < K * K; i++)
            GM_LAYER_W(&s->L, o, ci, i / K, i % K) = 0;
    }
    if (gm_rng_below(&s->rng, 4) == 0) {
        GM_LAYER_W(&s->L, 0, 0, 0, 0) = -((int64_t)1 << (s->a.pe.hw - 1));
        GM_LAYER_X(&s->L, 0, 0, 0) = s->a.pe.signed_x ? -((int64_t)1 << (s->a.pe.xw - 1))
                                                       : (int64_t)maskn(s->a.pe.xw);
    }
    free(s->order);
    s->order = malloc((size_t)cout * sizeof *s->order);
    if (!s->order) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    for (i = 0; i < cout; i++)
        s->order[i] = i;
    if (gm_rng_below(&s->rng, 2))
        shuffle(s, s->order, cout);
    s->have_layer = 1;
    s->p = s->b = s->gi = 0;
    s->nlayers++;
    return 0;
}

/* The records of one unit: pass p, row block b, group gi. Returns 0, or -1 (no memory). */
static int unit(pst *s)
{
    const gm_layer *L = &s->L;
    int K = L->k, R = s->a.r, C = s->a.c, G = s->a.g, W = L->w;
    int ng = gm_fpap_groups(&s->a, L), hout = L->h - K + 1, wout = W - K + 1;
    int c0 = s->gi * G, gact = L->cin - c0 < G ? L->cin - c0 : G;
    int cact = L->cout - s->p * C < C ? L->cout - s->p * C : C;
    int ract = hout - s->b * R < R ? hout - s->b * R : R;
    int c, r, ci, kr, j, final = s->gi == ng - 1;
    int64_t lmax = 0, g0 = 0, v;
    gm_rec rec;
    for (c = 0; c < cact; c++) {
        int o = s->order[s->p * C + c];
        for (ci = 0; ci < gact; ci++)
            for (kr = 0; kr < K; kr++)
                for (j = 0; j < K; j++) {
                    memset(&rec, 0, sizeof rec);
                    rec.f[F_KIND].lo = 1;
                    rec.f[F_SEL].lo = (uint64_t)c;
                    rec.f[F_ADDR].lo = (uint64_t)((ci * K + kr) * K + j);
                    rec.f[F_D].lo = (uint64_t)GM_LAYER_W(L, o, c0 + ci, kr, j) & maskn(s->a.pe.hw);
                    if (in_rec(s, &rec))
                        return -1;
                }
    }
    for (r = 0; r < ract; r++) {
        int y = s->b * R + r;
        for (ci = 0; ci < gact; ci++)
            for (kr = 0; kr < K; kr++)
                for (j = 0; j < W; j++) {
                    memset(&rec, 0, sizeof rec);
                    rec.f[F_KIND].lo = 0;
                    rec.f[F_SEL].lo = (uint64_t)r;
                    rec.f[F_ADDR].lo = (uint64_t)((ci * K + kr) * W + j);
                    rec.f[F_D].lo = (uint64_t)GM_LAYER_X(L, c0 + ci, y + kr, j) & maskn(s->a.pe.xw);
                    if (in_rec(s, &rec))
                        return -1;
                }
    }
    /* Mixed profile: now and then the first group of a row block that is not also its last
     * is started twice, the second GO right behind the first group's end and before any
     * write. It restarts the accumulators (first), so the outputs are the same; it shows a
     * PE whose sequencer runs on past its last step (docs/mutation.md, fpap_array #30). */
    int go_n = s->profile == 0 && s->gi == 0 && !final && gm_rng_below(&s->rng, 3) == 0 ? 2 : 1;
    while (go_n-- > 0) {
        memset(&rec, 0, sizeof rec);
        rec.f[F_KIND].lo = 2;
        rec.f[F_STEPS].lo = (uint64_t)(gact * K);
        rec.f[F_WLEN].lo = (uint64_t)W;
        rec.f[F_ROWS].lo = (uint64_t)ract;
        rec.f[F_COLS].lo = (uint64_t)cact;
        rec.f[F_FIRST].lo = s->gi == 0;
        rec.f[F_FINAL].lo = (uint64_t)final;
        /* garbage in the fields a GO does not use */
        rec.f[F_SEL].lo = gm_rng_next(&s->rng) & maskn(s->selw);
        rec.f[F_ADDR].lo = gm_rng_next(&s->rng) & maskn(s->addrw);
        rec.f[F_D].lo = gm_rng_next(&s->rng) & maskn(s->dwd);
        if (in_rec(s, &rec))
            return -1;
        g0 = rec.cycle;
        for (c = 0; c < cact; c++)
            for (r = 0; r < ract; r++) {
                int64_t l = gm_fpap_pe_cycles(&s->a, L, s->order[s->p * C + c], s->gi, L, s->b, r);
                if (l > lmax)
                    lmax = l;
            }
        s->t_ready = g0 + lmax + 2;
    }
    if (final) {
        v = g0 + lmax + 2;
        for (r = 0; r < ract; r++)
            for (c = 0; c < cact; c++)
                for (j = 0; j < wout; j++) {
                    int64_t x;
                    memset(&rec, 0, sizeof rec);
                    rec.stream = 1;
                    rec.op = s->out_n++;
                    rec.delay = s->profile == 0 && gm_rng_below(&s->rng, 4) == 0
                                    ? 1 + (int64_t)gm_rng_below(&s->rng, 4)
                                    : 0;
                    x = s->d_prev + 1 + rec.delay;
                    rec.cycle = v;
                    rec.cycle2 = x > v ? x : v;
                    rec.f[0] = gm_layer_conv(L, s->a.pe.mac.acc, s->order[s->p * C + c],
                                             s->b * R + r, j);
                    if (push(s, &rec))
                        return -1;
                    s->d_prev = rec.cycle2;
                    v = rec.cycle2 + 1;
                }
        s->t_ready = v;
    }
    /* next unit: groups, then row blocks, then passes */
    if (++s->gi == ng) {
        s->gi = 0;
        if (++s->b == gm_fpap_blocks(&s->a, L)) {
            s->b = 0;
            if (++s->p == gm_fpap_passes(&s->a, L))
                s->have_layer = 0;
        }
    }
    return 0;
}

static char *read_file(const char *path, size_t max, size_t *len, char *err, size_t n)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, m = 0;
    if (!f) {
        snprintf(err, n, "cannot read '%.200s'", path);
        return NULL;
    }
    for (;;) {
        size_t got;
        if (m == cap) {
            char *nb;
            if (cap >= max) {
                snprintf(err, n, "'%.200s' is too large (legal: up to %zu bytes)", path, max);
                free(buf);
                fclose(f);
                return NULL;
            }
            cap = cap ? 2 * cap : 65536;
            nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                snprintf(err, n, "out of memory");
                return NULL;
            }
            buf = nb;
        }
        got = fread(buf + m, 1, cap - m, f);
        m += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[m] = '\0';
    *len = m;
    return buf;
}

static int load_layer_profile(pst *s, const char *spec, char *err, size_t n)
{
    char path[1024], opath[1024];
    const char *comma = strstr(spec, ",order=");
    size_t len;
    char *text;
    int rc;
    opath[0] = '\0';
    if (comma) {
        snprintf(path, sizeof path, "%.*s", (int)(comma - spec), spec);
        snprintf(opath, sizeof opath, "%s", comma + 7);
    } else {
        snprintf(path, sizeof path, "%s", spec);
    }
    text = read_file(path, (size_t)1 << 30, &len, err, n);
    if (!text)
        return -1;
    rc = gm_layer_parse(&s->L, text, len, err, n);
    free(text);
    if (rc)
        return -1;
    if (gm_fpap_check(&s->a, &s->L, err, n))
        return -1;
    s->order = malloc((size_t)s->L.cout * sizeof *s->order);
    if (!s->order) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    if (opath[0]) {
        text = read_file(opath, (size_t)1 << 24, &len, err, n);
        if (!text)
            return -1;
        rc = gm_order_parse(text, len, s->L.cout, s->order, err, n);
        free(text);
        if (rc)
            return -1;
    } else {
        int i;
        for (i = 0; i < s->L.cout; i++)
            s->order[i] = i;
    }
    s->have_layer = 1;
    s->nlayers = 1;
    return 0;
}

static void fpap_close(void *vs)
{
    pst *s = vs;
    if (!s)
        return;
    gm_layer_free(&s->L);
    free(s->order);
    free(s->q);
    free(s);
}

static void *fpap_open(const char *block, const gm_param *ps, int np, uint64_t seed, int64_t nvec,
                       const char *profile, gm_stream *st, int *ns, char *err, size_t errn)
{
    pst *s;
    int R, C, G, K, W, dwd, rb, cb;
    (void)block;
    if (gm_param_known(ps, np, fpap_params, err, errn))
        return NULL;
    s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errn, "out of memory");
        return NULL;
    }
    R = s->a.r = (int)gm_param_get(ps, np, "R", 2);
    C = s->a.c = (int)gm_param_get(ps, np, "C", 4);
    G = s->a.g = (int)gm_param_get(ps, np, "G", 2);
    K = s->a.pe.k = (int)gm_param_get(ps, np, "K", 3);
    W = s->a.wmax = (int)gm_param_get(ps, np, "WMAX", 16);
    s->a.pe.xw = (int)gm_param_get(ps, np, "XW", 8);
    s->a.pe.hw = (int)gm_param_get(ps, np, "HW", 8);
    s->a.pe.signed_x = gm_param_get(ps, np, "SIGNED_X", 1) != 0;
    s->a.pe.mac.n = dwd = s->a.pe.xw > s->a.pe.hw ? s->a.pe.xw : s->a.pe.hw;
    s->a.pe.mac.acc = (int)gm_param_get(ps, np, "ACC", 24);
    s->a.pe.mac.signed_a = s->a.pe.signed_x;
    s->a.pe.mac.decomp = (int)gm_param_get(ps, np, "DECOMP", GM_DECOMP_WD);
    if (R < 1 || R > 32 || C < 1 || C > 64 || G < 1 || G > 64 || W < K || W > 1024) {
        snprintf(err, errn, "fpap_array parameters out of range (legal: R 1..32, C 1..64, G "
                            "1..64, K <= WMAX <= 1024)");
        goto error;
    }
    if (gm_fofir_check(&s->a.pe, err, errn))
        goto error;
    if (nvec < 0) {
        snprintf(err, errn, "vector count %lld is negative", (long long)nvec);
        goto error;
    }
    gm_rng_seed(&s->rng, seed);
    s->nvec = nvec;
    s->a_prev = -1;
    s->d_prev = -1;
    if (profile == NULL || strcmp(profile, "mixed") == 0) {
        s->profile = 0;
    } else if (strncmp(profile, "layer:", 6) == 0) {
        s->profile = 1;
        if (load_layer_profile(s, profile + 6, err, errn))
            goto error;
    } else {
        snprintf(err, errn, "unknown profile '%.60s' (legal: mixed, layer:FILE[,order=FILE])",
                 profile);
        goto error;
    }
    rb = G * K * W;
    cb = G * K * K;
    memset(st, 0, sizeof *st * 2);
    st[0].name = "in";
    st[0].is_input = 1;
    st[0].nf = F_N;
    st[0].f[F_KIND].name = "kind"; st[0].f[F_KIND].width = 2;
    st[0].f[F_SEL].name = "sel"; st[0].f[F_SEL].width = gm_clog2((uint64_t)(R > C ? R : C));
    st[0].f[F_ADDR].name = "addr"; st[0].f[F_ADDR].width = gm_clog2((uint64_t)(rb > cb ? rb : cb));
    st[0].f[F_D].name = "d"; st[0].f[F_D].width = dwd;
    st[0].f[F_STEPS].name = "steps"; st[0].f[F_STEPS].width = gm_clog2((uint64_t)(G * K + 1));
    st[0].f[F_WLEN].name = "wlen"; st[0].f[F_WLEN].width = gm_clog2((uint64_t)(W + 1));
    st[0].f[F_ROWS].name = "rows"; st[0].f[F_ROWS].width = gm_clog2((uint64_t)(R + 1));
    st[0].f[F_COLS].name = "cols"; st[0].f[F_COLS].width = gm_clog2((uint64_t)(C + 1));
    st[0].f[F_FIRST].name = "first"; st[0].f[F_FIRST].width = 1;
    st[0].f[F_FINAL].name = "final"; st[0].f[F_FINAL].width = 1;
    if (st[0].f[F_SEL].width < 1)
        st[0].f[F_SEL].width = 1;
    if (st[0].f[F_ADDR].width < 1)
        st[0].f[F_ADDR].width = 1;
    s->selw = st[0].f[F_SEL].width;
    s->addrw = st[0].f[F_ADDR].width;
    s->dwd = dwd;
    st[1].name = "out";
    st[1].nf = 1;
    st[1].f[0].name = "y";
    st[1].f[0].width = s->a.pe.mac.acc;
    *ns = 2;
    return s;
error:
    fpap_close(s);
    return NULL;
}

static int fpap_next(void *vs, gm_rec *r)
{
    pst *s = vs;
    while (s->qn == 0) {
        if (!s->have_layer) {
            char err[256];
            if (s->profile == 1 || s->made >= s->nvec)
                return 0;
            if (new_random_layer(s, err, sizeof err))
                return 0; /* cannot happen with in-range parameters; the run ends short */
        }
        if (unit(s))
            return 0;
    }
    *r = s->q[s->qh];
    s->qh++;
    s->qn--;
    if (s->qn == 0)
        s->qh = 0;
    return 1;
}

static void fpap_describe(void *vs, const gm_rec *in, char *buf, size_t n)
{
    (void)vs;
    switch (in->f[F_KIND].lo) {
    case 0:
        snprintf(buf, n, "row buffer write rowbuf[%llu][%llu] = 0x%llx",
                 (unsigned long long)in->f[F_SEL].lo, (unsigned long long)in->f[F_ADDR].lo,
                 (unsigned long long)in->f[F_D].lo);
        break;
    case 1:
        snprintf(buf, n, "coefficient write coefbuf[%llu][%llu] = 0x%llx",
                 (unsigned long long)in->f[F_SEL].lo, (unsigned long long)in->f[F_ADDR].lo,
                 (unsigned long long)in->f[F_D].lo);
        break;
    default:
        snprintf(buf, n, "GO steps=%llu wlen=%llu rows=%llu cols=%llu%s%s",
                 (unsigned long long)in->f[F_STEPS].lo, (unsigned long long)in->f[F_WLEN].lo,
                 (unsigned long long)in->f[F_ROWS].lo, (unsigned long long)in->f[F_COLS].lo,
                 in->f[F_FIRST].lo ? " first" : "", in->f[F_FINAL].lo ? " final" : "");
    }
}

const gm_family gm_fpap_family = { fpap_blocks, fpap_open, fpap_next, fpap_describe,
                                   fpap_close };
