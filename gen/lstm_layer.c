/*
 * lstm_layer.c -- descriptor of the E-LSTM layer (`lstm_layer`): P slices, each one
 * generated lstm_pe (the `sub` hook: the PE module is emitted into its own file, not
 * copied) holding the [W U] rows of the hidden units j = p mod P, a W x buffer, the
 * biases and a gate unit; a run is BATCH sequences of STEPS vectors in the E-LSTM decoupled
 * order (all W x_t first, then the recurrent steps). The legal ranges are the golden
 * model's (gm_lstm_layer_check), so the generator and the models cannot disagree.
 * Values: golden/gm_lstm_layer.c; cycle model: golden/gm_lstm_layer_gen.c; doc:
 * docs/lstm.md ("lstm_layer").
 */
#include <stdio.h>
#include <string.h>

#include "block.h"
#include "gm_lstm_layer.h"

static const dnn_pdesc ly_params[] = {
    { "I", "i", DNN_P_INT, 8, 1, 1024, NULL, "input size (x entries a step)" },
    { "H", "h", DNN_P_INT, 8, 1, 1024, NULL, "hidden size (units; h and c entries)" },
    { "N", "n", DNN_P_INT, 4, 2, 256, NULL, "group size n of the (n,k) pruning, a power of two" },
    { "K", "k", DNN_P_INT, 2, 1, 256, NULL, "weights kept per group, 1..N" },
    { "EM", "m", DNN_P_INT, 0, 0, 16, NULL, "largest weight exponent m (compress --m)" },
    { "EF", "ef", DNN_P_INT, 7, 0, 24, NULL, "smallest weight exponent is -EF (compress --f)" },
    { "B", "b", DNN_P_INT, 16, 8, 32, NULL, "activation and state width (two's complement), "
                                            "F+3..32" },
    { "F", "fr", DNN_P_INT, 12, 5, 24, NULL, "fraction bits of x, h, c and the gates" },
    { "P", "p", DNN_P_INT, 2, 1, 64, NULL, "PEs (slices); unit j on PE j mod P, 1..min(H, 64)" },
    { "BATCH", "bt", DNN_P_INT, 2, 1, 64, NULL, "sequences a run" },
    { "STEPS", "st", DNN_P_INT, 3, 1, 256, NULL, "time steps a sequence" },
    { "TQ", "t", DNN_P_INT, 0, 0, 16777215, NULL,
      "clipped gating threshold round(T * 2^F), 0..2^F-1 (0: no clipping)" },
};

static const char *const ly_faults[] = { "round", "forget", "bcast", "sload", "early", NULL };

static void cfg_of(const dnn_design *d, gm_lstm_layer_cfg *c)
{
    c->in = (int)dnn_param(d, "I");
    c->hid = (int)dnn_param(d, "H");
    c->n = (int)dnn_param(d, "N");
    c->k = (int)dnn_param(d, "K");
    c->em = (int)dnn_param(d, "EM");
    c->ef = (int)dnn_param(d, "EF");
    c->b = (int)dnn_param(d, "B");
    c->f = (int)dnn_param(d, "F");
    c->p = (int)dnn_param(d, "P");
    c->batch = (int)dnn_param(d, "BATCH");
    c->steps = (int)dnn_param(d, "STEPS");
    c->tq = (int)dnn_param(d, "TQ");
}

static int ly_check(const dnn_design *d, char *err, size_t n)
{
    gm_lstm_layer_cfg c;
    char msg[512];
    cfg_of(d, &c);
    if (gm_lstm_layer_check(&c, msg, sizeof msg)) {
        snprintf(err, n, "lstm_layer: %s", msg);
        return DNN_EUSAGE;
    }
    return 0;
}

static int ly_sub(const dnn_design *d, dnn_design *sd)
{
    const dnn_block *p = dnn_block_find("lstm_pe");
    gm_lstm_layer_cfg c;
    gm_lstm_layer_dims m;
    cfg_of(d, &c);
    gm_lstm_layer_dims_of(&c, &m);
    dnn_design_defaults(sd, p);
    snprintf(sd->prefix, sizeof sd->prefix, "%s", d->prefix);
    sd->pv[dnn_param_index(p, "ROWS")] = m.pe.rows;
    sd->pv[dnn_param_index(p, "COLS")] = m.pe.cols;
    sd->pv[dnn_param_index(p, "N")] = m.pe.n;
    sd->pv[dnn_param_index(p, "K")] = m.pe.k;
    sd->pv[dnn_param_index(p, "EM")] = m.pe.em;
    sd->pv[dnn_param_index(p, "EF")] = m.pe.ef;
    sd->pv[dnn_param_index(p, "B")] = m.pe.b;
    sd->pv[dnn_param_index(p, "ACC")] = m.pe.acc;
    sd->pv[dnn_param_index(p, "DBUF")] = m.pe.dbuf;
    snprintf(sd->top, sizeof sd->top, "%.200s_pe", d->top);
    return 1;
}

