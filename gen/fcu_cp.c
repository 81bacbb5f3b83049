/*
 * fcu_cp.c -- descriptor of the FCU complex processor (`fcu_cp`): P processing units (the
 * generated `fcu_pu` block, one module, instantiated P times: one per input channel), a
 * balanced adder tree over the channels, bias, ReLU and an optional 2x2 max-pool. The pool
 * pairs the K-1 output rows of a pass and the columns of two consecutive column blocks
 * (K is odd), so it emits one record of (K-1)/2 x K pooled pixels per two blocks; a tag
 * (first of pass, last) travels with each block through the units' pipeline to tell it
 * where passes end. Golden: golden/gm_fcu_cp.c (direct 2-D correlations, summed, pooled);
 * cycle model: golden/gm_fcu_gen.c; doc: docs/fcu_cp.md.
 */
#include <stdio.h>
#include <string.h>

#include "block.h"
#include "gm_common.h"
#include "gm_fcu.h"

static const char *const cp_alg_names[] = { "ffa", "direct", NULL };

static const dnn_pdesc cp_params[] = {
    { "K", "k", DNN_P_INT, 3, 3, 7, NULL,
      "kernel size (3, 5 or 7): K-1 output rows of a K x K correlation per pass" },
    { "P", "p", DNN_P_INT, 2, 1, 8, NULL,
      "input channels summed per pass (one processing unit each; P*(2K-2) <= 44)" },
    { "XW", "xw", DNN_P_INT, 8, 2, 18, NULL, "sample width (two's complement; K*XW <= 128)" },
    { "HW", "hw", DNN_P_INT, 8, 2, 24, NULL, "weight and bias width (two's complement)" },
    { "OW", "ow", DNN_P_INT, 0, 0, 64, NULL,
      "output width: 0 = exact (holds every sum), 2..64 wraps modulo 2^OW" },
    { "PIPE", "pp", DNN_P_INT, 1, 0, 2, NULL, "the FCUs' register stages" },
    { "BIAS", "b", DNN_P_BOOL, 1, 0, 1, NULL, "add a bias (written at index P*K*K)" },
    { "RELU", "r", DNN_P_BOOL, 1, 0, 1, NULL, "clamp negative sums to 0" },
    { "POOL", "mp", DNN_P_BOOL, 1, 0, 1, NULL,
      "2x2 max-pool: one record of (K-1)/2 x K pooled pixels per two column blocks" },
    { "ALG", "alg", DNN_P_ENUM, 0, 0, 1, cp_alg_names,
      "the FCUs: ffa (fast FIR algorithm) or direct (K*K multipliers each)" },
};

static const char *const cp_faults[] = { "tree", "pool", "ready", NULL };

static void cp_cfg(const dnn_design *d, gm_fcu_cp_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->k = (int)dnn_param(d, "K");
    c->p = (int)dnn_param(d, "P");
    c->xw = (int)dnn_param(d, "XW");
    c->hw = (int)dnn_param(d, "HW");
    c->ow = (int)dnn_param(d, "OW");
    c->bias = (int)dnn_param(d, "BIAS");
    c->relu = (int)dnn_param(d, "RELU");
    c->pool = (int)dnn_param(d, "POOL");
}

static int cp_check(const dnn_design *d, char *err, size_t n)
{
    gm_fcu_cp_cfg c;
    char m[200];
    cp_cfg(d, &c);
    if (gm_fcu_cp_check(&c, m, sizeof m)) {
        snprintf(err, n, "fcu_cp: %s", m);
        return DNN_EUSAGE;
    }
    if (strcmp(d->fault, "pool") == 0 && !c.pool) {
        snprintf(err, n, "fcu_cp: fault 'pool' needs POOL=1 (legal faults with POOL=0: tree, "
                         "ready)");
        return DNN_EUSAGE;
    }
    return 0;
}

/* The units' output width: exact channel sums, or the CP's OW when that is narrower (sums
 * modulo 2^OW are the same either way). */
