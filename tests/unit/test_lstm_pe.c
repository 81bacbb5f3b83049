/*
 * test_lstm_pe.c -- the LSTM PE's golden models against naive references:
 *   - value: a dense matrix built word by word from the packed words, times x, exhaustive
 *     over every word set and every activation vector at small widths, random at large
 *     ones (128-bit sums, wrapped to ACC);
 *   - the words a PE is loaded with from `compress` reproduce the layer golden: the dense
 *     product of the dequantized weights, and gm_lstm_fx_pre's pre-activations bit for bit
 *     once the bias is added and the sum rounded;
 *   - cycles: the cycle-stepped model (script mode, output always ready) against the
 *     closed form of the contract (records back to back, dense or only the non-zero
 *     activations, row r of a vector max(1, a_r) issue cycles, y[r] valid two edges after
 *     its last issue);
 *   - configuration checks;
 *   - the layer golden's decoupled schedule (gm_lstm_layer.c: all W x_t first) against
 *     gm_lstm_fx_step run step after step, and its P-PE row partition: every gate row in
 *     exactly one PE, PEs loaded with their rows' words giving the phase-1 sums.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gm_lstm_layer.h"
#include "gm_lstm_pe.h"
#include "gm_stream.h"

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

static uint64_t maskn(int w)
{
    return w >= 64 ? UINT64_MAX : ((UINT64_C(1) << w) - 1u);
}

static int64_t sext(uint64_t v, int w)
{
    v &= maskn(w);
    return (v >> (w - 1)) & 1u ? (int64_t)(v | ~maskn(w)) : (int64_t)v;
}

/* Naive reference: a dense row (the sum of the words' +-2^code per column, columns past
 * the matrix dropped), then the plain dot product in 128 bits, wrapped to ACC. */
static gm_val naive_row(const gm_lstm_pe_cfg *c, const gm_lstm_pe_dims *d, const uint64_t *words,
                        const int64_t *x)
{
    int64_t dense[4096];
    gm_val s = { 0, 0 };
    int j, col;
    memset(dense, 0, sizeof dense);
    for (j = 0; j < d->kpr; j++) {
        uint64_t w = words[j];
        int code = (int)(w & maskn(d->ew)), sg = (int)((w >> d->ew) & 1u);
        int idx = (int)((w >> (d->ew + 1)) & maskn(d->iw));
        col = (j / c->k) * c->n + idx;
        if (col < c->cols)
            dense[col] += (sg ? -1 : 1) * ((int64_t)1 << code);
    }
    for (col = 0; col < c->cols; col++) {
        /* |dense| <= kpr * 2^31 and |x| <= 2^31: split the product to stay in 64 bits */
        int64_t hi = dense[col] / 65536, lo = dense[col] % 65536;
        gm_val ph = gm_val_from_i64(hi * x[col]), pl = gm_val_from_i64(lo * x[col]);
        int k;
        for (k = 0; k < 16; k++) /* ph * 2^16 */
            ph = gm_val_add(ph, ph);
        s = gm_val_add(s, gm_val_add(ph, pl));
    }
    return gm_val_mask(s, c->acc);
}

static int64_t naive_cost(const gm_lstm_pe_cfg *c, const gm_lstm_pe_dims *d,
                          const uint64_t *words, const int64_t *x)
{
    int64_t a = 0;
    int j;
    for (j = 0; j < d->kpr; j++) {
        int col = (j / c->k) * c->n + (int)((words[j] >> (d->ew + 1)) & maskn(d->iw));
        a += col < c->cols && x[col] != 0;
    }
    return a > 1 ? a : 1;
}

