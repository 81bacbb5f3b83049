/*
 * fuzz_order.c -- libFuzzer harness for channel-order files (gm_order_parse): the first two
 * bytes give the channel count, the rest is the file. An accepted order is a permutation
 * and formats back to a file that parses to the same order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gm_fpap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int cout, *o, *p, i;
    char err[256];
    unsigned char *seen;
    if (size < 2)
        return 0;
    cout = (data[0] | data[1] << 8) % 5000; /* includes 0 and > GM_LAYER_MAX_CH */
    o = malloc(sizeof *o * (size_t)(cout + 1));
    p = malloc(sizeof *p * (size_t)(cout + 1));
    seen = calloc((size_t)cout + 1, 1);
    if (!o || !p || !seen)
        goto out;
    if (gm_order_parse((const char *)data + 2, size - 2, cout, o, err, sizeof err) == 0) {
        char *t;
        for (i = 0; i < cout; i++) {
            if (o[i] < 0 || o[i] >= cout || seen[o[i]])
                __builtin_trap();
            seen[o[i]] = 1;
        }
        t = gm_order_format(o, cout, "fuzz");
        if (!t || gm_order_parse(t, strlen(t), cout, p, err, sizeof err) != 0 ||
            memcmp(o, p, sizeof *o * (size_t)cout) != 0)
            __builtin_trap();
        free(t);
    } else if (strchr(err, '\n')) {
        __builtin_trap();
    }
out:
    free(o);
    free(p);
    free(seen);
    return 0;
}
