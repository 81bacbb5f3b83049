/*
 * gm_common.h -- shared types of the dnngen golden library.
 *
 * Every golden model works on values of at most 128 bits (the widest port any block has:
 * an accumulator of up to 128 bits). They are held in gm_val, two 64-bit limbs, so the
 * models never depend on a compiler's __int128 and never shift by the type width.
 * The pseudo-random generator is xoshiro256** seeded through splitmix64: the same seed
 * gives the same stimulus on every machine, which is what makes a printed seed a
 * reproducer.
 */
#ifndef GM_COMMON_H
#define GM_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GM_MAX_WIDTH 128

typedef struct gm_val {
    uint64_t lo, hi;
} gm_val;

/* Two's complement sign extension of a 64-bit signed value to 128 bits. */
gm_val gm_val_from_i64(int64_t v);
gm_val gm_val_from_u64(uint64_t v);
gm_val gm_val_add(gm_val a, gm_val b);
/* Keep the low `width` bits (1..128). */
gm_val gm_val_mask(gm_val v, int width);
int gm_val_eq(gm_val a, gm_val b);
/* Lowercase hex, exactly ceil(width/4) digits, no prefix; buf needs 33 bytes. */
void gm_val_hex(char *buf, gm_val v, int width);
/* Parse hex (no prefix) into v; returns 0 on success, -1 on a bad digit or overflow of `width`. */
int gm_val_parse_hex(const char *s, int width, gm_val *v);

typedef struct gm_rng {
    uint64_t s[4];
} gm_rng;

void gm_rng_seed(gm_rng *r, uint64_t seed);
uint64_t gm_rng_next(gm_rng *r);
/* Uniform in [0, n), n >= 1, without modulo bias. */
uint64_t gm_rng_below(gm_rng *r, uint64_t n);

/* Smallest w with 2^w >= n (n >= 1); clog2(1) = 0. */
int gm_clog2(uint64_t n);

#ifdef __cplusplus
}
#endif
#endif
