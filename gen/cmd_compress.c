/*
 * cmd_compress.c -- `dnngen compress`: E-LSTM compression of float LSTM weights ((n,k)
 * top-k pruning, LogQ codes) into the packed weight memories ($readmemh) an LSTM PE loads,
 * plus a report. Rules and formats: docs/compress.md; the math: golden/gm_lstm.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "gm_lstm.h"
#include "gm_lstm_layer.h"
#include "gm_silero.h"

static const char compress_help[] =
    "usage: dnngen compress (MODEL.json | MODEL.onnx | --random I,H) [--seed S] [--n N] [--k K] [--m M]\n"
    "                       [--f F] [--B B --F F --T T --eval STEPS] [--layer P] -o DIR\n"
    "  Compresses an LSTM's float weights (docs/compress.md: W 4H x I, U 4H x H, b 4H, gates\n"
    "  i, f, g, o): in every group of N consecutive weights of a row the K largest\n"
    "  magnitudes are kept (default (16,2)) and coded as sign * 2^e, e in [-F, M] (default\n"
    "  [-7, 0]: 3 exponent bits), the nearest power of two in the linear domain. Writes\n"
    "  DIR/W.hex and DIR/U.hex (one packed word {index, sign, e+F} per kept weight, rows in\n"
    "  order, $readmemh format) and DIR/report.txt, and prints the report. --eval runs the\n"
    "  fixed-point LSTM (B-bit activations with F fraction bits, default 16/12; sigmoid\n"
    "  gates at or below T clipped to 0) and the float one on STEPS random inputs and\n"
    "  reports the differences of h. MODEL.onnx: the LSTM of a Silero VAD v5 model\n"
    "  (silero_vad_v5.onnx, 128 -> 128; docs/models.md). --layer P also writes the memory\n"
    "  images of an lstm_layer with P PEs (docs/lstm.md \"Weight memory\"): DIR/layer_w.hex\n"
    "  (PE p's word a on line p*ROWS*KPR + a: the in_op 1 records) and DIR/layer_b.hex (the\n"
    "  biases, ACC-bit two's complement with F + f fraction bits, B/F from --B/--F).\n";

static int int_opt(const char *name, const char *v, int lo, int hi, int *out)
{
    char *end;
    long x = strtol(v, &end, 10);
    if (end == v || *end || x < lo || x > hi)
        return dnn_fail(DNN_EUSAGE, "compress: bad value '%.60s' for %s (legal: %d..%d)", v,
                        name, lo, hi);
    *out = (int)x;
    return 0;
}

static void hex_image(sbuf *b, const gm_lstm_comp *c, const gm_lstm_mat *a, const char *name)
{
    int r, j, digits = (c->code_bits + 3) / 4;
    sb_printf(b, "// %s: %d rows x %d kept weights per row, %d-bit words {index[%d], sign, "
                 "e+%d[%d]}\n",
              name, a->rows, a->kept_per_row, c->code_bits, c->iwidth, c->c.f, c->ewidth);
    for (r = 0; r < a->rows; r++)
        for (j = 0; j < a->kept_per_row; j++)
            sb_printf(b, "%0*llx\n", digits, (unsigned long long)gm_lstm_word(c, a, r, j));
}

/* The lstm_layer images (P PEs; docs/lstm.md "Weight memory"): words and biases. The
 * header line names the layer parameters the images belong to (verify's silero: profile
 * checks them). -1: no memory. */