static int unit_width(const gm_fcu_cp_cfg *c, int *unit_ow)
{
    gm_fcu_pu_cfg pc = { c->k, c->xw, c->hw, 0, 0, 0 };
    int exact = gm_fcu_pu_out_width(&pc), ow = gm_fcu_cp_out_width(c);
    *unit_ow = ow < exact ? ow : 0;
    return ow < exact ? ow : exact;
}

static int cp_sub(const dnn_design *d, dnn_design *sd)
{
    const dnn_block *p = dnn_block_find("fcu_pu");
    gm_fcu_cp_cfg c;
    int uow;
    cp_cfg(d, &c);
    unit_width(&c, &uow);
    dnn_design_defaults(sd, p);
    snprintf(sd->prefix, sizeof sd->prefix, "%s", d->prefix);
    sd->pv[dnn_param_index(p, "K")] = c.k;
    sd->pv[dnn_param_index(p, "XW")] = c.xw;
    sd->pv[dnn_param_index(p, "HW")] = c.hw;
    sd->pv[dnn_param_index(p, "OW")] = uow;
    sd->pv[dnn_param_index(p, "PIPE")] = dnn_param(d, "PIPE");
    sd->pv[dnn_param_index(p, "BIAS")] = 0;
    sd->pv[dnn_param_index(p, "RELU")] = 0;
    sd->pv[dnn_param_index(p, "ALG")] = dnn_param(d, "ALG");
    snprintf(sd->top, sizeof sd->top, "%.200s_pu", d->top);
    return 1;
}

/* A balanced sum of ops[lo..hi) (parenthesized halves: the adder tree). */
static void tree(sbuf *b, char (*ops)[96], int lo, int hi)
{
    if (hi - lo == 1) {
        sb_puts(b, ops[lo]);
        return;
    }
    sb_puts(b, "(");
    tree(b, ops, lo, lo + (hi - lo) / 2);
    sb_puts(b, " + ");
    tree(b, ops, lo + (hi - lo) / 2, hi);
    sb_puts(b, ")");
}

static void smax(sbuf *b, const char *dst, const char *x, const char *y)
{
    sb_printf(b, "  wire [OW-1:0] %s = ($signed(%s) >= $signed(%s)) ? %s : %s;\n", dst, x, y, x,
              y);
}

