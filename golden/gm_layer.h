/*
 * gm_layer.h -- a convolution layer (weights and one input feature map) as the FPAP array,
 * the channel scheduler and the benches use it, its file format and the direct 2-D
 * convolution that is the golden model of the array (nothing about the array's mapping).
 *
 * Layer file (JSON, docs/schedule.md): cin, cout, h, w, k (stride 1, no padding), xw, hw,
 * signed_x, and either explicit "weights" (cout*cin*k*k integers, order [o][ci][kr][kc])
 * and "input" (cin*h*w integers, order [ci][y][x]), or a "random" object
 * {"seed": S, "wsparsity": W, "wspread": D, "asparsity": A} from which both are drawn
 * reproducibly.
 */
#ifndef GM_LAYER_H
#define GM_LAYER_H

#include "gm_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds a layer file may ask for (larger: a one-line error, no allocation). */
#define GM_LAYER_MAX_CH 4096
#define GM_LAYER_MAX_HW 4096
#define GM_LAYER_MAX_K 16
#define GM_LAYER_MAX_ELEMS (1 << 24) /* weights and inputs, each */

typedef struct gm_layer {
    int cin, cout, h, w, k;
    int xw, hw, signed_x;
    int64_t *wt; /* cout*cin*k*k, sign-extended values of hw bits */
    int64_t *in; /* cin*h*w, values of xw bits (signed or unsigned per signed_x) */
} gm_layer;

#define GM_LAYER_W(L, o, ci, kr, kc) \
    ((L)->wt[(((size_t)(o) * (size_t)(L)->cin + (size_t)(ci)) * (size_t)(L)->k + (size_t)(kr)) * \
                 (size_t)(L)->k + (size_t)(kc)])
#define GM_LAYER_X(L, ci, y, x) \
    ((L)->in[((size_t)(ci) * (size_t)(L)->h + (size_t)(y)) * (size_t)(L)->w + (size_t)(x)])

/* Parse a layer from JSON text (len bytes, need not be NUL-terminated). 0 on success;
 * -1 with a one-line message naming the problem and the legal values. */
int gm_layer_parse(gm_layer *L, const char *text, size_t len, char *err, size_t n);
/* Read and parse a layer file (at most 1 GiB). 0, or -1 with a one-line message. */
int gm_layer_load(gm_layer *L, const char *path, char *err, size_t n);
/* Random layer with the given sizes and sparsities, reproducible from seed. wspread > 0
 * gives each output channel its own weight sparsity, uniform in wsparsity +- wspread
 * (clipped to 0..1): filters pruned unequally, the case channel ordering is for. 0 or -1. */
int gm_layer_random(gm_layer *L, int cin, int cout, int h, int w, int k, int xw, int hw,
                    int signed_x, double wsparsity, double wspread, double asparsity,
                    uint64_t seed, char *err, size_t n);
/* The layer as JSON with explicit weights and input (malloc'd, NUL-terminated). */
char *gm_layer_to_json(const gm_layer *L);
void gm_layer_free(gm_layer *L);
/* Direct 2-D convolution (correlation), stride 1, valid: out[o][y][x] for
 * y < h-k+1, x < w-k+1, = sum over ci, kr, kc of W[o][ci][kr][kc] * X[ci][y+kr][x+kc],
 * wrapped to acc bits (returned as the low acc bits, two's complement). */
gm_val gm_layer_conv(const gm_layer *L, int acc, int o, int y, int x);

#ifdef __cplusplus
}
#endif
#endif
