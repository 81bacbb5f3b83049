/*
 * cmd_schedule.c -- `dnngen schedule LAYER.json` (order output channels on the FPAP array
 * with the genetic algorithm of golden/gm_sched.c, print the cost model's figures, write the
 * order file fpap_array's testbench consumes) and `dnngen layer` (write a reproducible
 * random layer file). Formats and the cost model: docs/schedule.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "gm_fpap.h"
#include "gm_sched.h"

static const char schedule_help[] =
    "usage: dnngen schedule LAYER.json [-p NAME=VALUE]... [--seed S] [--population N]\n"
    "                       [--generations N] [-o ORDER_FILE]\n"
    "  Orders the layer's output channels on an fpap_array (parameters R, C, G, WMAX, ACC,\n"
    "  DECOMP as for `dnngen gen fpap_array`; K, XW, HW and SIGNED_X come from the layer)\n"
    "  with a seeded genetic algorithm minimizing the cost model of docs/schedule.md: the sum\n"
    "  over passes and input-channel groups of the slowest column's cycles. Prints natural\n"
    "  and GA cost, the work lower bound, idle fractions, and the array cycles predicted for\n"
    "  the whole layer (weights-only estimate and exact with the layer's activations: what\n"
    "  `dnngen verify fpap_array --profile layer:LAYER.json,order=ORDER_FILE` takes).\n"
    "  -o writes the GA order (one channel per line).\n";

static const char layer_help[] =
    "usage: dnngen layer --random CIN,COUT,H,W,K[,WSPARSITY,ASPARSITY] [--seed S]\n"
    "                    [--wspread D] [--xw N] [--hw N] [--unsigned] -o FILE.json\n"
    "  Writes a reproducible random convolution layer (docs/schedule.md): weights and input\n"
    "  drawn from the seed, the given fractions of them zero; --wspread gives each output\n"
    "  channel its own weight sparsity, uniform in WSPARSITY +- D.\n";

static int parse_int_in(const char *opt, const char *v, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    long long x = strtoll(v, &end, 10);
    if (end == v || *end || x < lo || x > hi)
        return dnn_fail(DNN_EUSAGE, "bad value '%.60s' for %s (legal: %lld..%lld)", v, opt,
                        (long long)lo, (long long)hi);
    *out = x;
    return 0;
}

static void print_row(sbuf *rep, const char *name, int64_t cost, int64_t work, int64_t bound,
                      int64_t bound2, int C)
{
    double idle = cost > 0 ? 1.0 - (double)work / ((double)C * (double)cost) : 0.0;
    sb_printf(rep, "  %-16s %12lld %9.2f%% %+9.2f%% %+9.2f%%\n", name, (long long)cost,
              100.0 * idle, bound > 0 ? 100.0 * ((double)cost / (double)bound - 1.0) : 0.0,
              bound2 > 0 ? 100.0 * ((double)cost / (double)bound2 - 1.0) : 0.0);
}

/* Write one file atomically at path (directory part and name); 0 or an exit status after
 * the one-line error. */
static int write_path(const char *sub, const char *path, const char *data)
{
    char dir[1024], err[DNN_ERRLEN], *slash;
    const char *base = path;
    outfile f;
    snprintf(dir, sizeof dir, "%s", path);
    slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        base = path + (slash - dir) + 1;
        if (!dir[0])
            snprintf(dir, sizeof dir, "/");
    } else {
        snprintf(dir, sizeof dir, ".");
    }
    if (!base[0])
        return dnn_fail(DNN_EUSAGE, "%s: cannot write '%.200s' (legal: a file path)", sub, path);
    f.name = base;
    f.data = data;
    f.len = strlen(data);
    if (dnn_write_files(dir, &f, 1, err, sizeof err))
        return dnn_fail(DNN_EUSAGE, "%s: cannot write '%.200s': %s", sub, path, err);
    return 0;
}

