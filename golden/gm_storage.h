/*
 * gm_storage.h -- on-chip feature-map storage of a convolutional network under two
 * buffering schemes (blocks.md section 4, docs/storage.md): layer-wise buffering (the whole
 * input and the whole output feature map of the layer being computed are on chip) and
 * inter-layer partial storage (every layer keeps only a tile of T_r = 2k-2 rows of its input
 * feature map, split into two ping-pong halves of k-1 rows). Counts are pixels, one pixel
 * being one activation value (one channel of one position); bit widths do not enter.
 *
 * Network file (JSON, docs/storage.md): {"name": S, "source": S, "layers": [L, ...],
 * "published": {"layerwise": X, "partial": Y, "ratio": R, "source": S}}; each layer L is
 * {"name": S, "cin": C, "cout": C, "h": H, "w": W, "k": K, "pad": P, "pool": Q}: a stride-1
 * K x K convolution of an H x W x cin input padded by P on every side (default (K-1)/2),
 * then an optional Q x Q max-pool of stride Q (default 1: none). Layer i+1's input must be
 * layer i's pooled output (cin, h, w are checked against it): the file states every size,
 * so a typo in a copied table is an error, not a wrong figure.
 *
 * The parser is size-checked (limits below) and every error is one line naming the problem
 * and the legal values. The model functions are pure: no allocation, no I/O.
 */
#ifndef GM_STORAGE_H
#define GM_STORAGE_H

#include "gm_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds a network file may ask for (larger: a one-line error before any allocation). */
#define GM_STORAGE_MAX_LAYERS 1024
#define GM_STORAGE_MAX_HW 16384
#define GM_STORAGE_MAX_CH 65536
#define GM_STORAGE_MAX_K 15
#define GM_STORAGE_MAX_POOL 8
#define GM_STORAGE_MAX_ROWS GM_STORAGE_MAX_HW /* --tile-rows */
#define GM_STORAGE_NAME 32                    /* layer and network names, NUL included */

typedef struct gm_storage_layer {
    char name[GM_STORAGE_NAME];
    int cin, cout, h, w, k, pad, pool;
} gm_storage_layer;

/* Published figures the file may carry, to be compared with ours (0: not given). */
typedef struct gm_storage_pub {
    double layerwise, partial, ratio;
    char source[160];
} gm_storage_pub;

typedef struct gm_storage_net {
    char name[GM_STORAGE_NAME * 2];
    char source[160];
    int n;
    gm_storage_layer *layers;
    gm_storage_pub pub;
} gm_storage_net;

/* Parse a network from JSON text (len bytes, need not be NUL-terminated). 0 on success;
 * -1 with a one-line message naming the problem and the legal values. */
int gm_storage_parse(gm_storage_net *net, const char *text, size_t len, char *err, size_t n);
void gm_storage_free(gm_storage_net *net);

/* One layer's sizes: the convolution's output (before pooling) and the pooled output. */
int gm_storage_conv_h(const gm_storage_layer *l);
int gm_storage_conv_w(const gm_storage_layer *l);
int gm_storage_out_h(const gm_storage_layer *l);
int gm_storage_out_w(const gm_storage_layer *l);

/* Pixels of the input feature map (h*w*cin) and of the convolution's output before
 * pooling (conv_h*conv_w*cout). */
int64_t gm_storage_in_px(const gm_storage_layer *l);
int64_t gm_storage_conv_px(const gm_storage_layer *l);

/* Layer-wise buffering, while this layer is computed: its whole input and its whole
 * output before pooling (the pooling pass reads the stored output; a fused pool would
 * store the pooled output instead, see docs/storage.md). */
int64_t gm_storage_layerwise_px(const gm_storage_layer *l);

/* Rows of the input tile: tile_rows if > 0, else T_r = 2k-2 (two ping-pong halves of k-1
 * rows; at least one row per half, so 2 for k = 1); never more than the input has (h). */
int gm_storage_tile_rows(const gm_storage_layer *l, int tile_rows);

/* Inter-layer partial storage of this layer: gm_storage_tile_rows rows of its input, full
 * width, all input channels. */
int64_t gm_storage_partial_px(const gm_storage_layer *l, int tile_rows);

typedef struct gm_storage_totals {
    int64_t layerwise;  /* max over layers of gm_storage_layerwise_px: buffers are reused */
    int peak_layer;     /* the layer that sets it (the first of equals) */
    int64_t partial;    /* sum over layers of gm_storage_partial_px: one buffer per layer */
    int64_t first_input; /* the network input's share of partial (layer 0's tile) */
} gm_storage_totals;

void gm_storage_totals_of(const gm_storage_net *net, int tile_rows, gm_storage_totals *t);

/* The largest kernel of the network (a tile shorter than it computes nothing). */
int gm_storage_max_k(const gm_storage_net *net);

/* The per-layer table as CSV (header line, one line per layer, a "total" line), malloc'd
 * and NUL-terminated; NULL when out of memory. Column meanings: docs/storage.md. */
char *gm_storage_csv(const gm_storage_net *net, int tile_rows);

#ifdef __cplusplus
}
#endif
#endif
