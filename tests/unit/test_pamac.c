/*
 * test_pamac.c -- unit tests of the PAMAC / mac_parallel golden model (golden/gm_pamac.c),
 * the 128-bit value helpers it rests on and the pamac stream generator.
 *
 * The golden model is the oracle every simulator is compared with, so a bug in it would be
 * invisible to co-simulation: the RTL would be "fixed" to match it. Here every expected value
 * comes from a deliberately naive reference written in this file -- operands rebuilt bit by
 * bit, Booth digits read from a hard-coded table, products in int64 or through a 32-bit-limb
 * 128-bit multiply, wrap-around by explicit masking -- and never from the function under
 * test. Small widths (N <= 6) are exhaustive over operands, precision codes, modes and K;
 * the wide ones (up to N = 32, ACC = 128) use corner operands plus seeded random operations.
 * Each check that fails prints one line with what it takes to reproduce it (the first 20
 * are shown); the last line counts individual checks.
 */
#include "gm_common.h"
#include "gm_pamac.h"
#include "gm_stream.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPORT 20

/* The only mutable file-scope state: the check counters. */
static long long n_pass, n_fail;

#if defined(__GNUC__)
static void fail_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
static void fail_msg(const char *fmt, ...)
{
    va_list ap;
    n_fail++;
    if (n_fail > MAX_REPORT)
        return;
    printf("FAIL: ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        if (cond)                                                                              \
            n_pass++;                                                                          \
        else                                                                                   \
            fail_msg(__VA_ARGS__);                                                             \
    } while (0)

/* ---------------------------------------------------------------- naive 128-bit arithmetic */

typedef struct w128 {
    uint64_t lo, hi;
} w128;

static w128 w_make(uint64_t hi, uint64_t lo)
{
    w128 r;
    r.lo = lo;
    r.hi = hi;
    return r;
}

static w128 w_sext(int64_t v)
{
    return w_make(v < 0 ? ~UINT64_C(0) : 0, (uint64_t)v);
}

static w128 w_add(w128 a, w128 b)
{
    w128 r;
    r.lo = a.lo + b.lo;
    r.hi = a.hi + b.hi + (r.lo < b.lo ? 1u : 0u);
    return r;
}

static w128 w_neg(w128 a)
{
    return w_add(w_make(~a.hi, ~a.lo), w_make(0, 1));
}

/* 64 x 64 -> 128 unsigned, schoolbook on 32-bit halves. */
static w128 w_mulu(uint64_t a, uint64_t b)
{
    const uint64_t m32 = 0xffffffffu;
    uint64_t a0 = a & m32, a1 = a >> 32, b0 = b & m32, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (p01 & m32) + (p10 & m32);
    return w_make(p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32), (p00 & m32) | (mid << 32));
}

/* Signed product through sign and magnitude. */
static w128 w_muls(int64_t a, int64_t b)
{
    uint64_t ma = a < 0 ? 0u - (uint64_t)a : (uint64_t)a;
    uint64_t mb = b < 0 ? 0u - (uint64_t)b : (uint64_t)b;
    w128 r = w_mulu(ma, mb);
    return (a < 0) != (b < 0) ? w_neg(r) : r;
}

/* Keep the low `bits` bits, 1..128, built one bit at a time. */
static w128 w_lowmask(int bits)
{
    w128 m = w_make(0, 0);
    int i;
    for (i = 0; i < bits && i < 128; i++) {
        if (i < 64)
            m.lo |= UINT64_C(1) << i;
        else
            m.hi |= UINT64_C(1) << (i - 64);
    }
    return m;
}

static w128 w_and(w128 a, w128 b)
{
    return w_make(a.hi & b.hi, a.lo & b.lo);
}

/* Fast mask for the hot loops (cross-checked against w_lowmask in test_val). */
static w128 w_trunc(w128 v, int bits)
{
    if (bits < 64) {
        v.hi = 0;
        v.lo &= (UINT64_C(1) << bits) - 1u;
    } else if (bits == 64) {
        v.hi = 0;
    } else if (bits < 128) {
        v.hi &= (UINT64_C(1) << (bits - 64)) - 1u;
    }
    return v;
}

static int w_eq_gm(w128 a, gm_val b)
{
    return a.lo == b.lo && a.hi == b.hi;
}

static gm_val to_gm(w128 a)
{
    gm_val v;
    v.lo = a.lo;
    v.hi = a.hi;
    return v;
}

static w128 from_gm(gm_val v)
{
    return w_make(v.hi, v.lo);
}

/* Text of a 128-bit value for failure lines: 0x<hi><lo>. */
static const char *w_str(char *buf, w128 v)
{
    snprintf(buf, 40, "0x%016llx%016llx", (unsigned long long)v.hi, (unsigned long long)v.lo);
    return buf;
}

/* A local splitmix64 stream, independent of the library's generator. */
static uint64_t rnd(uint64_t *st)
{
    uint64_t z = (*st += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static uint64_t mask64(int bits)
{
    return bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1u;
}

/* ------------------------------------------------------------------ naive PAMAC reference */

/* Booth digit from (b[2i+1], b[2i], b[2i-1]) as a 3-bit index: the textbook table. */
static const int BOOTH_TABLE[8] = { 0, +1, +1, +2, -2, -1, -1, 0 };

/* Smallest w with 2^w >= n. */
static int ref_clog2(uint64_t n)
{
    int w = 0;
    uint64_t p = 1;
    while (p < n && w < 64) {
        p *= 2u;
        w++;
    }
    return w;
}

/* Value of the low p bits of raw: bit p-1 weighs -2^(p-1) when signed. */
static int64_t ref_operand(uint64_t raw, int p, int sgn)
{
    int64_t v = 0;
    int j;
    for (j = 0; j < p; j++)
        if ((raw >> j) & 1u)
            v += (sgn && j == p - 1) ? -(INT64_C(1) << j) : (INT64_C(1) << j);
    return v;
}

/* Bit j of the operand extended to infinity; bit -1 is 0. */
static int ref_bit(uint64_t raw, int p, int sgn, int j)
{
    if (j < 0)
        return 0;
    if (j >= p) {
        if (!sgn)
            return 0;
        j = p - 1;
    }
    return (int)((raw >> j) & 1u);
}

/* A signed value needs p bits, an unsigned one p+1 (a zero sign bit); two bits per digit. */
static int ref_ndigits(int p, int sgn)
{
    int bits = sgn ? p : p + 1;
    return (bits + 1) / 2;
}

/* Digits of the operand, least significant first; returns their count. */
static int ref_digits(uint64_t raw, int p, int sgn, int *d)
{
    int nd = ref_ndigits(p, sgn), i;
    for (i = 0; i < nd; i++) {
        int idx = ref_bit(raw, p, sgn, 2 * i + 1) * 4 + ref_bit(raw, p, sgn, 2 * i) * 2 +
                  ref_bit(raw, p, sgn, 2 * i - 1);
        d[i] = BOOTH_TABLE[idx];
    }
    return nd;
}

static int ref_terms(uint64_t raw, int p, int sgn)
{
    int d[40], nd = ref_digits(raw, p, sgn, d), i, t = 0;
    for (i = 0; i < nd; i++)
        t += d[i] != 0;
    return t;
}

/* Sum of the K most significant non-zero digits (K = 0: all of them). */
static int64_t ref_trunc(uint64_t raw, int p, int sgn, unsigned k, int *kept)
{
    int d[40], nd = ref_digits(raw, p, sgn, d), i, n = 0;
    int64_t s = 0;
    for (i = nd - 1; i >= 0; i--) {
        if (d[i] == 0)
            continue;
        if (k != 0 && (unsigned)n == k)
            break;
        s += (int64_t)d[i] * (INT64_C(1) << (2 * i));
        n++;
    }
    *kept = n;
    return s;
}

typedef struct ref_res {
    w128 y;
    int p, mode, tw, ta, terms, cost;
} ref_res;

static int ref_prec(const gm_pamac_cfg *c, unsigned code)
{
    if (!c->prec || code == 0 || code > (unsigned)c->n)
        return c->n;
    return (int)code;
}

/* The contract: Y = A*W + T mod 2^ACC, with the decomposed operand truncated to its K most
 * significant essential terms. */
static void ref_eval(const gm_pamac_cfg *c, const gm_pamac_op *op, ref_res *r)
{
    int p = ref_prec(c, op->prec), kept = 0;
    int64_t a = ref_operand(op->a, p, c->signed_a), w = ref_operand(op->w, p, 1);
    unsigned k = c->approx ? op->k : 0u;
    w128 prod;
    r->p = p;
    r->ta = ref_terms(op->a, p, c->signed_a);
    r->tw = ref_terms(op->w, p, 1);
    if (c->baseline) {
        r->mode = GM_MODE_WD;
        r->terms = r->tw;
        prod = w_muls(a, w);
    } else {
        if (c->decomp == GM_DECOMP_WD)
            r->mode = GM_MODE_WD;
        else if (c->decomp == GM_DECOMP_AD)
            r->mode = GM_MODE_AD;
        else if (op->mode % 4u == 0u)
            r->mode = GM_MODE_WD;
        else if (op->mode % 4u == 1u)
            r->mode = GM_MODE_AD;
        else
            r->mode = r->tw <= r->ta ? GM_MODE_WD : GM_MODE_AD;
        if (r->mode == GM_MODE_WD)
            prod = w_muls(a, ref_trunc(op->w, p, 1, k, &kept));
        else
            prod = w_muls(ref_trunc(op->a, p, c->signed_a, k, &kept), w);
        r->terms = kept;
    }
    r->cost = c->baseline ? 0 : (r->terms > 1 ? r->terms : 1);
    r->y = w_trunc(w_add(prod, from_gm(op->t)), c->acc);
}

/* Evaluate with the library and compare every field of the result with the reference. */
static int eval_matches(const char *tag, const gm_pamac_cfg *c, const gm_pamac_op *op,
                        const ref_res *e)
{
    gm_pamac_res g;
    int rc, cost;
    char b1[40], b2[40], b3[40];
    memset(&g, 0x5a, sizeof g);
    rc = gm_pamac_eval(c, op, &g);
    cost = rc == 0 ? gm_pamac_cost(c, &g) : -1;
    if (rc == 0 && w_eq_gm(e->y, g.y) && g.p == e->p && g.mode == e->mode &&
        g.terms_w == e->tw && g.terms_a == e->ta && g.terms == e->terms && cost == e->cost) {
        n_pass++;
        return 1;
    }
    fail_msg("%s: N=%d ACC=%d signed_a=%d decomp=%d approx=%d prec_built=%d baseline=%d | "
             "a=0x%llx w=0x%llx t=%s prec=%u mode=%u k=%u | expected y=%s p=%d mode=%d "
             "terms_w=%d terms_a=%d terms=%d cost=%d | got rc=%d y=%s p=%d mode=%d terms_w=%d "
             "terms_a=%d terms=%d cost=%d",
             tag, c->n, c->acc, c->signed_a, c->decomp, c->approx, c->prec, c->baseline,
             (unsigned long long)op->a, (unsigned long long)op->w, w_str(b1, from_gm(op->t)),
             op->prec, op->mode, op->k, w_str(b2, e->y), e->p, e->mode, e->tw, e->ta, e->terms,
             e->cost, rc, w_str(b3, from_gm(g.y)), g.p, g.mode, g.terms_w, g.terms_a, g.terms,
             cost);
    return 0;
}

static gm_pamac_cfg mk_cfg(int n, int acc, int sa, int decomp, int approx, int prec, int base)
{
    gm_pamac_cfg c;
    memset(&c, 0, sizeof c);
    c.n = n;
    c.acc = acc;
    c.signed_a = sa;
    c.decomp = decomp;
    c.approx = approx;
    c.prec = prec;
    c.baseline = base;
    return c;
}

/* ------------------------------------------------------------- 1. exact value, exhaustive */

/* Expected y when nothing is approximated: the product in plain int64, then + T, wrapped. */
static w128 exact_y(uint64_t a, uint64_t w, int p, int sa, w128 t, int acc)
{
    int64_t prod = ref_operand(a, p, sa) * ref_operand(w, p, 1);
    return w_trunc(w_add(w_sext(prod), t), acc);
}

static int exact_mode(int decomp, unsigned mode, int tw, int ta)
{
    if (decomp != GM_DECOMP_BOTH)
        return decomp == GM_DECOMP_WD ? GM_MODE_WD : GM_MODE_AD;
    if (mode % 4u < 2u)
        return (int)(mode % 4u);
    return tw <= ta ? GM_MODE_WD : GM_MODE_AD; /* auto: fewer terms, WD on a tie */
}

static void one_exact(const gm_pamac_cfg *c, const gm_pamac_op *op, int p)
{
    gm_pamac_res g;
    ref_res e;
    int tw = ref_terms(op->w, p, 1), ta = ref_terms(op->a, p, c->signed_a);
    e.y = exact_y(op->a, op->w, p, c->signed_a, from_gm(op->t), c->acc);
    e.p = p;
    e.tw = tw;
    e.ta = ta;
    e.mode = c->baseline ? GM_MODE_WD : exact_mode(c->decomp, op->mode, tw, ta);
    e.terms = e.mode == GM_MODE_WD ? tw : ta;
    e.cost = c->baseline ? 0 : (e.terms > 1 ? e.terms : 1);
    /* fast path; the full comparison (and its message) only when something differs */
    if (gm_pamac_eval(c, op, &g) == 0 && w_eq_gm(e.y, g.y) && g.p == p && g.mode == e.mode &&
        g.terms_w == tw && g.terms_a == ta && g.terms == e.terms &&
        gm_pamac_cost(c, &g) == e.cost) {
        n_pass++;
        return;
    }
    eval_matches("exact", c, op, &e);
}

static void test_exact_exhaustive(void)
{
    static const int acc_extra[] = { 64, 65, 100, 128 };
    uint64_t seed = 1;
    int n;
    for (n = 2; n <= 6; n++) {
        int pw = ref_clog2((uint64_t)n + 1u), accs[7], na = 0, i, sa, dec, ti, ai, base;
        unsigned code, mode;
        uint64_t a, w, lim = UINT64_C(1) << n;
        accs[na++] = n + 1;
        accs[na++] = 2 * n;
        accs[na++] = 2 * n + 3;
        for (i = 0; i < 4; i++)
            accs[na++] = acc_extra[i];
        CHECK(gm_pamac_prec_width(n) == pw, "prec_width(%d)=%d, expected %d", n,
              gm_pamac_prec_width(n), pw);
        for (base = 0; base <= 1; base++)
            for (sa = 0; sa <= 1; sa++)
                for (dec = 0; dec <= 2; dec++)
                    for (mode = 0; mode < 4u; mode++) {
                        if (base && (dec != GM_DECOMP_BOTH || mode != 3u))
                            continue; /* the baseline ignores both: run it once */
                        for (code = 0; code < (1u << pw); code++)
                            for (ti = 0; ti < 3; ti++)
                                for (ai = 0; ai < na; ai++) {
                                    /* approximation off two ways: K = 0 with approx built,
                                     * or garbage K with approx not built */
                                    int approx = ti != 1;
                                    gm_pamac_cfg c = mk_cfg(n, accs[ai], sa, dec, approx, 1,
                                                            base);
                                    gm_pamac_op op;
                                    int p = (code == 0 || code > (unsigned)n) ? n : (int)code;
                                    memset(&op, 0, sizeof op);
                                    op.prec = code;
                                    op.mode = mode;
                                    if (ti == 0) {
                                        op.t = to_gm(w_make(0, 0));
                                    } else if (ti == 1) {
                                        op.t = to_gm(w_make(~UINT64_C(0), ~UINT64_C(0)));
                                    } else {
                                        op.t.lo = rnd(&seed);
                                        op.t.hi = rnd(&seed);
                                    }
                                    if (base)
                                        c.approx = 1; /* must be ignored by the baseline */
                                    for (a = 0; a < lim; a++)
                                        for (w = 0; w < lim; w++) {
                                            op.a = a;
                                            op.w = w;
                                            op.k = (approx && !base) ? 0u : (unsigned)(a ^ w) | 1u;
                                            one_exact(&c, &op, p);
                                        }
                                }
                    }
        /* precision input not built: every code reads as N */
        for (sa = 0; sa <= 1; sa++)
            for (code = 0; code < (1u << pw); code++) {
                gm_pamac_cfg c = mk_cfg(n, 2 * n, sa, GM_DECOMP_BOTH, 0, 0, 0);
                gm_pamac_op op;
                memset(&op, 0, sizeof op);
                op.prec = code;
                op.mode = 2;
                op.t = to_gm(w_make(0, 5));
                for (a = 0; a < lim; a++)
                    for (w = 0; w < lim; w++) {
                        op.a = a | (rnd(&seed) << n); /* bits above N must be ignored */
                        op.w = w | (rnd(&seed) << n);
                        one_exact(&c, &op, n);
                    }
            }
    }
}

/* ----------------------------------------------------------------------- 2. Booth digits */

static void test_booth(void)
{
    int sgn, p, pat;
    int8_t dg[GM_PAMAC_MAX_DIGITS + 4];
    /* the table is the formula V = -2*b[2i+1] + b[2i] + b[2i-1] */
    for (pat = 0; pat < 8; pat++) {
        int b2 = (pat >> 2) & 1, b1 = (pat >> 1) & 1, b0 = pat & 1;
        int64_t v;
        CHECK(BOOTH_TABLE[pat] == -2 * b2 + b1 + b0, "booth table pattern %d", pat);
        /* the pattern at digit 1 (bits 3,2,1) and at digit 0 (bits 1,0 and bit -1 = 0) */
        v = (int64_t)((b2 << 3) | (b1 << 2) | (b0 << 1));
        gm_booth_digits(v, 2, dg);
        CHECK(dg[1] == BOOTH_TABLE[pat], "booth digit 1 of %lld: expected %d, got %d",
              (long long)v, BOOTH_TABLE[pat], dg[1]);
        if (b0 == 0) {
            v = (int64_t)((b2 << 1) | b1);
            gm_booth_digits(v, 1, dg);
            CHECK(dg[0] == BOOTH_TABLE[pat], "booth digit 0 of %lld: expected %d, got %d",
                  (long long)v, BOOTH_TABLE[pat], dg[0]);
        }
    }
    for (sgn = 0; sgn <= 1; sgn++)
        for (p = 1; p <= 10; p++) {
            int nd = ref_ndigits(p, sgn), minimal = 0;
            uint64_t raw;
            CHECK(gm_pamac_ndigits(p, sgn) == nd, "ndigits(p=%d, signed=%d)=%d, expected %d", p,
                  sgn, gm_pamac_ndigits(p, sgn), nd);
            CHECK(nd == (sgn ? (p + 1) / 2 : (p + 2) / 2), "reference digit count p=%d", p);
            for (raw = 0; raw < (UINT64_C(1) << p); raw++) {
                int64_t v = ref_operand(raw, p, sgn), sum = 0, low = 0;
                int rd[40], i, nz = 0, got, ok = 1;
                ref_digits(raw, p, sgn, rd);
                CHECK(gm_pamac_operand(raw | (UINT64_C(0xdead) << p), p, sgn) == v,
                      "operand(raw=0x%llx, p=%d, signed=%d)=%lld, expected %lld",
                      (unsigned long long)raw, p, sgn,
                      (long long)gm_pamac_operand(raw | (UINT64_C(0xdead) << p), p, sgn),
                      (long long)v);
                memset(dg, 0x77, sizeof dg);
                got = gm_booth_digits(v, nd, dg);
                for (i = 0; i < nd; i++) {
                    ok &= dg[i] >= -2 && dg[i] <= 2 && dg[i] == rd[i];
                    nz += dg[i] != 0;
                    sum += (int64_t)dg[i] * (INT64_C(1) << (2 * i));
                    if (i < nd - 1)
                        low += (int64_t)rd[i] * (INT64_C(1) << (2 * i));
                }
                ok &= dg[nd] == 0x77; /* nothing written past nd digits */
                CHECK(ok && sum == v && got == nz && nz == ref_terms(raw, p, sgn) &&
                          gm_booth_digits(v, nd, NULL) == got,
                      "booth_digits(v=%lld, p=%d, signed=%d, nd=%d): returned %d terms, sum %lld, "
                      "digits %d %d %d %d %d %d, expected %d %d %d %d %d %d with %d terms",
                      (long long)v, p, sgn, nd, got, (long long)sum, dg[0], nd > 1 ? dg[1] : 0,
                      nd > 2 ? dg[2] : 0, nd > 3 ? dg[3] : 0, nd > 4 ? dg[4] : 0,
                      nd > 5 ? dg[5] : 0, rd[0], nd > 1 ? rd[1] : 0, nd > 2 ? rd[2] : 0,
                      nd > 3 ? rd[3] : 0, nd > 4 ? rd[4] : 0, nd > 5 ? rd[5] : 0,
                      ref_terms(raw, p, sgn));
                if (low != v)
                    minimal = 1; /* some value really needs the top digit */
            }
            CHECK(minimal, "digit count p=%d signed=%d is not minimal", p, sgn);
        }
    /* the documented example: 127 at p = 8 is (-1, 0, 0, +2), two terms */
    {
        int got = gm_booth_digits(127, gm_pamac_ndigits(8, 1), dg);
        CHECK(gm_pamac_ndigits(8, 1) == 4 && got == 2 && dg[0] == -1 && dg[1] == 0 &&
                  dg[2] == 0 && dg[3] == 2,
              "booth(127, p=8): %d terms, digits %d %d %d %d; expected 2 terms, -1 0 0 2", got,
              dg[0], dg[1], dg[2], dg[3]);
        got = gm_booth_digits(-128, 4, dg);
        CHECK(got == 1 && dg[3] == -2, "booth(-128, p=8): %d terms, top digit %d", got, dg[3]);
    }
    /* 32-bit extremes */
    {
        static const int64_t vals[] = { INT64_C(-2147483648), INT64_C(2147483647),
                                        INT64_C(4294967295), INT64_C(0x55555555),
                                        INT64_C(0xaaaaaaaa), -1, 0, 1 };
        size_t i;
        for (i = 0; i < sizeof vals / sizeof vals[0]; i++) {
            int sg = vals[i] <= INT64_C(2147483647), nd = ref_ndigits(32, sg), rd[40], got, j;
            int ok = 1, rt;
            uint64_t raw = (uint64_t)vals[i] & mask64(32);
            int64_t sum = 0;
            ref_digits(raw, 32, sg, rd);
            rt = ref_terms(raw, 32, sg);
            got = gm_booth_digits(vals[i], nd, dg);
            for (j = 0; j < nd; j++) {
                ok &= dg[j] == rd[j];
                sum += (int64_t)dg[j] * (INT64_C(1) << (2 * j));
            }
            CHECK(ok && got == rt && sum == vals[i], "booth_digits(%lld, nd=%d): %d terms (exp %d)",
                  (long long)vals[i], nd, got, rt);
        }
    }
}

/* --------------------------------------------------------------------- 4. approximation */

static void test_truncate_direct(void)
{
    int sgn, p;
    for (sgn = 0; sgn <= 1; sgn++)
        for (p = 1; p <= 10; p++) {
            int nd = ref_ndigits(p, sgn);
            uint64_t raw;
            for (raw = 0; raw < (UINT64_C(1) << p); raw++) {
                int64_t v = ref_operand(raw, p, sgn);
                unsigned k;
                int terms = ref_terms(raw, p, sgn);
                for (k = 0; k <= (unsigned)nd + 1u; k++) {
                    int kept_e, kept_g = -1;
                    int64_t e = ref_trunc(raw, p, sgn, k, &kept_e);
                    int64_t g = gm_booth_truncate(v, nd, k, &kept_g);
                    int want = (k == 0 || (unsigned)terms < k) ? terms : (int)k;
                    CHECK(e == g && kept_g == kept_e && kept_e == want &&
                              gm_booth_truncate(v, nd, k, NULL) == e,
                          "booth_truncate(v=%lld, p=%d, signed=%d, K=%u): got %lld kept %d, "
                          "expected %lld kept %d",
                          (long long)v, p, sgn, k, (long long)g, kept_g, (long long)e, kept_e);
                }
            }
        }
}

static void test_approx_exhaustive(void)
{
    static const int dm[6][2] = { { GM_DECOMP_WD, 2 }, { GM_DECOMP_AD, 0 },
                                  { GM_DECOMP_BOTH, 0 }, { GM_DECOMP_BOTH, 1 },
                                  { GM_DECOMP_BOTH, 2 }, { GM_DECOMP_BOTH, 3 } };
    uint64_t seed = 2;
    int n;
    for (n = 2; n <= 6; n++) {
        int pw = ref_clog2((uint64_t)n + 1u), sa, di;
        uint64_t lim = UINT64_C(1) << n, a, w;
        for (sa = 0; sa <= 1; sa++) {
            int ndmax = ref_ndigits(n, sa) > ref_ndigits(n, 1) ? ref_ndigits(n, sa)
                                                                : ref_ndigits(n, 1);
            gm_pamac_cfg kc = mk_cfg(n, 2 * n, sa, GM_DECOMP_BOTH, 1, 1, 0);
            CHECK(gm_pamac_k_width(&kc) == ref_clog2((uint64_t)ref_ndigits(n, sa) + 1u),
                  "k_width(N=%d, signed_a=%d)=%d", n, sa, gm_pamac_k_width(&kc));
            for (di = 0; di < 6; di++) {
                unsigned code, k;
                for (code = 0; code < (1u << pw); code++)
                    for (k = 0; k <= (unsigned)ndmax + 1u; k++) {
                        int acc = (k & 1u) ? 2 * n + 3 : 128;
                        gm_pamac_cfg c = mk_cfg(n, acc, sa, dm[di][0], 1, 1, 0);
                        gm_pamac_op op;
                        memset(&op, 0, sizeof op);
                        op.prec = code;
                        op.mode = (unsigned)dm[di][1];
                        op.k = k;
                        op.t.lo = rnd(&seed);
                        op.t.hi = rnd(&seed);
                        for (a = 0; a < lim; a++)
                            for (w = 0; w < lim; w++) {
                                gm_pamac_res g;
                                ref_res e;
                                op.a = a;
                                op.w = w;
                                ref_eval(&c, &op, &e);
                                if (gm_pamac_eval(&c, &op, &g) == 0 && w_eq_gm(e.y, g.y) &&
                                    g.p == e.p && g.mode == e.mode && g.terms == e.terms &&
                                    g.terms_w == e.tw && g.terms_a == e.ta &&
                                    gm_pamac_cost(&c, &g) == e.cost)
                                    n_pass++;
                                else
                                    eval_matches("approx", &c, &op, &e);
                            }
                    }
            }
        }
    }
}

/* ------------------------------------------------------- 5. wide widths: corners + random */

static uint64_t corner_val(int j, int n)
{
    uint64_t m = mask64(n);
    switch (j) {
    case 0: return 0;
    case 1: return 1;
    case 2: return m;                             /* -1 / max unsigned */
    case 3: return UINT64_C(1) << (n - 1);        /* signed min */
    case 4: return m >> 1;                        /* signed max */
    case 5: return UINT64_C(0x5555555555555555) & m;
    default: return UINT64_C(0xaaaaaaaaaaaaaaaa) & m;
    }
}

static uint64_t random_operand(uint64_t *seed, int n)
{
    uint64_t r = rnd(seed);
    switch (rnd(seed) % 6u) {
    case 0: return r & rnd(seed) & rnd(seed) & mask64(n); /* sparse */
    case 1: return (r | rnd(seed) | rnd(seed)) & mask64(n); /* dense */
    case 2: /* a corner with one bit flipped */
        return corner_val((int)(rnd(seed) % 7u), n) ^ (UINT64_C(1) << (rnd(seed) % (uint64_t)n));
    case 3: return r; /* garbage above N too */
    default: return r & mask64(n);
    }
}

static void test_wide(void)
{
    static const int ns[] = { 7, 8, 15, 16, 17, 31, 32 };
    static const int dm[6][2] = { { GM_DECOMP_WD, 3 }, { GM_DECOMP_AD, 0 },
                                  { GM_DECOMP_BOTH, 0 }, { GM_DECOMP_BOTH, 1 },
                                  { GM_DECOMP_BOTH, 2 }, { GM_DECOMP_BOTH, 3 } };
    uint64_t seed = 5;
    size_t ni;
    /* a self-check of the reference multiply on values where int64 is exact */
    {
        int i;
        for (i = 0; i < 10000; i++) {
            int64_t x = (int64_t)(rnd(&seed) >> 33) - (INT64_C(1) << 30);
            int64_t y = (int64_t)(rnd(&seed) >> 32) - (INT64_C(1) << 31);
            w128 m = w_muls(x, y), s = w_sext(x * y);
            CHECK(m.lo == s.lo && m.hi == s.hi, "reference multiply %lld*%lld", (long long)x,
                  (long long)y);
        }
        /* (2^32-1) * -2^31 = -(2^63 - 2^31), and 2^32 * (2^32) = 2^64 */
        {
            w128 m = w_muls(INT64_C(4294967295), INT64_C(-2147483648));
            w128 q = w_mulu(UINT64_C(1) << 32, UINT64_C(1) << 32);
            CHECK(m.hi == ~UINT64_C(0) && m.lo == UINT64_C(0x8000000080000000) && q.hi == 1 &&
                      q.lo == 0,
                  "reference multiply extremes");
        }
    }
    for (ni = 0; ni < sizeof ns / sizeof ns[0]; ni++) {
        int n = ns[ni], accs[6], ai, pw = ref_clog2((uint64_t)n + 1u);
        accs[0] = n + 1;
        accs[1] = 2 * n;
        accs[2] = 64;
        accs[3] = 65;
        accs[4] = 127;
        accs[5] = 128;
        for (ai = 0; ai < 6; ai++) {
            int acc = accs[ai], sa, ja, jw, di, i;
            /* corners: every pair, every decomposition/mode, a few K and precisions */
            for (sa = 0; sa <= 1; sa++) {
                int nd = ref_ndigits(n, sa);
                unsigned ks[5], precs[3];
                int kw = ref_clog2((uint64_t)nd + 1u), ki, pi;
                ks[0] = 0;
                ks[1] = 1;
                ks[2] = 2;
                ks[3] = (unsigned)ref_ndigits(n, 1) - 1u;
                ks[4] = (unsigned)mask64(kw);
                precs[0] = (unsigned)n;
                precs[1] = 0;
                precs[2] = (unsigned)(n / 2 + 1);
                for (ja = 0; ja < 7; ja++)
                    for (jw = 0; jw < 7; jw++)
                        for (di = 0; di < 7; di++)
                            for (ki = 0; ki < 5; ki++)
                                for (pi = 0; pi < 3; pi++) {
                                    int base = di == 6;
                                    gm_pamac_cfg c = mk_cfg(n, acc, sa, base ? 0 : dm[di][0],
                                                            1, 1, base);
                                    gm_pamac_op op;
                                    ref_res e;
                                    if (base && ki > 1)
                                        continue;
                                    memset(&op, 0, sizeof op);
                                    op.a = corner_val(ja, n);
                                    op.w = corner_val(jw, n);
                                    op.prec = precs[pi];
                                    op.mode = base ? 2u : (unsigned)dm[di][1];
                                    op.k = ks[ki];
                                    op.t = (ki & 1) ? to_gm(w_make(~UINT64_C(0), ~UINT64_C(0)))
                                                    : to_gm(w_make(rnd(&seed), rnd(&seed)));
                                    ref_eval(&c, &op, &e);
                                    eval_matches("corner", &c, &op, &e);
                                }
            }
            /* random operations: ~200k over the 42 (N, ACC) pairs */
            for (i = 0; i < 4800; i++) {
                uint64_t r = rnd(&seed);
                int base = (r & 7u) == 0;
                gm_pamac_cfg c;
                gm_pamac_op op;
                ref_res e;
                int kw;
                sa = (int)((r >> 3) & 1u);
                c = mk_cfg(n, acc, sa, base ? 0 : (int)((r >> 4) % 3u), (int)((r >> 8) & 1u),
                           ((r >> 9) & 7u) != 0, base);
                kw = ref_clog2((uint64_t)ref_ndigits(n, sa) + 1u);
                memset(&op, 0, sizeof op);
                op.a = random_operand(&seed, n);
                op.w = random_operand(&seed, n);
                op.prec = ((r >> 12) & 1u) ? (unsigned)n : (unsigned)(rnd(&seed) & mask64(pw));
                op.mode = (unsigned)((r >> 13) & 3u);
                op.k = ((r >> 15) & 1u) ? 0u : (unsigned)(rnd(&seed) & mask64(kw));
                op.t.lo = rnd(&seed);
                op.t.hi = rnd(&seed);
                ref_eval(&c, &op, &e);
                eval_matches("random", &c, &op, &e);
            }
        }
    }
}

/* ------------------------------------------------ 3. automatic decomposition and cost */

static void test_auto_and_cost(void)
{
    gm_pamac_cfg c = mk_cfg(8, 20, 1, GM_DECOMP_BOTH, 1, 1, 0);
    gm_pamac_cfg b = mk_cfg(8, 20, 1, GM_DECOMP_WD, 0, 1, 1);
    gm_pamac_res r;
    uint64_t a, w;
    int t, ties = 0;
    memset(&r, 0, sizeof r);
    for (t = 0; t <= 20; t++) {
        r.terms = t;
        CHECK(gm_pamac_cost(&c, &r) == (t > 1 ? t : 1), "cost(terms=%d)=%d", t,
              gm_pamac_cost(&c, &r));
        CHECK(gm_pamac_cost(&b, &r) == 0, "baseline cost(terms=%d)=%d", t, gm_pamac_cost(&b, &r));
    }
    /* auto mode over all 8-bit pairs: WD iff terms(W) <= terms(A), the tie going to WD */
    for (a = 0; a < 256; a++)
        for (w = 0; w < 256; w++) {
            gm_pamac_op op;
            int tw = ref_terms(w, 8, 1), ta = ref_terms(a, 8, 1), want;
            memset(&op, 0, sizeof op);
            op.a = a;
            op.w = w;
            op.mode = (unsigned)(2 + ((a ^ w) & 1u));
            op.prec = 8;
            want = tw <= ta ? GM_MODE_WD : GM_MODE_AD;
            ties += tw == ta;
            CHECK(gm_pamac_eval(&c, &op, &r) == 0 && r.mode == want &&
                      r.terms == (want == GM_MODE_WD ? tw : ta),
                  "auto mode a=0x%llx w=0x%llx terms_w=%d terms_a=%d: expected mode %d, got %d",
                  (unsigned long long)a, (unsigned long long)w, tw, ta, want, r.mode);
        }
    CHECK(ties > 0, "no tie exercised");
    /* bad configurations are refused */
    {
        static const int bad[][3] = { { 1, 20, 0 },  { 33, 80, 0 }, { 8, 1, 0 },
                                      { 8, 129, 0 }, { 8, 20, 3 },  { 8, 20, -1 } };
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            gm_pamac_cfg x = mk_cfg(bad[i][0], bad[i][1], 1, bad[i][2], 1, 1, 0);
            gm_pamac_op op;
            char msg[128] = "";
            memset(&op, 0, sizeof op);
            CHECK(gm_pamac_eval(&x, &op, &r) == -1 && gm_pamac_check(&x, msg, sizeof msg) == -1 &&
                      msg[0] != '\0',
                  "config N=%d ACC=%d DECOMP=%d accepted", bad[i][0], bad[i][1], bad[i][2]);
        }
    }
}

/* ----------------------------------------------------------------------- 6. gm_val helpers */

static void test_val(void)
{
    static const int widths[] = { 1, 8, 31, 32, 33, 63, 64, 65, 127, 128 };
    static const char hexd[] = "0123456789abcdef";
    uint64_t seed = 9;
    size_t wi;
    int bits;
    /* masks at every width: all-ones and random, against a mask built bit by bit */
    for (bits = 1; bits <= 128; bits++) {
        w128 m = w_lowmask(bits), ones = w_make(~UINT64_C(0), ~UINT64_C(0));
        w128 r = w_make(rnd(&seed), rnd(&seed));
        gm_val g1 = gm_val_mask(to_gm(ones), bits), g2 = gm_val_mask(to_gm(r), bits);
        w128 t = w_trunc(r, bits), e2 = w_and(r, m);
        CHECK(w_eq_gm(m, g1) && w_eq_gm(e2, g2) && t.lo == e2.lo && t.hi == e2.hi,
              "gm_val_mask(width %d)", bits);
    }
    for (wi = 0; wi < sizeof widths / sizeof widths[0]; wi++) {
        int width = widths[wi], nd = (width + 3) / 4, vi;
        w128 m = w_lowmask(width);
        for (vi = 0; vi < 24; vi++) {
            w128 v;
            char buf[64], exp[40], up[64];
            gm_val back;
            int i, rc;
            if (vi == 0)
                v = w_make(0, 0);
            else if (vi == 1)
                v = m;
            else if (vi == 2)
                v = width > 64 ? w_make(UINT64_C(1) << (width - 65), 0)
                               : w_make(0, UINT64_C(1) << (width - 1));
            else
                v = w_and(w_make(rnd(&seed), rnd(&seed)), m);
            for (i = 0; i < nd; i++) {
                int pos = 4 * (nd - 1 - i);
                uint64_t limb = pos >= 64 ? v.hi : v.lo;
                exp[i] = hexd[(limb >> (pos % 64)) & 15u];
            }
            exp[nd] = '\0';
            memset(buf, 'Z', sizeof buf);
            gm_val_hex(buf, to_gm(v), width);
            CHECK(strcmp(buf, exp) == 0, "gm_val_hex(width %d): '%s', expected '%s'", width, buf,
                  exp);
            back.lo = back.hi = 0x1234;
            rc = gm_val_parse_hex(exp, width, &back);
            CHECK(rc == 0 && w_eq_gm(v, back), "parse_hex('%s', width %d) rc=%d", exp, width, rc);
            for (i = 0; exp[i]; i++)
                up[i] = (exp[i] >= 'a' && exp[i] <= 'f') ? (char)(exp[i] - 'a' + 'A') : exp[i];
            up[i] = '\0';
            rc = gm_val_parse_hex(up, width, &back);
            CHECK(rc == 0 && w_eq_gm(v, back), "parse_hex('%s', width %d) rc=%d", up, width, rc);
            if (nd < 32) { /* one leading zero is still the same value */
                snprintf(up, sizeof up, "0%s", exp);
                rc = gm_val_parse_hex(up, width, &back);
                CHECK(rc == 0 && w_eq_gm(v, back), "parse_hex('%s', width %d) rc=%d", up, width,
                      rc);
            }
        }
        /* overflow of the width is refused */
        if (width < 128) {
            char s[64];
            gm_val out;
            int i, top = width % 4;
            if (top != 0) { /* the top digit with a bit at position `width` */
                s[0] = hexd[1 << top];
                for (i = 1; i < nd; i++)
                    s[i] = '0';
                s[nd] = '\0';
            } else { /* one digit more than the width holds */
                s[0] = '1';
                for (i = 1; i <= nd; i++)
                    s[i] = '0';
                s[nd + 1] = '\0';
            }
            CHECK(gm_val_parse_hex(s, width, &out) == -1, "parse_hex('%s', width %d) accepted", s,
                  width);
        }
    }
    {
        static const char *const bad[] = { "", "g", "-1", "0x1", " 1", "1 ",
                                           "000000000000000000000000000000001" /* 33 */ };
        size_t i;
        gm_val out;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
            CHECK(gm_val_parse_hex(bad[i], 128, &out) == -1, "parse_hex('%s') accepted", bad[i]);
    }
    /* the other helpers */
    {
        gm_val x = gm_val_from_i64(-1), y = gm_val_from_u64(~UINT64_C(0));
        gm_val s = gm_val_add(y, gm_val_from_u64(1)), z = gm_val_add(x, gm_val_from_u64(1));
        CHECK(x.lo == ~UINT64_C(0) && x.hi == ~UINT64_C(0), "from_i64(-1)");
        CHECK(y.lo == ~UINT64_C(0) && y.hi == 0, "from_u64(max)");
        CHECK(s.lo == 0 && s.hi == 1, "add carry into hi");
        CHECK(z.lo == 0 && z.hi == 0, "add wraps at 2^128");
        CHECK(gm_val_eq(x, x) && !gm_val_eq(x, y), "gm_val_eq");
    }
    {
        uint64_t n;
        for (n = 1; n <= 1100; n++)
            CHECK(gm_clog2(n) == ref_clog2(n), "gm_clog2(%llu)=%d", (unsigned long long)n,
                  gm_clog2(n));
        CHECK(gm_clog2(UINT64_C(1) << 63) == 63 && gm_clog2((UINT64_C(1) << 63) + 1u) == 64,
              "gm_clog2 near 2^63");
    }
}

/* -------------------------------------------------------------------- 7. stream generator */

static int field_index(const gm_stream *s, const char *name)
{
    int k;
    for (k = 0; k < s->nf; k++)
        if (strcmp(s->f[k].name, name) == 0)
            return k;
    return -1;
}

static int recs_equal(const gm_rec *x, const gm_rec *y)
{
    int k;
    if (x->stream != y->stream || x->op != y->op || x->delay != y->delay ||
        x->cycle != y->cycle || x->cycle2 != y->cycle2 || x->cost != y->cost)
        return 0;
    for (k = 0; k < GM_MAX_FIELDS; k++)
        if (!gm_val_eq(x->f[k], y->f[k]))
            return 0;
    return 1;
}

static int64_t max2(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

/* Run a generator to its end and check records, values and edges against the reference and
 * the documented schedule (gm_pamac_gen.c). uniform: also the back-to-back shape. */
static void run_stream(const char *block, const gm_param *ps, int np, const gm_pamac_cfg *c,
                       const char *profile, int64_t nvec, uint64_t seed)
{
    char err[256] = "";
    gm_gen *g = gm_gen_open(block, ps, np, seed, nvec, profile, err, sizeof err);
    gm_gen *g2 = gm_gen_open(block, ps, np, seed, nvec, profile, err, sizeof err);
    const gm_stream *si, *so;
    int fa, fw, ft, fp, fm, fk, uniform = profile && strcmp(profile, "uniform") == 0;
    int64_t i, a_prev = -1, w_prev = 0, d_prev = -1, prev_accept = 0, prev_cost = 0;
    int same = 1, fit = 1, fit_width = 0, kw;
    char fit_msg[160] = "";
    CHECK(g != NULL && g2 != NULL, "gm_gen_open(%s, %s) failed: %s", block,
          profile ? profile : "NULL", err);
    if (!g || !g2) {
        gm_gen_close(g);
        gm_gen_close(g2);
        return;
    }
    si = gm_gen_stream(g, 0);
    so = gm_gen_stream(g, 1);
    CHECK(gm_gen_nstreams(g) == 2 && si && so && si->is_input && !so->is_input &&
              strcmp(si->name, "in") == 0 && strcmp(so->name, "out") == 0 && so->nf == 1 &&
              so->f[0].width == c->acc && gm_gen_stream(g, 2) == NULL,
          "%s: stream layout", block);
    if (!si || !so) {
        gm_gen_close(g);
        gm_gen_close(g2);
        return;
    }
    fa = field_index(si, "a");
    fw = field_index(si, "w");
    ft = field_index(si, "t");
    fp = field_index(si, "prec");
    fm = field_index(si, "mode");
    fk = field_index(si, "k");
    kw = ref_clog2((uint64_t)ref_ndigits(c->n, c->signed_a) + 1u);
    CHECK(fa >= 0 && fw >= 0 && ft >= 0 && si->f[fa].width == c->n && si->f[fw].width == c->n &&
              si->f[ft].width == c->acc && (fp >= 0) == (c->prec != 0) &&
              (fp < 0 || si->f[fp].width == ref_clog2((uint64_t)c->n + 1u)) &&
              (fm >= 0) == (!c->baseline && c->decomp == GM_DECOMP_BOTH) &&
              (fm < 0 || si->f[fm].width == 2) && (fk >= 0) == (c->approx != 0) &&
              (fk < 0 || si->f[fk].width == kw),
          "%s: input fields (N=%d ACC=%d)", block, c->n, c->acc);
    if (fa < 0 || fw < 0 || ft < 0) {
        gm_gen_close(g);
        gm_gen_close(g2);
        return;
    }
    for (i = 0; i < nvec; i++) {
        gm_rec in, out, in2, out2;
        gm_pamac_op op;
        ref_res e;
        int64_t rq, acc_e, wr, f, sr, d;
        int k, got_in = gm_gen_next(g, &in), got_out = gm_gen_next(g, &out);
        gm_gen_next(g2, &in2);
        gm_gen_next(g2, &out2);
        same &= recs_equal(&in, &in2) && recs_equal(&out, &out2);
        if (!(got_in && got_out && in.stream == 0 && out.stream == 1 && in.op == i &&
              out.op == i)) {
            fail_msg("%s %s: record pair %lld: streams %d/%d ops %lld/%lld (expected 0/1, op %lld)",
                     block, profile ? profile : "mixed", (long long)i, in.stream, out.stream,
                     (long long)in.op, (long long)out.op, (long long)i);
            break;
        }
        for (k = 0; k < si->nf; k++) {
            w128 v = from_gm(in.f[k]), m = w_trunc(v, si->f[k].width);
            if ((v.lo != m.lo || v.hi != m.hi) && fit) {
                snprintf(fit_msg, sizeof fit_msg, "op %lld field in_%s = %s", (long long)i,
                         si->f[k].name, w_str(err, v));
                fit_width = si->f[k].width;
                fit = 0;
            }
        }
        /* the ports as the hardware reads them */
        memset(&op, 0, sizeof op);
        op.a = in.f[fa].lo & mask64(si->f[fa].width);
        op.w = in.f[fw].lo & mask64(si->f[fw].width);
        op.t = to_gm(w_trunc(from_gm(in.f[ft]), c->acc));
        op.prec = fp >= 0 ? (unsigned)(in.f[fp].lo & mask64(si->f[fp].width)) : (unsigned)c->n;
        op.mode = fm >= 0 ? (unsigned)(in.f[fm].lo & 3u) : 2u;
        op.k = fk >= 0 ? (unsigned)(in.f[fk].lo & mask64(si->f[fk].width)) : 0u;
        ref_eval(c, &op, &e);
        if (!w_eq_gm(e.y, out.f[0]) || in.cost != e.cost || out.cost != e.cost) {
            char b1[40], b2[40];
            fail_msg("%s %s seed %llu op %lld: a=0x%llx w=0x%llx prec=%u mode=%u k=%u: "
                     "expected y=%s cost %d, record y=%s cost %lld/%lld",
                     block, profile ? profile : "mixed", (unsigned long long)seed,
                     (long long)i, (unsigned long long)op.a, (unsigned long long)op.w,
                     op.prec, op.mode, op.k, w_str(b1, e.y), e.cost,
                     w_str(b2, from_gm(out.f[0])), (long long)in.cost, (long long)out.cost);
        } else {
            n_pass++;
        }
        /* the schedule of gm_pamac_gen.c, recomputed from the record's gaps and holds */
        rq = a_prev + 1 + in.delay;
        acc_e = max2(rq, w_prev);
        if (e.cost == 0)
            acc_e = max2(acc_e, d_prev);
        wr = max2(acc_e + e.cost, d_prev);
        f = wr + 1;
        sr = d_prev + 1 + out.delay;
        d = max2(f, sr);
        CHECK(in.cycle == acc_e && in.cycle2 == acc_e && out.cycle == f && out.cycle2 == d &&
                  in.delay >= 0 && out.delay >= 0,
              "%s %s seed %llu op %lld: edges accept %lld/%lld valid %lld transfer %lld, "
              "expected accept %lld valid %lld transfer %lld",
              block, profile ? profile : "mixed", (unsigned long long)seed, (long long)i,
              (long long)in.cycle, (long long)in.cycle2, (long long)out.cycle,
              (long long)out.cycle2, (long long)acc_e, (long long)f, (long long)d);
        if (uniform) {
            int64_t step = c->baseline ? 1 : (prev_cost > 1 ? prev_cost : 1);
            CHECK(in.delay == 0 && out.delay == 0 &&
                      (i == 0 ? in.cycle == 0 : in.cycle == prev_accept + step) &&
                      out.cycle == in.cycle + e.cost + 1 && op.prec == (unsigned)c->n &&
                      op.k == 0u,
                  "%s uniform seed %llu op %lld: accept %lld (previous %lld, cost %lld), "
                  "valid %lld, cost %d",
                  block, (unsigned long long)seed, (long long)i, (long long)in.cycle,
                  (long long)prev_accept, (long long)prev_cost, (long long)out.cycle, e.cost);
        }
        a_prev = acc_e;
        w_prev = wr;
        d_prev = d;
        prev_accept = in.cycle;
        prev_cost = e.cost;
        if (i == 0) {
            char buf[512] = "";
            gm_gen_describe(g, &in, buf, sizeof buf);
            CHECK(strlen(buf) > 10, "%s: gm_gen_describe gave '%s'", block, buf);
        }
    }
    {
        gm_rec r;
        CHECK(gm_gen_next(g, &r) == 0 && gm_gen_next(g, &r) == 0, "%s: run does not end", block);
    }
    CHECK(same, "%s %s: the same seed %llu gave different records", block,
          profile ? profile : "mixed", (unsigned long long)seed);
    /* a port cannot carry a value wider than itself: a harness would drive it truncated
     * (or, unmasked, as an illegal value) */
    CHECK(fit, "%s %s seed %llu (N=%d SIGNED_A=%d): %s does not fit its %d-bit port", block,
          profile ? profile : "mixed", (unsigned long long)seed, c->n, c->signed_a, fit_msg,
          fit_width);
    gm_gen_close(g);
    gm_gen_close(g2);
}

static void expect_rejected(const char *block, const gm_param *ps, int np, const char *profile,
                            int64_t nvec, const char *what)
{
    char err[256] = "";
    gm_gen *g = gm_gen_open(block, ps, np, 1, nvec, profile, err, sizeof err);
    CHECK(g == NULL && err[0] != '\0', "%s: gm_gen_open(%s, profile %s) accepted (err '%s')",
          what, block, profile ? profile : "NULL", err);
    gm_gen_close(g);
}

static void test_stream(void)
{
    gm_pamac_cfg pam = mk_cfg(16, 40, 1, GM_DECOMP_BOTH, 1, 1, 0);
    gm_pamac_cfg par = mk_cfg(16, 40, 1, GM_DECOMP_WD, 0, 1, 1);
    run_stream("pamac", NULL, 0, &pam, "uniform", 3000, 11);
    run_stream("pamac", NULL, 0, &pam, "mixed", 3000, 12);
    run_stream("pamac", NULL, 0, &pam, NULL, 600, 13);
    run_stream("mac_parallel", NULL, 0, &par, "uniform", 3000, 14);
    run_stream("mac_parallel", NULL, 0, &par, "mixed", 2000, 15);
    /* a few non-default configurations, including small ones where K spans its whole port */
    {
        static const int cf[][6] = { /* N ACC SIGNED_A DECOMP APPROX PREC */
                                     { 4, 9, 0, 2, 1, 1 },   { 6, 20, 1, 2, 1, 1 },
                                     { 8, 16, 0, 1, 1, 0 },  { 32, 128, 0, 2, 1, 1 },
                                     { 32, 65, 1, 0, 1, 1 }, { 12, 24, 1, 2, 0, 1 } };
        size_t i;
        for (i = 0; i < sizeof cf / sizeof cf[0]; i++) {
            gm_param ps[6];
            gm_pamac_cfg c = mk_cfg(cf[i][0], cf[i][1], cf[i][2], cf[i][3], cf[i][4], cf[i][5], 0);
            static const char *const names[6] = { "N", "ACC", "SIGNED_A", "DECOMP", "APPROX",
                                                  "PREC" };
            int j;
            for (j = 0; j < 6; j++) {
                ps[j].name = names[j];
                ps[j].value = cf[i][j];
            }
            run_stream("pamac", ps, 6, &c, "mixed", 1500, 100 + i);
            run_stream("pamac", ps, 6, &c, "uniform", 500, 200 + i);
        }
        {
            gm_param ps[4] = { { "N", 7 }, { "ACC", 64 }, { "SIGNED_A", 0 }, { "PREC", 1 } };
            gm_pamac_cfg c = mk_cfg(7, 64, 0, GM_DECOMP_WD, 0, 1, 1);
            run_stream("mac_parallel", ps, 4, &c, "mixed", 1500, 300);
        }
    }
    /* a terms profile: every decomposed W has exactly one essential term */
    {
        char err[256] = "";
        gm_gen *g = gm_gen_open("pamac", NULL, 0, 7, 500, "terms:0,1", err, sizeof err);
        CHECK(g != NULL, "profile terms:0,1 refused: %s", err);
        if (g) {
            gm_rec in, out;
            int bad = 0, fm = field_index(gm_gen_stream(g, 0), "mode");
            int fw = field_index(gm_gen_stream(g, 0), "w");
            while (fm >= 0 && fw >= 0 && gm_gen_next(g, &in) && gm_gen_next(g, &out))
                bad += in.f[fm].lo != GM_MODE_WD || ref_terms(in.f[fw].lo, 16, 1) != 1;
            CHECK(fm >= 0 && fw >= 0, "profile terms:0,1: no mode/w field");
            CHECK(bad == 0, "profile terms:0,1: %d operations without exactly one W term", bad);
            gm_gen_close(g);
        }
    }
    /* profiles and parameters that must be refused with a message */
    {
        static const char *const badp[] = { "terms:",    "terms:x", "bogus", "terms:1,,2",
                                             "terms:-1",  "terms:0,0", "", "uniformx",
                                             "terms:1;2" };
        gm_param unk[1] = { { "BOGUS", 1 } };
        gm_param lower[1] = { { "n", 8 } };
        gm_param dec[1] = { { "DECOMP", 2 } };
        gm_param apx[1] = { { "APPROX", 1 } };
        gm_param n1[1] = { { "N", 1 } }, n33[1] = { { "N", 33 } };
        gm_param acc1[1] = { { "ACC", 1 } }, acc129[1] = { { "ACC", 129 } };
        gm_param dec3[1] = { { "DECOMP", 3 } };
        size_t i;
        for (i = 0; i < sizeof badp / sizeof badp[0]; i++) {
            expect_rejected("pamac", NULL, 0, badp[i], 10, "bad profile");
            expect_rejected("mac_parallel", NULL, 0, badp[i], 10, "bad profile");
        }
        expect_rejected("pamac", unk, 1, NULL, 10, "unknown parameter");
        expect_rejected("pamac", lower, 1, NULL, 10, "parameter names are case-sensitive");
        expect_rejected("mac_parallel", unk, 1, NULL, 10, "unknown parameter");
        expect_rejected("mac_parallel", dec, 1, NULL, 10, "DECOMP on the baseline");
        expect_rejected("mac_parallel", apx, 1, NULL, 10, "APPROX on the baseline");
        expect_rejected("pamac", n1, 1, NULL, 10, "N=1");
        expect_rejected("pamac", n33, 1, NULL, 10, "N=33");
        expect_rejected("pamac", acc1, 1, NULL, 10, "ACC=1");
        expect_rejected("pamac", acc129, 1, NULL, 10, "ACC=129");
        expect_rejected("pamac", dec3, 1, NULL, 10, "DECOMP=3");
        expect_rejected("pamac", NULL, 0, NULL, -1, "negative vector count");
        expect_rejected("pamacx", NULL, 0, NULL, 10, "unknown block");
    }
    /* different seeds differ */
    {
        char err[256] = "";
        gm_gen *g1 = gm_gen_open("pamac", NULL, 0, 1, 20, "uniform", err, sizeof err);
        gm_gen *g2 = gm_gen_open("pamac", NULL, 0, 2, 20, "uniform", err, sizeof err);
        int differ = 0;
        if (g1 && g2) {
            gm_rec x, y;
            while (gm_gen_next(g1, &x) && gm_gen_next(g2, &y))
                differ |= !recs_equal(&x, &y);
        }
        CHECK(g1 && g2 && differ, "seeds 1 and 2 gave identical runs");
        gm_gen_close(g1);
        gm_gen_close(g2);
    }
}

int main(void)
{
    test_val();
    test_booth();
    test_truncate_direct();
    test_auto_and_cost();
    test_exact_exhaustive();
    test_approx_exhaustive();
    test_wide();
    test_stream();
    if (n_fail > MAX_REPORT)
        printf("(%lld more failures not shown)\n", n_fail - MAX_REPORT);
    printf("test_pamac: %lld passed, %lld failed\n", n_pass, n_fail);
    return n_fail ? 1 : 0;
}
