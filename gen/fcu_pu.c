/*
 * fcu_pu.c -- descriptor of the FCU processing unit (`fcu_pu`): a K x (K-1) array of
 * K-parallel FCUs (the generated `fcu` block, one module, instantiated K*(K-1) times) that
 * computes K-1 output rows of a K x K correlation per pass from 2K-2 input rows. FCU (i, j)
 * holds kernel row i (reversed: the FCU is a convolution) and reads input row j+i, so
 * kernel rows are shared along array rows; output row j is the sum over i of column j's
 * FCUs, then the optional bias and ReLU (the complex processor's output stage).
 * Golden: a direct 2-D correlation (golden/gm_fcu.c, gm_fcu_pu_block); doc: docs/fcu_pu.md.
 */
#include <stdio.h>
#include <string.h>

#include "block.h"
#include "gm_common.h"
#include "gm_fcu.h"

static const char *const pu_alg_names[] = { "ffa", "direct", NULL };

static const dnn_pdesc pu_params[] = {
    { "K", "k", DNN_P_INT, 3, 3, 7, NULL,
      "kernel size (3, 5 or 7): K-1 output rows of a K x K correlation per pass, K pixels "
      "per row per cycle" },
    { "XW", "xw", DNN_P_INT, 8, 2, 18, NULL, "sample width (two's complement; K*XW <= 128)" },
    { "HW", "hw", DNN_P_INT, 8, 2, 24, NULL, "weight and bias width (two's complement)" },
    { "OW", "ow", DNN_P_INT, 0, 0, 64, NULL,
      "output width: 0 = exact (holds every output), 2..64 wraps modulo 2^OW" },
    { "PIPE", "p", DNN_P_INT, 1, 0, 2, NULL, "the FCUs' register stages (latency PIPE+1)" },
    { "BIAS", "b", DNN_P_BOOL, 1, 0, 1, NULL, "add a bias (written at index K*K)" },
    { "RELU", "r", DNN_P_BOOL, 1, 0, 1, NULL, "clamp negative outputs to 0" },
    { "ALG", "alg", DNN_P_ENUM, 0, 0, 1, pu_alg_names,
      "the FCUs: ffa (fast FIR algorithm) or direct (K*K multipliers each: the baseline)" },
};

static const char *const pu_faults[] = { "acc", "bias", "ready", NULL };

static void pu_cfg(const dnn_design *d, gm_fcu_pu_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->k = (int)dnn_param(d, "K");
    c->xw = (int)dnn_param(d, "XW");
    c->hw = (int)dnn_param(d, "HW");
    c->ow = (int)dnn_param(d, "OW");
    c->bias = (int)dnn_param(d, "BIAS");
    c->relu = (int)dnn_param(d, "RELU");
}

static int pu_check(const dnn_design *d, char *err, size_t n)
{
    gm_fcu_pu_cfg c;
    char m[200];
    pu_cfg(d, &c);
    if (gm_fcu_pu_check(&c, m, sizeof m)) {
        snprintf(err, n, "fcu_pu: %s", m);
        return DNN_EUSAGE;
    }
    return 0;
}

static int pu_sub(const dnn_design *d, dnn_design *sd)
{
    const dnn_block *p = dnn_block_find("fcu");
    gm_fcu_pu_cfg c;
    pu_cfg(d, &c);
    dnn_design_defaults(sd, p);
    snprintf(sd->prefix, sizeof sd->prefix, "%s", d->prefix);
    sd->pv[dnn_param_index(p, "L")] = c.k;
    sd->pv[dnn_param_index(p, "XW")] = c.xw;
    sd->pv[dnn_param_index(p, "HW")] = c.hw;
    sd->pv[dnn_param_index(p, "OW")] = gm_fcu_pu_out_width(&c); /* sums wrap alike */
    sd->pv[dnn_param_index(p, "PIPE")] = dnn_param(d, "PIPE");
    sd->pv[dnn_param_index(p, "ALG")] = dnn_param(d, "ALG");
    snprintf(sd->top, sizeof sd->top, "%.200s_fcu", d->top);
    return 1;
}

