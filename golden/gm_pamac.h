/*
 * gm_pamac.h -- golden model of the precision-adjustable MAC (FPAP's PAMAC) and of the
 * mac_parallel baseline.
 *
 * The value model is the arithmetic definition, Y = A*W + T wrapped to ACC bits, with the
 * documented truncation of the approximate mode; it knows nothing of the adder, the Booth
 * digit order the hardware walks or its registers. Booth digits and essential terms are
 * exported separately because they *define* two user-visible things: which operand the
 * automatic mode decomposes and which terms approximation keeps. The cycle model
 * (gm_pamac_cost) is a separate function, checked against the RTL by every harness.
 * See docs/pamac.md for the contract these functions pin down.
 */
#ifndef GM_PAMAC_H
#define GM_PAMAC_H

#include "gm_common.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { GM_DECOMP_WD = 0, GM_DECOMP_AD = 1, GM_DECOMP_BOTH = 2 };
/* Runtime mode input (2 bits): 0 = WD, 1 = AD, 2 or 3 = auto (fewer terms, WD on a tie). */
enum { GM_MODE_WD = 0, GM_MODE_AD = 1, GM_MODE_AUTO = 2 };

#define GM_PAMAC_MAX_N 32
#define GM_PAMAC_MAX_ACC 128
#define GM_PAMAC_MAX_DIGITS 17 /* ceil((32+1)/2) */

typedef struct gm_pamac_cfg {
    int n;        /* operand width N, 2..32 */
    int acc;      /* accumulator width, 2..128 */
    int signed_a; /* 1: activations are two's complement; 0: unsigned (post-ReLU) */
    int decomp;   /* GM_DECOMP_*: decompositions built into the hardware */
    int approx;   /* 1: runtime approximation input K built */
    int prec;     /* 1: runtime precision input built; 0: always N */
    int baseline; /* 1: mac_parallel (one multiplier, exact, no mode/K inputs) */
} gm_pamac_cfg;

/* One operation as presented on the ports (raw bit patterns). */
typedef struct gm_pamac_op {
    uint64_t a, w; /* low N bits used */
    gm_val t;      /* low ACC bits used */
    unsigned prec; /* precision input, PW bits; 0 or > N means N */
    unsigned mode; /* mode input, 2 bits */
    unsigned k;    /* approximation input, KW bits; 0 = exact */
} gm_pamac_op;

typedef struct gm_pamac_res {
    gm_val y;     /* A*W + T mod 2^ACC (with approximation) */
    int p;        /* precision used */
    int mode;     /* GM_MODE_WD or GM_MODE_AD: the decomposition used */
    int terms_w;  /* essential terms of W at precision p */
    int terms_a;  /* essential terms of A at precision p */
    int terms;    /* essential terms processed (after approximation) */
} gm_pamac_res;

/* Width of the precision input: clog2(N+1). */
int gm_pamac_prec_width(int n);
/* Booth digits of an operand of the given width when signed or unsigned. */
int gm_pamac_ndigits(int p, int is_signed);
/* Width of the approximation input: enough for 0..max digits of the decomposed operand. */
int gm_pamac_k_width(const gm_pamac_cfg *c);
/* The value of the low p bits of raw, sign- or zero-extended. */
int64_t gm_pamac_operand(uint64_t raw, int p, int is_signed);
/* Radix-4 Booth digits of v (nd digits, digit 0 least significant); returns the number of
 * non-zero digits (essential terms). digits may be NULL. v must be representable. */
int gm_booth_digits(int64_t v, int nd, int8_t *digits);
/* sum of the K most significant non-zero digits' values (K = 0: all). */
int64_t gm_booth_truncate(int64_t v, int nd, unsigned k, int *kept);

/* Normalize runtime inputs the way the hardware reads them (documented in docs/pamac.md). */
int gm_pamac_eff_prec(const gm_pamac_cfg *c, unsigned prec);

/* Value model. Returns 0, or -1 on a configuration out of range. */
int gm_pamac_eval(const gm_pamac_cfg *c, const gm_pamac_op *op, gm_pamac_res *res);

/* Cycle model: clock cycles the operation occupies the unit (PAMAC: max(1, terms));
 * 0 for mac_parallel, whose result is registered at the accepting edge. */
int gm_pamac_cost(const gm_pamac_cfg *c, const gm_pamac_res *res);

/* Check a configuration; on error fill msg and return -1. */
int gm_pamac_check(const gm_pamac_cfg *c, char *msg, size_t n);

#ifdef __cplusplus
}
#endif
#endif
