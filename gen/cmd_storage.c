/*
 * cmd_storage.c -- `dnngen storage NET.json`: on-chip feature-map storage of a network under
 * layer-wise buffering and under inter-layer partial storage (T_r-row tiles with ping-pong
 * halves), per layer and in total, against the published figures the file may carry.
 * The model and the file format: golden/gm_storage.h, docs/storage.md.
 *
 * Everything is checked before anything is written or printed: a bad file or option is one
 * line on stderr and exit 2; the CSV is written atomically and the table printed only after.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "gm_storage.h"

#define NET_MAX_BYTES ((size_t)1 << 20)

static const char storage_help[] =
    "usage: dnngen storage NET.json [--csv FILE] [--tile-rows N]\n"
    "  On-chip feature-map storage of a convolutional network (docs/storage.md), in pixels\n"
    "  (one activation value each), per layer and in total:\n"
    "    layer-wise: the layer's whole input and whole output (before pooling) on chip;\n"
    "                the network needs the largest layer's;\n"
    "    partial:    a tile of T_r = 2k-2 rows of the layer's input (two ping-pong halves\n"
    "                of k-1 rows), full width, all channels; the network needs the sum.\n"
    "  Prints the table, the totals, their ratio and, when the file carries published\n"
    "  figures, ours against them. --csv writes the table as CSV; --tile-rows N uses N rows\n"
    "  for every layer instead of 2k-2 (N at least the largest kernel).\n"
    "  Example: dnngen storage models/vgg16.json\n";

/* Write one file atomically at path; 0 or an exit status after the one-line error. */
static int write_csv(const char *path, const char *data)
{
    char dir[1024], err[DNN_ERRLEN], *slash;
    const char *base = path;
    outfile f;
    if (strlen(path) >= sizeof dir)
        return dnn_fail(DNN_EUSAGE, "storage: cannot write '%.200s' (legal: a path shorter than "
                                    "%zu bytes)",
                        path, sizeof dir);
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
        return dnn_fail(DNN_EUSAGE, "storage: cannot write '%.200s' (legal: a file path)", path);
    f.name = base;
    f.data = data;
    f.len = strlen(data);
    if (dnn_write_files(dir, &f, 1, err, sizeof err))
        return dnn_fail(DNN_EUSAGE, "storage: cannot write '%.200s': %s (legal: a writable "
                                    "file path)",
                        path, err);
    return 0;
}

/* x the way papers round it: 6.4M, 463.5k (one decimal; plain below 1000). */
static void human(char *buf, size_t n, double x)
{
    if (x >= 1e6)
        snprintf(buf, n, "%.1fM", x / 1e6);
    else if (x >= 1e3)
        snprintf(buf, n, "%.1fk", x / 1e3);
    else
        snprintf(buf, n, "%.0f", x);
}

static void size3(char *buf, size_t n, int h, int w, int c)
{
    snprintf(buf, n, "%dx%dx%d", h, w, c);
}

/* ours - published, absolute and relative, and whether ours rounds to the published text. */
static void compare(sbuf *rep, const char *what, double ours, double pub)
{
    char ho[32], hp[32], d[64];
    human(ho, sizeof ho, ours);
    human(hp, sizeof hp, pub);
    snprintf(d, sizeof d, "%+.0f (%+.2f%%)", ours - pub, 100.0 * (ours - pub) / pub);
    sb_printf(rep, "  %-11s %12.0f %12.0f  %-20s %s vs %s: %s\n", what, ours, pub, d, ho, hp,
              strcmp(ho, hp) == 0 ? "same at the published precision"
                                  : "differs at the published precision");
}