/* Every word set of one row and every activation vector, at 3-bit words and activations. */
static void test_exhaustive(int k)
{
    gm_lstm_pe_cfg c = { 1, 3, 2, k, 0, 1, 3, 0, 0 };
    gm_lstm_pe_dims d;
    gm_lstm_pe p;
    uint64_t ws, words[8];
    int64_t x[3];
    int xi, j;
    gm_lstm_pe_dims_of(&c, &d);
    c.acc = d.acc_min;
    CHECK(gm_lstm_pe_init(&p, &c) == 0, "init k=%d", k);
    for (ws = 0; ws < (UINT64_C(1) << (d.ww * d.kpr)); ws++) {
        for (j = 0; j < d.kpr; j++) {
            words[j] = (ws >> (j * d.ww)) & maskn(d.ww);
            gm_lstm_pe_write(&p, (uint64_t)j, words[j]);
        }
        for (xi = 0; xi < 512; xi++) {
            gm_val y, want;
            for (j = 0; j < 3; j++)
                x[j] = sext((uint64_t)(xi >> (3 * j)), 3);
            gm_lstm_pe_eval(&p, x, &y);
            want = naive_row(&c, &d, words, x);
            CHECK(gm_val_eq(y, want), "k=%d words %llx x %d: y %llx want %llx", k,
                  (unsigned long long)ws, xi, (unsigned long long)y.lo,
                  (unsigned long long)want.lo);
            CHECK(gm_lstm_pe_row_cost(&p, x, 0) == naive_cost(&c, &d, words, x),
                  "cost k=%d words %llx x %d", k, (unsigned long long)ws, xi);
        }
    }
    gm_lstm_pe_free(&p);
}

static void test_random(uint64_t seed)
{
    gm_rng r;
    int it;
    gm_rng_seed(&r, seed);
    for (it = 0; it < 300; it++) {
        gm_lstm_pe_cfg c;
        gm_lstm_pe_dims d;
        gm_lstm_pe p;
        char err[256];
        uint64_t *w;
        int64_t x[200];
        gm_val y[6];
        int row, j, t;
        c.dbuf = 0;
        c.rows = 1 + (int)gm_rng_below(&r, 6);
        c.cols = 1 + (int)gm_rng_below(&r, 200);
        c.n = 2 << gm_rng_below(&r, 6);
        c.k = 1 + (int)gm_rng_below(&r, (uint64_t)c.n);
        c.em = (int)gm_rng_below(&r, 5);
        c.ef = (int)gm_rng_below(&r, 12);
        c.b = 2 + (int)gm_rng_below(&r, 31);
        gm_lstm_pe_dims_of(&c, &d);
        c.acc = d.acc_min + (int)gm_rng_below(&r, (uint64_t)(65 - d.acc_min));
        CHECK(gm_lstm_pe_check(&c, err, sizeof err) == 0, "config %d: %s", it, err);
        if (gm_lstm_pe_init(&p, &c))
            continue;
        w = calloc((size_t)c.rows * (size_t)d.kpr, sizeof *w);
        for (j = 0; j < c.rows * d.kpr; j++) {
            w[j] = gm_rng_next(&r) & maskn(d.ww);
            if (gm_rng_below(&r, 3) == 0) /* legal codes at the top of the range */
                w[j] = (w[j] & ~maskn(d.ew)) | (uint64_t)(c.em + c.ef);
            gm_lstm_pe_write(&p, (uint64_t)j, w[j]);
        }
        gm_lstm_pe_write(&p, (uint64_t)(c.rows * d.kpr), 0); /* past the memory: ignored */
        for (t = 0; t < 4; t++) {
            for (j = 0; j < c.cols; j++) {
                uint64_t v = gm_rng_next(&r);
                x[j] = t == 0 ? 0 : t == 1 ? -((int64_t)1 << (c.b - 1)) : sext(v, c.b);
                if (t == 3 && gm_rng_below(&r, 2))
                    x[j] = 0;
            }
            gm_lstm_pe_eval(&p, x, y);
            for (row = 0; row < c.rows; row++) {
                gm_val want = naive_row(&c, &d, w + (size_t)row * (size_t)d.kpr, x);
                CHECK(gm_val_eq(y[row], want), "config %d row %d vector %d", it, row, t);
                CHECK(gm_lstm_pe_row_cost(&p, x, row) ==
                          naive_cost(&c, &d, w + (size_t)row * (size_t)d.kpr, x),
                      "cost config %d row %d", it, row);
            }
        }
        free(w);
        gm_lstm_pe_free(&p);
    }
}

