/*
 * gm_pamac.c -- the PAMAC / mac_parallel golden model (see gm_pamac.h).
 *
 * Why int64 suffices for the product: with N <= 32 an operand is at most 33 bits signed
 * (unsigned activations gain a bit), and the approximated operand keeps a subset of the Booth
 * digits, whose value is bounded by 2^(N+1) in magnitude. |X'| * |other| <= 2^32 * 2^31 =
 * 2^63, and +2^63 cannot occur (the other operand is then a signed N-bit value whose largest
 * magnitude, 2^31, is negative). The product is formed in uint64_t (wrapping, defined) and
 * its two's complement bit pattern is exact, then sign-extended to 128 bits for + T.
 */
#include "gm_pamac.h"

#include <stdio.h>

int gm_pamac_prec_width(int n)
{
    return gm_clog2((uint64_t)n + 1u);
}

int gm_pamac_ndigits(int p, int is_signed)
{
    return is_signed ? (p + 1) / 2 : (p + 2) / 2;
}

int gm_pamac_k_width(const gm_pamac_cfg *c)
{
    int nd = gm_pamac_ndigits(c->n, c->signed_a);
    return gm_clog2((uint64_t)nd + 1u);
}

int64_t gm_pamac_operand(uint64_t raw, int p, int is_signed)
{
    uint64_t m = p >= 64 ? UINT64_MAX : ((UINT64_C(1) << p) - 1u);
    uint64_t v = raw & m;
    if (is_signed && p < 64 && ((v >> (p - 1)) & 1u))
        v |= ~m;
    return (int64_t)v;
}

/* bit b of v for b >= -1 (bit -1 is 0 by definition); arithmetic shift of a negative value
 * is implementation-defined in C, so read the bit through the unsigned pattern. */
static int bit_at(int64_t v, int b)
{
    if (b < 0)
        return 0;
    if (b > 63)
        b = 63;
    return (int)(((uint64_t)v >> b) & 1u);
}

int gm_booth_digits(int64_t v, int nd, int8_t *digits)
{
    int i, nz = 0;
    for (i = 0; i < nd; i++) {
        int d = -2 * bit_at(v, 2 * i + 1) + bit_at(v, 2 * i) + bit_at(v, 2 * i - 1);
        if (digits)
            digits[i] = (int8_t)d;
        nz += d != 0;
    }
    return nz;
}

int64_t gm_booth_truncate(int64_t v, int nd, unsigned k, int *kept)
{
    int8_t dg[GM_PAMAC_MAX_DIGITS + 1];
    int i, n = 0;
    uint64_t sum = 0; /* wraps like the int64 it represents */
    gm_booth_digits(v, nd, dg);
    for (i = nd - 1; i >= 0; i--) {
        if (dg[i] == 0)
            continue;
        if (k != 0 && (unsigned)n >= k)
            break;
        sum += (uint64_t)(int64_t)dg[i] << (2 * i);
        n++;
    }
    if (kept)
        *kept = n;
    return (int64_t)sum;
}

int gm_pamac_eff_prec(const gm_pamac_cfg *c, unsigned prec)
{
    if (!c->prec || prec == 0 || prec > (unsigned)c->n)
        return c->n;
    return (int)prec;
}

int gm_pamac_check(const gm_pamac_cfg *c, char *msg, size_t n)
{
    if (c->n < 2 || c->n > GM_PAMAC_MAX_N) {
        snprintf(msg, n, "N=%d out of range (legal: 2..%d)", c->n, GM_PAMAC_MAX_N);
        return -1;
    }
    if (c->acc < 2 || c->acc > GM_PAMAC_MAX_ACC) {
        snprintf(msg, n, "ACC=%d out of range (legal: 2..%d)", c->acc, GM_PAMAC_MAX_ACC);
        return -1;
    }
    if (c->decomp < GM_DECOMP_WD || c->decomp > GM_DECOMP_BOTH) {
        snprintf(msg, n, "DECOMP=%d out of range (legal: wd, ad, both)", c->decomp);
        return -1;
    }
    return 0;
}

int gm_pamac_eval(const gm_pamac_cfg *c, const gm_pamac_op *op, gm_pamac_res *res)
{
    char msg[8];
    int p, nda, ndw, mode, kept;
    int64_t a, w, x;
    uint64_t prod;
    if (gm_pamac_check(c, msg, sizeof msg))
        return -1;
    p = gm_pamac_eff_prec(c, op->prec);
    a = gm_pamac_operand(op->a, p, c->signed_a);
    w = gm_pamac_operand(op->w, p, 1);
    nda = gm_pamac_ndigits(p, c->signed_a);
    ndw = gm_pamac_ndigits(p, 1);
    res->p = p;
    res->terms_a = gm_booth_digits(a, nda, NULL);
    res->terms_w = gm_booth_digits(w, ndw, NULL);

    if (c->baseline) {
        mode = GM_MODE_WD;
        res->terms = res->terms_w;
        prod = (uint64_t)a * (uint64_t)w;
    } else {
        if (c->decomp == GM_DECOMP_WD)
            mode = GM_MODE_WD;
        else if (c->decomp == GM_DECOMP_AD)
            mode = GM_MODE_AD;
        else if ((op->mode & 3u) == GM_MODE_WD || (op->mode & 3u) == GM_MODE_AD)
            mode = (int)(op->mode & 3u);
        else
            mode = res->terms_w <= res->terms_a ? GM_MODE_WD : GM_MODE_AD;
        if (mode == GM_MODE_WD) {
            x = gm_booth_truncate(w, ndw, c->approx ? op->k : 0u, &kept);
            prod = (uint64_t)x * (uint64_t)a;
        } else {
            x = gm_booth_truncate(a, nda, c->approx ? op->k : 0u, &kept);
            prod = (uint64_t)x * (uint64_t)w;
        }
        res->terms = kept;
    }
    res->mode = mode;
    res->y = gm_val_mask(gm_val_add(gm_val_from_i64((int64_t)prod), op->t), c->acc);
    return 0;
}

int gm_pamac_cost(const gm_pamac_cfg *c, const gm_pamac_res *res)
{
    if (c->baseline)
        return 0;
    return res->terms > 1 ? res->terms : 1;
}