int cmd_schedule(int argc, char **argv)
{
    const char *seed_s = NULL, *pop_s = NULL, *gen_s = NULL, *out = NULL;
    const dnn_opt opts[] = { { "--seed", &seed_s, NULL, 0 },
                             { "--population", &pop_s, NULL, 0 },
                             { "--generations", &gen_s, NULL, 0 },
                             { "-o", &out, NULL, 0 },
                             { NULL, NULL, NULL, 0 } };
    char err[DNN_ERRLEN], *text = NULL;
    char **av = NULL;
    size_t len;
    dnn_design d;
    sbuf rep;
    gm_layer L;
    gm_fpap_cfg a;
    int rc, i, ng, *nat = NULL, *ga = NULL, xw, hw;
    int64_t seed = 1, popn = 64, gens = 400, *cost = NULL;
    memset(&L, 0, sizeof L);
    sb_init(&rep);
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(schedule_help, stdout);
        return 0;
    }
    if (argc < 2 || argv[1][0] == '-')
        return dnn_fail(DNN_EUSAGE, "schedule: missing LAYER.json (legal: a layer file, "
                                    "docs/schedule.md)");
    /* the options are fpap_array's design options plus our own */
    av = calloc((size_t)argc + 1, sizeof *av);
    if (!av)
        return dnn_fail(DNN_ETOOL, "out of memory");
    av[0] = argv[0];
    av[1] = (char *)"fpap_array";
    for (i = 2; i < argc; i++)
        av[i] = argv[i];
    rc = dnn_parse_cmd(argc, av, "schedule", schedule_help, opts, &d);
    free(av);
    if (rc)
        return rc < 0 ? 0 : rc;
    if ((seed_s && dnn_parse_count("--seed", seed_s, INT64_MAX, &seed)) ||
        (pop_s && parse_int_in("--population", pop_s, 4, 100000, &popn)) ||
        (gen_s && parse_int_in("--generations", gen_s, 0, 1000000, &gens)))
        return DNN_EUSAGE;
    if (dnn_read_file(argv[1], (size_t)1 << 30, &text, &len, err, sizeof err))
        return dnn_fail(DNN_EUSAGE, "schedule: %s", err);
    rc = gm_layer_parse(&L, text, len, err, sizeof err);
    free(text);
    if (rc)
        return dnn_fail(DNN_EUSAGE, "schedule: %s: %s", argv[1], err);
    /* the array: R, C, G, WMAX, ACC, DECOMP from -p; the PE widths from the layer */
    memset(&a, 0, sizeof a);
    a.r = (int)dnn_param(&d, "R");
    a.c = (int)dnn_param(&d, "C");
    a.g = (int)dnn_param(&d, "G");
    a.wmax = (int)dnn_param(&d, "WMAX") < L.w ? L.w : (int)dnn_param(&d, "WMAX");
    xw = L.xw;
    hw = L.hw;
    a.pe.k = L.k;
    a.pe.xw = xw;
    a.pe.hw = hw;
    a.pe.signed_x = L.signed_x;
    a.pe.mac.n = xw > hw ? xw : hw;
    a.pe.mac.acc = (int)dnn_param(&d, "ACC") > a.pe.mac.n ? (int)dnn_param(&d, "ACC")
                                                          : a.pe.mac.n + 1;
    a.pe.mac.signed_a = L.signed_x;
    a.pe.mac.decomp = (int)dnn_param(&d, "DECOMP");
    if (gm_fpap_check(&a, &L, err, sizeof err)) {
        rc = dnn_fail(DNN_EUSAGE, "schedule: %s", err);
        goto out;
    }
    ng = gm_fpap_groups(&a, &L);
    cost = calloc((size_t)L.cout * (size_t)ng, sizeof *cost);
    nat = malloc((size_t)L.cout * sizeof *nat);
    ga = malloc((size_t)L.cout * sizeof *ga);
    if (!cost || !nat || !ga) {
        rc = dnn_fail(DNN_ETOOL, "out of memory");
        goto out;
    }
    for (i = 0; i < L.cout; i++) {
        int g;
        nat[i] = i;
        for (g = 0; g < ng; g++)
            cost[(size_t)i * (size_t)ng + (size_t)g] = gm_fpap_pe_cycles(&a, &L, i, g, NULL, 0, 0);
    }
    {
        gm_sched_opts so;
        int64_t cn, cg, bound, bgr, work, pn, pg, xn, xg, cpn, cpg, cxn, cxg;
        so.seed = (uint64_t)seed;
        so.population = (int)popn;
        so.generations = (int)gens;
        cn = gm_sched_cost(cost, L.cout, ng, a.c, nat);
        cg = gm_sched_ga(cost, L.cout, ng, a.c, &so, ga);
        if (cg < 0) {
            rc = dnn_fail(DNN_ETOOL, "out of memory");
            goto out;
        }
        bound = gm_sched_bound(cost, L.cout, ng, a.c);
        bgr = gm_sched_bound_groups(cost, L.cout, ng, a.c);
        work = gm_sched_work(cost, L.cout, ng);
        sb_printf(&rep, "layer %s: cin %d, cout %d, %dx%d input, %dx%d kernel, %d/%d-bit\n", argv[1],
               L.cin, L.cout, L.h, L.w, L.k, L.k, L.xw, L.hw);
        sb_printf(&rep, "array: %d x %d PEs, groups of %d input channels (%s decomposition): %d passes, "
               "%d row blocks, %d groups\n",
               a.r, a.c, a.g, a.pe.mac.decomp == 0 ? "wd" : a.pe.mac.decomp == 1 ? "ad" : "both",
               gm_fpap_passes(&a, &L), gm_fpap_blocks(&a, &L), ng);
        sb_printf(&rep, "cost model, one row block (sum over passes and groups of the slowest column; "
               "weights only):\n");
        sb_printf(&rep, "  %-16s %12s %10s %10s %10s\n", "order", "cycles", "idle", "vs bound",
                  "vs bound2");
        print_row(&rep, "natural", cn, work, bound, bgr, a.c);
        print_row(&rep, "GA", cg, work, bound, bgr, a.c);
        sb_printf(&rep, "  %-16s %12lld %9.2f%%   (work / columns per group)\n", "lower bound",
                  (long long)bound, 100.0 * (1.0 - (double)work / ((double)a.c * (double)bound)));
        sb_printf(&rep, "  %-16s %12lld %9.2f%%   (each group ordered on its own)\n",
                  "lower bound2", (long long)bgr,
                  100.0 * (1.0 - (double)work / ((double)a.c * (double)bgr)));
        sb_printf(&rep, "idle cycles (C * cost - work): natural %lld, GA %lld (%.2fx fewer); GA seed "
               "%lld, population %lld, generations %lld\n",
               (long long)(a.c * cn - work), (long long)(a.c * cg - work),
               a.c * cg - work > 0 ? (double)(a.c * cn - work) / (double)(a.c * cg - work) : 0.0,
               (long long)seed, (long long)popn, (long long)gens);
        pn = gm_fpap_predict(&a, &L, nat, 0, &cpn);
        pg = gm_fpap_predict(&a, &L, ga, 0, &cpg);
        xn = gm_fpap_predict(&a, &L, nat, 1, &cxn);
        xg = gm_fpap_predict(&a, &L, ga, 1, &cxg);
        sb_printf(&rep, "array cycles for the whole layer (buffer writes, compute, synchronization, "
               "outputs):\n");
        sb_printf(&rep, "  natural: estimate %lld (compute %lld), exact %lld (compute %lld)\n",
               (long long)pn, (long long)cpn, (long long)xn, (long long)cxn);
        sb_printf(&rep, "  GA:      estimate %lld (compute %lld), exact %lld (compute %lld)\n",
               (long long)pg, (long long)cpg, (long long)xg, (long long)cxg);
        sb_printf(&rep, "  estimate - exact: natural %+lld, GA %+lld (zero activations cost 1 cycle, "
               "not their weight's terms)\n",
               (long long)(pn - xn), (long long)(pg - xg));
        sb_printf(&rep, "PREDICT natural=%lld ga=%lld\n", (long long)xn, (long long)xg);
    }
    if (out) {
        char *t = gm_order_format(ga, L.cout, "dnngen schedule: GA order, one output channel "
                                              "per column slot (pass-major)");
        if (!t) {
            rc = dnn_fail(DNN_ETOOL, "out of memory");
            goto out;
        }
        rc = write_path("schedule", out, t);
        free(t);
        if (rc)
            goto out;
    }
    fputs(rep.s, stdout); /* only after the order file is written */
    rc = 0;
