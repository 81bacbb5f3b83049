/*
 * gm_pamac_gen.c -- stimulus, expected results and expected handshake edges for pamac and
 * mac_parallel (the "occupancy" contract of docs/pamac.md).
 *
 * Stimulus (profile "mixed"): first a directed set -- every pair of corner operands (0, 1,
 * -1, 2, -2, min, max and the Booth patterns 0101.., 1010.., 0011.., 1100..) cycling through
 * precisions, modes and K, then every (precision, mode, K) combination with random operands
 * -- then random operations drawn from several distributions (uniform bits, sparse bits,
 * reduced precision) with random input gaps and output stalls.
 *
 * Schedule model (the timing contract, shared by all simulators):
 *   r_i = a_(i-1) + 1 + gap_i            edge from which in_valid is offered (a_(-1) = -1)
 *   a_i = max(r_i, w_(i-1), c_i == 0 ? d_(i-1) : -inf)   accept edge
 *   w_i = max(a_i + c_i, d_(i-1))         edge at which the result register is written
 *   f_i = w_i + 1                         first edge out_valid is seen
 *   s_i = d_(i-1) + 1 + hold_i            edge from which out_ready is offered (d_(-1) = -1)
 *   d_i = max(f_i, s_i)                   transfer edge
 * with c_i = gm_pamac_cost(): the unit is occupied max(1, E) cycles (0 for mac_parallel).
 */
#include "gm_pamac.h"
#include "gm_stream_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const pamac_blocks[] = { "pamac", "mac_parallel", NULL };
static const char *const pamac_params[] = { "N", "ACC", "SIGNED_A", "DECOMP", "APPROX", "PREC",
                                            NULL };
static const char *const macp_params[] = { "N", "ACC", "SIGNED_A", "PREC", NULL };

#define NCORNER 11
#define MAXTERMS (GM_PAMAC_MAX_DIGITS + 1)

typedef struct pst {
    gm_pamac_cfg cfg;
    gm_rng rng;
    int64_t nvec, i;
    int profile; /* 0 mixed, 1 uniform, 2 terms */
    double terms_cdf[MAXTERMS];
    int nterms;
    int fi_prec, fi_mode, fi_k; /* field indices, -1 when the port is absent */
    int pw, kw, nd_max;
    int nprec, precs[GM_PAMAC_MAX_N];
    int64_t n_pairs, n_combo, n_directed;
    /* schedule state */
    int64_t a_prev, w_prev, d_prev;
    int have_out;
    gm_rec out;
} pst;

static uint64_t maskn(int w)
{
    return w >= 64 ? UINT64_MAX : ((UINT64_C(1) << w) - 1u);
}

/* Corner operand number j at precision p, as a raw N-bit pattern. */
static uint64_t corner(int j, int p, int is_signed, int n)
{
    uint64_t m = maskn(p), v;
    switch (j) {
    case 0: v = 0; break;
    case 1: v = 1; break;
    case 2: v = m; break;                               /* -1, or max unsigned */
    case 3: v = 2; break;
    case 4: v = m - 1u; break;                          /* -2 */
    case 5: v = is_signed ? (UINT64_C(1) << (p - 1)) : m; break; /* min (or max) */
    case 6: v = is_signed ? (m >> 1) : (UINT64_C(1) << (p - 1)); break;
    case 7: v = UINT64_C(0x5555555555555555); break;
    case 8: v = UINT64_C(0xaaaaaaaaaaaaaaaa); break;
    case 9: v = UINT64_C(0x3333333333333333); break;
    default: v = UINT64_C(0xcccccccccccccccc); break;
    }
    v &= m;
    /* fill the bits above p with the opposite of the sign extension, so the hardware must
     * really ignore them */
    return (v | (~m & UINT64_C(0xa5a5a5a5a5a5a5a5))) & maskn(n);
}

static int nmodes(const pst *s)
{
    return s->fi_mode >= 0 ? 4 : 1;
}

