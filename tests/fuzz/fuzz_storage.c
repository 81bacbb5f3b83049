/*
 * fuzz_storage.c -- libFuzzer harness for network files (gm_storage_parse) and the storage
 * model: any text either gives a one-line error or a network whose layers are within the
 * limits of gm_storage.h and chain (each layer's input is the previous pooled output), whose
 * figures obey the model's invariants (a tile never exceeds its input map, the layer-wise
 * total is the largest layer's, the partial total the sum, no overflow) and whose CSV has
 * one line per layer plus header and total.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gm_storage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_net(const gm_storage_net *net, int tile_rows)
{
    gm_storage_totals t;
    int64_t max = 0, sum = 0;
    int i, lines = 0;
    char *csv, *p;
    if (net->n < 1 || net->n > GM_STORAGE_MAX_LAYERS)
        __builtin_trap();
    for (i = 0; i < net->n; i++) {
        const gm_storage_layer *l = &net->layers[i];
        int64_t in = gm_storage_in_px(l), part = gm_storage_partial_px(l, tile_rows);
        int rows = gm_storage_tile_rows(l, tile_rows);
        if (l->cin < 1 || l->cin > GM_STORAGE_MAX_CH || l->cout < 1 ||
            l->cout > GM_STORAGE_MAX_CH || l->h < 1 || l->h > GM_STORAGE_MAX_HW || l->w < 1 ||
            l->w > GM_STORAGE_MAX_HW || l->k < 1 || l->k > GM_STORAGE_MAX_K || l->pad < 0 ||
            l->pad >= l->k || l->pool < 1 || l->pool > GM_STORAGE_MAX_POOL)
            __builtin_trap();
        if (gm_storage_out_h(l) < 1 || gm_storage_out_w(l) < 1 || strchr(l->name, '\n') ||
            strchr(l->name, ','))
            __builtin_trap();
        if (i > 0 && (l->cin != net->layers[i - 1].cout ||
                      l->h != gm_storage_out_h(&net->layers[i - 1]) ||
                      l->w != gm_storage_out_w(&net->layers[i - 1])))
            __builtin_trap();
        if (rows < 1 || rows > l->h || part < 1 || part > in ||
            part != (int64_t)rows * l->w * l->cin)
            __builtin_trap();
        if (gm_storage_layerwise_px(l) != in + gm_storage_conv_px(l) || in < 1)
            __builtin_trap();
        if (gm_storage_layerwise_px(l) > max)
            max = gm_storage_layerwise_px(l);
        sum += part;
    }
    gm_storage_totals_of(net, tile_rows, &t);
    if (t.layerwise != max || t.partial != sum || t.partial < 1 ||
        t.layerwise != gm_storage_layerwise_px(&net->layers[t.peak_layer]) ||
        t.first_input != gm_storage_partial_px(&net->layers[0], tile_rows))
        __builtin_trap();
    csv = gm_storage_csv(net, tile_rows);
    if (!csv)
        __builtin_trap();
    for (p = csv; *p; p++)
        lines += *p == '\n';
    if (lines != net->n + 2)
        __builtin_trap();
    free(csv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gm_storage_net net;
    char err[512];
    if (gm_storage_parse(&net, (const char *)data, size, err, sizeof err) == 0) {
        int k = gm_storage_max_k(&net);
        check_net(&net, 0);
        check_net(&net, k);         /* the smallest --tile-rows the command takes */
        check_net(&net, 3 * k + 1); /* and one that the short maps cap */
        gm_storage_free(&net);
    } else if (strchr(err, '\n') || !strstr(err, "legal") || net.layers) {
        __builtin_trap(); /* errors are one line naming the legal values; nothing kept */
    }
    return 0;
}
