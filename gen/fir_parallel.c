/*
 * fir_parallel.c -- descriptor of the baseline FIR: K multipliers, one sample per cycle, the
 * same records, values and ports as fofir (without the PAMAC settings), for comparison.
 * Values: golden/gm_fofir.c; cycle model: step_par in golden/gm_fofir_gen.c; doc:
 * docs/fofir.md.
 */
#include <stdio.h>
#include <string.h>

#include "block.h"
#include "gm_common.h"

/* K, XW, HW, ACC, SIGNED_X: the first five parameters of fofir (block.h), same check. */
static const char *const firp_faults[] = { "tap", "ready", NULL };

static int maxi(int a, int b)
{
    return a > b ? a : b;
}

static int firp_vars(const dnn_design *d, dnn_tvars *tv, char *err, size_t en)
{
    int K = (int)dnn_param(d, "K"), xw = (int)dnn_param(d, "XW"), hw = (int)dnn_param(d, "HW");
    int acc = (int)dnn_param(d, "ACC"), sx = (int)dnn_param(d, "SIGNED_X");
    int iw = maxi(1, gm_clog2((uint64_t)K)), xs = xw + (sx ? 0 : 1), pw = xs + hw;
    (void)err;
    (void)en;
    tv_setf(tv, "K", "%d", K);
    tv_setf(tv, "XW", "%d", xw);
    tv_setf(tv, "HW", "%d", hw);
    tv_setf(tv, "DWD", "%d", maxi(xw, hw));
    tv_setf(tv, "ACC", "%d", acc);
    tv_setf(tv, "IW", "%d", iw);
    tv_setf(tv, "XS", "%d", xs);
    tv_setf(tv, "PW", "%d", pw < acc ? pw : acc); /* the product, wrapped to ACC if wider */
    tv_setf(tv, "KLAST", "%d'd%d", iw, K - 1);
    tv_setf(tv, "CW", "%d", maxi(1, gm_clog2((uint64_t)K)));
    tv_setf(tv, "CLAST", "%d'd%d", maxi(1, gm_clog2((uint64_t)K)), K - 1);
    if (K == (1 << iw))
        tv_set(tv, "IDX_OK", "1'b1");
    else
        tv_setf(tv, "IDX_OK", "(in_idx < %d'd%d)", iw, K);
    /* the sample as a signed operand (one more bit when unsigned) */
    if (sx)
        tv_setf(tv, "X_S", "in_d[%d:0]", xw - 1);
    else
        tv_setf(tv, "X_S", "{1'b0, in_d[%d:0]}", xw - 1);
    /* a product (PW bits, signed) to ACC bits: sign-extend or truncate */
    if (acc > pw)
        tv_setf(tv, "P_EXT", "{{%d{p[%d]}}, p}", acc - pw, pw - 1);
    else
        tv_set(tv, "P_EXT", "p");
    tv_flag(tv, "K1", K == 1);
    tv_flag(tv, "FAULT_TAP", strcmp(d->fault, "tap") == 0);
    tv_flag(tv, "FAULT_READY", strcmp(d->fault, "ready") == 0);
    return 0;
}

const dnn_block dnn_block_fir_parallel = {
    "fir_parallel",
    "baseline transposed FIR: K multipliers, one sample per cycle (compare with fofir)",
    dnn_fofir_params,
    5,
    firp_faults,
    "one record per cycle while the output register is free or being read; a sample with at "
    "least K-1 samples of its row before it loads y[m-K+1], visible from the next edge "
    "(exact model: step_par in golden/gm_fofir_gen.c)",
    "docs/fofir.md",
    dnn_fofir_check,
    firp_vars,
    "fir_parallel.v",
    NULL,
    NULL,
};