static int nks(const pst *s)
{
    /* 0..nd_max+1 (one past the digit count) where the in_k port can carry it */
    int n = s->nd_max + 2, cap = 1 << s->kw;
    return s->fi_k >= 0 ? (n < cap ? n : cap) : 1;
}

static uint64_t rnd_bits(pst *s, int w)
{
    return gm_rng_next(&s->rng) & maskn(w);
}

static gm_val rnd_val(pst *s, int w)
{
    gm_val v;
    v.lo = gm_rng_next(&s->rng);
    v.hi = gm_rng_next(&s->rng);
    return gm_val_mask(v, w);
}

/* A raw operand whose Booth encoding at precision p has exactly t non-zero digits: built
 * from t random digits at random positions (a digit string is not always the canonical
 * recoding of its value, so the count is checked), with plain rejection sampling as the
 * fallback. */
static uint64_t with_terms(pst *s, int t, int p, int is_signed)
{
    int nd = gm_pamac_ndigits(p, is_signed), tries, k;
    int64_t lo = is_signed ? -(INT64_C(1) << (p - 1)) : 0;
    int64_t hi = is_signed ? (INT64_C(1) << (p - 1)) - 1 : (INT64_C(1) << p) - 1;
    uint64_t v = 0;
    if (t <= 0)
        return 0;
    for (tries = 0; tries < 1000 && t <= nd; tries++) {
        int64_t val = 0;
        uint64_t used = 0;
        for (k = 0; k < t; k++) {
            int pos;
            int64_t dg;
            do
                pos = (int)gm_rng_below(&s->rng, (uint64_t)nd);
            while (used >> pos & 1u);
            used |= UINT64_C(1) << pos;
            dg = 1 + (int64_t)gm_rng_below(&s->rng, 2);
            if (gm_rng_below(&s->rng, 2))
                dg = -dg;
            val += dg * (INT64_C(1) << (2 * pos));
        }
        if (val < lo || val > hi)
            continue;
        if (gm_booth_digits(val, nd, NULL) == t)
            return (uint64_t)val & maskn(p);
    }
    for (tries = 0; tries < 100000; tries++) {
        v = rnd_bits(s, p);
        if (gm_booth_digits(gm_pamac_operand(v, p, is_signed), nd, NULL) == t)
            break;
    }
    return v;
}

