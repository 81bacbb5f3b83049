/*
 * gm_image.h -- images for the real networks (docs/models.md): JPEG decoding by Debian's
 * libjpeg (libjpeg-turbo), and the resampling a network's input needs.
 *
 * Why a library: JPEG decoding is not the product, and libjpeg is the decoder everyone's
 * images were tested against. What is ours is the boundary: the size is checked from the
 * header before any pixel buffer is allocated, libjpeg's fatal errors come back as a
 * one-line message (its error_exit longjmps to us instead of calling exit()), and its
 * warnings (corrupt data it recovered from) are ignored the way every viewer ignores them.
 */
#ifndef GM_IMAGE_H
#define GM_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GM_IMAGE_MAX_SIDE 16384
#define GM_IMAGE_MAX_PIXELS ((size_t)1 << 25) /* 32 Mpixel, 96 MB of RGB */
#define GM_IMAGE_MAX_FILE ((size_t)64 << 20)

typedef struct gm_image {
    int w, h;
    uint8_t *rgb; /* h rows of w pixels of R, G, B */
} gm_image;

/* Decode a JPEG held in memory to 8-bit RGB (grayscale images are expanded). 0, or -1 with
 * a one-line message naming the problem and the legal values; im is zeroed on error. */
int gm_jpeg_decode(gm_image *im, const uint8_t *data, size_t len, char *err, size_t n);
int gm_jpeg_load(gm_image *im, const char *path, char *err, size_t n);
void gm_image_free(gm_image *im);

/* Crop the box (x, y, w, h), corners rounded down to whole pixels, out of src and resize it
 * to out_w x out_h by bilinear interpolation the way TF.js resizeBilinear does with
 * alignCorners=false, halfPixelCenters=false (output pixel o samples the box at o*in/out,
 * the last row and column clamped), giving floats 0..255 in HWC order. Pixels of the box outside the image
 * read as 0 (the zero padding face-api adds to make a crop square). out holds
 * out_h*out_w*3 floats. */
void gm_image_crop_resize(const gm_image *src, double x, double y, double w, double h,
                          int out_w, int out_h, float *out);

#ifdef __cplusplus
}
#endif
#endif
