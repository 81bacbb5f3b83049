/*
 * fuzz_hex.c -- libFuzzer harness for the hex field parser of vector values: parse, print
 * back, parse again must round-trip at the first byte's width.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gm_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s, hx[40];
    gm_val v, w;
    int width;
    if (size < 1)
        return 0;
    width = 1 + data[0] % 128;
    s = malloc(size);
    if (!s)
        return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    if (gm_val_parse_hex(s, width, &v) == 0) {
        gm_val_hex(hx, v, width);
        if (gm_val_parse_hex(hx, width, &w) != 0 || !gm_val_eq(v, w))
            __builtin_trap();
    }
    free(s);
    return 0;
}