static int cp_vars(const dnn_design *d, dnn_tvars *tv, char *err, size_t n)
{
    gm_fcu_cp_cfg c;
    sbuf ports, body, yp;
    char ops[GM_FCU_CP_MAXP + 1][96], a[64], b2[64], nm[64];
    int K, P, R, i, p, q, t, u, m, ow, pw, uow, iw, iwp, fault, nops, pipe, nout;
    (void)err;
    (void)n;
    cp_cfg(d, &c);
    K = c.k;
    P = c.p;
    R = 2 * K - 2;
    pipe = (int)dnn_param(d, "PIPE");
    ow = gm_fcu_cp_out_width(&c);
    pw = unit_width(&c, &uow);
    iw = gm_clog2((uint64_t)(P * K * K + 1));
    iwp = gm_clog2((uint64_t)(K * K + 1));
    nout = gm_fcu_cp_outputs(&c);
    fault = strcmp(d->fault, "tree") == 0 ? 1 : strcmp(d->fault, "pool") == 0 ? 2
            : strcmp(d->fault, "ready") == 0 ? 3 : 0;
    sb_init(&ports);
    sb_init(&body);
    sb_init(&yp);
    for (p = 0; p < P; p++)
        for (i = 0; i < R; i++)
            sb_printf(&ports, "  input  wire [%d:0]%*s in_c%dr%d,\n", K * c.xw - 1, 10, "", p, i);
    for (q = 0; q < nout; q++)
        sb_printf(&yp, "  output wire [%d:0]%*s out_y%d%s\n", ow - 1, 12, "", q,
                  q == nout - 1 ? "" : ",");
    sb_printf(&body, "  localparam OW = %d;\n", ow);
    /* unit p sees its own kernel's indices, every other index as out of range (ignored,
     * but a write still starts every unit's new pass in lock step) */
    for (p = 0; p < P; p++) {
        sb_printf(&body, "  wire [%d:0] pidx_%d =", iwp - 1, p);
        for (t = 0; t < K * K; t++)
            sb_printf(&body, "%s(in_idx == %d'd%d) ? %d'd%d :", t % 4 == 0 ? "\n    " : " ", iw,
                      p * K * K + t, iwp, t);
        sb_printf(&body, " %d'd%d;\n", iwp, (1 << iwp) - 1);
    }
    for (p = 0; p < P; p++) {
        if (p == 0)
            sb_puts(&body, "  wire rdy_0, vld_0;\n");
        else /* equal to unit 0's on every reachable state: not read (below) */
            sb_printf(&body, "  /* verilator lint_off UNUSEDSIGNAL */\n  wire rdy_%d, vld_%d;\n"
                             "  /* verilator lint_on UNUSEDSIGNAL */\n", p, p);
        for (q = 0; q < (K - 1) * K; q++)
            sb_printf(&body, "  wire [%d:0] py_%d_%d;\n", pw - 1, p, q);
        sb_printf(&body, "  %s_pu u_pu_%d (\n    .clk(clk), .rst_n(rst_n),\n"
                         "    .in_valid(in_valid), .in_ready(rdy_%d), .in_load(in_load),"
                         " .in_idx(pidx_%d), .in_w(in_w),\n", d->top, p, p, p);
        for (i = 0; i < R; i++)
            sb_printf(&body, "    .in_r%d(in_c%dr%d),\n", i, p, i);
        sb_printf(&body, "    .in_last(in_last), .out_valid(vld_%d), .out_ready(pu_ready)", p);
        for (q = 0; q < (K - 1) * K; q++)
            sb_printf(&body, ",\n    .out_y%d(py_%d_%d)", q, p, q);
        sb_puts(&body, "\n  );\n");
    }
    /* The units move in lock step (the same in_valid, in_load, in_last and pu_ready from
     * the same reset): their handshakes are equal on every reachable state, so unit 0's
     * stands for all (an AND of them is indistinguishable from any of its terms). */
    sb_puts(&body, "  wire rdy_all = rdy_0;\n  wire vld_all = vld_0;\n");
    if (c.bias) {
        sb_printf(&body, "  reg  [%d:0] bias_q;\n", c.hw - 1);
        sb_printf(&body, "  always @(posedge clk or negedge rst_n)\n    if (!rst_n) bias_q <= "
                         "%d'd0;\n    else if (in_valid && in_ready && in_load && in_idx == "
                         "%d'd%d) bias_q <= in_w;\n",
                  c.hw, iw, P * K * K);
        /* the bias in force when a block was accepted travels with it through the units'
         * pipeline (a bias write behind a block in flight must not reach that block) */
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
    /* adder tree over the channels, bias, ReLU: a[q] */
    for (q = 0; q < (K - 1) * K; q++) {
        nops = 0;
        for (p = 0; p < P; p++) {
            if (fault == 1 && q == 0 && p == P - 1 && P > 1)
                continue; /* fault: a channel's contribution lost for one pixel */
            if (ow > pw)
                snprintf(ops[nops++], sizeof ops[0], "{{%d{py_%d_%d[%d]}}, py_%d_%d}", ow - pw, p,
                         q, pw - 1, p, q);
            else
                snprintf(ops[nops++], sizeof ops[0], "py_%d_%d", p, q);
        }
        if (c.bias && !(fault == 1 && q == 0 && P == 1)) {
            if (ow > c.hw)
                snprintf(ops[nops++], sizeof ops[0], "{{%d{bp_o[%d]}}, bp_o}", ow - c.hw,
                         c.hw - 1);
            else
                snprintf(ops[nops++], sizeof ops[0], "bp_o[%d:0]", ow - 1);
        }
        sb_printf(&body, "  wire [OW-1:0] s_%d = ", q);
        if (nops)
            tree(&body, ops, 0, nops);
        else
            sb_puts(&body, "{OW{1'b0}}");
        sb_puts(&body, ";\n");
        if (c.relu)
            sb_printf(&body, "  wire [OW-1:0] a_%d = s_%d[OW-1] ? {OW{1'b0}} : s_%d;\n", q, q, q);
        else
            sb_printf(&body, "  wire [OW-1:0] a_%d = s_%d;\n", q, q);
    }
    if (!c.pool) {
        sb_puts(&body, "  wire pu_ready = out_ready;\n");
        for (q = 0; q < nout; q++)
            sb_printf(&body, "  assign out_y%d = a_%d;\n", q, q);
        sb_printf(&body, "  assign in_ready  = %s;\n  assign out_valid = vld_all;\n",
                  fault == 3 ? "1'b1" : "rdy_all");
    } else {
        /* tags: (first block of its pass, marked last), in step with the units' pipeline,
         * which advances exactly when the units are ready (stall-all) */
        sb_puts(&body, "  reg pstart_q;\n  always @(posedge clk or negedge rst_n)\n"
                       "    if (!rst_n) pstart_q <= 1'b1;\n"
                       "    else if (in_valid && in_ready) pstart_q <= in_load | in_last;\n"
                       "  wire [1:0] tag_in = {pstart_q, in_last};\n");
        for (i = 0; i < pipe; i++)
            sb_printf(&body, "  reg  [1:0] tg_%d;\n", i);
        sb_puts(&body, "  reg  [1:0] tg_o;\n  always @(posedge clk or negedge rst_n)\n"
                       "    if (!rst_n) begin\n");
        for (i = 0; i < pipe; i++)
            sb_printf(&body, "      tg_%d <= 2'b00;\n", i);
        sb_puts(&body, "      tg_o <= 2'b00;\n    end else if (rdy_all) begin\n");
        for (i = 0; i < pipe; i++) {
            if (i)
                sb_printf(&body, "      tg_%d <= tg_%d;\n", i, i - 1);
            else
                sb_puts(&body, "      tg_0 <= tag_in;\n");
        }
        if (pipe)
            sb_printf(&body, "      tg_o <= tg_%d;\n    end\n", pipe - 1);
        else
            sb_puts(&body, "      tg_o <= tag_in;\n    end\n");
        /* row maxima of the block */
        for (u = 0; u < (K - 1) / 2; u++)
            for (t = 0; t < K; t++) {
                snprintf(nm, sizeof nm, "m_%d_%d", u, t);
                snprintf(a, sizeof a, "a_%d", 2 * u * K + t);
                snprintf(b2, sizeof b2, "a_%d", (2 * u + 1) * K + t);
                smax(&body, nm, a, b2);
            }
        sb_puts(&body, "  reg have_q, ov_q;\n"
                       "  wire t_first = tg_o[1], t_last = tg_o[0];\n"
                       "  wire ofree = !ov_q || out_ready;\n"
                       "  wire pair = have_q & ~t_first;\n"
                       "  wire solo = ~have_q & t_last;\n"
                       "  wire hold = ~have_q & ~t_last;\n");
        sb_printf(&body, "  wire pu_ready = hold | ((pair | solo)%s);\n",
                  fault == 3 ? "" : " & ofree");
        sb_puts(&body, "  wire emit = vld_all & ofree & ~hold;\n");
        sb_printf(&body, "  wire [OW-1:0] virt = %s;\n",
                  c.relu ? "{OW{1'b0}}" : "{1'b1, {(OW-1){1'b0}}}");
        for (u = 0; u < (K - 1) / 2; u++)
            for (t = 0; t < K; t++) {
                sb_printf(&body, "  reg  [OW-1:0] h_%d_%d, o_%d_%d;\n", u, t, u, t);
                sb_printf(&body, "  wire [OW-1:0] f_%d_%d = have_q ? h_%d_%d : m_%d_%d;\n", u, t,
                          u, t, u, t);
                sb_printf(&body, "  wire [OW-1:0] g_%d_%d = pair ? m_%d_%d : virt;\n", u, t, u,
                          t);
            }
        for (u = 0; u < (K - 1) / 2; u++)
            for (m = 0; m < K; m++) {
                char x0[64], x1[64];
                int c0 = 2 * m, c1 = 2 * m + 1;
                snprintf(x0, sizeof x0, "%s_%d_%d", c0 < K ? "f" : "g", u, c0 < K ? c0 : c0 - K);
                snprintf(x1, sizeof x1, "%s_%d_%d", c1 < K ? "f" : "g", u, c1 < K ? c1 : c1 - K);
                snprintf(nm, sizeof nm, "pl_%d_%d", u, m);
                if (fault == 2 && u == 0 && m == 0)
                    sb_printf(&body, "  wire [OW-1:0] %s = %s;\n", nm, x0); /* fault: no max */
                else
                    smax(&body, nm, x0, x1);
            }
        sb_puts(&body, "  always @(posedge clk or negedge rst_n)\n"
                       "    if (!rst_n) begin\n      have_q <= 1'b0;\n      ov_q   <= 1'b0;\n"
                       "    end else begin\n"
                       "      if (vld_all && hold) have_q <= 1'b1;\n"
                       "      else if (emit) have_q <= 1'b0;\n"
                       "      if (emit) ov_q <= 1'b1;\n      else if (out_ready) ov_q <= 1'b0;\n"
                       "    end\n");
        sb_puts(&body, "  always @(posedge clk) begin\n    if (vld_all && hold) begin\n");
        for (u = 0; u < (K - 1) / 2; u++)
            for (t = 0; t < K; t++)
                sb_printf(&body, "      h_%d_%d <= m_%d_%d;\n", u, t, u, t);
        sb_puts(&body, "    end\n    if (emit) begin\n");
        for (u = 0; u < (K - 1) / 2; u++)
            for (m = 0; m < K; m++)
                sb_printf(&body, "      o_%d_%d <= pl_%d_%d;\n", u, m, u, m);
        sb_puts(&body, "    end\n  end\n");
        for (u = 0; u < (K - 1) / 2; u++)
            for (m = 0; m < K; m++)
                sb_printf(&body, "  assign out_y%d = o_%d_%d;\n", u * K + m, u, m);
        sb_puts(&body, "  assign in_ready  = rdy_all;\n  assign out_valid = ov_q;\n");
    }
    tv_setf(tv, "P", "%d", P);
    tv_setf(tv, "IW", "%d", iw);
    tv_setf(tv, "HW", "%d", c.hw);
    tv_set(tv, "POOLTXT", c.pool ? " and a 2x2 max-pool" : "");
    tv_set(tv, "POOLTIM", c.pool ? ", then the pool stage" : "");
    tv_set(tv, "RPORTS", ports.s ? ports.s : "");
    tv_set(tv, "YPORTS", yp.s ? yp.s : "");
    tv_set(tv, "BODY", body.s ? body.s : "");
    sb_free(&ports);
    sb_free(&body);
    sb_free(&yp);
    return 0;
}

const dnn_block dnn_block_fcu_cp = {
    "fcu_cp",
    "FCU complex processor: P processing units (one per input channel), an adder tree over "
    "the channels, bias, ReLU and a 2x2 max-pool",
    cp_params,
    10,
    cp_faults,
    "the units' stall-all pipeline (latency PIPE+1, one column block per cycle); POOL=1: one "
    "pooled record per two blocks of a pass, from a registered pool stage (model: "
    "golden/gm_fcu_gen.c)",
    "docs/fcu_cp.md",
    cp_check,
    cp_vars,
    "fcu_cp.v",
    cp_sub,
    NULL,
};