static int pu_vars(const dnn_design *d, dnn_tvars *tv, char *err, size_t n)
{
    gm_fcu_pu_cfg c;
    sbuf ports, body, yp;
    int K, i, j, t, ow, iw, fiw, fault, pipe;
    (void)err;
    (void)n;
    pu_cfg(d, &c);
    K = c.k;
    ow = gm_fcu_pu_out_width(&c);
    iw = gm_clog2((uint64_t)(K * K + 1));
    fiw = gm_clog2((uint64_t)K);
    fault = strcmp(d->fault, "acc") == 0 ? 1 : strcmp(d->fault, "bias") == 0 ? 2
            : strcmp(d->fault, "ready") == 0 ? 3 : 0;
    sb_init(&ports);
    sb_init(&body);
    sb_init(&yp);
    for (i = 0; i < 2 * K - 2; i++)
        sb_printf(&ports, "  input  wire [%d:0]%*s in_r%d,\n", K * c.xw - 1, 12, "", i);
    for (j = 0; j < K - 1; j++)
        for (t = 0; t < K; t++)
            sb_printf(&yp, "  output wire [%d:0]%*s out_y%d%s\n", ow - 1, 12, "", j * K + t,
                      j == K - 2 && t == K - 1 ? "" : ",");
    /* kernel row i of a write: index q = i*K + col goes to FCU row i as tap K-1-col; the
     * other rows get an out-of-range tap (ignored) so that every FCU starts a new row */
    for (i = 0; i < K; i++) {
        sb_printf(&body, "  wire [%d:0] idx_%d =", fiw - 1, i);
        for (t = 0; t < K; t++)
            sb_printf(&body, " (in_idx == %d'd%d) ? %d'd%d :", iw, i * K + t, fiw, K - 1 - t);
        sb_printf(&body, " %d'd%d;\n", fiw, (1 << fiw) - 1);
    }
    for (i = 0; i < K; i++)
        for (j = 0; j < K - 1; j++) {
            if (i == 0 && j == 0)
                sb_puts(&body, "  wire rdy_0_0, vld_0_0;\n");
            else /* equal to FCU (0,0)'s on every reachable state: not read (below) */
                sb_printf(&body, "  /* verilator lint_off UNUSEDSIGNAL */\n"
                                 "  wire rdy_%d_%d, vld_%d_%d;\n"
                                 "  /* verilator lint_on UNUSEDSIGNAL */\n", i, j, i, j);
            for (t = 0; t < K; t++)
                sb_printf(&body, "  wire [%d:0] fy_%d_%d_%d;\n", ow - 1, i, j, t);
            sb_printf(&body, "  %s_fcu u_fcu_%d_%d (\n    .clk(clk), .rst_n(rst_n),\n"
                             "    .in_valid(in_valid), .in_ready(rdy_%d_%d), .in_load(in_load),"
                             " .in_idx(idx_%d), .in_w(in_w),\n",
                      d->top, i, j, i, j, i);
            for (t = 0; t < K; t++)
                sb_printf(&body, "    .in_x%d(in_r%d[%d:%d]),\n", t, j + i, (t + 1) * c.xw - 1,
                          t * c.xw);
            sb_printf(&body, "    .in_last(in_last), .out_valid(vld_%d_%d), .out_ready(out_ready)",
                      i, j);
            for (t = 0; t < K; t++)
                sb_printf(&body, ",\n    .out_y%d(fy_%d_%d_%d)", t, i, j, t);
            sb_puts(&body, "\n  );\n");
        }
    /* All FCUs move in lock step: the same in_valid, in_load, in_last and out_ready from
     * the same reset, so their in_ready and out_valid are equal on every reachable state.
     * FCU (0,0)'s handshake stands for all of them; the others' are not read (an AND of
     * equal bits, which mutation testing showed no test can distinguish from any of its
     * terms). */
    sb_puts(&body, "  wire rdy_all = rdy_0_0;\n  wire vld_all = vld_0_0;\n");
    if (c.bias) {
        sb_printf(&body, "  reg  [%d:0] bias_q;\n", c.hw - 1);
        sb_printf(&body, "  always @(posedge clk or negedge rst_n)\n    if (!rst_n) bias_q <= "
                         "%d'd0;\n    else if (in_valid && in_ready && in_load && in_idx == "
                         "%d'd%d) bias_q <= in_w;\n",
                  c.hw, iw, K * K);
        /* the bias in force when a block was accepted travels with it through the FCUs'
         * pipeline (a bias write behind a block in flight must not reach that block) */
        pipe = (int)dnn_param(d, "PIPE");
        for (i = 0; i < pipe; i++)
            sb_printf(&body, "  reg  [%d:0] bp_%d;\n", c.hw - 1, i);
        sb_printf(&body, "  reg  [%d:0] bp_o;\n  always @(posedge clk or negedge rst_n)\n"
                         "    if (!rst_n) begin\n", c.hw - 1);
        for (i = 0; i < pipe; i++)
            sb_printf(&body, "      bp_%d <= %d'd0;\n", i, c.hw);
        sb_printf(&body, "      bp_o <= %d'd0;\n    end else if (rdy_all) begin\n", c.hw);
        for (i = 0; i < pipe; i++) {
            if (i)
                sb_printf(&body, "      bp_%d <= bp_%d;\n", i, i - 1);
            else
                sb_puts(&body, "      bp_0 <= bias_q;\n");
        }
        if (pipe)
            sb_printf(&body, "      bp_o <= bp_%d;\n    end\n", pipe - 1);
        else
            sb_puts(&body, "      bp_o <= bias_q;\n    end\n");
    }
    for (j = 0; j < K - 1; j++)
        for (t = 0; t < K; t++) {
            sb_printf(&body, "  wire [%d:0] s_%d_%d = ", ow - 1, j, t);
            for (i = 0; i < K; i++) {
                if (fault == 1 && j == 0 && t == 0 && i == K - 1)
                    continue; /* fault: one kernel row's contribution lost */
                sb_printf(&body, "%sfy_%d_%d_%d", i ? " + " : "", i, j, t);
            }
            if (c.bias && fault != 2) {
                if (ow > c.hw)
                    sb_printf(&body, " + {{%d{bp_o[%d]}}, bp_o}", ow - c.hw, c.hw - 1);
                else
                    sb_printf(&body, " + bp_o[%d:0]", ow - 1);
            }
            sb_puts(&body, ";\n");
            if (c.relu)
                sb_printf(&body, "  assign out_y%d = s_%d_%d[%d] ? %d'd0 : s_%d_%d;\n",
                          j * K + t, j, t, ow - 1, ow, j, t);
            else
                sb_printf(&body, "  assign out_y%d = s_%d_%d;\n", j * K + t, j, t);
        }
    tv_setf(tv, "K", "%d", K);
    tv_setf(tv, "IW", "%d", iw);
    tv_setf(tv, "HW", "%d", c.hw);
    tv_setf(tv, "NFCU", "%d", K * (K - 1));
    tv_set(tv, "RPORTS", ports.s ? ports.s : "");
    tv_set(tv, "YPORTS", yp.s ? yp.s : "");
    tv_set(tv, "BODY", body.s ? body.s : "");
    tv_flag(tv, "FAULT_READY", fault == 3);
    tv_flag(tv, "BIAS", c.bias);
    sb_free(&ports);
    sb_free(&body);
    sb_free(&yp);
    return 0;
}

const dnn_block dnn_block_fcu_pu = {
    "fcu_pu",
    "FCU processing unit: K x (K-1) K-parallel FCUs, K-1 output rows of a K x K correlation "
    "per pass (K pixels each per cycle), kernel rows shared along array rows, bias and ReLU",
    pu_params,
    8,
    pu_faults,
    "as fcu (the FCUs' stall-all pipeline, outputs summed after their output registers): one "
    "column block per cycle, latency PIPE+1; a write or a block marked last starts new rows "
    "(model: golden/gm_fcu_gen.c)",
    "docs/fcu_pu.md",
    pu_check,
    pu_vars,
    "fcu_pu.v",
    pu_sub,
    NULL,
};