/* A compressed LSTM loaded into PEs through the write port gives the layer's numbers. */
static void test_layer(int in, int hid, int n, int k, uint64_t seed)
{
    gm_lstm_float m;
    gm_lstm_comp z;
    gm_lstm_cfg cc;
    gm_lstm_fx q = { 16, 12, 0.0 };
    gm_lstm_pe_cfg pw, pu;
    gm_lstm_pe pew, peu;
    gm_lstm_pe_dims dw, du;
    char err[256];
    int64_t x[64], h[64], pre[256];
    gm_val yw[256], yu[256];
    gm_rng r;
    int j, col, row;
    cc.n = n;
    cc.k = k;
    cc.m = 0;
    cc.f = 7;
    if (gm_lstm_random(&m, in, hid, seed, err, sizeof err) ||
        gm_lstm_compress(&m, &cc, &z, err, sizeof err)) {
        CHECK(0, "compress: %s", err);
        return;
    }
    pw.rows = pu.rows = 4 * hid;
    pw.cols = in;
    pu.cols = hid;
    pw.n = pu.n = n;
    pw.k = pu.k = k;
    pw.em = pu.em = 0;
    pw.ef = pu.ef = 7;
    pw.b = pu.b = q.b;
    gm_lstm_pe_dims_of(&pw, &dw);
    gm_lstm_pe_dims_of(&pu, &du);
    pw.acc = dw.acc_min;
    pu.acc = du.acc_min;
    CHECK(gm_lstm_pe_init(&pew, &pw) == 0 && gm_lstm_pe_init(&peu, &pu) == 0, "PE init");
    CHECK(dw.kpr == z.w.kept_per_row && du.kpr == z.u.kept_per_row && dw.ww == z.code_bits,
          "PE sizes match the compressed matrices");
    for (row = 0; row < 4 * hid; row++) {
        for (j = 0; j < dw.kpr; j++)
            gm_lstm_pe_write(&pew, (uint64_t)(row * dw.kpr + j), gm_lstm_word(&z, &z.w, row, j));
        for (j = 0; j < du.kpr; j++)
            gm_lstm_pe_write(&peu, (uint64_t)(row * du.kpr + j), gm_lstm_word(&z, &z.u, row, j));
    }
    gm_rng_seed(&r, seed ^ 77);
    for (j = 0; j < in; j++)
        x[j] = gm_rng_below(&r, 3) == 0 ? 0 : sext(gm_rng_next(&r), 14);
    for (j = 0; j < hid; j++)
        h[j] = gm_rng_below(&r, 3) == 0 ? 0 : sext(gm_rng_next(&r), 13);
    gm_lstm_pe_eval(&pew, x, yw);
    gm_lstm_pe_eval(&peu, h, yu);
    CHECK(gm_lstm_fx_pre(&z, &m, &q, x, h, pre) == 0, "fx_pre");
    for (row = 0; row < 4 * hid; row++) {
        double dotw = 0, dotu = 0;
        int64_t sw = sext(yw[row].lo, pw.acc), su = sext(yu[row].lo, pu.acc), acc, pr;
        double bv = m.b[row] * ldexp(1.0, q.f + cc.f);
        /* the plain dot product of the dequantized weights (exact in double here) */
        for (col = 0; col < in; col++)
            dotw += ldexp(gm_lstm_deq(&z.w, row, col), cc.f) * (double)x[col];
        for (col = 0; col < hid; col++)
            dotu += ldexp(gm_lstm_deq(&z.u, row, col), cc.f) * (double)h[col];
        CHECK((double)sw == dotw && (double)su == dotu, "row %d: PE %lld %lld, dot %g %g", row,
              (long long)sw, (long long)su, dotw, dotu);
        /* the layer adds the bias and rounds to F fraction bits, saturated to B */
        acc = (int64_t)floor(bv + 0.5) + sw + su;
        pr = acc >= 0 ? (acc + 64) >> 7 : -((-acc + 64) >> 7);
        if (pr > 32767)
            pr = 32767;
        if (pr < -32768)
            pr = -32768;
        CHECK(pr == pre[row], "row %d: pre-activation from the PEs %lld, layer %lld", row,
              (long long)pr, (long long)pre[row]);
    }
    gm_lstm_pe_free(&pew);
    gm_lstm_pe_free(&peu);
    gm_lstm_comp_free(&z);
    gm_lstm_float_free(&m);
}

/* The stepped cycle model against the closed form, output always ready: records back to
 * back, a vector ends at its record with last = 1, rows take max(1, a_r) issue cycles. */
