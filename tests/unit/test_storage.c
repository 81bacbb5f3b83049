/*
 * test_storage.c -- the storage model (golden/gm_storage.c) on small networks whose figures
 * were computed by hand, on VGG-16 (the sums written out), and on random chains of layers
 * against a reference written here that counts instead of multiplying: output positions by
 * sliding the kernel over the padded input, pooled positions by sliding the pool window,
 * tile pixels row by row. Then the parser: every malformed file is refused with one line
 * naming the problem and the legal values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gm_storage.h"

static long pass, fail;

static void check(int ok, const char *what, long long got, long long want)
{
    if (ok) {
        pass++;
        return;
    }
    if (fail < 20)
        printf("FAIL %s: got %lld, want %lld\n", what, got, want);
    fail++;
}

#define EQ(what, got, want) check((long long)(got) == (long long)(want), what, (long long)(got), \
                                  (long long)(want))

static int parse(gm_storage_net *net, const char *js)
{
    char err[512];
    int rc = gm_storage_parse(net, js, strlen(js), err, sizeof err);
    if (rc)
        printf("FAIL parse: %s\n", err);
    check(rc == 0, "parse", rc, 0);
    return rc;
}

/* One 5x4 layer, 2 -> 3 channels, 3x3 (pad 1 by default), no pool. */
static void one_layer(void)
{
    gm_storage_net net;
    gm_storage_totals t;
    if (parse(&net, "{\"layers\":[{\"cin\":2,\"cout\":3,\"h\":5,\"w\":4,\"k\":3}]}"))
        return;
    EQ("one: pad default", net.layers[0].pad, 1);
    EQ("one: conv h", gm_storage_conv_h(&net.layers[0]), 5);
    EQ("one: in px", gm_storage_in_px(&net.layers[0]), 40);
    EQ("one: conv px", gm_storage_conv_px(&net.layers[0]), 60);
    EQ("one: layer-wise", gm_storage_layerwise_px(&net.layers[0]), 100);
    EQ("one: T_r", gm_storage_tile_rows(&net.layers[0], 0), 4);
    EQ("one: partial", gm_storage_partial_px(&net.layers[0], 0), 32); /* 4 rows x 4 x 2 */
    gm_storage_totals_of(&net, 0, &t);
    EQ("one: total layer-wise", t.layerwise, 100);
    EQ("one: total partial", t.partial, 32);
    EQ("one: name default", strcmp(net.layers[0].name, "layer1"), 0);
    gm_storage_free(&net);
}

/* 8x8x1 -> 3x3 conv to 4 channels -> 2x2 pool -> 4x4x4 -> 3x3 conv to 2 channels. */
static void two_layers_pool(void)
{
    gm_storage_net net;
    gm_storage_totals t;
    char *csv;
    if (parse(&net, "{\"name\":\"two\",\"layers\":["
                    "{\"name\":\"a\",\"cin\":1,\"cout\":4,\"h\":8,\"w\":8,\"k\":3,\"pool\":2},"
                    "{\"name\":\"b\",\"cin\":4,\"cout\":2,\"h\":4,\"w\":4,\"k\":3}]}"))
        return;
    EQ("two: out h", gm_storage_out_h(&net.layers[0]), 4);
    EQ("two: a layer-wise (64 in + 256 conv out before the pool)",
       gm_storage_layerwise_px(&net.layers[0]), 320);
    EQ("two: b layer-wise (64 + 32)", gm_storage_layerwise_px(&net.layers[1]), 96);
    EQ("two: a partial (4 x 8 x 1)", gm_storage_partial_px(&net.layers[0], 0), 32);
    EQ("two: b partial (4 x 4 x 4)", gm_storage_partial_px(&net.layers[1], 0), 64);
    gm_storage_totals_of(&net, 0, &t);
    EQ("two: layer-wise is the max", t.layerwise, 320);
    EQ("two: peak layer", t.peak_layer, 0);
    EQ("two: partial is the sum", t.partial, 96);
    EQ("two: network input share", t.first_input, 32);
    gm_storage_totals_of(&net, 3, &t); /* 3 x 8 x 1 + 3 x 4 x 4 */
    EQ("two: --tile-rows 3", t.partial, 72);
    gm_storage_totals_of(&net, 100, &t); /* capped at h: the whole inputs, 64 + 64 */
    EQ("two: --tile-rows 100 capped at h", t.partial, 128);
    csv = gm_storage_csv(&net, 0);
    check(csv && strcmp(csv, "layer,in_h,in_w,cin,conv_h,conv_w,cout,k,pad,pool,out_h,out_w,"
                             "layerwise_px,tile_rows,partial_px\n"
                             "a,8,8,1,8,8,4,3,1,2,4,4,320,4,32\n"
                             "b,4,4,4,4,4,2,3,1,1,4,4,96,4,64\n"
                             "total,,,,,,,,,,,,320,,96\n") == 0,
          "two: csv", 0, 0);
    if (csv && fail)
        printf("%s", csv);
    free(csv);
    gm_storage_free(&net);
}

