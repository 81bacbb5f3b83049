/*
 * lstm_pe.c -- descriptor of the E-LSTM processing element: a ROWS x COLS compressed
 * matrix (the packed words of `dnngen compress`, written through the input stream) times
 * a vector of activations, one shift-and-sign accumulate per kept weight that meets a
 * non-zero activation. The legal ranges are the golden model's (gm_lstm_pe_check), so the
 * generator and the models cannot disagree on what a legal PE is.
 * Values: golden/gm_lstm_pe.c; cycle model: golden/gm_lstm_pe_gen.c; doc: docs/lstm_pe.md.
 */
#include <stdio.h>
#include <string.h>

#include "block.h"
#include "gm_lstm_pe.h"

static const dnn_pdesc lstm_pe_params[] = {
    { "ROWS", "r", DNN_P_INT, 8, 1, 1024, NULL, "matrix rows the PE holds (outputs per vector)" },
    { "COLS", "c", DNN_P_INT, 64, 1, 4096, NULL, "matrix columns (activations per vector)" },
    { "N", "n", DNN_P_INT, 16, 2, 256, NULL, "group size n of the (n,k) pruning, a power of two" },
    { "K", "k", DNN_P_INT, 2, 1, 256, NULL, "weights kept per group, 1..N" },
    { "EM", "m", DNN_P_INT, 0, 0, 16, NULL, "largest weight exponent m (weights +-2^e, e in "
                                            "[-EF, EM]; compress --m)" },
    { "EF", "f", DNN_P_INT, 7, 0, 24, NULL, "smallest weight exponent is -EF (compress --f); "
                                            "outputs carry EF more fraction bits than x" },
    { "B", "b", DNN_P_INT, 16, 2, 32, NULL, "activation width, two's complement" },
    { "ACC", "acc", DNN_P_INT, 32, 4, 64, NULL,
      "accumulator and output width, at least B+EM+EF+1+clog2(KPR) (exact sums)" },
    { "DBUF", "db", DNN_P_BOOL, 0, 0, 1, NULL,
      "double-buffered activations: the next vector loads while one computes" },
};

static const char *const lstm_pe_faults[] = { "sign", "skip", NULL };

static void cfg_of(const dnn_design *d, gm_lstm_pe_cfg *c)
{
    c->rows = (int)dnn_param(d, "ROWS");
    c->cols = (int)dnn_param(d, "COLS");
    c->n = (int)dnn_param(d, "N");
    c->k = (int)dnn_param(d, "K");
    c->em = (int)dnn_param(d, "EM");
    c->ef = (int)dnn_param(d, "EF");
    c->b = (int)dnn_param(d, "B");
    c->acc = (int)dnn_param(d, "ACC");
    c->dbuf = (int)dnn_param(d, "DBUF");
}

static int lstm_pe_check(const dnn_design *d, char *err, size_t n)
{
    gm_lstm_pe_cfg c;
    char msg[512];
    cfg_of(d, &c);
    if (gm_lstm_pe_check(&c, msg, sizeof msg)) {
        snprintf(err, n, "lstm_pe: %s", msg);
        return DNN_EUSAGE;
    }
    return 0;
}

static int maxi(int a, int b)
{
    return a > b ? a : b;
}

static int lstm_pe_vars(const dnn_design *d, dnn_tvars *tv, char *err, size_t en)
{
    gm_lstm_pe_cfg c;
    gm_lstm_pe_dims m;
    int rw, gw;
    (void)err;
    (void)en;
    cfg_of(d, &c);
    gm_lstm_pe_dims_of(&c, &m);
    rw = maxi(1, gm_clog2((uint64_t)c.rows));
    gw = gm_clog2((uint64_t)m.ngroups);
    tv_setf(tv, "ROWS", "%d", c.rows);
    tv_setf(tv, "COLS", "%d", c.cols);
    tv_setf(tv, "N", "%d", c.n);
    tv_setf(tv, "K", "%d", c.k);
    tv_setf(tv, "KPR", "%d", m.kpr);
    tv_setf(tv, "NG", "%d", m.ngroups);
    tv_setf(tv, "IW", "%d", m.iw);
    tv_setf(tv, "EW", "%d", m.ew);
    tv_setf(tv, "WW", "%d", m.ww);
    tv_setf(tv, "B", "%d", c.b);
    tv_setf(tv, "ACC", "%d", c.acc);
    tv_setf(tv, "AW", "%d", m.aw);
    tv_setf(tv, "DW", "%d", m.dw);
    tv_setf(tv, "RW", "%d", rw);
    tv_setf(tv, "GW", "%d", maxi(1, gw));
    tv_setf(tv, "XW", "%d", gw + m.iw);
    tv_setf(tv, "RLAST", "%d'd%d", rw, c.rows - 1);
    tv_setf(tv, "KONE", "%d'd1", m.kpr);
    tv_setf(tv, "ACC_ONE", "%d'd1", c.acc);
    tv_setf(tv, "SEXT", "{{%d{s1x_q[%d]}}, s1x_q}", c.acc - c.b, c.b - 1);
    tv_flag(tv, "NG1", m.ngroups == 1);
    tv_flag(tv, "KPR1", m.kpr == 1);
    tv_flag(tv, "DBUF", c.dbuf != 0);
    tv_flag(tv, "FAULT_SIGN", strcmp(d->fault, "sign") == 0);
    tv_flag(tv, "FAULT_SKIP", strcmp(d->fault, "skip") == 0);
    return 0;
}

const dnn_block dnn_block_lstm_pe = {
    "lstm_pe",
    "E-LSTM PE: compressed (n,k) matrix x activations, shift-and-sign, zero activations skipped",
    lstm_pe_params,
    (int)(sizeof lstm_pe_params / sizeof lstm_pe_params[0]),
    lstm_pe_faults,
    "one input record per cycle while not computing (only non-zero activations need a "
    "record); the activation with in_last starts the vector: row r takes max(1, a_r) issue "
    "cycles back to back (a_r: its kept weights whose activation is non-zero), y[r] valid 2 "
    "edges after its last issue; a full output register holds the pipeline; records are "
    "accepted again from the edge after the last row's last issue; DBUF=1: activation "
    "records are accepted while a vector computes, a complete one waits and starts in the "
    "edge of the last issue, weight writes wait for no vector computing (exact model: "
    "golden/gm_lstm_pe_gen.c)",
    "docs/lstm_pe.md",
    lstm_pe_check,
    lstm_pe_vars,
    "lstm_pe.v",
    NULL,
    NULL,
};