static void test_cycles(uint64_t seed)
{
    gm_rng r;
    int it;
    gm_rng_seed(&r, seed);
    for (it = 0; it < 200; it++) {
        gm_lstm_pe_cfg c;
        gm_lstm_pe_dims d;
        gm_lstm_pe p;
        gm_rec *rec;
        int64_t *in_edge, *out_edge, nout = 0, n = 0, o = 0, *x, *vend, e;
        int nv = 1 + (int)gm_rng_below(&r, 4), v, j, row, nwords, *vrecs;
        c.dbuf = 0;
        c.rows = 1 + (int)gm_rng_below(&r, 5);
        c.cols = 1 + (int)gm_rng_below(&r, 40);
        c.n = 2 << gm_rng_below(&r, 4);
        c.k = 1 + (int)gm_rng_below(&r, (uint64_t)c.n);
        c.em = 0;
        c.ef = (int)gm_rng_below(&r, 8);
        c.b = 2 + (int)gm_rng_below(&r, 15);
        gm_lstm_pe_dims_of(&c, &d);
        c.acc = d.acc_min;
        nwords = c.rows * d.kpr;
        if (gm_lstm_pe_init(&p, &c))
            continue;
        rec = calloc((size_t)(nwords + nv * (c.cols + 2)), sizeof *rec);
        in_edge = calloc((size_t)(nwords + nv * (c.cols + 2)), sizeof *in_edge);
        out_edge = calloc((size_t)(nv * c.rows + 1), sizeof *out_edge);
        x = calloc((size_t)(nv * c.cols), sizeof *x);
        vend = calloc((size_t)nv, sizeof *vend);
        vrecs = calloc((size_t)nv, sizeof *vrecs);
        for (j = 0; j < nwords; j++) {
            uint64_t w = gm_rng_next(&r) & maskn(d.ww);
            rec[n].f[0] = gm_val_from_u64(1);
            rec[n].f[1] = gm_val_from_u64((uint64_t)j);
            rec[n].f[2] = gm_val_from_u64(w);
            gm_lstm_pe_write(&p, (uint64_t)j, w);
            n++;
        }
        for (v = 0; v < nv; v++) { /* dense (every column) or sparse (the non-zero ones) */
            int sparse = (int)gm_rng_below(&r, 2), first = (int)n;
            for (j = 0; j < c.cols; j++) {
                int64_t xv = gm_rng_below(&r, 2) ? 0 : sext(gm_rng_next(&r), c.b);
                x[v * c.cols + j] = xv;
                if (sparse && xv == 0)
                    continue;
                rec[n].f[0] = gm_val_from_u64(0);
                rec[n].f[1] = gm_val_from_u64((uint64_t)j);
                rec[n].f[2] = gm_val_from_u64((uint64_t)xv & maskn(c.b));
                n++;
            }
            if ((int)n == first) { /* nothing to send: a zero ends the vector */
                rec[n].f[0] = gm_val_from_u64(0);
                rec[n].f[1] = gm_val_from_u64(0);
                n++;
            }
            rec[n - 1].f[3] = gm_val_from_u64(1);
            vend[v] = n - 1;
            vrecs[v] = (int)n - first;
        }
        if (gm_lstm_pe_script_run(&c, rec, n, in_edge, out_edge, nv * c.rows, &nout)) {
            CHECK(0, "script run");
        } else {
            CHECK(nout == (int64_t)nv * c.rows, "outputs %lld, want %d", (long long)nout,
                  nv * c.rows);
            for (j = 0; j < nwords; j++) /* weights back to back from edge 0 */
                CHECK(in_edge[j] == j, "weight %d accepted at %lld", j, (long long)in_edge[j]);
            e = nwords; /* the edge of the vector's first record */
            for (v = 0; v < nv; v++) {
                int64_t end = e + vrecs[v] - 1;
                CHECK(in_edge[vend[v]] == end, "config %d vector %d: last record at %lld, want "
                                               "%lld",
                      it, v, (long long)in_edge[vend[v]], (long long)end);
                for (row = 0; row < c.rows; row++) {
                    end += gm_lstm_pe_row_cost(&p, x + v * c.cols, row);
                    CHECK(out_edge[o] == end + 2, "config %d vector %d y[%d] valid at %lld, "
                                                  "want %lld",
                          it, v, row, (long long)out_edge[o], (long long)(end + 2));
                    o++;
                }
                e = end + 1; /* the next record */
            }
        }
        free(rec);
        free(in_edge);
        free(out_edge);
        free(x);
        free(vend);
        free(vrecs);
        gm_lstm_pe_free(&p);
    }
}

