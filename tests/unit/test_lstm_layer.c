/*
 * test_lstm_layer.c -- checks of the lstm_layer stimulus generator and cycle model
 * (golden/gm_lstm_layer_gen.c) that need no simulator, and the layer figures of
 * scripts/bench_lstm.sh.
 *
 * Without arguments: for a set of configurations (H not a multiple of P, P = 1, batch 1
 * and 3, clipping on and off, EF = 0), the generator's outputs come in whole runs
 * (BATCH * STEPS * H records each, the output edges increasing), and with inputs that are
 * all zero a run is faster than with dense ones.
 *
 * With `--util I H N K P BATCH STEPS PZERO RECORDS`: one weight load, then runs of x
 * vectors whose entries are zero with probability PZERO (profile sparse:PZERO, no gaps or
 * stalls); prints the cycles after the weight load (the cycle model, which `dnngen verify`
 * checks edge for edge against the RTL), the PE issue cycles summed over the PEs (the cost
 * field of the output records), the utilization busy / (P * cycles), and cycles per
 * vector (one time step of one sequence).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gm_lstm_layer.h"
#include "gm_stream.h"

static int fails;

#define CHECK(c, ...)                                                                       \
    do {                                                                                    \
        if (!(c)) {                                                                         \
            fails++;                                                                        \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                   \
            printf(__VA_ARGS__);                                                            \
            printf("\n");                                                                   \
        }                                                                                   \
    } while (0)

typedef struct run_stats {
    int64_t outs, last_edge, busy, ins;
    int ordered;
} run_stats;

static int run_gen(const gm_param *ps, int np, const char *prof, int64_t nrec, uint64_t seed,
                   run_stats *st)
{
    char err[256];
    gm_rec r;
    gm_gen *g = gm_gen_open("lstm_layer", ps, np, seed, nrec, prof, err, sizeof err);
    memset(st, 0, sizeof *st);
    st->ordered = 1;
    if (!g) {
        printf("gm_gen_open: %s\n", err);
        return -1;
    }
    while (gm_gen_next(g, &r)) {
        if (r.stream == 1) {
            if (r.cycle2 < r.cycle || r.cycle2 <= st->last_edge)
                st->ordered = 0;
            st->last_edge = r.cycle2;
            st->busy += r.cost;
            st->outs++;
        } else {
            st->ins++;
        }
    }
    gm_gen_close(g);
    return 0;
}

static int set_params(gm_param *ps, const int *v)
{
    static const char *const names[] = { "I", "H", "N", "K", "P", "BATCH", "STEPS", "TQ", "B",
                                         "F", "EF" };
    int i;
    for (i = 0; i < 11; i++) {
        ps[i].name = names[i];
        ps[i].value = v[i];
    }
    return 11;
}

static void self_tests(void)
{
    /* I H N K P BATCH STEPS TQ B F EF */
    static const int cfgs[][11] = {
        { 5, 7, 4, 3, 3, 1, 4, 0, 16, 12, 7 }, { 3, 3, 2, 1, 1, 3, 2, 8, 8, 5, 3 },
        { 6, 5, 4, 2, 2, 2, 3, 0, 16, 12, 0 }, { 8, 8, 4, 2, 2, 2, 3, 1024, 16, 12, 7 },
        { 17, 9, 8, 2, 4, 1, 1, 0, 32, 24, 12 },
    };
    size_t c;
    for (c = 0; c < sizeof cfgs / sizeof cfgs[0]; c++) {
        gm_param ps[12];
        int np = set_params(ps, cfgs[c]);
        int64_t per_run = (int64_t)cfgs[c][5] * cfgs[c][6] * cfgs[c][1];
        run_stats a, z, d;
        if (run_gen(ps, np, NULL, 3000, 1 + c, &a)) {
            fails++;
            continue;
        }
        CHECK(a.outs > 0 && a.outs % per_run == 0, "config %zu: %lld outputs, not whole runs of %lld",
              c, (long long)a.outs, (long long)per_run);
        CHECK(a.ordered, "config %zu: output edges not increasing", c);
        CHECK(a.busy > 0, "config %zu: no PE issue cycle counted", c);
        /* one weight load and one run: zero inputs against dense ones */
        if (run_gen(ps, np, "sparse:1", 1, 7, &z) || run_gen(ps, np, "sparse:0", 1, 7, &d)) {
            fails++;
            continue;
        }
        CHECK(z.outs == per_run && d.outs == per_run, "config %zu: one run: %lld and %lld outputs",
              c, (long long)z.outs, (long long)d.outs);
        CHECK(z.last_edge < d.last_edge && z.busy <= d.busy,
              "config %zu: zero inputs %lld cycles (%lld busy), dense %lld (%lld)", c,
              (long long)z.last_edge, (long long)z.busy, (long long)d.last_edge, (long long)d.busy);
    }
    {
        gm_lstm_layer_cfg lc = { 5, 7, 4, 3, 0, 7, 16, 12, 8, 1, 4, 0 };
        char err[256];
        CHECK(gm_lstm_layer_check(&lc, err, sizeof err) != 0, "P = 8 > H = 7 accepted");
        lc.p = 3;
        CHECK(gm_lstm_layer_check(&lc, err, sizeof err) == 0, "a legal layer refused: %s", err);
    }
}

static int util(char **argv)
{
    int v[11], i;
    gm_param ps[12];
    gm_lstm_layer_cfg lc;
    gm_lstm_layer_dims d;
    run_stats st;
    char prof[64];
    int64_t nrec, load, cyc, vecs;
    for (i = 0; i < 7; i++)
        v[i] = atoi(argv[i]);
    v[7] = 0;
    v[8] = 16;
    v[9] = 12;
    v[10] = 7;
    snprintf(prof, sizeof prof, "sparse:%s", argv[7]);
    nrec = atoll(argv[8]);
    lc.in = v[0];
    lc.hid = v[1];
    lc.n = v[2];
    lc.k = v[3];
    lc.em = 0;
    lc.ef = 7;
    lc.b = 16;
    lc.f = 12;
    lc.p = v[4];
    lc.batch = v[5];
    lc.steps = v[6];
    lc.tq = 0;
    {
        char err[256];
        if (gm_lstm_layer_check(&lc, err, sizeof err)) {
            printf("bad layer: %s\n", err);
            return 2;
        }
    }
    gm_lstm_layer_dims_of(&lc, &d);
    if (run_gen(ps, set_params(ps, v), prof, nrec, 1, &st))
        return 2;
    load = (int64_t)lc.p * d.rows * (d.ped.kpr + 1); /* weight and bias records, one a cycle */
    cyc = st.last_edge + 1 - load;
    vecs = st.outs / lc.hid;
    printf("P=%d rows/PE=%d kpr=%d vectors=%lld cycles=%lld busy=%lld util=%.1f%% "
           "cycles/vector=%.1f\n",
           lc.p, d.rows, d.ped.kpr, (long long)vecs, (long long)cyc, (long long)st.busy,
           cyc > 0 ? 100.0 * (double)st.busy / ((double)lc.p * (double)cyc) : 0.0,
           vecs > 0 ? (double)cyc / (double)vecs : 0.0);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 11 && strcmp(argv[1], "--util") == 0)
        return util(argv + 2);
    if (argc != 1) {
        fprintf(stderr, "usage: test_lstm_layer [--util I H N K P BATCH STEPS PZERO RECORDS]\n");
        return 2;
    }
    self_tests();
    printf("test_lstm_layer: %s\n", fails ? "FAIL" : "PASS");
    return fails ? 1 : 0;
}
