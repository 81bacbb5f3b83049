/*
 * fpap_array.c -- descriptor of the FPAP PE array: R x C FoFIR PEs (this project's fofir
 * block, generated with matching options, which in turn instantiates the pamac block), a
 * row buffer per PE row, a coefficient buffer per PE column, an accumulator row per PE and
 * group synchronization. Mapping and cycle model: golden/gm_fpap.c; stimulus and expected
 * outputs: golden/gm_fpap_gen.c; doc: docs/fpap_array.md.
 */
#include <stdio.h>
#include <string.h>

#include "block.h"
#include "gm_pamac.h"

static const char *const decomp_names[] = { "wd", "ad", "both", NULL };

static const dnn_pdesc fpap_params[] = {
    { "R", "r", DNN_P_INT, 2, 1, 32, NULL, "PE rows: output rows computed at once" },
    { "C", "c", DNN_P_INT, 4, 1, 64, NULL, "PE columns: output channels computed at once" },
    { "G", "g", DNN_P_INT, 2, 1, 64, NULL,
      "input channels per group (the array synchronizes after each group)" },
    { "K", "k", DNN_P_INT, 3, 1, 16, NULL, "kernel size (K x K)" },
    { "WMAX", "w", DNN_P_INT, 16, 1, 1024, NULL, "longest input row the row buffers hold" },
    { "XW", "x", DNN_P_INT, 8, 2, 32, NULL, "activation width" },
    { "HW", "h", DNN_P_INT, 8, 2, 32, NULL, "weight width, two's complement" },
    { "ACC", "acc", DNN_P_INT, 24, 3, 128, NULL,
      "partial-sum and output width; outputs wrap modulo 2^ACC" },
    { "SIGNED_X", "sx", DNN_P_BOOL, 1, 0, 1, NULL,
      "activations two's complement (1) or unsigned (0)" },
    { "DECOMP", "", DNN_P_ENUM, 0, 0, 2, decomp_names,
      "PAMAC decompositions of the PEs: wd (cycles set by the weights), ad, or both (per "
      "MAC, the cheaper)" },
};

static const char *const fpap_faults[] = { "sync", "acc", NULL };

/* Buffers are registers: keep a generated array within what a simulator and Yosys handle. */
#define FPAP_MAX_BITS (1LL << 22)

static int maxi(int a, int b)
{
    return a > b ? a : b;
}

static int fpap_check(const dnn_design *d, char *err, size_t n)
{
    int64_t R = dnn_param(d, "R"), C = dnn_param(d, "C"), G = dnn_param(d, "G");
    int64_t K = dnn_param(d, "K"), W = dnn_param(d, "WMAX"), xw = dnn_param(d, "XW");
    int64_t hw = dnn_param(d, "HW"), acc = dnn_param(d, "ACC"), bits;
    if (acc < maxi((int)xw, (int)hw) + 1) {
        snprintf(err, n, "fpap_array: ACC=%lld is narrower than max(XW,HW)+1=%d (legal: "
                         "max(XW,HW)+1..128)",
                 (long long)acc, maxi((int)xw, (int)hw) + 1);
        return DNN_EUSAGE;
    }
    if (W < K) {
        snprintf(err, n, "fpap_array: WMAX=%lld is shorter than K=%lld (legal: K..1024)",
                 (long long)W, (long long)K);
        return DNN_EUSAGE;
    }
    bits = R * G * K * W * xw + C * G * K * K * hw + R * C * (W - K + 1) * acc;
    if (bits > FPAP_MAX_BITS) {
        snprintf(err, n, "fpap_array: buffers of %lld bits are too large (legal: R*G*K*WMAX*XW "
                         "+ C*G*K*K*HW + R*C*(WMAX-K+1)*ACC <= %lld)",
                 (long long)bits, (long long)FPAP_MAX_BITS);
        return DNN_EUSAGE;
    }
    return 0;
}

