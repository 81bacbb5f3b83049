/*
 * pamac.c -- descriptors of the PAMAC block and of its mac_parallel baseline.
 *
 * The generator's job here is only arithmetic on widths: which register holds which
 * operand in which decomposition, how many Booth digits each has, how wide the shifted
 * term is. The hardware itself is rtl_templates/pamac.v; the semantics are
 * golden/gm_pamac.c; the contract is docs/pamac.md.
 */
#include <stdio.h>
#include <string.h>

#include "block.h"
#include "gm_pamac.h"

static const char *const decomp_names[] = { "wd", "ad", "both", NULL };

static const dnn_pdesc pamac_params[] = {
    { "N", "n", DNN_P_INT, 16, 2, 32, NULL, "operand width of weights and activations (bits)" },
    { "ACC", "acc", DNN_P_INT, 40, 2, 128, NULL,
      "accumulator and output width; Y = A*W + T wraps modulo 2^ACC" },
    { "SIGNED_A", "sa", DNN_P_BOOL, 1, 0, 1, NULL,
      "activations are two's complement (1) or unsigned, post-ReLU (0)" },
    { "DECOMP", "", DNN_P_ENUM, 2, 0, 2, decomp_names,
      "decompositions built: wd, ad, or both with runtime in_mode (0 WD, 1 AD, 2/3 auto)" },
    { "APPROX", "k", DNN_P_BOOL, 1, 0, 1, NULL,
      "build in_k: keep only the K most significant essential terms (0 = exact)" },
    { "PREC", "p", DNN_P_BOOL, 1, 0, 1, NULL,
      "build in_prec: runtime precision p (operands are their low p bits; 0 or >N = N)" },
};

static const dnn_pdesc macp_params[] = {
    { "N", "n", DNN_P_INT, 16, 2, 32, NULL, "operand width of weights and activations (bits)" },
    { "ACC", "acc", DNN_P_INT, 40, 2, 128, NULL,
      "accumulator and output width; Y = A*W + T wraps modulo 2^ACC" },
    { "SIGNED_A", "sa", DNN_P_BOOL, 1, 0, 1, NULL,
      "activations are two's complement (1) or unsigned, post-ReLU (0)" },
    { "PREC", "p", DNN_P_BOOL, 1, 0, 1, NULL,
      "build in_prec: runtime precision p (operands are their low p bits; 0 or >N = N)" },
};

static const char *const pamac_faults[] = { "decode", "shift", "carry", "last", NULL };
static const char *const macp_faults[] = { "ready", NULL };

static int maxi(int a, int b)
{
    return a > b ? a : b;
}

/* `src` (sw bits, signed) sign-extended or truncated to dw bits, as Verilog. */
static void ext(char *buf, size_t n, const char *src, int sw, int dw)
{
    if (dw == sw)
        snprintf(buf, n, "%s", src);
    else if (dw > sw)
        snprintf(buf, n, "{{%d{%s[%d]}}, %s}", dw - sw, src, sw - 1, src);
    else
        snprintf(buf, n, "%s[%d:0]", src, dw - 1);
}

static int common_vars(const dnn_design *d, dnn_tvars *tv)
{
    int n = (int)dnn_param(d, "N"), sa = (int)dnn_param(d, "SIGNED_A");
    tv_setf(tv, "N", "%d", n);
    tv_setf(tv, "ACC", "%d", (int)dnn_param(d, "ACC"));
    int pw = gm_pamac_prec_width(n);
    tv_setf(tv, "PW", "%d", pw);
    if (n == (1 << pw) - 1) /* every code above N is unreachable */
        tv_setf(tv, "P_EFF", "(in_prec == %d'd0) ? %d'd%d : in_prec", pw, pw, n);
    else
        tv_setf(tv, "P_EFF", "(in_prec == %d'd0 || in_prec > %d'd%d) ? %d'd%d : in_prec", pw, pw,
                n, pw, n);
    tv_setf(tv, "OW", "%d", n + (sa ? 0 : 1));
    tv_flag(tv, "HAS_PREC", (int)dnn_param(d, "PREC"));
    tv_flag(tv, "SIGNED_A", sa);
    return 0;
}