static void fill_op(pst *s, gm_pamac_op *op, gm_rec *r)
{
    int n = s->cfg.n;
    int64_t i = s->i;
    memset(op, 0, sizeof *op);
    op->prec = (unsigned)n;
    op->mode = GM_MODE_AUTO;
    r->delay = 0;
    if (s->profile == 1) {
        op->a = rnd_bits(s, n);
        op->w = rnd_bits(s, n);
        op->t = rnd_val(s, s->cfg.acc);
        return;
    }
    if (s->profile == 2) {
        double u = (double)(gm_rng_next(&s->rng) >> 11) * (1.0 / 9007199254740992.0);
        int t = 0;
        while (t < s->nterms - 1 && u >= s->terms_cdf[t])
            t++;
        op->t = rnd_val(s, s->cfg.acc);
        if (s->cfg.decomp == GM_DECOMP_AD && !s->cfg.baseline) {
            op->mode = GM_MODE_AD;
            op->a = with_terms(s, t, n, s->cfg.signed_a);
            op->w = rnd_bits(s, n);
        } else {
            op->mode = GM_MODE_WD;
            op->w = with_terms(s, t, n, 1);
            op->a = rnd_bits(s, n);
        }
        return;
    }
    if (i < s->n_pairs) {
        /* corner pairs; precision, mode and K cycle with coprime strides */
        int ja = (int)(i % NCORNER), jw = (int)(i / NCORNER);
        int p = s->precs[(i * 7 + i / NCORNER) % s->nprec];
        op->prec = (unsigned)p;
        op->mode = (unsigned)((i * 3 + 1) % nmodes(s));
        op->k = (unsigned)((i * 5) % nks(s));
        op->a = corner(ja, p, s->cfg.signed_a, n);
        op->w = corner(jw, p, 1, n);
        op->t = (i % 3 == 0) ? gm_val_mask(gm_val_from_i64(-1), s->cfg.acc)
                             : (i % 3 == 1 ? gm_val_from_u64(0) : rnd_val(s, s->cfg.acc));
    } else if (i < s->n_pairs + s->n_combo) {
        int64_t c = i - s->n_pairs;
        int k = (int)(c % nks(s)), mode = (int)((c / nks(s)) % nmodes(s));
        int p = s->precs[(c / nks(s) / nmodes(s)) % s->nprec];
        op->prec = (unsigned)p;
        op->mode = (unsigned)mode;
        op->k = (unsigned)k;
        op->a = rnd_bits(s, n);
        op->w = rnd_bits(s, n);
        op->t = rnd_val(s, s->cfg.acc);
    } else {
        unsigned kind = (unsigned)gm_rng_below(&s->rng, 8);
        int p = n;
        if (s->fi_prec >= 0 && kind >= 6)
            p = 1 + (int)gm_rng_below(&s->rng, (uint64_t)n);
        op->prec = (unsigned)p;
        if (s->fi_prec >= 0 && gm_rng_below(&s->rng, 64) == 0)
            op->prec = (unsigned)rnd_bits(s, s->pw); /* out-of-range precision codes too */
        op->mode = (unsigned)gm_rng_below(&s->rng, 4);
        op->k = gm_rng_below(&s->rng, 2) ? 0u : (unsigned)rnd_bits(s, s->kw);
        op->a = rnd_bits(s, n);
        op->w = rnd_bits(s, n);
        if (kind == 2 || kind == 3) { /* sparse operands: few set bits */
            op->a &= rnd_bits(s, n) & rnd_bits(s, n);
            op->w &= rnd_bits(s, n) & rnd_bits(s, n);
        } else if (kind == 4) {
            op->w = with_terms(s, (int)gm_rng_below(&s->rng, 3), n, 1);
        }
        op->t = rnd_val(s, s->cfg.acc);
        if (gm_rng_below(&s->rng, 4) == 0)
            r->delay = 1 + (int64_t)gm_rng_below(&s->rng, 3);
    }
    if (s->fi_prec < 0)
        op->prec = (unsigned)n;
}

