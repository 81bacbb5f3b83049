/*
 * gm_facerec.h -- float forward pass of face-api's face_recognition network (dlib's ResNet
 * face descriptor ported to TF.js; docs/models.md), so that every convolution has a real
 * input to measure: 150x150x3 image -> 128-value descriptor.
 *
 * The layers, as the weights manifest names them and face-api.js computes them:
 *   input: (RGB - [122.782, 117.001, 104.298]) / 255 (face-api 1.7.15; face-api.js 0.22 had 256)
 *   conv32_down: 7x7 stride 2 'valid', bias, per-channel scale (x*weights + biases), ReLU
 *   3x3 max pool stride 2 'valid'
 *   residual R (conv32_1..3, conv64_1..3, conv128_1..2, conv256_1..2):
 *       relu(scale(conv3x3 'same' R/conv2 of relu(scale(conv3x3 'same' R/conv1 of x))) + x)
 *   residual down D (conv64_down, conv128_down, conv256_down, conv256_down_out):
 *       y = scale(conv3x3 'same' D/conv2 of relu(scale(conv3x3 stride 2 'valid' D/conv1 of x)))
 *       p = 2x2 average pool stride 2 of x, channels zero-padded to y's; y zero-padded by one
 *       row and column at the bottom/right when p is larger; relu(y + p)
 *   mean over the 2x2 map -> 256 values -> fc [256, 128] -> descriptor
 * 29 convolutions (one 7x7, 28 3x3) and the fc: 30 MAC layers. Float32 storage, sums in
 * double (the order of a float sum is not specified by TF.js either).
 */
#ifndef GM_FACEREC_H
#define GM_FACEREC_H

#include "gm_image.h"
#include "gm_tfjs.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GM_FACEREC_SIZE 150
#define GM_FACEREC_LAYERS 30
#define GM_FACEREC_DESC 128

typedef struct gm_facerec_layer {
    char name[48];    /* "conv32_down", "conv32_1/conv1", ..., "fc" */
    const float *w;   /* filters [k][k][cin][cout] (fc: [cin][cout], a 1x1 convolution) */
    int k, stride, pad_top, pad_left; /* 'same' 3x3: pad 1; 'valid': 0 */
    int cin, cout, h, w_, oh, ow;     /* input h x w_ x cin, output oh x ow x cout */
    float *in;                        /* the input this layer read: h*w_*cin values */
} gm_facerec_layer;

typedef struct gm_facerec {
    int n;
    gm_facerec_layer l[GM_FACEREC_LAYERS];
    float desc[GM_FACEREC_DESC];
} gm_facerec;

/* The network input from a box of an image: crop (x, y, side, side) resized bilinearly to
 * 150x150 (gm_image_crop_resize), then (RGB - mean) / 255. out: 150*150*3 floats. */
void gm_facerec_input(const gm_image *im, double x, double y, double side, float *out);

/* Run the network on a 150x150x3 input; keeps every MAC layer's input in net. 0, or -1 with
 * a one-line message when the model lacks a tensor or has a wrong shape (legal: face-api's
 * face_recognition_model). */
int gm_facerec_run(gm_facerec *net, const gm_tfjs_model *m, const float *input, char *err,
                   size_t n);
/* Only the layer list (names, shapes, weights; no inputs): for weight statistics. */
int gm_facerec_layers(gm_facerec *net, const gm_tfjs_model *m, char *err, size_t n);
void gm_facerec_free(gm_facerec *net);

#ifdef __cplusplus
}
#endif
#endif