static int fpap_sub(const dnn_design *d, dnn_design *sd)
{
    const dnn_block *p = dnn_block_find("fofir");
    dnn_design_defaults(sd, p);
    snprintf(sd->prefix, sizeof sd->prefix, "%s", d->prefix);
    sd->pv[dnn_param_index(p, "K")] = dnn_param(d, "K");
    sd->pv[dnn_param_index(p, "XW")] = dnn_param(d, "XW");
    sd->pv[dnn_param_index(p, "HW")] = dnn_param(d, "HW");
    sd->pv[dnn_param_index(p, "ACC")] = dnn_param(d, "ACC");
    sd->pv[dnn_param_index(p, "SIGNED_X")] = dnn_param(d, "SIGNED_X");
    sd->pv[dnn_param_index(p, "DECOMP")] = dnn_param(d, "DECOMP");
    sd->pv[dnn_param_index(p, "APPROX")] = 0;
    sd->pv[dnn_param_index(p, "PREC")] = 0;
    snprintf(sd->top, sizeof sd->top, "%.200s_pe", d->top);
    return 1;
}

static int clog2i(int64_t v)
{
    return gm_clog2((uint64_t)v);
}

/* signal zero-extended from w to to bits (no zero-width replication) */
static void zext(dnn_tvars *tv, const char *name, const char *sig, int w, int to)
{
    if (to > w)
        tv_setf(tv, name, "{{%d{1'b0}}, %s}", to - w, sig);
    else
        tv_set(tv, name, sig);
}

static int fpap_vars(const dnn_design *d, dnn_tvars *tv, char *err, size_t en)
{
    int R = (int)dnn_param(d, "R"), C = (int)dnn_param(d, "C"), G = (int)dnn_param(d, "G");
    int K = (int)dnn_param(d, "K"), W = (int)dnn_param(d, "WMAX");
    int xw = (int)dnn_param(d, "XW"), hw = (int)dnn_param(d, "HW");
    int dwd = maxi(xw, hw), rb = G * K * W, cb = G * K * K, wo = W - K + 1;
    int sw = maxi(1, clog2i(maxi(R, C))), aw = maxi(1, clog2i(maxi(rb, cb)));
    int stw = clog2i(G * K + 1), wlw = clog2i(W + 1), rcw = clog2i(R + 1), ccw = clog2i(C + 1);
    int erw = maxi(1, clog2i(R)), ecw = maxi(1, clog2i(C)), onw = maxi(1, clog2i(wo));
    int iw = maxi(1, clog2i(K));
    (void)err;
    (void)en;
    tv_setf(tv, "R", "%d", R);
    tv_setf(tv, "C", "%d", C);
    tv_setf(tv, "K", "%d", K);
    tv_setf(tv, "XW", "%d", xw);
    tv_setf(tv, "HW", "%d", hw);
    tv_setf(tv, "DWD", "%d", dwd);
    tv_setf(tv, "ACC", "%d", (int)dnn_param(d, "ACC"));
    tv_setf(tv, "RB", "%d", rb);
    tv_setf(tv, "CB", "%d", cb);
    tv_setf(tv, "WO", "%d", wo);
    tv_setf(tv, "SW", "%d", sw);
    tv_setf(tv, "AW", "%d", aw);
    tv_setf(tv, "STW", "%d", stw);
    tv_setf(tv, "WLW", "%d", wlw);
    tv_setf(tv, "RCW", "%d", rcw);
    tv_setf(tv, "CCW", "%d", ccw);
    tv_setf(tv, "ERW", "%d", erw);
    tv_setf(tv, "ECW", "%d", ecw);
    tv_setf(tv, "ONW", "%d", onw);
    tv_setf(tv, "IW", "%d", iw);
    tv_setf(tv, "CPW", "%d", maxi(1, clog2i(cb)));
    tv_setf(tv, "RPW", "%d", maxi(1, clog2i(rb)));
    tv_setf(tv, "KLAST", "%d'd%d", iw, K - 1);
    tv_setf(tv, "PE", "%.200s_pe", d->top);
    tv_setf(tv, "KLOW", "%d", K & ((1 << onw) - 1));
    zext(tv, "EC_EXT", "ec_q", ecw, ccw);
    zext(tv, "ER_EXT", "er_q", erw, rcw);
    zext(tv, "X_EXT", "xsel", xw, dwd);
    zext(tv, "H_EXT", "hsel", hw, dwd);
    tv_flag(tv, "HAS_MODE", dnn_param(d, "DECOMP") == GM_DECOMP_BOTH);
    tv_flag(tv, "FAULT_SYNC", strcmp(d->fault, "sync") == 0);
    tv_flag(tv, "FAULT_ACC", strcmp(d->fault, "acc") == 0);
    return 0;
}

