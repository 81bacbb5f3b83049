/*
 * fuzz_image.c -- libFuzzer harness for the lstm_layer image files (gm_hexwords_parse and
 * gm_header_int: `compress --layer` and `vad --dump` write them, verify's silero:DIR profile
 * reads them): the first byte picks the word width (1..64) and the word limit; any bytes
 * give a one-line error or words that fit the width, at most the limit, a header without
 * control bytes; every key lookup on the header terminates.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gm_lstm_layer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const keys[] = { "I", "H", "N", "K", "EM", "EF", "B", "F", "P", "TQ",
                                        "frames", "", NULL };
    char hdr[64], err[256];
    uint64_t *w;
    int64_t cnt, max;
    int width, v, k;
    if (size < 1)
        return 0;
    width = 1 + data[0] % 64;
    max = (int64_t)(data[0] >> 3) * 3;
    if (gm_hexwords_parse((const char *)data + 1, size - 1, width, max, hdr, sizeof hdr, &w,
                          &cnt, err, sizeof err) == 0) {
        if (cnt < 0 || cnt > max || strlen(hdr) >= sizeof hdr)
            __builtin_trap();
        for (int64_t i = 0; i < cnt; i++)
            if (width < 64 && (w[i] >> width) != 0)
                __builtin_trap();
        for (size_t i = 0; hdr[i]; i++)
            if ((unsigned char)hdr[i] < 32)
                __builtin_trap();
        for (k = 0; keys[k]; k++)
            (void)gm_header_int(hdr, keys[k], &v);
        free(w);
    } else if (strchr(err, '\n') || !err[0]) {
        __builtin_trap();
    }
    return 0;
}
