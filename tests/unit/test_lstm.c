/*
 * test_lstm.c -- E-LSTM compression against brute force: LogQ is the nearest power of two
 * in the linear domain (ties to the larger), every group keeps exactly min(k, length)
 * weights and they are its largest magnitudes, dequantization and the packed words agree
 * with the codes, and model files parse.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gm_lstm.h"

static long pass, fail;

#define CHECK(c, ...)                                                                          \
    do {                                                                                       \
        if (c)                                                                                 \
            pass++;                                                                            \
        else {                                                                                 \
            fail++;                                                                            \
            if (fail < 20) {                                                                   \
                printf("FAIL %s:%d: ", __FILE__, __LINE__);                                    \
                printf(__VA_ARGS__);                                                           \
                printf("\n");                                                                  \
            }                                                                                  \
        }                                                                                      \
    } while (0)

static void test_logq(void)
{
    int m, f, i;
    for (m = -2; m <= 2; m++)
        for (f = -m; f <= 8; f++)
            for (i = -4000; i <= 4000; i++) {
                double w = i / 997.0, best = -1, a = fabs(w);
                int e, be = -f, s, ex;
                for (e = -f; e <= m; e++) { /* nearest, ties to the larger magnitude */
                    double d = fabs(a - ldexp(1.0, e));
                    if (best < 0 || d <= best) {
                        best = d;
                        be = e;
                    }
                }
                gm_lstm_logq(w, m, f, &s, &ex);
                CHECK(ex == be && s == (w < 0), "logq(%g, m %d, f %d) = %d, want %d", w, m, f, ex,
                      be);
            }
}

static void test_compress(int in, int hid, int n, int k, uint64_t seed)
{
    gm_lstm_float m;
    gm_lstm_comp z;
    gm_lstm_cfg c;
    char err[256];
    int r, g, col;
    c.n = n;
    c.k = k;
    c.m = 0;
    c.f = 7;
    if (gm_lstm_random(&m, in, hid, seed, err, sizeof err) ||
        gm_lstm_compress(&m, &c, &z, err, sizeof err)) {
        CHECK(0, "%s", err);
        return;
    }
    for (r = 0; r < 4 * hid; r++)
        for (g = 0; g * n < in; g++) {
            int len = in - g * n < n ? in - g * n : n, cnt = 0, j, t;
            double minkept = 1e9, maxdrop = -1;
            for (j = 0; j < len; j++) {
                double w = m.w[(size_t)r * (size_t)in + (size_t)(g * n + j)];
                double q = gm_lstm_deq(&z.w, r, g * n + j);
                if (q != 0) {
                    int s, e;
                    cnt++;
                    gm_lstm_logq(w, c.m, c.f, &s, &e);
                    CHECK(q == (s ? -1.0 : 1.0) * ldexp(1.0, e), "deq r %d col %d", r, g * n + j);
                    if (fabs(w) < minkept)
                        minkept = fabs(w);
                } else if (fabs(w) > maxdrop) {
                    maxdrop = fabs(w);
                }
            }
            CHECK(cnt == (len < k ? len : k), "row %d group %d keeps %d", r, g, cnt);
            CHECK(maxdrop <= minkept, "row %d group %d: dropped %g > kept %g", r, g, maxdrop,
                  minkept);
            for (t = 0; t < (len < k ? len : k); t++) {
                int e = r * z.w.kept_per_row + g * k + t;
                uint64_t wd = gm_lstm_word(&z, &z.w, r, g * k + t);
                CHECK((int)(wd >> (1 + z.ewidth)) == z.w.idx[e], "word index");
                CHECK((int)((wd >> z.ewidth) & 1u) == z.w.sgn[e], "word sign");
                CHECK((int)(wd & ((1u << z.ewidth) - 1u)) == z.w.ex[e] + c.f, "word exponent");
                if (t > 0)
                    CHECK(z.w.idx[e] > z.w.idx[e - 1], "indices ascend");
            }
        }
    for (col = 0; col < hid; col++) /* U: one column's entries exist in every row's group */
        CHECK(fabs(gm_lstm_deq(&z.u, 0, col)) <= 1.0, "U range");
    gm_lstm_comp_free(&z);
    gm_lstm_float_free(&m);
}