static void *pamac_open(const char *block, const gm_param *ps, int np, uint64_t seed,
                        int64_t nvec, const char *profile, gm_stream *st, int *ns, char *err,
                        size_t errn)
{
    pst *s;
    int base = strcmp(block, "mac_parallel") == 0, nf, p;
    if (gm_param_known(ps, np, base ? macp_params : pamac_params, err, errn))
        return NULL;
    s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errn, "out of memory");
        return NULL;
    }
    s->cfg.n = (int)gm_param_get(ps, np, "N", 16);
    s->cfg.acc = (int)gm_param_get(ps, np, "ACC", 40);
    s->cfg.signed_a = (int)gm_param_get(ps, np, "SIGNED_A", 1) != 0;
    s->cfg.decomp = base ? GM_DECOMP_WD : (int)gm_param_get(ps, np, "DECOMP", GM_DECOMP_BOTH);
    s->cfg.approx = base ? 0 : (int)gm_param_get(ps, np, "APPROX", 1) != 0;
    s->cfg.prec = (int)gm_param_get(ps, np, "PREC", 1) != 0;
    s->cfg.baseline = base;
    if (gm_pamac_check(&s->cfg, err, errn))
        goto error;
    if (nvec < 0) {
        snprintf(err, errn, "vector count %lld is negative", (long long)nvec);
        goto error;
    }
    if (profile == NULL || strcmp(profile, "mixed") == 0) {
        s->profile = 0;
    } else if (strcmp(profile, "uniform") == 0) {
        s->profile = 1;
    } else if (strncmp(profile, "terms:", 6) == 0) {
        const char *q = profile + 6;
        double sum = 0, acc = 0;
        double w[MAXTERMS];
        int k;
        s->profile = 2;
        while (*q) {
            char *end;
            double x = strtod(q, &end);
            if (end == q || x < 0 || x > 1e9 || s->nterms >= MAXTERMS ||
                (*end != ',' && *end != '\0')) {
                snprintf(err, errn,
                         "bad profile '%s' (legal: mixed, uniform, terms:p0,p1,... with up to "
                         "%d non-negative weights)",
                         profile, MAXTERMS);
                goto error;
            }
            w[s->nterms++] = x;
            sum += x;
            q = *end ? end + 1 : end;
        }
        if (s->nterms == 0 || !(sum > 0)) {
            snprintf(err, errn, "bad profile '%s': weights must sum to more than 0", profile);
            goto error;
        }
        for (k = 0; k < s->nterms; k++) {
            acc += w[k];
            s->terms_cdf[k] = acc / sum;
        }
    } else {
        snprintf(err, errn, "unknown profile '%s' (legal: mixed, uniform, terms:p0,p1,...)",
                 profile);
        goto error;
    }
    gm_rng_seed(&s->rng, seed);
    s->nvec = nvec;
    s->pw = gm_pamac_prec_width(s->cfg.n);
    s->kw = gm_pamac_k_width(&s->cfg);
    s->nd_max = gm_pamac_ndigits(s->cfg.n, s->cfg.signed_a);
    if (s->profile == 2) {
        /* the decomposed operand (W, or A when only AD is built) has at most this many terms */
        int maxt = (s->cfg.decomp == GM_DECOMP_AD && !base) ? s->nd_max
                                                             : gm_pamac_ndigits(s->cfg.n, 1);
        if (s->nterms > maxt + 1) {
            snprintf(err, errn,
                     "bad profile '%s': %d weights, but an operand of N=%d has at most %d "
                     "essential terms (legal: at most %d weights)",
                     profile, s->nterms, s->cfg.n, maxt, maxt + 1);
            goto error;
        }
    }

    memset(st, 0, sizeof *st * 2);
    st[0].name = "in";
    st[0].is_input = 1;
    nf = 0;
    st[0].f[nf].name = "a"; st[0].f[nf++].width = s->cfg.n;
    st[0].f[nf].name = "w"; st[0].f[nf++].width = s->cfg.n;
    st[0].f[nf].name = "t"; st[0].f[nf++].width = s->cfg.acc;
    s->fi_prec = s->fi_mode = s->fi_k = -1;
    if (s->cfg.prec) {
        s->fi_prec = nf;
        st[0].f[nf].name = "prec"; st[0].f[nf++].width = s->pw;
    }
    if (!base && s->cfg.decomp == GM_DECOMP_BOTH) {
        s->fi_mode = nf;
        st[0].f[nf].name = "mode"; st[0].f[nf++].width = 2;
    }
    if (s->cfg.approx) {
        s->fi_k = nf;
        st[0].f[nf].name = "k"; st[0].f[nf++].width = s->kw;
    }
    st[0].nf = nf;
    st[1].name = "out";
    st[1].is_input = 0;
    st[1].nf = 1;
    st[1].f[0].name = "y";
    st[1].f[0].width = s->cfg.acc;
    *ns = 2;

    /* precisions visited by the directed set: all of them up to 8 bits, else the edges */
    if (!s->cfg.prec) {
        s->precs[s->nprec++] = s->cfg.n;
    } else if (s->cfg.n <= 8) {
        for (p = 1; p <= s->cfg.n; p++)
            s->precs[s->nprec++] = p;
    } else {
        int cand[] = { 1, 2, 3, 4, s->cfg.n / 2, s->cfg.n / 2 + 1, s->cfg.n - 1, s->cfg.n };
        for (p = 0; p < 8; p++)
            s->precs[s->nprec++] = cand[p];
    }
    s->n_pairs = NCORNER * NCORNER;
    s->n_combo = (int64_t)s->nprec * nmodes(s) * nks(s);
    s->a_prev = -1;
    s->w_prev = 0;
    s->d_prev = -1;
    return s;
error:
    free(s);
    return NULL;
}