static int layer_images(const gm_lstm_float *m, const gm_lstm_comp *z, const gm_lstm_fx *q,
                        int lp, sbuf *lw, sbuf *lb)
{
    gm_lstm_layer_cfg lc;
    gm_lstm_layer_dims d;
    uint64_t *words, *bias;
    int64_t *bq;
    int j, nwords;
    char hdr[300];
    memset(&lc, 0, sizeof lc);
    lc.in = m->in;
    lc.hid = m->hid;
    lc.n = z->c.n;
    lc.k = z->c.k;
    lc.em = z->c.m;
    lc.ef = z->c.f;
    lc.b = q->b;
    lc.f = q->f;
    lc.p = lp;
    lc.batch = lc.steps = 1;
    gm_lstm_layer_dims_of(&lc, &d);
    nwords = d.rows * d.ped.kpr;
    words = malloc((size_t)lp * (size_t)nwords * sizeof *words);
    bias = malloc((size_t)lp * (size_t)d.rows * sizeof *bias);
    bq = malloc(4u * (size_t)m->hid * sizeof *bq);
    if (!words || !bias || !bq) {
        free(words);
        free(bias);
        free(bq);
        return -1;
    }
    for (j = 0; j < 4 * m->hid; j++)
        bq[j] = gm_lstm_bias_q(z, m, q, j);
    if (gm_lstm_layer_image(&lc, z, bq, words, bias)) { /* cannot happen: same config */
        free(words);
        free(bias);
        free(bq);
        return -1;
    }
    snprintf(hdr, sizeof hdr, "lstm_layer I=%d H=%d N=%d K=%d EM=%d EF=%d B=%d F=%d P=%d "
                              "ROWS=%d KPR=%d ACC=%d WW=%d",
             lc.in, lc.hid, lc.n, lc.k, lc.em, lc.ef, lc.b, lc.f, lp, d.rows, d.ped.kpr, d.acc,
             d.ped.ww);
    sb_printf(lw, "// %s: weight words, PE p word a on line p*ROWS*KPR + a (in_op 1, "
                  "in_addr = p << LW | a)\n", hdr);
    for (j = 0; j < lp * nwords; j++)
        sb_printf(lw, "%0*llx\n", (d.ped.ww + 3) / 4, (unsigned long long)words[j]);
    sb_printf(lb, "// %s: biases, PE p row r on line p*ROWS + r (in_op 2), F+EF fraction "
                  "bits\n", hdr);
    for (j = 0; j < lp * d.rows; j++)
        sb_printf(lb, "%0*llx\n", (d.acc + 3) / 4, (unsigned long long)bias[j]);
    free(words);
    free(bias);
    free(bq);
    return 0;
}

/* Relative RMS error of the kept weights after LogQ, and of the whole matrix. */
static void errors(const double *src, const gm_lstm_mat *a, double *kept_rel, double *all_rel)
{
    double ek = 0, sk = 0, ea = 0, sa = 0;
    int r, col;
    for (r = 0; r < a->rows; r++)
        for (col = 0; col < a->cols; col++) {
            double w = src[(size_t)r * (size_t)a->cols + (size_t)col];
            double q = gm_lstm_deq(a, r, col);
            ea += (w - q) * (w - q);
            sa += w * w;
            if (q != 0) {
                ek += (w - q) * (w - q);
                sk += w * w;
            }
        }
    *kept_rel = sk > 0 ? sqrt(ek / sk) : 0;
    *all_rel = sa > 0 ? sqrt(ea / sa) : 0;
}

/* Run the fixed-point model, the float model with the compressed weights and the float
 * model with the original weights on the same random input sequence (x uniform in +-1);
 * append the differences of h to the report. Returns -1 if the fixed point cannot run. */