static void test_check(void)
{
    static const struct {
        gm_lstm_pe_cfg c;
        const char *why;
    } bad[] = {
        { { 8, 64, 12, 2, 0, 7, 16, 32, 0 }, "N not a power of two" },
        { { 8, 64, 1, 1, 0, 7, 16, 32, 0 }, "N = 1" },
        { { 8, 64, 4, 5, 0, 7, 16, 32, 0 }, "K > N" },
        { { 8, 64, 16, 2, 0, 7, 16, 26, 0 }, "ACC below B+EM+EF+1+clog2(KPR) = 27" },
        { { 8, 64, 16, 2, 0, 7, 16, 65, 0 }, "ACC > 64" },
        { { 8, 64, 16, 2, 10, 22, 16, 64, 0 }, "EM+EF > 31" },
        { { 0, 64, 16, 2, 0, 7, 16, 32, 0 }, "ROWS = 0" },
        { { 8, 64, 16, 2, 0, 7, 33, 64, 0 }, "B = 33" },
        { { 1024, 4096, 16, 16, 0, 7, 32, 64, 0 }, "too many register bits" },
        { { 1024, 1024, 16, 1, 0, 7, 16, 64, 0 }, "more than 32768 weight words" },
        { { 8, 64, 16, 2, 0, 7, 16, 32, 2 }, "DBUF = 2" },
    };
    gm_lstm_pe_cfg ok = { 8, 64, 16, 2, 0, 7, 16, 27, 0 };
    char err[256];
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(gm_lstm_pe_check(&bad[i].c, err, sizeof err) != 0 && strstr(err, "legal"),
              "accepted: %s", bad[i].why);
    CHECK(gm_lstm_pe_check(&ok, err, sizeof err) == 0, "ACC = 27 refused: %s", err);
}