/* k = 5 on a 6-row input (T_r = 8 capped at 6), k = 1 (T_r = 2, pad 0), k = 2 (pad 0 by
 * default, one row and column less) followed by a 3x3 pool that drops a leftover. */
static void odd_kernels(void)
{
    gm_storage_net net;
    gm_storage_totals t;
    if (parse(&net, "{\"layers\":["
                    "{\"cin\":3,\"cout\":5,\"h\":6,\"w\":7,\"k\":5},"
                    "{\"cin\":5,\"cout\":2,\"h\":6,\"w\":7,\"k\":1},"
                    "{\"cin\":2,\"cout\":1,\"h\":6,\"w\":7,\"k\":2,\"pool\":3}]}"))
        return;
    EQ("odd: k=5 pad", net.layers[0].pad, 2);
    EQ("odd: k=5 layer-wise 126 + 210", gm_storage_layerwise_px(&net.layers[0]), 336);
    EQ("odd: k=5 T_r capped at h", gm_storage_tile_rows(&net.layers[0], 0), 6);
    EQ("odd: k=5 partial 6 x 7 x 3", gm_storage_partial_px(&net.layers[0], 0), 126);
    EQ("odd: k=1 T_r", gm_storage_tile_rows(&net.layers[1], 0), 2);
    EQ("odd: k=1 partial 2 x 7 x 5", gm_storage_partial_px(&net.layers[1], 0), 70);
    EQ("odd: k=2 pad", net.layers[2].pad, 0);
    EQ("odd: k=2 conv w", gm_storage_conv_w(&net.layers[2]), 6);
    EQ("odd: k=2 layer-wise 84 + 30", gm_storage_layerwise_px(&net.layers[2]), 114);
    EQ("odd: k=2 T_r", gm_storage_tile_rows(&net.layers[2], 0), 2);
    EQ("odd: pool 3 out h (5/3)", gm_storage_out_h(&net.layers[2]), 1);
    EQ("odd: pool 3 out w (6/3)", gm_storage_out_w(&net.layers[2]), 2);
    EQ("odd: max k", gm_storage_max_k(&net), 5);
    gm_storage_totals_of(&net, 0, &t);
    EQ("odd: layer-wise", t.layerwise, 336);
    EQ("odd: partial 126 + 70 + 28", t.partial, 224);
    gm_storage_free(&net);
}

/* VGG-16's 13 convolution layers, built here; the expected sums written out by hand:
 * layer-wise = conv1_2's 224*224*64 in + 224*224*64 out; partial = 4 rows of every input:
 * 4 * (224*3 + six inputs of 14336 per row + six of 7168). */
