/*
 * gm_terms.c -- essential-term statistics (gm_terms.h). The per-MAC histograms are not
 * computed MAC by MAC: for each input element and kernel tap, the cout weights it meets
 * are summarized by a histogram of their terms (built once per tap and input channel), so a
 * layer costs (positions x taps x cin x bins) instead of x cout. The test checks this
 * against the MAC-by-MAC count.
 */
#include "gm_terms.h"

#include <math.h>
#include <string.h>

#include "gm_pamac.h"

static double qmax(int bits)
{
    return ldexp(1.0, bits - 1) - 1.0;
}

double gm_terms_scale(const float *x, size_t n, int bits)
{
    double m = 0;
    size_t i;
    for (i = 0; i < n; i++)
        if (fabs((double)x[i]) > m) /* false for NaN */
            m = fabs((double)x[i]);
    return m / qmax(bits);
}

int32_t gm_terms_quant(float x, double scale, int bits)
{
    double q, lim = qmax(bits);
    if (!(scale > 0) || isnan(x))
        return 0;
    q = nearbyint((double)x / scale); /* default rounding mode: to nearest, ties to even */
    if (q > lim)
        q = lim;
    if (q < -lim)
        q = -lim;
    return (int32_t)q;
}

int gm_terms_digits(int bits)
{
    return gm_pamac_ndigits(bits, 1);
}

int gm_terms_of(int32_t q, int bits)
{
    return gm_booth_digits((int64_t)q, gm_terms_digits(bits), NULL);
}

void gm_terms_hist(const float *x, size_t n, int bits, double scale, uint64_t *hist)
{
    size_t i;
    for (i = 0; i < n; i++)
        hist[gm_terms_of(gm_terms_quant(x[i], scale, bits), bits)]++;
}

void gm_terms_conv_macs(const gm_terms_conv *c, const uint8_t *tw, const uint8_t *ta,
                        uint64_t *wd, uint64_t *ad, uint64_t *best)
{
    int ky, kx, ci, co, oy, ox, t;
    uint64_t wh[GM_TERMS_BINS];
    for (ky = 0; ky < c->kh; ky++)
        for (kx = 0; kx < c->kw; kx++)
            for (ci = 0; ci < c->cin; ci++) {
                const uint8_t *wrow =
                    tw + (((size_t)ky * (size_t)c->kw + (size_t)kx) * (size_t)c->cin +
                          (size_t)ci) * (size_t)c->cout;
                uint64_t uses = 0, ah[GM_TERMS_BINS];
                memset(wh, 0, sizeof wh);
                memset(ah, 0, sizeof ah);
                for (co = 0; co < c->cout; co++)
                    wh[wrow[co]]++;
                /* activation terms of every input this tap reads, over all outputs */
                for (oy = 0; oy < c->oh; oy++) {
                    int iy = oy * c->stride + ky - c->pad_top;
                    if (iy < 0 || iy >= c->h)
                        continue;
                    for (ox = 0; ox < c->ow; ox++) {
                        int ix = ox * c->stride + kx - c->pad_left;
                        if (ix < 0 || ix >= c->w)
                            continue;
                        ah[ta[((size_t)iy * (size_t)c->w + (size_t)ix) * (size_t)c->cin +
                              (size_t)ci]]++;
                        uses++;
                    }
                }
                for (t = 0; t < GM_TERMS_BINS; t++) {
                    int u;
                    wd[t] += wh[t] * uses;
                    ad[t] += ah[t] * (uint64_t)c->cout;
                    for (u = 0; u < GM_TERMS_BINS; u++)
                        best[t < u ? t : u] += wh[t] * ah[u];
                }
            }
}

double gm_terms_avg(const uint64_t *hist, int bins)
{
    double s = 0, n = 0;
    int t;
    for (t = 0; t < bins; t++) {
        s += (double)t * (double)hist[t];
        n += (double)hist[t];
    }
    return n > 0 ? s / n : 0.0;
}
