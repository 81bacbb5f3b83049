/*
 * gm_terms.h -- essential-term statistics of real tensors for the PAMAC (docs/models.md):
 * how many non-zero radix-4 Booth digits each quantized weight and activation has, and so
 * how many cycles each MAC takes under weight decomposition (WD), activation decomposition
 * (AD) and FPAP's per-MAC choice (the fewer of the two), like Tables II and IV of the
 * lecture (blocks.md section 1).
 *
 * Quantization (ours, documented): per tensor (per layer) symmetric, B-bit two's
 * complement, scale = max|x| / (2^(B-1) - 1), q = x / scale rounded to nearest with ties to
 * even, clamped to +-(2^(B-1) - 1); an all-zero tensor quantizes to zeros. Terms are those of
 * the signed B-bit operand, ceil(B/2) Booth digits (gm_booth_digits), the same count the
 * PAMAC's golden model uses. The counting is a pure function of the values: no allocation.
 */
#ifndef GM_TERMS_H
#define GM_TERMS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GM_TERMS_MAX_BITS 32
#define GM_TERMS_BINS 17 /* 0..16 terms: ceil(32/2) digits at most */

/* max|x| / (2^(B-1) - 1); 0 when every x is 0 (or n == 0). NaNs are ignored. */
double gm_terms_scale(const float *x, size_t n, int bits);
/* x / scale, rounded to nearest (ties to even), clamped to +-(2^(B-1)-1); 0 when scale == 0. */
int32_t gm_terms_quant(float x, double scale, int bits);
/* Essential terms (non-zero radix-4 Booth digits) of the signed B-bit value q. */
int gm_terms_of(int32_t q, int bits);
/* Booth digits of a signed B-bit operand: ceil(B/2); the histograms have this + 1 bins. */
int gm_terms_digits(int bits);

/* hist[t] += number of the n values (quantized with scale) having t terms. */
void gm_terms_hist(const float *x, size_t n, int bits, double scale, uint64_t *hist);

/* A convolution's MACs: weights w[kh][kw][cin][cout] (TF.js order), input a[h][w][cin],
 * stride s, zero padding pad_top/pad_left (outputs oh x ow). Every MAC whose input lies in
 * the map (padding reads are not MACs) is counted once in each histogram by the terms of
 * its weight (wd), of its activation (ad) and the fewer of the two (best), with weight
 * terms tw[] and activation terms ta[] already computed per element. */
typedef struct gm_terms_conv {
    int kh, kw, cin, cout, h, w, stride, pad_top, pad_left, oh, ow;
} gm_terms_conv;
void gm_terms_conv_macs(const gm_terms_conv *c, const uint8_t *tw, const uint8_t *ta,
                        uint64_t *wd, uint64_t *ad, uint64_t *best);

/* sum t * hist[t] / sum hist[t] over t = 0..bins-1 (0 for an empty histogram). */
double gm_terms_avg(const uint64_t *hist, int bins);

#ifdef __cplusplus
}
#endif
#endif
