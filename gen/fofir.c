/*
 * fofir.c -- descriptor of the folded FIR (FoFIR): a K-tap transposed FIR on one PAMAC.
 * The PAMAC is this project's pamac block, generated with the matching options and emitted
 * in the same file (the `sub` hook), not a copy: fixing the PAMAC fixes every FoFIR.
 * Semantics: golden/gm_fofir.c; cycle model: golden/gm_fofir_gen.c; doc: docs/fofir.md.
 */
#include <stdio.h>
#include <string.h>

#include "block.h"
#include "gm_pamac.h"

static const char *const decomp_names[] = { "wd", "ad", "both", NULL };

/* The first five are fir_parallel's too (gen/fir_parallel.c): one definition of the filter. */
const dnn_pdesc dnn_fofir_params[] = {
    { "K", "k", DNN_P_INT, 3, 1, 16, NULL, "taps of the filter (kernel row length)" },
    { "XW", "x", DNN_P_INT, 8, 2, 32, NULL, "sample (activation) width" },
    { "HW", "h", DNN_P_INT, 8, 2, 32, NULL, "coefficient (weight) width, two's complement" },
    { "ACC", "acc", DNN_P_INT, 24, 3, 128, NULL,
      "partial-sum and output width; y wraps modulo 2^ACC" },
    { "SIGNED_X", "sx", DNN_P_BOOL, 1, 0, 1, NULL, "samples two's complement (1) or unsigned (0)" },
    { "DECOMP", "", DNN_P_ENUM, 2, 0, 2, decomp_names,
      "PAMAC decompositions: wd, ad, or both with in_mode per sample" },
    { "APPROX", "ap", DNN_P_BOOL, 0, 0, 1, NULL, "build in_k: PAMAC approximation per sample" },
    { "PREC", "p", DNN_P_BOOL, 0, 0, 1, NULL, "build in_prec: PAMAC runtime precision per sample" },
};

static const char *const fofir_faults[] = { "hazard", "writeback", NULL };

static int maxi(int a, int b)
{
    return a > b ? a : b;
}

/* ACC holds at least one product's magnitude; shared with fir_parallel. */
int dnn_fofir_check(const dnn_design *d, char *err, size_t n)
{
    int64_t w = maxi((int)dnn_param(d, "XW"), (int)dnn_param(d, "HW"));
    if (dnn_param(d, "ACC") < w + 1) {
        snprintf(err, n, "%s: ACC=%lld is narrower than max(XW,HW)+1=%lld (legal: "
                         "max(XW,HW)+1..128)",
                 d->blk->name, (long long)dnn_param(d, "ACC"), (long long)(w + 1));
        return DNN_EUSAGE;
    }
    return 0;
}

static int fofir_sub(const dnn_design *d, dnn_design *sd)
{
    const dnn_block *p = dnn_block_find("pamac");
    dnn_design_defaults(sd, p);
    snprintf(sd->prefix, sizeof sd->prefix, "%s", d->prefix);
    sd->pv[dnn_param_index(p, "N")] = maxi((int)dnn_param(d, "XW"), (int)dnn_param(d, "HW"));
    sd->pv[dnn_param_index(p, "ACC")] = dnn_param(d, "ACC");
    sd->pv[dnn_param_index(p, "SIGNED_A")] = dnn_param(d, "SIGNED_X");
    sd->pv[dnn_param_index(p, "DECOMP")] = dnn_param(d, "DECOMP");
    sd->pv[dnn_param_index(p, "APPROX")] = dnn_param(d, "APPROX");
    sd->pv[dnn_param_index(p, "PREC")] = dnn_param(d, "PREC");
    snprintf(sd->top, sizeof sd->top, "%.200s_mac", d->top);
    return 1;
}

static int fofir_vars(const dnn_design *d, dnn_tvars *tv, char *err, size_t en)
{
    int K = (int)dnn_param(d, "K"), xw = (int)dnn_param(d, "XW"), hw = (int)dnn_param(d, "HW");
    int n = maxi(xw, hw), rw = maxi(1, gm_clog2((uint64_t)K)), sx = (int)dnn_param(d, "SIGNED_X");
    gm_pamac_cfg c;
    (void)err;
    (void)en;
    memset(&c, 0, sizeof c);
    c.n = n;
    c.signed_a = sx;
    tv_setf(tv, "K", "%d", K);
    tv_setf(tv, "XW", "%d", xw);
    tv_setf(tv, "HW", "%d", hw);
    tv_setf(tv, "N", "%d", n);
    tv_setf(tv, "DWD", "%d", n);
    tv_setf(tv, "ACC", "%d", (int)dnn_param(d, "ACC"));
    tv_setf(tv, "RW", "%d", rw);
    tv_setf(tv, "IW", "%d", rw);
    tv_setf(tv, "PW", "%d", gm_pamac_prec_width(n));
    tv_setf(tv, "KW", "%d", gm_pamac_k_width(&c));
    tv_setf(tv, "MAC", "%.200s_mac", d->top);
    tv_setf(tv, "KLAST", "%d'd%d", rw, K - 1);
    tv_setf(tv, "KMOD", "%d'd%d", rw, K % (1 << rw));
    if (K == (1 << rw))
        tv_set(tv, "IDX_OK", "1'b1");
    else
        tv_setf(tv, "IDX_OK", "(in_idx < %d'd%d)", rw, K);
    if (n == xw)
        tv_setf(tv, "X_EXT", "in_d[%d:0]", xw - 1);
    else if (sx)
        tv_setf(tv, "X_EXT", "{{%d{in_d[%d]}}, in_d[%d:0]}", n - xw, xw - 1, xw - 1);
    else
        tv_setf(tv, "X_EXT", "{%d'd0, in_d[%d:0]}", n - xw, xw - 1);
    if (n == hw)
        tv_set(tv, "HSEL_EXT", "hsel");
    else
        tv_setf(tv, "HSEL_EXT", "{{%d{hsel[%d]}}, hsel}", n - hw, hw - 1);
    tv_flag(tv, "HAS_PREC", (int)dnn_param(d, "PREC"));
    tv_flag(tv, "HAS_MODE", dnn_param(d, "DECOMP") == GM_DECOMP_BOTH);
    tv_flag(tv, "HAS_K", (int)dnn_param(d, "APPROX"));
    tv_flag(tv, "FAULT_HAZARD", strcmp(d->fault, "hazard") == 0);
    tv_flag(tv, "FAULT_WRITEBACK", strcmp(d->fault, "writeback") == 0);
    return 0;
}

const dnn_block dnn_block_fofir = {
    "fofir",
    "folded transposed FIR on one PAMAC: zero taps and zero inputs cost no MAC cycle",
    dnn_fofir_params,
    (int)(sizeof dnn_fofir_params / sizeof dnn_fofir_params[0]),
    fofir_faults,
    "per input x[m]: one PAMAC operation (max(1,E) cycles) per non-zero tap k <= m, back to "
    "back; a zero input occupies one cycle; an operation waits while its partial sum is still "
    "in flight; y[m-K+1] is emitted after x[m]; a row end drains and clears in one cycle "
    "(exact model: golden/gm_fofir_gen.c)",
    "docs/fofir.md",
    dnn_fofir_check,
    fofir_vars,
    "fofir.v",
    fofir_sub,
    NULL,
};
