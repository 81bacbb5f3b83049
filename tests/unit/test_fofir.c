/*
 * test_fofir.c -- the FoFIR golden model against a naive reference written here: each
 * row is collected, then y[n] = sum_k h[k] x[n+k] with plain 64-bit arithmetic (exact
 * products, approximation off), wrapped to ACC bits. Covers K = 1..16, signed and unsigned
 * samples, mixed widths, rows shorter than K, coefficient reloads between rows, and the
 * stream generator's records (fields within their widths, outputs in order).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gm_fofir.h"
#include "gm_stream.h"

static long pass, fail;

static void check(int ok, const char *what, int K, long row, long n)
{
    if (ok) {
        pass++;
        return;
    }
    if (fail < 20)
        printf("FAIL %s (K=%d row %ld output %ld)\n", what, K, row, n);
    fail++;
}

static int64_t sext(uint64_t v, int w)
{
    uint64_t m = (UINT64_C(1) << w) - 1u;
    v &= m;
    return (v >> (w - 1)) & 1u ? (int64_t)(v | ~m) : (int64_t)v;
}

static void run_cfg(int K, int xw, int hw, int acc, int sx, uint64_t seed)
{
    gm_fofir_cfg c;
    gm_fofir f;
    gm_rng rng;
    char msg[128];
    long row;
    memset(&c, 0, sizeof c);
    c.k = K;
    c.xw = xw;
    c.hw = hw;
    c.signed_x = sx;
    c.mac.n = xw > hw ? xw : hw;
    c.mac.acc = acc;
    c.mac.signed_a = sx;
    c.mac.decomp = GM_DECOMP_BOTH;
    if (gm_fofir_check(&c, msg, sizeof msg)) {
        check(0, msg, K, 0, 0);
        return;
    }
    gm_fofir_init(&f, &c);
    gm_rng_seed(&rng, seed);
    for (row = 0; row < 60; row++) {
        int64_t h[16], x[64];
        int L = 1 + (int)gm_rng_below(&rng, (uint64_t)(3 * K + 4)), k, m, got = 0;
        uint64_t hraw[16];
        for (k = 0; k < K; k++) {
            hraw[k] = gm_rng_below(&rng, 3) == 0 ? 0 : gm_rng_next(&rng) & ((UINT64_C(1) << hw) - 1u);
            gm_fofir_load(&f, (unsigned)k, hraw[k]);
            h[k] = sext(hraw[k], hw);
        }
        for (m = 0; m < L; m++) {
            uint64_t xr = gm_rng_below(&rng, 4) == 0 ? 0 : gm_rng_next(&rng) & ((UINT64_C(1) << xw) - 1u);
            gm_val y;
            x[m] = sx ? sext(xr, xw) : (int64_t)xr;
            if (gm_fofir_sample(&f, xr, m == L - 1, 0, (unsigned)(m % 4), 0, &y)) {
                int64_t n = m - K + 1;
                uint64_t s = 0, mask = acc >= 64 ? UINT64_MAX : ((UINT64_C(1) << acc) - 1u);
                uint64_t hi = 0; /* naive sum as 128 bits: sign-extended terms */
                for (k = 0; k < K; k++) {
                    int64_t p = h[k] * x[n + k];
                    uint64_t lo0 = s;
                    s += (uint64_t)p;
                    hi += (p < 0 ? UINT64_MAX : 0) + (s < lo0 ? 1u : 0u);
                }
                if (acc <= 64)
                    check((y.lo == (s & mask)) && y.hi == 0, "output value", K, row, (long)n);
                else
                    check(y.lo == s && y.hi == (hi & ((UINT64_C(1) << (acc - 64)) - 1u)),
                          "output value (wide)", K, row, (long)n);
                got++;
            }
        }
        check(got == (L >= K ? L - K + 1 : 0), "number of outputs per row", K, row, got);
    }
}

static void gen_checks(void)
{
    gm_param ps[] = { { "K", 5 }, { "XW", 6 }, { "HW", 9 }, { "ACC", 30 }, { "APPROX", 1 },
                      { "PREC", 1 } };
    char err[256];
    gm_gen *g = gm_gen_open("fofir", ps, 6, 3, 5000, NULL, err, sizeof err);
    gm_rec r;
    int64_t nin = 0, nout = 0, last_in = -1, last_out = -1;
    if (!g) {
        check(0, err, 5, 0, 0);
        return;
    }
    while (gm_gen_next(g, &r)) {
        const gm_stream *st = gm_gen_stream(g, r.stream);
        int k, ok = 1;
        for (k = 0; k < st->nf; k++)
            ok &= gm_val_eq(gm_val_mask(r.f[k], st->f[k].width), r.f[k]);
        check(ok, "record fields within their widths", 5, 0, (long)r.op);
        if (r.stream == 0) {
            check(r.op == nin++ && r.cycle > last_in, "inputs in order, accept edges increasing", 5, 0, (long)r.op);
            last_in = r.cycle;
        } else {
            check(r.op == nout++ && r.cycle2 > last_out && r.cycle2 >= r.cycle,
                  "outputs in order, transfer after valid", 5, 0, (long)r.op);
            last_out = r.cycle2;
        }
    }
    check(nin == 5000 && nout > 1000, "generator produced the run", 5, 0, (long)nout);
    gm_gen_close(g);
    check(gm_gen_open("fofir", ps, 6, 3, 10, "sparse:2,0", err, sizeof err) == NULL,
          "bad sparsity rejected", 5, 0, 0);
    check(gm_gen_open("fofir", ps, 6, 3, 10, "bogus", err, sizeof err) == NULL,
          "unknown profile rejected", 5, 0, 0);
}

int main(void)
{
    int K;
    for (K = 1; K <= 16; K++) {
        run_cfg(K, 8, 8, 24, 1, (uint64_t)K);
        run_cfg(K, 4, 12, 20, 0, (uint64_t)K + 100);
        run_cfg(K, 16, 16, 40, 1, (uint64_t)K + 200);
        run_cfg(K, 32, 32, 100, 1, (uint64_t)K + 300);
    }
    gen_checks();
    printf("test_fofir: %ld passed, %ld failed\n", pass, fail);
    return fail ? 1 : 0;
}
