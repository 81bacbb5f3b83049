/*
 * test_image.c -- gm_image: the bilinear crop-and-resize against values worked out by hand
 * (identity, exact 2x decimation, a half-way sample, zero padding outside the image, the
 * clamped last row), and JPEG errors: not a JPEG, a header declaring 65000x65000 (refused
 * from the header, before any pixel buffer), an empty buffer; each one line naming the legal
 * values. A JPEG written here by libjpeg at quality 100 from a flat colour decodes to it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h> /* after stdio.h: it uses FILE and size_t */

#include "gm_image.h"

#include "check.h"

static void resize(void)
{
    uint8_t px[4 * 4 * 3];
    gm_image im = { 4, 4, px };
    float out[4 * 4 * 3];
    int i;
    for (i = 0; i < 48; i++)
        px[i] = (uint8_t)(i * 5);
    gm_image_crop_resize(&im, 0, 0, 4, 4, 4, 4, out);
    for (i = 0; i < 48 && out[i] == (float)px[i]; i++)
        ;
    check(i == 48, "identity");
    gm_image_crop_resize(&im, 0, 0, 4, 4, 2, 2, out);
    check(out[0] == px[0] && out[3] == px[6] && out[6] == px[24] && out[11] == px[32],
          "2x decimation samples pixels 0 and 2");
    gm_image_crop_resize(&im, 0, 0, 2, 1, 4, 1, out);
    /* box of 2 pixels to 4: samples at 0, 0.5, 1, 1.5 -> the last clamps to pixel 1 */
    check(out[3] == (float)(px[0] + px[3]) / 2 && out[6] == px[3] && out[9] == px[3],
          "half-way sample and clamped last column");
    gm_image_crop_resize(&im, -2, 0, 4, 1, 4, 1, out);
    check(out[0] == 0 && out[3] == 0 && out[6] == px[0] && out[9] == px[3],
          "pixels outside the image read as zero");
}

static void bad(const char *what, const uint8_t *d, size_t n, const char *want)
{
    gm_image im;
    char err[512] = "";
    int rc = gm_jpeg_decode(&im, d, n, err, sizeof err);
    int ok = rc == -1 && !strchr(err, '\n') && strstr(err, "legal") && strstr(err, want) &&
             !im.rgb;
    if (!ok)
        printf("     %s: rc %d, '%s'\n", what, rc, err);
    check(ok, what);
    if (rc == 0)
        gm_image_free(&im);
}

static void jpeg(void)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    unsigned char *buf = NULL, row[16 * 3];
    unsigned long len = 0;
    gm_image im;
    char err[512];
    int i, maxd = 0;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &buf, &len);
    c.image_width = 16;
    c.image_height = 8;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 100, TRUE);
    jpeg_start_compress(&c, TRUE);
    for (i = 0; i < 48; i += 3)
        row[i] = 200, row[i + 1] = 100, row[i + 2] = 50;
    while (c.next_scanline < c.image_height) {
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    if (gm_jpeg_decode(&im, buf, len, err, sizeof err)) {
        printf("FAIL decode: %s\n", err);
        fail++;
    } else {
        for (i = 0; i < 16 * 8 * 3; i++) {
            int want = i % 3 == 0 ? 200 : i % 3 == 1 ? 100 : 50, d = abs(im.rgb[i] - want);
            maxd = d > maxd ? d : maxd;
        }
        check(im.w == 16 && im.h == 8 && maxd <= 2, "flat colour round trip (within 2)");
        gm_image_free(&im);
    }
    if (len > 20) {
        uint8_t *d = malloc(len);
        size_t k;
        memcpy(d, buf, len);
        for (k = 0; k + 9 < len; k++)
            if (d[k] == 0xff && d[k + 1] == 0xc0) {
                d[k + 5] = 0xfd, d[k + 6] = 0xe8, d[k + 7] = 0xfd, d[k + 8] = 0xe8;
                break;
            }
        bad("65000x65000 from the header", d, len, "too large, 65000x65000");
        bad("truncated to 100 bytes", d, 100, "not a decodable JPEG");
        free(d);
    }
    bad("not a JPEG", (const uint8_t *)"\x89PNG\r\n\x1a\n", 8, "not a decodable JPEG");
    bad("empty", (const uint8_t *)"", 0, "0 bytes");
    free(buf);
}

int main(void)
{
    resize();
    jpeg();
    return check_done("test_image");
}