static int evaluate(const gm_lstm_float *m, const gm_lstm_comp *z, const gm_lstm_fx *q,
                    int steps, uint64_t seed, sbuf *rep)
{
    int I = m->in, H = m->hid, t, j, rc = 0;
    int64_t *xq = calloc((size_t)I, sizeof *xq), *hq = calloc((size_t)H, sizeof *hq);
    int64_t *cq = calloc((size_t)H, sizeof *cq);
    double *x = calloc((size_t)I, sizeof *x), *hr = calloc((size_t)H, sizeof *hr);
    double *cr = calloc((size_t)H, sizeof *cr), *hc = calloc((size_t)H, sizeof *hc);
    double *cc = calloc((size_t)H, sizeof *cc);
    double e_fx = 0, e_cmp = 0, e_q = 0, s_ref = 0;
    long zeros = 0;
    gm_rng r;
    if (!xq || !hq || !cq || !x || !hr || !cr || !hc || !cc) {
        rc = -1;
        goto out;
    }
    gm_rng_seed(&r, seed ^ UINT64_C(0x9e3779b97f4a7c15));
    for (t = 0; t < steps; t++) {
        int zr;
        for (j = 0; j < I; j++) {
            x[j] = 2.0 * (double)(gm_rng_next(&r) >> 11) / 9007199254740992.0 - 1.0;
            xq[j] = gm_lstm_quant(q, x[j]);
        }
        zr = gm_lstm_fx_step(z, m, q, xq, hq, cq);
        if (zr < 0) {
            rc = -1;
            goto out;
        }
        zeros += zr;
        gm_lstm_float_step(m, NULL, x, hr, cr);
        gm_lstm_float_step(m, z, x, hc, cc);
        for (j = 0; j < H; j++) {
            double hf = ldexp((double)hq[j], -q->f);
            e_fx += (hf - hr[j]) * (hf - hr[j]);
            e_cmp += (hc[j] - hr[j]) * (hc[j] - hr[j]);
            e_q += (hf - hc[j]) * (hf - hc[j]);
            s_ref += hr[j] * hr[j];
        }
    }
    sb_printf(rep, "evaluation: %d steps of random inputs in +-1, B=%d F=%d T=%g (fixed point: "
                   "docs/lstm.md)\n",
              steps, q->b, q->f, q->t);
    sb_printf(rep, "  h RMS, float reference     %.5f\n", sqrt(s_ref / ((double)steps * H)));
    sb_printf(rep, "  h RMS error, compressed float vs reference   %.5f\n",
              sqrt(e_cmp / ((double)steps * H)));
    sb_printf(rep, "  h RMS error, fixed point vs compressed float %.5f\n",
              sqrt(e_q / ((double)steps * H)));
    sb_printf(rep, "  h RMS error, fixed point vs reference        %.5f\n",
              sqrt(e_fx / ((double)steps * H)));
    sb_printf(rep, "  h exactly zero (fixed point)                 %.2f%%\n",
              100.0 * (double)zeros / ((double)steps * H));
out:
    free(xq);
    free(hq);
    free(cq);
    free(x);
    free(hr);
    free(cr);
    free(hc);
    free(cc);
    return rc;
}

