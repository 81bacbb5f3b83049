/*
 * fuzz_jpeg.c -- libFuzzer harness for JPEG input (gm_jpeg_decode, libjpeg underneath): any
 * bytes give a one-line error naming the legal values with nothing kept, or an RGB image
 * within the size limits whose every byte can be read (ASan) and resampled.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gm_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gm_image im;
    char err[512];
    if (gm_jpeg_decode(&im, data, size, err, sizeof err) == 0) {
        float out[4 * 4 * 3];
        size_t i, sum = 0, n;
        if (im.w < 1 || im.h < 1 || im.w > GM_IMAGE_MAX_SIDE || im.h > GM_IMAGE_MAX_SIDE ||
            !im.rgb)
            __builtin_trap();
        n = (size_t)im.w * (size_t)im.h * 3;
        for (i = 0; i < n; i += 61)
            sum += im.rgb[i];
        sum += im.rgb[n - 1];
        gm_image_crop_resize(&im, -1, -1, im.w + 2, im.h + 2, 4, 4, out);
        for (i = 0; i < sizeof out / sizeof out[0]; i++)
            if (!(out[i] >= 0.0f && out[i] <= 255.0f))
                __builtin_trap();
        (void)sum;
        gm_image_free(&im);
    } else if (strchr(err, '\n') || !strstr(err, "legal") || im.rgb || im.w || im.h) {
        __builtin_trap();
    }
    return 0;
}