static void vgg16(void)
{
    static const int widths[5] = { 64, 128, 256, 512, 512 }, count[5] = { 2, 2, 3, 3, 3 };
    char js[4096];
    size_t len = 0;
    int b, j, h = 224, cin = 3;
    gm_storage_net net;
    gm_storage_totals t;
    len += (size_t)snprintf(js + len, sizeof js - len, "{\"layers\":[");
    for (b = 0; b < 5; b++, h /= 2)
        for (j = 0; j < count[b]; j++) {
            len += (size_t)snprintf(js + len, sizeof js - len,
                                    "%s{\"name\":\"conv%d_%d\",\"cin\":%d,\"cout\":%d,\"h\":%d,"
                                    "\"w\":%d,\"k\":3,\"pool\":%d}",
                                    b + j ? "," : "", b + 1, j + 1, cin, widths[b], h, h,
                                    j == count[b] - 1 ? 2 : 1);
            cin = widths[b];
        }
    snprintf(js + len, sizeof js - len, "]}");
    if (parse(&net, js))
        return;
    EQ("vgg16: layers", net.n, 13);
    gm_storage_totals_of(&net, 0, &t);
    EQ("vgg16: layer-wise", t.layerwise, 2LL * 224 * 224 * 64);
    EQ("vgg16: layer-wise value", t.layerwise, 6422528);
    EQ("vgg16: peak is conv1_2", t.peak_layer, 1);
    EQ("vgg16: partial", t.partial, 4LL * (224 * 3 + 6 * 14336 + 6 * 7168));
    EQ("vgg16: partial value", t.partial, 518784);
    EQ("vgg16: image share", t.first_input, 4 * 224 * 3);
    gm_storage_free(&net);
}

/* ---- random chains against counting ---- */

static uint64_t rs = 88172645463325252u;
static int rnd(int lo, int hi)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return lo + (int)(rs % (uint64_t)(hi - lo + 1));
}

/* Positions of a window of size k sliding with stride s over n cells (counted). */
static int count_windows(int n, int k, int s)
{
    int p, c = 0;
    for (p = 0; p + k <= n; p += s)
        c++;
    return c;
}

static void random_chains(void)
{
    int trial;
    for (trial = 0; trial < 300; trial++) {
        char js[8192];
        size_t len = 0;
        int nl = rnd(1, 6), i, h = rnd(4, 40), w = rnd(4, 40), c = rnd(1, 9), ok = 1;
        int kk[6], pp[6], qq[6], hh[6], ww[6], cc[6], co[6], tile = rnd(0, 1) ? 0 : rnd(5, 12);
        long long ref_lw = 0, ref_part = 0;
        gm_storage_net net;
        gm_storage_totals t;
        len += (size_t)snprintf(js + len, sizeof js - len, "{\"layers\":[");
        for (i = 0; i < nl && ok; i++) {
            int k = rnd(1, 5), pad = rnd(0, k - 1), pool = rnd(1, 3), ch, cw;
            ch = count_windows(h + 2 * pad, k, 1);
            cw = count_windows(w + 2 * pad, k, 1);
            if (ch < pool || cw < pool) { /* a layer that leaves nothing: end the chain */
                nl = i;
                break;
            }
            kk[i] = k, pp[i] = pad, qq[i] = pool, hh[i] = h, ww[i] = w, cc[i] = c;
            co[i] = rnd(1, 9);
            len += (size_t)snprintf(js + len, sizeof js - len,
                                    "%s{\"cin\":%d,\"cout\":%d,\"h\":%d,\"w\":%d,\"k\":%d,"
                                    "\"pad\":%d,\"pool\":%d}",
                                    i ? "," : "", c, co[i], h, w, k, pad, pool);
            h = count_windows(ch, pool, pool);
            w = count_windows(cw, pool, pool);
            c = co[i];
            {
                long long in = 0, out = 0, part = 0;
                int y, x, z, rows = tile ? tile : (k > 1 ? 2 * (k - 1) : 2);
                for (z = 0; z < cc[i]; z++)
                    for (y = 0; y < hh[i]; y++)
                        for (x = 0; x < ww[i]; x++) {
                            in++;
                            part += y < rows; /* the first T_r rows of the map */
                        }
                out = (long long)ch * cw * co[i];
                if (in + out > ref_lw)
                    ref_lw = in + out;
                ref_part += part;
            }
        }
        if (nl == 0)
            continue;
        snprintf(js + len, sizeof js - len, "]}");
        if (parse(&net, js))
            continue;
        EQ("random: layers", net.n, nl);
        for (i = 0; i < net.n; i++) {
            EQ("random: conv h", gm_storage_conv_h(&net.layers[i]),
               count_windows(hh[i] + 2 * pp[i], kk[i], 1));
            EQ("random: out w", gm_storage_out_w(&net.layers[i]),
               count_windows(count_windows(ww[i] + 2 * pp[i], kk[i], 1), qq[i], qq[i]));
        }
        gm_storage_totals_of(&net, tile, &t);
        EQ("random: layer-wise", t.layerwise, ref_lw);
        EQ("random: partial", t.partial, ref_part);
        gm_storage_free(&net);
    }
}

