/*
 * gm_stride2.h -- a stride-2 'valid' convolution run on stride-1 hardware (the FPAP array,
 * the FCU complex processor), two ways (docs/real-networks.md):
 *
 *  decimate: the layer itself, convolved at stride 1; output (y, x) of the stride-2
 *            convolution is stride-1 output (2y, 2x), the other three quarters are wasted.
 *  phase:    the input split into its four polyphase components (row parity p, column
 *            parity q) X_pq[ci][y][x] = X[ci][2y+p][2x+q], the kernel into the matching
 *            sub-kernels W_pq[o][ci][a][b] = W[o][ci][2a+p][2b+q] (zero past the kernel);
 *            out = sum over p, q of the stride-1 convolution of X_pq with W_pq. The four
 *            phases become 4*cin input channels (channel (2p+q)*cin + ci) of one stride-1
 *            layer with kernel kp >= ceil(k/2), so the hardware's own channel sum adds them:
 *            no output is wasted, only the zero taps of the padded sub-kernels.
 *
 * The golden model of the stride-2 layer is gm_stride2_direct, a plain loop over the window
 * at stride 2 (no decomposition); gm_stride2_check compares it with the stride-1 layer's
 * direct convolution (gm_layer_conv) decimated or not.
 */
#ifndef GM_STRIDE2_H
#define GM_STRIDE2_H

#include "gm_layer.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { GM_S2_DECIMATE = 0, GM_S2_PHASE = 1 };

/* Output size of the stride-2 'valid' convolution of L: (h-k)/2+1 by (w-k)/2+1. */
int gm_stride2_oh(const gm_layer *L);
int gm_stride2_ow(const gm_layer *L);
/* out[o][y][x] = sum over ci, kr, kc of W[o][ci][kr][kc] * X[ci][2y+kr][2x+kc], wrapped to
 * acc bits (as gm_layer_conv). */
gm_val gm_stride2_direct(const gm_layer *L, int acc, int o, int y, int x);
/* The phase layer of L with sub-kernels of kp x kp (ceil(k/2) <= kp <= GM_LAYER_MAX_K):
 * cin 4*L->cin, h oh+kp-1, w ow+kp-1, zero where the phase or the kernel has no element.
 * 0, or -1 with a one-line message. P is freed by gm_layer_free. */
int gm_stride2_phase(const gm_layer *L, int kp, gm_layer *P, char *err, size_t n);
/* Compare the stride-2 convolution of L (gm_stride2_direct) with the stride-1 convolution
 * of S (gm_layer_conv) at every output: how = GM_S2_DECIMATE, S is L and output (y, x) is
 * S's (2y, 2x); how = GM_S2_PHASE, S is a phase layer of L and output (y, x) is S's (y, x).
 * Returns the number of differing outputs (0: equal); *checked gets the outputs compared. */
long gm_stride2_check(const gm_layer *L, const gm_layer *S, int how, int acc, long *checked);

#ifdef __cplusplus
}
#endif
#endif
