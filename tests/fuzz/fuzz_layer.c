/*
 * fuzz_layer.c -- libFuzzer harness for layer files (gm_layer_parse): any text either gives
 * a one-line error or a layer whose values fit their widths and that survives a round trip
 * through gm_layer_to_json. Sizes a file declares but does not contain must be refused
 * before anything that large is allocated (the limits in gm_layer.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gm_layer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gm_layer L, M;
    char err[256];
    if (gm_layer_parse(&L, (const char *)data, size, err, sizeof err) == 0) {
        size_t nw = (size_t)L.cout * (size_t)L.cin * (size_t)L.k * (size_t)L.k;
        size_t nx = (size_t)L.cin * (size_t)L.h * (size_t)L.w, i;
        char *js;
        if (nw > (size_t)GM_LAYER_MAX_ELEMS || nx > (size_t)GM_LAYER_MAX_ELEMS)
            __builtin_trap();
        for (i = 0; i < nw; i++)
            if (L.wt[i] < -((int64_t)1 << (L.hw - 1)) || L.wt[i] >= ((int64_t)1 << (L.hw - 1)))
                __builtin_trap();
        if (nw + nx < 20000) { /* round trip (bounded: the fuzzer must stay fast) */
            js = gm_layer_to_json(&L);
            if (!js)
                __builtin_trap();
            if (gm_layer_parse(&M, js, strlen(js), err, sizeof err) != 0)
                __builtin_trap();
            if (memcmp(L.wt, M.wt, nw * sizeof *L.wt) || memcmp(L.in, M.in, nx * sizeof *L.in))
                __builtin_trap();
            gm_layer_free(&M);
            free(js);
        }
        gm_layer_free(&L);
    } else if (strchr(err, '\n')) {
        __builtin_trap(); /* errors are one line */
    }
    return 0;
}