int cmd_compress(int argc, char **argv)
{
    const char *model = NULL, *rnd = NULL, *out = NULL, *ts = NULL;
    gm_lstm_fx q = { 16, 12, 0.0 };
    int steps = 0, lp = 0;
    char err[DNN_ERRLEN];
    gm_lstm_cfg c = { 16, 2, 0, 7 };
    gm_lstm_float m;
    gm_lstm_comp z;
    int64_t seed = 1;
    int i, rc;
    memset(&m, 0, sizeof m);
    memset(&z, 0, sizeof z);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(compress_help, stdout);
            return 0;
        }
        if (a[0] != '-') {
            if (model)
                return dnn_fail(DNN_EUSAGE, "compress: more than one MODEL (legal: one file or "
                                            "--random I,H)");
            model = a;
            continue;
        }
        if (!v)
            return dnn_fail(DNN_EUSAGE, "compress: option %.60s needs a value (legal: --random, "
                                        "--seed, --n, --k, --m, --f, -o)",
                            a);
        if (strcmp(a, "--random") == 0)
            rnd = v;
        else if (strcmp(a, "-o") == 0)
            out = v;
        else if (strcmp(a, "--seed") == 0) {
            if (dnn_parse_count("--seed", v, INT64_MAX, &seed))
                return DNN_EUSAGE;
        } else if (strcmp(a, "--T") == 0) {
            ts = v;
        } else if ((strcmp(a, "--B") == 0 && int_opt("--B", v, 2, 64, &q.b)) ||
                   (strcmp(a, "--F") == 0 && int_opt("--F", v, 0, 64, &q.f)) ||
                   (strcmp(a, "--eval") == 0 && int_opt("--eval", v, 0, 100000, &steps)) ||
                   (strcmp(a, "--layer") == 0 && int_opt("--layer", v, 1, 64, &lp))) {
            return DNN_EUSAGE;
        } else if ((strcmp(a, "--n") == 0 && int_opt("--n", v, 1, 256, &c.n)) ||
                   (strcmp(a, "--k") == 0 && int_opt("--k", v, 1, 256, &c.k)) ||
                   (strcmp(a, "--m") == 0 && int_opt("--m", v, -30, 30, &c.m)) ||
                   (strcmp(a, "--f") == 0 && int_opt("--f", v, -30, 30, &c.f)))
            return DNN_EUSAGE;
        else if (strcmp(a, "--n") && strcmp(a, "--k") && strcmp(a, "--m") && strcmp(a, "--f") &&
                 strcmp(a, "--B") && strcmp(a, "--F") && strcmp(a, "--eval") &&
                 strcmp(a, "--layer"))
            return dnn_fail(DNN_EUSAGE, "compress: unknown option '%.60s' (legal: --random, "
                                        "--seed, --n, --k, --m, --f, --B, --F, --T, --eval, "
                                        "--layer, -o)",
                            a);
        i++;
    }
    if (!out || (!model == !rnd))
        return dnn_fail(DNN_EUSAGE, "compress: missing %s (legal: MODEL.json or --random I,H, "
                                    "and -o DIR)",
                        !out ? "-o DIR" : "the model");
    if (ts) {
        char *end;
        q.t = strtod(ts, &end);
        if (end == ts || *end)
            q.t = -1;
    }
    if (gm_lstm_cfg_check(&c, err, sizeof err) || gm_lstm_fx_check(&q, err, sizeof err))
        return dnn_fail(DNN_EUSAGE, "compress: %s", err);
    if (rnd) {
        int in, hid;
        char tail;
        if (sscanf(rnd, "%d,%d%c", &in, &hid, &tail) != 2)
            return dnn_fail(DNN_EUSAGE, "compress: bad --random '%.60s' (legal: I,H integers "
                                        "1..%d)",
                            rnd, GM_LSTM_MAX_DIM);
        if (gm_lstm_random(&m, in, hid, (uint64_t)seed, err, sizeof err))
            return dnn_fail(DNN_EUSAGE, "compress: %s", err);
    } else if (strlen(model) > 5 && strcmp(model + strlen(model) - 5, ".onnx") == 0) {
        if (gm_silero_lstm_load(&m, model, err, sizeof err))
            return dnn_fail(DNN_EUSAGE, "compress: %s", err);
    } else {
        char *text;
        size_t len;
        if (dnn_read_file(model, (size_t)1 << 30, &text, &len, err, sizeof err))
            return dnn_fail(DNN_EUSAGE, "compress: %s", err);
        rc = gm_lstm_parse(&m, text, len, err, sizeof err);
        free(text);
        if (rc)
            return dnn_fail(DNN_EUSAGE, "compress: %s: %s", model, err);
    }
    if (lp) { /* the layer must exist before anything is computed or written */
        gm_lstm_layer_cfg lc;
        char le[400];
        memset(&lc, 0, sizeof lc);
        lc.in = m.in;
        lc.hid = m.hid;
        lc.n = c.n;
        lc.k = c.k;
        lc.em = c.m;
        lc.ef = c.f;
        lc.b = q.b;
        lc.f = q.f;
        lc.p = lp;
        lc.batch = lc.steps = 1;
        if (gm_lstm_layer_check(&lc, le, sizeof le)) {
            gm_lstm_float_free(&m);
            return dnn_fail(DNN_EUSAGE, "compress: --layer %d: %s", lp, le);
        }
    }
    if (gm_lstm_compress(&m, &c, &z, err, sizeof err)) {
        gm_lstm_float_free(&m);
        return dnn_fail(DNN_ETOOL, "compress: %s", err);
    }
    {
        sbuf wb, ub, rep, lw, lb;
        outfile f[5];
        int nf = 3;
        double dense = 4.0 * m.hid * (double)(m.in + m.hid);
        double kept = (double)z.w.rows * z.w.kept_per_row + (double)z.u.rows * z.u.kept_per_row;
        double bits = kept * z.code_bits, bpw = bits / dense, ekw, eaw, eku, eau;
        sb_init(&wb);
        sb_init(&ub);
        sb_init(&rep);
        sb_init(&lw);
        sb_init(&lb);
        if (lp && layer_images(&m, &z, &q, lp, &lw, &lb)) {
            rc = dnn_fail(DNN_ETOOL, "compress: --layer: out of memory");
            goto free_bufs;
        }
        hex_image(&wb, &z, &z.w, "W");
        hex_image(&ub, &z, &z.u, "U");
        errors(m.w, &z.w, &ekw, &eaw);
        errors(m.u, &z.u, &eku, &eau);
        sb_printf(&rep, "E-LSTM compression: input %d, hidden %d, (n,k) = (%d,%d), LogQ e in "
                        "[-%d, %d]\n",
                  m.in, m.hid, c.n, c.k, c.f, c.m);
        sb_printf(&rep, "  weights (W and U)         %.0f\n", dense);
        sb_printf(&rep, "  kept (non-zero)           %.0f (%.2f%%)\n", kept, 100.0 * kept / dense);
        sb_printf(&rep, "  code per kept weight      %d bits (index %d, sign 1, exponent %d)\n",
                  z.code_bits, z.iwidth, z.ewidth);
        sb_printf(&rep, "  bits per weight           %.4f\n", bpw);
        sb_printf(&rep, "  compression vs fp32       %.2fx\n", 32.0 / bpw);
        sb_printf(&rep, "  operation reduction       %.2fx (dense MACs per step / kept)\n",
                  dense / kept);
        sb_printf(&rep, "  LogQ error, kept weights  W %.4f, U %.4f (relative RMS)\n", ekw, eku);
        sb_printf(&rep, "  error, whole matrices     W %.4f, U %.4f (relative RMS, pruning "
                        "included)\n",
                  eaw, eau);
        if (steps > 0 && evaluate(&m, &z, &q, steps, (uint64_t)seed, &rep)) {
            rc = dnn_fail(DNN_EUSAGE, "compress: B=%d with exponents up to %d+%d does not fit "
                                        "the 64-bit accumulator (legal: B + m + f + log2(I+H+1) "
                                        "+ 1 <= 62)",
                            q.b, c.m, c.f);
            goto free_bufs;
        }
        f[0].name = "W.hex";
        f[0].data = wb.s;
        f[0].len = wb.len;
        f[1].name = "U.hex";
        f[1].data = ub.s;
        f[1].len = ub.len;
        f[2].name = "report.txt";
        f[2].data = rep.s;
        f[2].len = rep.len;
        if (lp) {
            f[3].name = "layer_w.hex";
            f[3].data = lw.s;
            f[3].len = lw.len;
            f[4].name = "layer_b.hex";
            f[4].data = lb.s;
            f[4].len = lb.len;
            nf = 5;
        }
        rc = 0;
        if (dnn_write_files(out, f, nf, err, sizeof err))
            rc = dnn_fail(DNN_EUSAGE, "compress: cannot write '%.200s': %s", out, err);
        else
            fputs(rep.s, stdout);
    free_bufs:
        sb_free(&wb);
        sb_free(&ub);
        sb_free(&rep);
        sb_free(&lw);
        sb_free(&lb);
    }
    gm_lstm_comp_free(&z);
    gm_lstm_float_free(&m);
    return rc;
}
