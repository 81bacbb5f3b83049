/*
 * gm_fpap.h -- the FPAP PE array (docs/fpap_array.md): how a layer is mapped onto R x C
 * FoFIR PEs, the cycles each PE takes, the cycle model of the whole array and the cost the
 * channel-ordering GA minimizes.
 *
 * Mapping: output channels are assigned to (pass, column) by an order (a permutation of
 * 0..cout-1: order[p*C + c] is the channel of column c in pass p). Each PE row r of a pass
 * computes output row y = b*R + r of row block b. Input channels are processed in groups
 * of G (the last group may be smaller); within a group, PE (r, c) runs, for each input
 * channel ci of the group and each kernel row kr, the K coefficients of W[o][ci][kr][.]
 * followed by the W samples of input row y+kr of channel ci (a FoFIR row), and accumulates
 * its outputs into the output row. The array synchronizes at the end of every group.
 */
#ifndef GM_FPAP_H
#define GM_FPAP_H

#include "gm_fofir.h"
#include "gm_layer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gm_fpap_cfg {
    int r, c, g;       /* PE rows, PE columns, input channels per group */
    int wmax;          /* longest input row the buffers hold */
    gm_fofir_cfg pe;   /* each PE: k, xw, hw, signed_x, mac (acc, decomp; no approx/prec) */
} gm_fpap_cfg;

int gm_fpap_check(const gm_fpap_cfg *a, const gm_layer *L, char *err, size_t n);

/* Cycles PE-column work of output channel o on input-channel group gi takes, from the
 * first edge its FoFIR sees a record to the edge its last output is accumulated, plus one
 * (the cost L(o, g) of blocks.md section 3). x == NULL: every sample non-zero (the
 * weights-only estimate the scheduler uses); otherwise the real input row of PE row r in
 * row block b (x = the layer, r and b select it). */
int64_t gm_fpap_pe_cycles(const gm_fpap_cfg *a, const gm_layer *L, int o, int gi,
                          const gm_layer *x, int b, int r);

/* Number of passes, row blocks and groups of a layer on the array. */
int gm_fpap_passes(const gm_fpap_cfg *a, const gm_layer *L);
int gm_fpap_blocks(const gm_fpap_cfg *a, const gm_layer *L);
int gm_fpap_groups(const gm_fpap_cfg *a, const gm_layer *L);

/* Predicted total cycles of the layer with this order (NULL: natural order), when the
 * host streams with no gaps and the output is always ready. exact != 0: with the real
 * activations (what the RTL takes); 0: the weights-only estimate. compute (optional)
 * receives the part spent between a group's start and its synchronization. */
int64_t gm_fpap_predict(const gm_fpap_cfg *a, const gm_layer *L, const int *order, int exact,
                        int64_t *compute);

/* Order files: one output channel per line (0 .. cout-1, each exactly once), '#' starts a
 * comment, blank lines ignored. Parse into order[cout]: 0, or -1 with a one-line message.
 * gm_order_format returns the file text (malloc'd). */
int gm_order_parse(const char *text, size_t len, int cout, int *order, char *err, size_t n);
char *gm_order_format(const int *order, int cout, const char *comment);

#ifdef __cplusplus
}
#endif
#endif