static void test_layer_run(int in, int hid, int n, int k, double thr, uint64_t seed)
{
    gm_lstm_float m;
    gm_lstm_comp z;
    gm_lstm_cfg cc;
    gm_lstm_fx q = { 16, 12, 0.0 };
    char err[256];
    enum { S = 3, T = 5 };
    int64_t *x, *h, *c, *wx, *bq, hr[64], cr[64], tq;
    gm_rng r;
    int s, t, j, p, pe;
    q.t = thr;
    cc.n = n;
    cc.k = k;
    cc.m = 0;
    cc.f = 7;
    if (gm_lstm_random(&m, in, hid, seed, err, sizeof err) ||
        gm_lstm_compress(&m, &cc, &z, err, sizeof err)) {
        CHECK(0, "compress: %s", err);
        return;
    }
    x = calloc((size_t)(S * T * in), sizeof *x);
    h = calloc((size_t)(S * T * hid), sizeof *h);
    c = calloc((size_t)(S * T * hid), sizeof *c);
    wx = calloc((size_t)(S * T * 4 * hid), sizeof *wx);
    bq = calloc((size_t)(4 * hid), sizeof *bq);
    gm_rng_seed(&r, seed);
    for (j = 0; j < S * T * in; j++) /* inputs in +-2, some zero */
        x[j] = gm_rng_below(&r, 4) == 0 ? 0 : sext(gm_rng_next(&r), 14);
    for (j = 0; j < 4 * hid; j++)
        bq[j] = gm_lstm_bias_q(&z, &m, &q, j);
    tq = gm_lstm_quant(&q, q.t);
    CHECK(gm_lstm_layer_run(&z, bq, &q, tq, S, T, x, h, c, wx, NULL, NULL) >= 0, "layer run");
    for (s = 0; s < S; s++) { /* the reference: one step after the other, per sequence */
        for (j = 0; j < hid; j++)
            hr[j] = cr[j] = 0;
        for (t = 0; t < T; t++) {
            int v = s * T + t, same = 1;
            gm_lstm_fx_step(&z, &m, &q, x + v * in, hr, cr);
            for (j = 0; j < hid; j++)
                same &= hr[j] == h[v * hid + j] && cr[j] == c[v * hid + j];
            CHECK(same, "T=%g sequence %d step %d: the decoupled layer differs from fx_step", thr,
                  s, t);
        }
    }
    { /* the same run from loaded initial states h0, c0 (the state-load records) */
        int64_t *h0 = calloc((size_t)(S * hid), sizeof *h0), *c0 = calloc((size_t)(S * hid), sizeof *c0);
        if (h0 && c0) {
            for (j = 0; j < S * hid; j++) {
                h0[j] = gm_rng_below(&r, 3) == 0 ? 0 : sext(gm_rng_next(&r), 13);
                c0[j] = sext(gm_rng_next(&r), 15);
            }
            CHECK(gm_lstm_layer_run(&z, bq, &q, tq, S, T, x, h, c, wx, h0, c0) >= 0, "layer run h0");
            for (s = 0; s < S; s++) {
                for (j = 0; j < hid; j++) {
                    hr[j] = h0[s * hid + j];
                    cr[j] = c0[s * hid + j];
                }
                for (t = 0; t < T; t++) {
                    int v = s * T + t, same = 1;
                    gm_lstm_fx_step(&z, &m, &q, x + v * in, hr, cr);
                    for (j = 0; j < hid; j++)
                        same &= hr[j] == h[v * hid + j] && cr[j] == c[v * hid + j];
                    CHECK(same, "T=%g sequence %d step %d: the layer from h0, c0 differs from "
                                "fx_step", thr, s, t);
                }
            }
        }
        free(h0);
        free(c0);
    }
    /* P PEs: every gate row once; each PE, loaded with its rows, gives the phase-1 sums */
    for (p = 1; p <= hid + 1; p += (p < 4 ? 1 : 3)) {
        int seen[256], total = 0;
        memset(seen, 0, sizeof seen);
        for (pe = 0; pe < p; pe++) {
            int rows = gm_lstm_layer_pe_rows(hid, p, pe), rr;
            gm_lstm_pe_cfg pc;
            gm_lstm_pe_dims pd;
            gm_lstm_pe pw;
            gm_val y[256];
            total += rows;
            for (rr = 0; rr < rows; rr++)
                seen[gm_lstm_layer_row(hid, p, pe, rr)]++;
            if (rows == 0)
                continue;
            pc.dbuf = 0;
            pc.rows = rows;
            pc.cols = in;
            pc.n = n;
            pc.k = k;
            pc.em = 0;
            pc.ef = 7;
            pc.b = 16;
            gm_lstm_pe_dims_of(&pc, &pd);
            pc.acc = pd.acc_min;
            if (gm_lstm_pe_init(&pw, &pc)) {
                CHECK(0, "PE init");
                continue;
            }
            for (rr = 0; rr < rows; rr++)
                for (j = 0; j < pd.kpr; j++)
                    gm_lstm_pe_write(&pw, (uint64_t)(rr * pd.kpr + j),
                                     gm_lstm_word(&z, &z.w, gm_lstm_layer_row(hid, p, pe, rr), j));
            gm_lstm_pe_eval(&pw, x + 2 * in, y); /* sequence 0, step 2 */
            for (rr = 0; rr < rows; rr++)
                CHECK(sext(y[rr].lo, pc.acc) == wx[2 * 4 * hid + gm_lstm_layer_row(hid, p, pe, rr)],
                      "P=%d PE %d row %d: PE sum differs from the layer's W x", p, pe, rr);
            gm_lstm_pe_free(&pw);
        }
        CHECK(total == 4 * hid, "P=%d: %d rows in the PEs, want %d", p, total, 4 * hid);
        for (j = 0; j < 4 * hid; j++)
            CHECK(seen[j] == 1, "P=%d: gate row %d held %d times", p, j, seen[j]);
    }
    free(x);
    free(h);
    free(c);
    free(wx);
    free(bq);
    gm_lstm_comp_free(&z);
    gm_lstm_float_free(&m);
}

int main(void)
{
    test_check();
    test_exhaustive(1);
    test_exhaustive(2);
    test_random(1);
    test_random(2);
    test_layer(37, 21, 8, 2, 3);
    test_layer(40, 24, 16, 2, 4);
    test_layer(9, 5, 4, 3, 5);
    test_cycles(1);
    test_layer_run(13, 7, 4, 2, 0.0, 6);
    test_layer_run(13, 7, 4, 2, 0.25, 7);
    test_layer_run(40, 24, 16, 2, 0.1, 8);
    printf("test_lstm_pe: %ld passed, %ld failed\n", pass, fail);
    return fail ? 1 : 0;
}
