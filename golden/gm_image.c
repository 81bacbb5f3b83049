/*
 * gm_image.c -- JPEG decoding through libjpeg and bilinear crop-and-resize (gm_image.h).
 *
 * libjpeg reports fatal errors by calling err->error_exit, which by default prints and
 * exits; ours formats the library's message into the caller's buffer and longjmps back to
 * gm_jpeg_decode, which frees what it allocated. Everything the error path frees lives in
 * the error manager's struct (not in locals modified after setjmp), so no volatile games.
 */
#define _POSIX_C_SOURCE 200809L
#include "gm_image.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

typedef struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jb;
    char msg[JMSG_LENGTH_MAX];
    uint8_t *pixels; /* freed on the error path */
} jerr;

static void on_error(j_common_ptr c)
{
    jerr *e = (jerr *)c->err;
    (*c->err->format_message)(c, e->msg);
    longjmp(e->jb, 1);
}

static void on_message(j_common_ptr c, int level)
{
    (void)c;
    (void)level; /* warnings (recoverable corrupt data) and traces: ignored */
}

static void oneline(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 32 || *s == 127)
            *s = '?';
}

int gm_jpeg_decode(gm_image *im, const uint8_t *data, size_t len, char *err, size_t n)
{
    struct jpeg_decompress_struct d;
    jerr e;
    size_t px, row;
    memset(im, 0, sizeof *im);
    memset(&e, 0, sizeof e);
    if (len == 0 || len > GM_IMAGE_MAX_FILE) {
        snprintf(err, n, "jpeg: %zu bytes (legal: a JPEG file of 1..%zu bytes)", len,
                 GM_IMAGE_MAX_FILE);
        return -1;
    }
    d.err = jpeg_std_error(&e.mgr);
    e.mgr.error_exit = on_error;
    e.mgr.emit_message = on_message;
    if (setjmp(e.jb)) {
        jpeg_destroy_decompress(&d);
        free(e.pixels);
        oneline(e.msg);
        snprintf(err, n, "jpeg: not a decodable JPEG: %s (legal: a baseline or progressive "
                         "JPEG)", e.msg);
        memset(im, 0, sizeof *im);
        return -1;
    }
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, data, (unsigned long)len);
    jpeg_read_header(&d, TRUE);
    if (d.image_width < 1 || d.image_height < 1 || d.image_width > GM_IMAGE_MAX_SIDE ||
        d.image_height > GM_IMAGE_MAX_SIDE ||
        (size_t)d.image_width * d.image_height > GM_IMAGE_MAX_PIXELS) {
        snprintf(err, n, "jpeg: image too large, %ux%u (legal: sides 1..%d, at most %zu pixels)",
                 d.image_width, d.image_height, GM_IMAGE_MAX_SIDE, GM_IMAGE_MAX_PIXELS);
        jpeg_destroy_decompress(&d);
        return -1;
    }
    d.out_color_space = JCS_RGB;
    jpeg_start_decompress(&d);
    if (d.output_components != 3) {
        snprintf(err, n, "jpeg: %d components after conversion (legal: RGB or grayscale "
                         "images)", d.output_components);
        jpeg_destroy_decompress(&d);
        return -1;
    }
    row = (size_t)d.output_width * 3;
    px = (size_t)d.output_width * d.output_height;
    e.pixels = malloc(px * 3);
    if (!e.pixels) {
        snprintf(err, n, "jpeg: out of memory for %zu pixels (legal: a smaller image)", px);
        jpeg_destroy_decompress(&d);
        return -1;
    }
    while (d.output_scanline < d.output_height) {
        JSAMPROW r = e.pixels + (size_t)d.output_scanline * row;
        if (jpeg_read_scanlines(&d, &r, 1) != 1)
            break; /* truncated data: libjpeg fills the rest after a warning */
    }
    jpeg_finish_decompress(&d);
    im->w = (int)d.output_width;
    im->h = (int)d.output_height;
    im->rgb = e.pixels;
    jpeg_destroy_decompress(&d);
    return 0;
}

int gm_jpeg_load(gm_image *im, const char *path, char *err, size_t n)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b = NULL;
    long sz;
    int rc;
    memset(im, 0, sizeof *im);
    if (!f) {
        snprintf(err, n, "jpeg: cannot read '%.200s' (legal: a readable JPEG file)", path);
        return -1;
    }
    if (fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
        (size_t)sz > GM_IMAGE_MAX_FILE) {
        fclose(f);
        snprintf(err, n, "jpeg: cannot read '%.200s' (legal: a regular file of at most %zu "
                         "bytes)", path, GM_IMAGE_MAX_FILE);
        return -1;
    }
    b = malloc((size_t)sz + 1);
    if (!b || fread(b, 1, (size_t)sz, f) != (size_t)sz) {
        free(b);
        fclose(f);
        snprintf(err, n, "jpeg: cannot read '%.200s' (legal: a readable JPEG file)", path);
        return -1;
    }
    fclose(f);
    rc = gm_jpeg_decode(im, b, (size_t)sz, err, n);
    free(b);
    return rc;
}

void gm_image_free(gm_image *im)
{
    free(im->rgb);
    memset(im, 0, sizeof *im);
}

static float px_at(const gm_image *s, double x0, double y0, int x, int y, int c)
{
    /* (x, y) indexes the box; the box starts at (x0, y0) rounded down to whole pixels */
    long ix = (long)x0 + x, iy = (long)y0 + y;
    if (ix < 0 || iy < 0 || ix >= s->w || iy >= s->h)
        return 0.0f;
    return (float)s->rgb[((size_t)iy * (size_t)s->w + (size_t)ix) * 3 + (size_t)c];
}

void gm_image_crop_resize(const gm_image *src, double x, double y, double w, double h,
                          int out_w, int out_h, float *out)
{
    int bw = (int)w, bh = (int)h, ox, oy, c;
    double sx = (double)bw / out_w, sy = (double)bh / out_h;
    for (oy = 0; oy < out_h; oy++) {
        double fy = oy * sy;
        int y0 = (int)fy, y1 = y0 + 1 < bh ? y0 + 1 : bh - 1;
        double dy = fy - y0;
        for (ox = 0; ox < out_w; ox++) {
            double fx = ox * sx;
            int x0 = (int)fx, x1 = x0 + 1 < bw ? x0 + 1 : bw - 1;
            double dx = fx - x0;
            for (c = 0; c < 3; c++) {
                double top = px_at(src, x, y, x0, y0, c) +
                             (px_at(src, x, y, x1, y0, c) - px_at(src, x, y, x0, y0, c)) * dx;
                double bot = px_at(src, x, y, x0, y1, c) +
                             (px_at(src, x, y, x1, y1, c) - px_at(src, x, y, x0, y1, c)) * dx;
                out[((size_t)oy * (size_t)out_w + (size_t)ox) * 3 + (size_t)c] =
                    (float)(top + (bot - top) * dy);
            }
        }
    }
}
