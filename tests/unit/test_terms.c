/*
 * test_terms.c -- essential-term statistics (golden/gm_terms.c): quantization (scale, ties to
 * even, clamping), term counts against a digit-by-digit Booth recoding written here, and the
 * per-MAC histograms of gm_terms_conv_macs against a MAC-by-MAC count on random layers
 * (stride 1 and 2, 'same' and 'valid' padding, 3 and 8 bits).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gm_common.h"
#include "gm_terms.h"

#include "check.h"

/* radix-4 Booth digits of a signed B-bit value, from the bit triples (b[-1] = 0) */
static int ref_terms(int32_t q, int bits)
{
    int i, n = 0, nd = (bits + 1) / 2;
    uint32_t u = (uint32_t)q;
    for (i = 0; i < nd; i++) {
        int hi = 2 * i + 1 < 32 ? (int)((u >> (2 * i + 1)) & 1u) : (int)((u >> 31) & 1u);
        int mid = (int)((u >> (2 * i)) & 1u), lo = i ? (int)((u >> (2 * i - 1)) & 1u) : 0;
        n += (-2 * hi + mid + lo) != 0;
    }
    return n;
}

static void quant(void)
{
    float x[4] = { 0.5f, -1.27f, 0.0f, 0.3f };
    double s = gm_terms_scale(x, 4, 8);
    int32_t q;
    check(fabs(s - 1.27 / 127) < 1e-9, "scale = max|x| / 127");
    check(gm_terms_quant(-1.27f, s, 8) == -127 && gm_terms_quant(1e9f, s, 8) == 127,
          "clamped to +-127");
    check(gm_terms_quant(2.5f, 1.0, 8) == 2 && gm_terms_quant(3.5f, 1.0, 8) == 4 &&
              gm_terms_quant(-2.5f, 1.0, 8) == -2,
          "ties to even");
    check(gm_terms_scale(x + 2, 1, 8) == 0 && gm_terms_quant(1.0f, 0.0, 8) == 0,
          "all-zero tensor quantizes to zeros");
    check(gm_terms_of(127, 8) == 2 && gm_terms_of(0, 8) == 0 && gm_terms_of(-128, 8) == 1,
          "127 has 2 terms (-1, 0, 0, +2)");
    for (q = -32768; q < 32768; q++)
        if (gm_terms_of(q, 16) != ref_terms(q, 16))
            break;
    check(q == 32768, "terms of every 16-bit value equal the recoding written here");
    for (q = -4; q < 4; q++)
        if (gm_terms_of(q, 3) != ref_terms(q, 3))
            break;
    check(q == 4, "terms of every 3-bit value");
}

static void conv_random(int stride, int same, int bits, uint64_t seed)
{
    gm_rng r;
    gm_terms_conv c;
    static uint8_t tw[3 * 3 * 5 * 7], ta[9 * 8 * 5];
    uint64_t wd[GM_TERMS_BINS] = { 0 }, ad[GM_TERMS_BINS] = { 0 }, best[GM_TERMS_BINS] = { 0 };
    uint64_t wd2[GM_TERMS_BINS] = { 0 }, ad2[GM_TERMS_BINS] = { 0 },
             best2[GM_TERMS_BINS] = { 0 };
    int nd = (bits + 1) / 2, i, oy, ox, ky, kx, ci, co;
    char what[96];
    gm_rng_seed(&r, seed);
    c.kh = c.kw = 3;
    c.cin = 5;
    c.cout = 7;
    c.h = 9;
    c.w = 8;
    c.stride = stride;
    c.pad_top = c.pad_left = same;
    c.oh = same ? (c.h + stride - 1) / stride : (c.h - 3) / stride + 1;
    c.ow = same ? (c.w + stride - 1) / stride : (c.w - 3) / stride + 1;
    for (i = 0; i < (int)sizeof tw; i++)
        tw[i] = (uint8_t)gm_rng_below(&r, (uint64_t)nd + 1);
    for (i = 0; i < (int)sizeof ta; i++)
        ta[i] = (uint8_t)gm_rng_below(&r, (uint64_t)nd + 1);
    gm_terms_conv_macs(&c, tw, ta, wd, ad, best);
    for (oy = 0; oy < c.oh; oy++)
        for (ox = 0; ox < c.ow; ox++)
            for (ky = 0; ky < 3; ky++)
                for (kx = 0; kx < 3; kx++) {
                    int iy = oy * stride + ky - same, ix = ox * stride + kx - same;
                    if (iy < 0 || ix < 0 || iy >= c.h || ix >= c.w)
                        continue;
                    for (ci = 0; ci < c.cin; ci++)
                        for (co = 0; co < c.cout; co++) {
                            int a = ta[(iy * c.w + ix) * c.cin + ci];
                            int w = tw[((ky * 3 + kx) * c.cin + ci) * c.cout + co];
                            wd2[w]++;
                            ad2[a]++;
                            best2[a < w ? a : w]++;
                        }
                }
    snprintf(what, sizeof what, "conv histograms MAC by MAC (stride %d, pad %d, %d bits)",
             stride, same, bits);
    check(!memcmp(wd, wd2, sizeof wd) && !memcmp(ad, ad2, sizeof ad) &&
              !memcmp(best, best2, sizeof best),
          what);
    /* the comparison can fail: one MAC more in the reference is noticed */
    best2[0]++;
    check(memcmp(best, best2, sizeof best) != 0, "a one-MAC difference is noticed");
}

int main(void)
{
    quant();
    conv_random(1, 1, 8, 1);
    conv_random(2, 0, 8, 2);
    conv_random(2, 1, 3, 3);
    conv_random(1, 0, 16, 4);
    return check_done("test_terms");
}