/* The host's obligations (docs/fpap_array.md): on a GO record K <= wlen <= WMAX, steps a
 * multiple of K in [K, G*K], 1 <= rows <= R, 1 <= cols <= C; on a buffer write a PE row or
 * column and an entry inside the buffer; kinds 0..2. Out of them a field is mapped to a
 * legal value (the smallest); in other records the fields are left alone. */
static int fpap_contract(const dnn_design *d, const char *stream, const char *field, int width,
                         char *buf, size_t n)
{
    long long k = dnn_param(d, "K"), g = dnn_param(d, "G"), lo, hi;
    const char *go = "in_valid && in_kind == 2'd2";
    if (strcmp(stream, "in") != 0)
        return 0;
    if (strcmp(field, "kind") == 0) {
        snprintf(buf, n, "(in_kind == 2'd3) ? 2'd0 : in_kind");
        return 1;
    }
    if (strcmp(field, "steps") == 0) {
        /* a multiple of K: steps == j*K for some j in 1..G */
        size_t u = (size_t)snprintf(buf, n, "(%s && !(1'b0", go);
        long long j;
        for (j = 1; j <= g && u < n; j++)
            u += (size_t)snprintf(buf + u, n - u, " || in_steps == %d'd%lld", width, j * k);
        if (u < n)
            snprintf(buf + u, n - u, ")) ? %d'd%lld : in_steps", width, k);
        return 1;
    }
    if (strcmp(field, "sel") == 0 || strcmp(field, "addr") == 0) {
        /* writes inside the buffers: a row write (kind 0; 3 is mapped to 0 above) names a PE
         * row < R and an entry < G*K*WMAX, a coefficient write a column < C and an entry
         * < G*K*K */
        int sel = field[0] == 's';
        long long rmax = sel ? dnn_param(d, "R") : g * k * dnn_param(d, "WMAX");
        long long cmax = sel ? dnn_param(d, "C") : g * k * k;
        snprintf(buf, n,
                 "((in_valid && (in_kind == 2'd0 || in_kind == 2'd3) && in_%s > %d'd%lld) || "
                 "(in_valid && in_kind == 2'd1 && in_%s > %d'd%lld)) ? %d'd0 : in_%s",
                 field, width, rmax - 1, field, width, cmax - 1, width, field);
        return 1;
    }
    if (strcmp(field, "wlen") == 0)
        lo = k, hi = dnn_param(d, "WMAX");
    else if (strcmp(field, "rows") == 0)
        lo = 1, hi = dnn_param(d, "R");
    else if (strcmp(field, "cols") == 0)
        lo = 1, hi = dnn_param(d, "C");
    else
        return 0;
    snprintf(buf, n, "(%s && (in_%s < %d'd%lld || in_%s > %d'd%lld)) ? %d'd%lld : in_%s", go,
             field, width, lo, field, width, hi, width, lo, field);
    return 1;
}

const dnn_block dnn_block_fpap_array = {
    "fpap_array",
    "R x C FoFIR PEs computing a KxK convolution layer, input channels in synchronized groups",
    fpap_params,
    (int)(sizeof fpap_params / sizeof fpap_params[0]),
    fpap_faults,
    "buffer writes: one per cycle while idle; GO at edge g: every active PE plays its rows "
    "back to back from edge g+1 (FoFIR contract), the array accepts again from edge "
    "g+Lmax+2 where Lmax is the slowest PE's cycles; after a final group the outputs follow "
    "one per cycle from edge g+Lmax+2 (exact model: golden/gm_fpap.c)",
    "docs/fpap_array.md",
    fpap_check,
    fpap_vars,
    "fpap_array.v",
    fpap_sub,
    fpap_contract,
};