static int pamac_vars(const dnn_design *d, dnn_tvars *tv, char *err, size_t en)
{
    int n = (int)dnn_param(d, "N"), acc = (int)dnn_param(d, "ACC");
    int sa = (int)dnn_param(d, "SIGNED_A"), decomp = (int)dnn_param(d, "DECOMP");
    int ow = n + (sa ? 0 : 1), xw, dw, nd, nda, ndw, shw;
    char xa[128], xwv[128], da[128], dwv[128];
    gm_pamac_cfg c;
    (void)err;
    (void)en;
    memset(&c, 0, sizeof c);
    c.n = n;
    c.signed_a = sa;
    common_vars(d, tv);
    if (decomp == GM_DECOMP_WD) {
        xw = ow;
        dw = n;
    } else if (decomp == GM_DECOMP_AD) {
        xw = n;
        dw = ow;
    } else {
        xw = ow;
        dw = ow;
    }
    nd = (dw + 1) / 2;
    nda = (ow + 1) / 2;
    ndw = (n + 1) / 2;
    shw = maxi(1, gm_clog2((uint64_t)(2 * (nd - 1) + 1)));
    ext(xa, sizeof xa, "a_p", ow, 2 * nda);
    tv_set(tv, "AX_EXT", xa);
    ext(xa, sizeof xa, "w_p", n, 2 * ndw);
    tv_set(tv, "WX_EXT", xa);
    ext(xa, sizeof xa, "d_q", dw, 2 * nd);
    tv_set(tv, "DX_EXT", xa);
    tv_setf(tv, "XW", "%d", xw);
    tv_setf(tv, "DW", "%d", dw);
    tv_setf(tv, "ND", "%d", nd);
    tv_setf(tv, "NDA", "%d", nda);
    tv_setf(tv, "NDW", "%d", ndw);
    tv_setf(tv, "CW", "%d", gm_clog2((uint64_t)maxi(nda, ndw) + 1u));
    ext(xa, sizeof xa, "mag", xw + 1, acc);
    tv_set(tv, "MAGX", xa);
    tv_flag(tv, "MAG_TRUNC", acc < xw + 1);
    tv_setf(tv, "SHW", "%d", shw);
    if (shw == 1) { /* one digit: it is never shifted */
        tv_set(tv, "SH_OF_I", "1'b0");
        tv_set(tv, "SH_FAULT", "1'b1");
    } else {
        tv_setf(tv, "SH_OF_I", "{i[%d:0], 1'b0}", shw - 2);
        tv_setf(tv, "SH_FAULT", "%d'd3", shw);
    }
    tv_setf(tv, "KW", "%d", gm_pamac_k_width(&c));
    tv_flag(tv, "HAS_MODE", decomp == GM_DECOMP_BOTH);
    tv_flag(tv, "HAS_K", (int)dnn_param(d, "APPROX"));
    tv_flag(tv, "NEED_GENVAR", dnn_param(d, "PREC") || decomp == GM_DECOMP_BOTH);
    ext(xa, sizeof xa, "a_p", ow, xw);
    ext(xwv, sizeof xwv, "w_p", n, xw);
    ext(da, sizeof da, "a_p", ow, dw);
    ext(dwv, sizeof dwv, "w_p", n, dw);
    tv_set(tv, "D_W", dwv);
    tv_set(tv, "D_A", da);
    if (decomp == GM_DECOMP_WD) {
        tv_set(tv, "X_NEXT", xa);
        tv_set(tv, "D_INIT", dwv);
    } else if (decomp == GM_DECOMP_AD) {
        tv_set(tv, "X_NEXT", xwv);
        tv_set(tv, "D_INIT", da);
    } else {
        tv_setf(tv, "X_NEXT", "use_wd ? %s : %s", xa, xwv);
    }
    ext(xa, sizeof xa, "v", dw, 2 * nd);
    tv_set(tv, "VX_EXT", xa);
    tv_flag(tv, "FAULT_DECODE", strcmp(d->fault, "decode") == 0);
    tv_flag(tv, "FAULT_SHIFT", strcmp(d->fault, "shift") == 0);
    tv_flag(tv, "FAULT_CARRY", strcmp(d->fault, "carry") == 0);
    tv_flag(tv, "FAULT_LAST", strcmp(d->fault, "last") == 0);
    return 0;
}

static int macp_vars(const dnn_design *d, dnn_tvars *tv, char *err, size_t en)
{
    int n = (int)dnn_param(d, "N"), acc = (int)dnn_param(d, "ACC");
    int ow = n + ((int)dnn_param(d, "SIGNED_A") ? 0 : 1), pwd = ow + n < acc ? ow + n : acc;
    char buf[128];
    (void)err;
    (void)en;
    common_vars(d, tv);
    tv_setf(tv, "PWD", "%d", pwd);
    ext(buf, sizeof buf, "prod", pwd, acc);
    tv_set(tv, "PROD_ACC", buf);
    tv_flag(tv, "FAULT_READY", strcmp(d->fault, "ready") == 0);
    return 0;
}

/* The accumulator must hold at least an operand and its sign. */
static int acc_check(const dnn_design *d, char *err, size_t n)
{
    int64_t nn = dnn_param(d, "N"), acc = dnn_param(d, "ACC");
    if (acc < nn + 1) {
        snprintf(err, n, "%s: ACC=%lld is narrower than N+1=%lld (legal: N+1..128)", d->blk->name,
                 (long long)acc, (long long)(nn + 1));
        return DNN_EUSAGE;
    }
    return 0;
}

const dnn_block dnn_block_pamac = {
    "pamac",
    "precision-adjustable MAC: Y = A*W + T on one adder, one cycle per essential Booth term",
    pamac_params,
    (int)(sizeof pamac_params / sizeof pamac_params[0]),
    pamac_faults,
    "occupancy: an operation with E essential terms occupies the unit max(1,E) cycles; "
    "out_valid is first seen max(1,E)+1 edges after acceptance; back-to-back operations "
    "leave no idle cycle; a full output register stalls the last term",
    "docs/pamac.md",
    acc_check,
    pamac_vars,
    "pamac.v",
    NULL,
    NULL,
};

const dnn_block dnn_block_mac_parallel = {
    "mac_parallel",
    "baseline MAC: Y = A*W + T with one multiplier, one operation per cycle",
    macp_params,
    (int)(sizeof macp_params / sizeof macp_params[0]),
    macp_faults,
    "occupancy with cost 0: out_valid is first seen 1 edge after acceptance; one operation "
    "per cycle while out_ready is high",
    "docs/pamac.md",
    acc_check,
    macp_vars,
    "mac_parallel.v",
    NULL,
    NULL,
};
