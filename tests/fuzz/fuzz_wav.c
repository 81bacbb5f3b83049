/*
 * fuzz_wav.c -- libFuzzer harness for WAV files (gm_wav_parse, the input of `dnngen vad`):
 * any bytes give a one-line error or samples in [-1, 1) (all read here, so ASan sees a short
 * buffer); the segmenter is then run over the samples taken as probabilities.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gm_silero.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    float *x;
    size_t ns;
    int64_t seg[2 * 8];
    char err[256];
    if (gm_wav_parse(data, size, &x, &ns, err, sizeof err) == 0) {
        size_t nseg;
        for (size_t k = 0; k < ns; k++) {
            if (!(x[k] >= -1.0f && x[k] < 1.0f))
                __builtin_trap();
            x[k] = x[k] < 0 ? -x[k] : x[k];
        }
        nseg = gm_silero_segments(x, ns, 0.5f, 250, 100, seg, 8);
        for (size_t k = 0; k < nseg && k < 8; k++)
            if (seg[2 * k] < 0 || seg[2 * k + 1] <= seg[2 * k] ||
                seg[2 * k + 1] > (int64_t)ns * GM_SILERO_FRAME)
                __builtin_trap();
        free(x);
    } else if (strchr(err, '\n') || !err[0]) {
        __builtin_trap();
    }
    return 0;
}