static void report(sbuf *rep, const char *path, const gm_storage_net *net, int tile_rows)
{
    gm_storage_totals t;
    char in[48], out[48], pool[32], h1[32], h2[32];
    int i;
    double ratio;
    gm_storage_totals_of(net, tile_rows, &t);
    ratio = t.partial > 0 ? (double)t.layerwise / (double)t.partial : 0.0;
    sb_printf(rep, "network %s: %s, %d convolution layer%s\n", path, net->name, net->n,
              net->n == 1 ? "" : "s");
    if (net->source[0])
        sb_printf(rep, "source: %s\n", net->source);
    if (tile_rows > 0)
        sb_printf(rep, "pixel = one activation value; tile = %d rows of each layer's input "
                       "(--tile-rows), two ping-pong halves\n",
                  tile_rows);
    else
        sb_printf(rep, "pixel = one activation value; tile T_r = 2k-2 rows of each layer's "
                       "input, two ping-pong halves of k-1 rows\n");
    sb_printf(rep, "\n%-12s %-15s %-15s %3s %3s %4s %14s %4s %12s\n", "layer", "input HxWxC",
              "conv out HxWxC", "k", "pad", "pool", "layer-wise px", "T_r", "partial px");
    for (i = 0; i < net->n; i++) {
        const gm_storage_layer *l = &net->layers[i];
        size3(in, sizeof in, l->h, l->w, l->cin);
        size3(out, sizeof out, gm_storage_conv_h(l), gm_storage_conv_w(l), l->cout);
        if (l->pool > 1)
            snprintf(pool, sizeof pool, "%dx%d", l->pool, l->pool);
        else
            snprintf(pool, sizeof pool, "-");
        sb_printf(rep, "%-12s %-15s %-15s %3d %3d %4s %14lld %4d %12lld\n", l->name, in, out,
                  l->k, l->pad, pool, (long long)gm_storage_layerwise_px(l),
                  gm_storage_tile_rows(l, tile_rows),
                  (long long)gm_storage_partial_px(l, tile_rows));
    }
    sb_printf(rep, "%-12s %-15s %-15s %3s %3s %4s %14lld %4s %12lld\n", "total", "", "",
              "", "", "", (long long)t.layerwise, "", (long long)t.partial);
    human(h1, sizeof h1, (double)t.layerwise);
    human(h2, sizeof h2, (double)t.partial);
    sb_printf(rep, "\nlayer-wise buffering (largest layer, input + output): %lld px (%s), "
                   "set by %s\n",
              (long long)t.layerwise, h1, net->layers[t.peak_layer].name);
    sb_printf(rep, "inter-layer partial storage (sum of the tiles):        %lld px (%s), "
                   "of which the network input %lld\n",
              (long long)t.partial, h2, (long long)t.first_input);
    if (t.partial > t.first_input)
        sb_printf(rep, "  without the network input's tile: %lld px, ratio %.2fx\n",
                  (long long)(t.partial - t.first_input),
                  (double)t.layerwise / (double)(t.partial - t.first_input));
    sb_printf(rep, "ratio layer-wise / partial: %.2fx\n", ratio);
    if (net->pub.layerwise > 0 || net->pub.partial > 0 || net->pub.ratio > 0) {
        sb_printf(rep, "\npublished%s%s:\n", net->pub.source[0] ? " in " : "", net->pub.source);
        sb_printf(rep, "  %-11s %12s %12s  %-20s %s\n", "", "ours", "published", "ours - published",
                  "rounded");
        if (net->pub.layerwise > 0)
            compare(rep, "layer-wise", (double)t.layerwise, net->pub.layerwise);
        if (net->pub.partial > 0)
            compare(rep, "partial", (double)t.partial, net->pub.partial);
        if (net->pub.ratio > 0)
            sb_printf(rep, "  %-11s %11.2fx %11.4gx\n", "ratio", ratio, net->pub.ratio);
        if (net->pub.layerwise > 0 && net->pub.partial > 0)
            sb_printf(rep, "  (the two published figures give %.2fx)\n",
                      net->pub.layerwise / net->pub.partial);
    }
    sb_printf(rep, "TOTAL layerwise=%lld partial=%lld ratio=%.2f\n", (long long)t.layerwise,
              (long long)t.partial, ratio);
}

int cmd_storage(int argc, char **argv)
{
    const char *path = NULL, *csv = NULL, *rows_s = NULL;
    char err[DNN_ERRLEN], *text = NULL, *csv_text = NULL;
    size_t len;
    gm_storage_net net;
    sbuf rep;
    int i, rc, tile_rows = 0;
    memset(&net, 0, sizeof net);
    for (i = 1; i < argc; i++) {
        const char **dst = NULL;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(storage_help, stdout);
            return 0;
        } else if (strcmp(argv[i], "--csv") == 0) {
            dst = &csv;
        } else if (strcmp(argv[i], "--tile-rows") == 0) {
            dst = &rows_s;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return dnn_fail(DNN_EUSAGE, "storage: unknown option '%.60s' (legal: --csv FILE, "
                                        "--tile-rows N, --help)",
                            argv[i]);
        } else if (path) {
            return dnn_fail(DNN_EUSAGE, "storage: a second network file '%.60s' (legal: one "
                                        "NET.json)",
                            argv[i]);
        } else {
            path = argv[i];
            continue;
        }
        if (i + 1 >= argc)
            return dnn_fail(DNN_EUSAGE, "storage: option %s needs a value (legal: %s)", argv[i],
                            dst == &csv ? "a file path" : "an integer");
        *dst = argv[++i];
    }
    if (!path)
        return dnn_fail(DNN_EUSAGE, "storage: missing NET.json (legal: a network file, "
                                    "docs/storage.md)");
    if (rows_s) {
        char *end;
        long x = strtol(rows_s, &end, 10);
        if (end == rows_s || *end || x < 1 || x > GM_STORAGE_MAX_ROWS)
            return dnn_fail(DNN_EUSAGE, "storage: bad value '%.60s' for --tile-rows (legal: "
                                        "1..%d, at least the largest kernel)",
                            rows_s, GM_STORAGE_MAX_ROWS);
        tile_rows = (int)x;
    }
    if (dnn_read_file(path, NET_MAX_BYTES, &text, &len, err, sizeof err))
        return dnn_fail(DNN_EUSAGE, "storage: %s (legal: a network file of at most %zu bytes, "
                                    "docs/storage.md)",
                        err, NET_MAX_BYTES);
    rc = gm_storage_parse(&net, text, len, err, sizeof err);
    free(text);
    if (rc)
        return dnn_fail(DNN_EUSAGE, "storage: %.200s: %s", path, err);
    if (tile_rows > 0 && tile_rows < gm_storage_max_k(&net)) {
        rc = dnn_fail(DNN_EUSAGE, "storage: --tile-rows %d is below the largest kernel, k = %d "
                                  "(legal: %d..%d)",
                      tile_rows, gm_storage_max_k(&net), gm_storage_max_k(&net),
                      GM_STORAGE_MAX_ROWS);
        gm_storage_free(&net);
        return rc;
    }
    sb_init(&rep);
    report(&rep, path, &net, tile_rows);
    if (rep.oom) {
        rc = dnn_fail(DNN_ETOOL, "out of memory");
        goto out;
    }
    if (csv) {
        csv_text = gm_storage_csv(&net, tile_rows);
        if (!csv_text) {
            rc = dnn_fail(DNN_ETOOL, "out of memory");
            goto out;
        }
        rc = write_csv(csv, csv_text);
        if (rc)
            goto out;
    }
    fputs(rep.s, stdout); /* only after the CSV is written */
    rc = 0;
out:
    free(csv_text);
    sb_free(&rep);
    gm_storage_free(&net);
    return rc;
}