static void test_parse(void)
{
    const char *ok = "{\"input\":1,\"hidden\":1,\"W\":[0.5,-1,2,0.25],\"U\":[1,1,1,1],"
                     "\"b\":[0,0,0,0]}";
    const char *bad[] = { "{\"input\":1,\"hidden\":1,\"W\":[1],\"U\":[1,1,1,1],\"b\":[0,0,0,0]}",
                          "{\"input\":0,\"hidden\":1}", "[1,2]", "{\"input\":1e9,\"hidden\":1}",
                          "{\"input\":1,\"hidden\":1,\"W\":[1,1,1,\"x\"],\"U\":[1,1,1,1],"
                          "\"b\":[0,0,0,0]}",
                          NULL };
    gm_lstm_float m;
    char err[256];
    int i;
    CHECK(gm_lstm_parse(&m, ok, strlen(ok), err, sizeof err) == 0 && m.w[1] == -1.0 &&
              m.w[2] == 2.0,
          "parse ok: %s", err);
    gm_lstm_float_free(&m);
    for (i = 0; bad[i]; i++) {
        int rc = gm_lstm_parse(&m, bad[i], strlen(bad[i]), err, sizeof err);
        CHECK(rc != 0 && !strchr(err, '\n') && strstr(err, "legal"), "bad %d accepted", i);
    }
}

/* The PLAN sigmoid and its tanh: within 0.02 of the real functions, symmetric, monotone;
 * quantization rounds half away from zero and saturates. */
static void test_fixed_functions(void)
{
    gm_lstm_fx q = { 16, 12, 0.0 };
    int64_t z, prev = -1, one = 1 << 12;
    for (z = -10 * one; z <= 10 * one; z++) {
        double x = ldexp((double)z, -12);
        int64_t s = gm_lstm_sig(&q, z), t = gm_lstm_tanh(&q, z);
        CHECK(fabs(ldexp((double)s, -12) - 1.0 / (1.0 + exp(-x))) < 0.02, "sig(%g)", x);
        CHECK(fabs(ldexp((double)t, -12) - tanh(x)) < 0.04, "tanh(%g)", x);
        CHECK(s + gm_lstm_sig(&q, -z) == one, "sig symmetric at %g", x);
        CHECK(s >= prev, "sig monotone at %g", x);
        prev = s;
    }
    CHECK(gm_lstm_quant(&q, 0.5 / 4096) == 1 && gm_lstm_quant(&q, -0.5 / 4096) == -1, "round");
    CHECK(gm_lstm_quant(&q, 100.0) == 32767 && gm_lstm_quant(&q, -100.0) == -32768, "saturate");
}

/* Without pruning (k = n) the fixed-point LSTM follows the float one with the same
 * (power-of-two) weights; clipping only adds zeros. */
static void test_fixed_step(void)
{
    gm_lstm_float m;
    gm_lstm_comp z;
    gm_lstm_cfg c = { 4, 4, 0, 7 };
    gm_lstm_fx q = { 16, 12, 0.0 }, qc = { 16, 12, 0.4 };
    char err[256];
    int64_t xq[12], h[9] = { 0 }, cc[9] = { 0 }, h2[9] = { 0 }, c2[9] = { 0 };
    double x[12], hf[9] = { 0 }, cf[9] = { 0 }, e = 0;
    int t, j, zeros = 0, zc = 0;
    gm_rng r;
    if (gm_lstm_random(&m, 12, 9, 7, err, sizeof err) ||
        gm_lstm_compress(&m, &c, &z, err, sizeof err)) {
        CHECK(0, "%s", err);
        return;
    }
    gm_rng_seed(&r, 3);
    for (t = 0; t < 40; t++) {
        for (j = 0; j < 12; j++) {
            x[j] = 2.0 * (double)(gm_rng_next(&r) >> 11) / 9007199254740992.0 - 1.0;
            xq[j] = gm_lstm_quant(&q, x[j]);
        }
        zeros += gm_lstm_fx_step(&z, &m, &q, xq, h, cc);
        zc += gm_lstm_fx_step(&z, &m, &qc, xq, h2, c2);
        gm_lstm_float_step(&m, &z, x, hf, cf);
        for (j = 0; j < 9; j++)
            e += (ldexp((double)h[j], -12) - hf[j]) * (ldexp((double)h[j], -12) - hf[j]);
    }
    CHECK(sqrt(e / 360.0) < 0.02, "fixed vs float h RMS %g", sqrt(e / 360.0));
    CHECK(zc >= zeros, "clipping gives zeros: %d vs %d", zc, zeros);
    gm_lstm_comp_free(&z);
    gm_lstm_float_free(&m);
}

int main(void)
{
    test_fixed_functions();
    test_fixed_step();
    test_logq();
    test_compress(37, 5, 16, 2, 1);
    test_compress(64, 16, 8, 3, 2);
    test_compress(10, 3, 4, 4, 3);
    test_compress(5, 7, 16, 2, 4); /* rows shorter than a group */
    test_parse();
    printf("test_lstm: %ld passed, %ld failed\n", pass, fail);
    return fail != 0;
}
