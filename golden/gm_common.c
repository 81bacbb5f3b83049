/*
 * gm_common.c -- 128-bit values and the seeded generator shared by all golden models.
 * Arithmetic is done on unsigned limbs only, so nothing here can overflow a signed type.
 */
#include "gm_common.h"

#include <string.h>

gm_val gm_val_from_i64(int64_t v)
{
    gm_val r;
    r.lo = (uint64_t)v;
    r.hi = v < 0 ? UINT64_MAX : 0;
    return r;
}

gm_val gm_val_from_u64(uint64_t v)
{
    gm_val r = { v, 0 };
    return r;
}

gm_val gm_val_add(gm_val a, gm_val b)
{
    gm_val r;
    r.lo = a.lo + b.lo;
    r.hi = a.hi + b.hi + (r.lo < a.lo ? 1u : 0u);
    return r;
}

gm_val gm_val_mask(gm_val v, int width)
{
    if (width >= 128)
        return v;
    if (width >= 64) {
        v.hi &= width == 64 ? 0 : (UINT64_MAX >> (128 - width));
        return v;
    }
    v.hi = 0;
    v.lo &= width <= 0 ? 0 : (UINT64_MAX >> (64 - width));
    return v;
}

int gm_val_eq(gm_val a, gm_val b)
{
    return a.lo == b.lo && a.hi == b.hi;
}

void gm_val_hex(char *buf, gm_val v, int width)
{
    static const char dig[] = "0123456789abcdef";
    int nd = (width + 3) / 4, i;
    if (nd < 1)
        nd = 1;
    if (nd > 32)
        nd = 32;
    for (i = 0; i < nd; i++) {
        int pos = (nd - 1 - i) * 4;
        uint64_t limb = pos >= 64 ? v.hi : v.lo;
        buf[i] = dig[(limb >> (pos & 63)) & 15u];
    }
    buf[nd] = '\0';
}

int gm_val_parse_hex(const char *s, int width, gm_val *v)
{
    gm_val r = { 0, 0 };
    size_t n = strlen(s), i;
    if (n == 0 || n > 32)
        return -1;
    for (i = 0; i < n; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return -1;
        r.hi = (r.hi << 4) | (r.lo >> 60);
        r.lo = (r.lo << 4) | d;
    }
    if (!gm_val_eq(gm_val_mask(r, width), r))
        return -1;
    *v = r;
    return 0;
}

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void gm_rng_seed(gm_rng *r, uint64_t seed)
{
    int i;
    for (i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t gm_rng_next(gm_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5u, 7) * 9u;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t gm_rng_below(gm_rng *r, uint64_t n)
{
    uint64_t lim, x;
    if (n <= 1)
        return 0;
    lim = UINT64_MAX - (UINT64_MAX % n);
    do
        x = gm_rng_next(r);
    while (x >= lim);
    return x % n;
}

int gm_clog2(uint64_t n)
{
    int w = 0;
    while (w < 64 && (UINT64_C(1) << w) < n)
        w++;
    return w;
}