static void op_from_rec(const pst *s, const gm_rec *r, gm_pamac_op *op)
{
    memset(op, 0, sizeof *op);
    op->a = r->f[0].lo;
    op->w = r->f[1].lo;
    op->t = r->f[2];
    op->prec = s->fi_prec >= 0 ? (unsigned)r->f[s->fi_prec].lo : (unsigned)s->cfg.n;
    op->mode = s->fi_mode >= 0 ? (unsigned)r->f[s->fi_mode].lo : GM_MODE_AUTO;
    op->k = s->fi_k >= 0 ? (unsigned)r->f[s->fi_k].lo : 0u;
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static int pamac_next(void *vs, gm_rec *r)
{
    pst *s = vs;
    gm_pamac_op op;
    gm_pamac_res res;
    int64_t rq, a, w, f, sr, d, c, hold = 0;
    if (s->have_out) {
        *r = s->out;
        s->have_out = 0;
        return 1;
    }
    if (s->i >= s->nvec)
        return 0;
    fill_op(s, &op, r);
    r->stream = 0;
    r->op = s->i;
    r->f[0] = gm_val_from_u64(op.a);
    r->f[1] = gm_val_from_u64(op.w);
    r->f[2] = op.t;
    if (s->fi_prec >= 0)
        r->f[s->fi_prec] = gm_val_from_u64(op.prec);
    if (s->fi_mode >= 0)
        r->f[s->fi_mode] = gm_val_from_u64(op.mode);
    if (s->fi_k >= 0)
        r->f[s->fi_k] = gm_val_from_u64(op.k);
    op_from_rec(s, r, &op); /* exactly what the ports carry */
    gm_pamac_eval(&s->cfg, &op, &res);
    c = gm_pamac_cost(&s->cfg, &res);
    if (s->profile == 0 && s->i >= s->n_pairs + s->n_combo && gm_rng_below(&s->rng, 4) == 0)
        hold = 1 + (int64_t)gm_rng_below(&s->rng, 4);

    rq = s->a_prev + 1 + r->delay;
    a = max64(rq, s->w_prev);
    if (c == 0)
        a = max64(a, s->d_prev);
    w = max64(a + c, s->d_prev);
    f = w + 1;
    sr = s->d_prev + 1 + hold;
    d = max64(f, sr);
    s->a_prev = a;
    s->w_prev = w;
    s->d_prev = d;
    r->cycle = r->cycle2 = a;
    r->cost = c;

    memset(&s->out, 0, sizeof s->out);
    s->out.stream = 1;
    s->out.op = s->i;
    s->out.delay = hold;
    s->out.cycle = f;
    s->out.cycle2 = d;
    s->out.cost = c;
    s->out.f[0] = res.y;
    s->have_out = 1;
    s->i++;
    return 1;
}

static void pamac_describe(void *vs, const gm_rec *in, char *buf, size_t n)
{
    pst *s = vs;
    gm_pamac_op op;
    gm_pamac_res res;
    char th[40];
    op_from_rec(s, in, &op);
    gm_pamac_eval(&s->cfg, &op, &res);
    gm_val_hex(th, op.t, s->cfg.acc);
    snprintf(buf, n,
             "A=%lld W=%lld T=0x%s (raw a=0x%llx w=0x%llx prec=%u mode=%u k=%u) -> p=%d %s "
             "terms(W)=%d terms(A)=%d used=%d cost=%d",
             (long long)gm_pamac_operand(op.a, res.p, s->cfg.signed_a),
             (long long)gm_pamac_operand(op.w, res.p, 1), th, (unsigned long long)op.a,
             (unsigned long long)op.w, op.prec, op.mode, op.k, res.p,
             res.mode == GM_MODE_WD ? "WD" : "AD", res.terms_w, res.terms_a, res.terms,
             gm_pamac_cost(&s->cfg, &res));
}

static void pamac_close(void *vs)
{
    free(vs);
}

const gm_family gm_pamac_family = { pamac_blocks, pamac_open, pamac_next, pamac_describe,
                                    pamac_close };