static int maxi(int a, int b)
{
    return a > b ? a : b;
}

static int bits(int64_t n) /* at least 1 bit, enough for 0..n-1 */
{
    return n > 1 ? gm_clog2((uint64_t)n) : 1;
}

/* `name` (w bits) zero-extended or truncated to `to` bits */
static void fit(dnn_tvars *tv, const char *var, const char *name, int w, int to)
{
    if (w == to)
        tv_setf(tv, var, "%s", name);
    else if (w > to)
        tv_setf(tv, var, "%s[%d:0]", name, to - 1);
    else
        tv_setf(tv, var, "{{%d{1'b0}}, %s}", to - w, name);
}

static int ly_vars(const dnn_design *d, dnn_tvars *tv, char *err, size_t en)
{
    gm_lstm_layer_cfg c;
    gm_lstm_layer_dims m;
    int zw, pw, sw, xaw, hw, uw, paw, pdw, sbw, tw, vw, nvr;
    (void)err;
    (void)en;
    cfg_of(d, &c);
    gm_lstm_layer_dims_of(&c, &m);
    zw = c.b + 2;
    pw = 2 * c.b + 2;
    sw = m.acc + 2;
    nvr = m.nv * m.rows;
    xaw = gm_clog2((uint64_t)nvr + 1);
    hw = bits(c.hid);
    uw = bits(m.units);
    paw = m.ped.aw;
    pdw = m.ped.dw;
    sbw = bits(c.batch);
    tw = gm_clog2((uint64_t)c.steps + 1);
    vw = bits(m.nv);
    tv_setf(tv, "I", "%d", c.in);
    tv_setf(tv, "H", "%d", c.hid);
    tv_setf(tv, "P", "%d", c.p);
    tv_setf(tv, "U", "%d", m.units);
    tv_setf(tv, "ROWS", "%d", m.rows);
    tv_setf(tv, "COLS", "%d", m.pe.cols);
    tv_setf(tv, "B", "%d", c.b);
    tv_setf(tv, "F", "%d", c.f);
    tv_setf(tv, "EF", "%d", c.ef);
    tv_setf(tv, "ACC", "%d", m.acc);
    tv_setf(tv, "AW", "%d", m.aw);
    tv_setf(tv, "DW", "%d", m.dw);
    tv_setf(tv, "LW", "%d", m.lw);
    tv_setf(tv, "RW", "%d", m.rw);
    tv_setf(tv, "QW", "%d", m.qw);
    if (m.qw >= 2) {
        tv_setf(tv, "SADDR_H", "{ws[%d:0], 1'b0}", m.qw - 2);
        tv_setf(tv, "SADDR_C", "{ws[%d:0], 1'b1}", m.qw - 2);
    } else {
        tv_setf(tv, "SADDR_H", "1'b0");
        tv_setf(tv, "SADDR_C", "1'b1");
    }
    tv_setf(tv, "UW", "%d", uw);
    tv_setf(tv, "PAW", "%d", paw);
    tv_setf(tv, "PDW", "%d", pdw);
    tv_setf(tv, "NVR", "%d", nvr);
    tv_setf(tv, "XAW", "%d", xaw);
    tv_setf(tv, "BATCH", "%d", c.batch);
    tv_setf(tv, "STEPS", "%d", c.steps);
    tv_setf(tv, "SBW", "%d", sbw);
    tv_setf(tv, "TW", "%d", tw);
    tv_setf(tv, "HW", "%d", hw);
    tv_setf(tv, "VW", "%d", vw);
    tv_setf(tv, "C_ONE", "%d'd%lld", zw, 1LL << c.f);
    tv_setf(tv, "C_FIVE", "%d'd%lld", zw, 5LL << c.f);
    tv_setf(tv, "C_HALF", "%d'd%lld", zw, 1LL << (c.f - 1));
    tv_setf(tv, "C_S2", "%d'd%lld", zw, (5LL << c.f) >> 3);
    tv_setf(tv, "C_S3", "%d'd%lld", zw, (27LL << c.f) >> 5);
    tv_setf(tv, "B_ONE", "%d'd%lld", c.b, 1LL << c.f);
    tv_setf(tv, "B_TQ", "%d'd%d", c.b, c.tq);
    tv_setf(tv, "B_MAX", "{1'b0, {%d{1'b1}}}", c.b - 1);
    tv_setf(tv, "B_MIN", "{1'b1, {%d{1'b0}}}", c.b - 1);
    tv_setf(tv, "P_HALF", "%d'd%lld", pw, 1LL << (c.f - 1));
    tv_setf(tv, "S_HALF", "%d'd%lld", sw, c.ef > 0 ? 1LL << (c.ef - 1) : 0LL);
    tv_setf(tv, "H_ONE", "%d'd1", c.hid);
    tv_setf(tv, "I_AW", "%d'd%d", m.aw + 1, c.in);
    tv_setf(tv, "CW_PA", "%d'd%d", paw, m.cw);
    fit(tv, "BIDX_PA", "bidx", hw, paw);
    fit(tv, "WADDR_PA", "in_addr[LW-1:0]", m.lw, paw);
    fit(tv, "XADDR_PA", "in_addr", m.aw, paw);
    fit(tv, "BSEND_PD", "bsend", c.b, pdw);
    fit(tv, "XD_PD", "in_d[B-1:0]", c.b, pdw);
    fit(tv, "OROW_XA", "orow_q", m.rw, xaw);
    tv_setf(tv, "NVR_XA", "%d'd%d", xaw, nvr);
    tv_setf(tv, "ROWS_XA", "%d'd%d", xaw, m.rows);
    tv_setf(tv, "SROWS_XA", "%d'd%d", xaw, c.steps * m.rows);
    tv_setf(tv, "RLAST", "%d'd%d", m.rw, m.rows - 1);
    tv_setf(tv, "ULAST", "%d'd%d", uw, m.units - 1);
    tv_setf(tv, "NVLAST", "%d'd%d", vw, m.nv - 1);
    tv_setf(tv, "SLAST", "%d'd%d", sbw, c.batch - 1);
    tv_setf(tv, "TLAST", "%d'd%d", tw, c.steps - 1);
    tv_setf(tv, "HLAST", "%d'd%d", hw, c.hid - 1);
    if (m.rw > 2)
        tv_setf(tv, "OROW_U", "orow_q[%d:2]", m.rw - 1);
    else
        tv_setf(tv, "OROW_U", "1'b0");
    tv_flag(tv, "EF0", c.ef == 0);
    tv_flag(tv, "FAULT_ROUND", strcmp(d->fault, "round") == 0);
    tv_flag(tv, "FAULT_FORGET", strcmp(d->fault, "forget") == 0);
    tv_flag(tv, "FAULT_BCAST", strcmp(d->fault, "bcast") == 0);
    tv_flag(tv, "FAULT_SLOAD", strcmp(d->fault, "sload") == 0);
    tv_flag(tv, "FAULT_EARLY", strcmp(d->fault, "early") == 0);
    (void)maxi;
    return 0;
}

const dnn_block dnn_block_lstm_layer = {
    "lstm_layer",
    "E-LSTM layer: P lstm_pe slices, W x_t of a whole batch first, then the recurrent steps; "
    "PLAN gates, clipped gating, c and h in fixed point",
    ly_params,
    (int)(sizeof ly_params / sizeof ly_params[0]),
    ly_faults,
    "double-buffered PEs: one record per cycle while every PE's load bank is free (weight "
    "records: while no PE computes); each x vector is broadcast to the P PEs while the "
    "previous one computes (rows cost max(1, a_r) issue cycles); after BATCH*STEPS vectors "
    "phase 2 broadcasts the non-zero h_(t-1) of vector (s, t) as soon as (s, t-1) is complete "
    "(at most BATCH vectors in flight); a slice holds its PE's next output until every slice "
    "completes the vector; H output records a vector (exact model: "
    "golden/gm_lstm_layer_gen.c)",
    "docs/lstm.md",
    ly_check,
    ly_vars,
    "lstm_layer.v",
    ly_sub,
    NULL,
};