out:
    sb_free(&rep);
    gm_layer_free(&L);
    free(cost);
    free(nat);
    free(ga);
    return rc;
}

int cmd_layer(int argc, char **argv)
{
    const char *rnd = NULL, *seed_s = NULL, *xw_s = NULL, *hw_s = NULL, *out = NULL;
    const char *spread_s = NULL;
    int uns = 0, i, rc;
    int64_t seed = 1, xw = 8, hw = 8;
    int v[5];
    double ws = 0, as = 0, spread = 0;
    char err[DNN_ERRLEN], *js;
    gm_layer L;
    for (i = 1; i < argc; i++) {
        const char **dst = NULL;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(layer_help, stdout);
            return 0;
        } else if (strcmp(argv[i], "--unsigned") == 0) {
            uns = 1;
            continue;
        } else if (strcmp(argv[i], "--random") == 0) {
            dst = &rnd;
        } else if (strcmp(argv[i], "--seed") == 0) {
            dst = &seed_s;
        } else if (strcmp(argv[i], "--wspread") == 0) {
            dst = &spread_s;
        } else if (strcmp(argv[i], "--xw") == 0) {
            dst = &xw_s;
        } else if (strcmp(argv[i], "--hw") == 0) {
            dst = &hw_s;
        } else if (strcmp(argv[i], "-o") == 0) {
            dst = &out;
        } else {
            return dnn_fail(DNN_EUSAGE, "layer: unknown option '%.60s' (legal: --random, "
                                        "--seed, --wspread, --xw, --hw, --unsigned, -o)",
                            argv[i]);
        }
        if (i + 1 >= argc)
            return dnn_fail(DNN_EUSAGE, "layer: option %s needs a value", argv[i]);
        *dst = argv[++i];
    }
    if (!rnd || !out)
        return dnn_fail(DNN_EUSAGE, "layer: missing %s (legal: --random CIN,COUT,H,W,K"
                                    "[,WSPARSITY,ASPARSITY] -o FILE.json)",
                        !rnd ? "--random" : "-o");
    if ((seed_s && dnn_parse_count("--seed", seed_s, INT64_MAX, &seed)) ||
        (xw_s && parse_int_in("--xw", xw_s, 2, 32, &xw)) ||
        (hw_s && parse_int_in("--hw", hw_s, 2, 32, &hw)))
        return DNN_EUSAGE;
    if (spread_s) {
        char *end;
        spread = strtod(spread_s, &end);
        if (end == spread_s || *end || !(spread >= 0 && spread <= 1))
            return dnn_fail(DNN_EUSAGE, "layer: bad --wspread '%.60s' (legal: 0..1)", spread_s);
    }
    {
        const char *p = rnd;
        char *end;
        int k, bad = 0;
        for (k = 0; k < 5 && !bad; k++) {
            long x = strtol(p, &end, 10);
            if (end == p || x < 1 || x > 100000)
                bad = 1;
            v[k] = (int)x;
            p = end;
            if (k < 4 && !bad) {
                if (*p != ',')
                    bad = 1;
                p++;
            }
        }
        if (!bad && *p == ',') {
            ws = strtod(p + 1, &end);
            if (end == p + 1 || *end != ',')
                bad = 1;
            else {
                p = end + 1;
                as = strtod(p, &end);
                if (end == p || *end)
                    bad = 1;
            }
        } else if (!bad && *p) {
            bad = 1;
        }
        if (bad)
            return dnn_fail(DNN_EUSAGE, "layer: bad --random '%.60s' (legal: CIN,COUT,H,W,K"
                                        "[,WSPARSITY,ASPARSITY] integers and fractions 0..1)",
                            rnd);
    }
    if (gm_layer_random(&L, v[0], v[1], v[2], v[3], v[4], (int)xw, (int)hw, !uns, ws, spread, as,
                        (uint64_t)seed, err, sizeof err))
        return dnn_fail(DNN_EUSAGE, "%s", err);
    js = gm_layer_to_json(&L);
    gm_layer_free(&L);
    if (!js)
        return dnn_fail(DNN_ETOOL, "out of memory");
    rc = write_path("layer", out, js);
    free(js);
    return rc;
}