/* ---- the parser refuses ---- */

static void refused(const char *js, const char *want)
{
    gm_storage_net net;
    char err[512];
    int rc = gm_storage_parse(&net, js, strlen(js), err, sizeof err);
    int ok = rc != 0 && strstr(err, want) && strstr(err, "legal") && !strchr(err, '\n') &&
             net.layers == NULL;
    if (!ok)
        printf("FAIL refused %.80s: rc %d, message '%s', want '%s'\n", js, rc, rc ? err : "",
               want);
    check(ok, "refused", rc, -1);
}

/* n identical 1x1 layers on a 4x4x1 map, as JSON (malloc'd). */
static char *chain_of(int n)
{
    static const char one[] = "{\"cin\":1,\"cout\":1,\"h\":4,\"w\":4,\"k\":1}";
    char *s = malloc((size_t)n * sizeof one + 16);
    size_t len = 0;
    int i;
    if (!s)
        return NULL;
    len += (size_t)sprintf(s, "{\"layers\":[");
    for (i = 0; i < n; i++)
        len += (size_t)sprintf(s + len, "%s%s", i ? "," : "", one);
    sprintf(s + len, "]}");
    return s;
}

static void parser_errors(void)
{
    char *big;
    refused("", "malformed JSON");
    refused("[1]", "malformed JSON");
    refused("{\"layers\":[{\"cin\":1,", "malformed JSON");
    refused("{}", "\"layers\" is missing");
    refused("{\"layers\":{}}", "not an array");
    refused("{\"layers\":[]}", "has 0 entries");
    refused("{\"layers\":[1]}", "layer 1 is not an object");
    refused("{\"layer\":[]}", "unknown key 'layer'");
    refused("{\"layers\":[{\"cin\":1,\"cout\":1,\"h\":4,\"w\":4,\"k\":3,\"stride\":2}]}",
            "unknown key 'stride'");
    refused("{\"layers\":[{\"cout\":1,\"h\":4,\"w\":4,\"k\":3}]}", "missing \"cin\"");
    refused("{\"layers\":[{\"cin\":1.5,\"cout\":1,\"h\":4,\"w\":4,\"k\":3}]}", "\"cin\" is not");
    refused("{\"layers\":[{\"cin\":0,\"cout\":1,\"h\":4,\"w\":4,\"k\":3}]}", "\"cin\" is not");
    refused("{\"layers\":[{\"cin\":70000,\"cout\":1,\"h\":4,\"w\":4,\"k\":3}]}", "\"cin\"");
    refused("{\"layers\":[{\"cin\":\"3\",\"cout\":1,\"h\":4,\"w\":4,\"k\":3}]}", "\"cin\"");
    refused("{\"layers\":[{\"cin\":1,\"cout\":1,\"h\":1e300,\"w\":4,\"k\":3}]}", "\"h\"");
    refused("{\"layers\":[{\"cin\":1,\"cout\":1,\"h\":4,\"w\":4,\"k\":16}]}", "\"k\"");
    refused("{\"layers\":[{\"cin\":1,\"cout\":1,\"h\":4,\"w\":4,\"k\":3,\"pad\":3}]}", "\"pad\"");
    refused("{\"layers\":[{\"cin\":1,\"cout\":1,\"h\":4,\"w\":4,\"k\":3,\"pool\":9}]}", "\"pool\"");
    refused("{\"layers\":[{\"cin\":1,\"cout\":1,\"h\":2,\"w\":9,\"k\":5,\"pad\":0}]}",
            "leave no output");
    refused("{\"layers\":[{\"cin\":1,\"cout\":1,\"h\":4,\"w\":4,\"k\":3,\"pool\":5}]}",
            "leave no output");
    refused("{\"layers\":[{\"cin\":1,\"cout\":2,\"h\":4,\"w\":4,\"k\":3},"
            "{\"cin\":3,\"cout\":1,\"h\":4,\"w\":4,\"k\":3}]}",
            "input 4x4x3 is not layer 1's output 4x4x2");
    refused("{\"layers\":[{\"cin\":1,\"cout\":2,\"h\":4,\"w\":4,\"k\":3,\"pool\":2},"
            "{\"cin\":2,\"cout\":1,\"h\":4,\"w\":4,\"k\":3}]}",
            "is not layer 1's output 2x2x2");
    refused("{\"layers\":[{\"name\":\"a b\",\"cin\":1,\"cout\":1,\"h\":4,\"w\":4,\"k\":3}]}",
            "is not a name");
    refused("{\"layers\":[{\"name\":\"a\\nb\",\"cin\":1,\"cout\":1,\"h\":4,\"w\":4,\"k\":3}]}",
            "is not a name");
    refused("{\"layers\":[{\"name\":\"\",\"cin\":1,\"cout\":1,\"h\":4,\"w\":4,\"k\":3}]}",
            "is not a name");
    refused("{\"layers\":[{\"name\":\"abcdefghijabcdefghijabcdefghijab\",\"cin\":1,\"cout\":1,"
            "\"h\":4,\"w\":4,\"k\":3}]}",
            "is not a name");
    refused("{\"name\":\"x\\ty\",\"layers\":[{\"cin\":1,\"cout\":1,\"h\":4,\"w\":4,\"k\":3}]}",
            "not a printable string");
    refused("{\"layers\":[{\"cin\":1,\"cout\":1,\"h\":4,\"w\":4,\"k\":3}],\"published\":3}",
            "\"published\" is not an object");
    refused("{\"layers\":[{\"cin\":1,\"cout\":1,\"h\":4,\"w\":4,\"k\":3}],"
            "\"published\":{\"partial\":-1}}",
            "\"partial\" is not a positive number");
    refused("{\"layers\":[{\"cin\":1,\"cout\":1,\"h\":4,\"w\":4,\"k\":3}],"
            "\"published\":{\"partial\":1,\"x\":1}}",
            "unknown key 'x'");
    /* 1025 layers: refused by count, before the layers are allocated or read; 1024 pass */
    big = chain_of(1025);
    if (big)
        refused(big, "more than 1024 entries");
    free(big);
    big = chain_of(1024);
    if (big) {
        gm_storage_net net;
        if (parse(&net, big) == 0) {
            EQ("1024 layers", net.n, 1024);
            gm_storage_free(&net);
        }
    }
    free(big);
}

static void published(void)
{
    gm_storage_net net;
    if (parse(&net, "{\"name\":\"n\",\"source\":\"s\",\"layers\":[{\"cin\":1,\"cout\":1,\"h\":4,"
                    "\"w\":4,\"k\":3}],\"published\":{\"layerwise\":6400000,\"partial\":463500,"
                    "\"ratio\":14,\"source\":\"p\"}}"))
        return;
    check(net.pub.layerwise == 6400000 && net.pub.partial == 463500 && net.pub.ratio == 14 &&
              strcmp(net.pub.source, "p") == 0 && strcmp(net.name, "n") == 0 &&
              strcmp(net.source, "s") == 0,
          "published figures read", 0, 0);
    gm_storage_free(&net);
}

int main(void)
{
    one_layer();
    two_layers_pool();
    odd_kernels();
    vgg16();
    random_chains();
    parser_errors();
    published();
    printf("test_storage: %ld passed, %ld failed\n", pass, fail);
    return fail ? 1 : 0;
}
