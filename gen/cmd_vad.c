/*
 * cmd_vad.c -- `dnngen onnx-info MODEL.onnx` (print an ONNX graph: nodes, attributes,
 * initializers, subgraphs) and `dnngen vad WAV` (Silero VAD v5 speech probabilities per
 * 512-sample frame and the speech segments, from the float golden model gm_silero).
 * Bad input is one line on stderr and exit 2; nothing is printed before everything is read.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "gm_onnx.h"
#include "gm_silero.h"

static const char onnx_info_help[] =
    "usage: dnngen onnx-info MODEL.onnx\n"
    "  Print an ONNX model's graph: opset, producer, every node (op type, inputs, outputs,\n"
    "  attributes), initializers with their shapes, and the subgraphs of If/Loop nodes\n"
    "  indented below their node. Example (docs/models.md):\n"
    "    dnngen onnx-info \"$(scripts/fetch_models.sh @ricky0123/vad-web)\"\n";

int cmd_onnx_info(int argc, char **argv)
{
    gm_onnx_model m;
    char err[DNN_ERRLEN];
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(onnx_info_help, stdout);
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-')
        return dnn_fail(DNN_EUSAGE, "onnx-info: missing model (legal: dnngen onnx-info "
                                    "MODEL.onnx)");
    if (gm_onnx_load(&m, argv[1], err, sizeof err))
        return dnn_fail(DNN_EUSAGE, "onnx-info: %s", err);
    printf("model %s: ir_version %lld, opset %lld, producer '%s'\n", argv[1],
           (long long)m.ir_version, (long long)m.opset, m.producer);
    gm_onnx_dump(m.graph, 0, stdout);
    gm_onnx_free(&m);
    return 0;
}

static const char vad_help[] =
    "usage: dnngen vad WAV --model silero_vad_v5.onnx [--threshold T]\n"
    "  Silero VAD v5 (16 kHz branch, float golden model golden/gm_silero.h) over a 16 kHz\n"
    "  mono 16-bit PCM WAV: one line per 512-sample frame 'frame K START_S P' (P = speech\n"
    "  probability), then the speech segments 'segment START_S END_S' (start at P >= T,\n"
    "  default 0.5; end after >= 100 ms below T - 0.15; segments under 250 ms dropped) and a\n"
    "  summary line. The model: scripts/fetch_models.sh @ricky0123/vad-web (docs/models.md).\n"
    "  --n N --k K [--m M --f F --B B --F F --T T]: also run the LSTM compressed by dnngen\n"
    "  compress ((n,k) top-k pruning, LogQ e in [-f, m], default [-7, 2]) as the golden\n"
    "  fixed-point LSTM (B-bit states with F fraction bits, default 20/10; gates <= T clipped)\n"
    "  in place of the float one (same encoder, same decoder); prints its probability and\n"
    "  segments and compares them with float: mean and max |p - p_float|, frames whose\n"
    "  decision differs, frames whose segment label (speech or not) agrees, and the LSTM's\n"
    "  operations per frame: dense MACs, kept weights, and the shift-adds the E-LSTM PEs\n"
    "  perform (kept weights whose x or h_(t-1) is non-zero: pruning, zero inputs and\n"
    "  clipped gating). --dump DIR (with --n --k) writes DIR/x.hex, h.hex, c.hex: the\n"
    "  quantized encoder output and the golden h_t, c_t of every frame (B-bit two's\n"
    "  complement, one value a line, frame after frame), the input of dnngen verify\n"
    "  lstm_layer --profile silero:DIR (docs/models.md).\n";

/* Shift-adds a step performs with the E-LSTM PE's zero skipping: kept weights of the
 * matrix whose activation (x for W, h_(t-1) for U) is non-zero. */
static int64_t pe_ops(const gm_lstm_mat *a, const int64_t *v)
{
    int64_t ops = 0;
    for (int r = 0; r < a->rows; r++)
        for (int j = 0; j < a->kept_per_row; j++) {
            int col = (j / a->k) * a->n + a->idx[(size_t)r * (size_t)a->kept_per_row + (size_t)j];
            ops += col < a->cols && v[col] != 0;
        }
    return ops;
}

/* Per frame: 1 when the frame starts inside one of the segments. */
static void seg_labels(const int64_t *seg, size_t nseg, size_t nf, unsigned char *lab)
{
    memset(lab, 0, nf);
    for (size_t k = 0; k < nseg && k < 100000; k++)
        for (int64_t t = seg[2 * k] / GM_SILERO_FRAME;
             t < (seg[2 * k + 1] + GM_SILERO_FRAME - 1) / GM_SILERO_FRAME && t < (int64_t)nf; t++)
            lab[t] = 1;
}

#define VAD_MAX_WAV ((size_t)1 << 30)
#define VAD_MAX_SEG 100000

static int vad_int(const char *name, const char *v, int lo, int hi, int *out)
{
    char *end;
    long x = strtol(v, &end, 10);
    if (end == v || *end || x < lo || x > hi)
        return dnn_fail(DNN_EUSAGE, "vad: bad value '%.40s' for %s (legal: %d..%d)", v, name, lo,
                        hi);
    *out = (int)x;
    return 0;
}

int cmd_vad(int argc, char **argv)
{
    const char *wav = NULL, *model = NULL, *thr_s = NULL, *dump = NULL;
    sbuf dx, dh, dc;
    double ops_done = 0;
    char err[DNN_ERRLEN], *buf = NULL, *end;
    size_t len, ns, nf, nseg;
    float *x = NULL, *p = NULL, thr = 0.5f;
    int64_t *seg = NULL;
    gm_onnx_model m;
    gm_silero s;
    gm_silero_state st;
    int rc = 0, comp = 0;
    double speech = 0;
    gm_lstm_cfg cfg = { 0, 0, 2, 7 };
    gm_lstm_fx q = { 20, 10, 0.0 };
    gm_lstm_float lf;
    gm_lstm_comp z;
    float *pc = NULL;
    int64_t *hq = NULL, *cq = NULL, *xq = NULL;
    unsigned char *lab = NULL, *labc = NULL;
    memset(&lf, 0, sizeof lf);
    memset(&z, 0, sizeof z);
    memset(&s, 0, sizeof s);
    sb_init(&dx);
    sb_init(&dh);
    sb_init(&dc);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(vad_help, stdout);
            return 0;
        } else if (strcmp(argv[i], "--model") == 0 && i + 1 < argc) {
            model = argv[++i];
        } else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc) {
            dump = argv[++i];
        } else if (strcmp(argv[i], "--threshold") == 0 && i + 1 < argc) {
            thr_s = argv[++i];
        } else if (i + 1 < argc && (strcmp(argv[i], "--n") == 0 || strcmp(argv[i], "--k") == 0)) {
            if (vad_int(argv[i], argv[i + 1], 1, 256, argv[i][2] == 'n' ? &cfg.n : &cfg.k))
                return DNN_EUSAGE;
            comp = 1;
            i++;
        } else if (i + 1 < argc && (strcmp(argv[i], "--m") == 0 || strcmp(argv[i], "--f") == 0)) {
            if (vad_int(argv[i], argv[i + 1], -30, 30, argv[i][2] == 'm' ? &cfg.m : &cfg.f))
                return DNN_EUSAGE;
            i++;
        } else if (i + 1 < argc && (strcmp(argv[i], "--B") == 0 || strcmp(argv[i], "--F") == 0)) {
            if (vad_int(argv[i], argv[i + 1], 0, 64, argv[i][2] == 'B' ? &q.b : &q.f))
                return DNN_EUSAGE;
            i++;
        } else if (strcmp(argv[i], "--T") == 0 && i + 1 < argc) {
            q.t = strtod(argv[++i], &end);
            if (end == argv[i] || *end)
                q.t = -1;
        } else if (argv[i][0] == '-') {
            return dnn_fail(DNN_EUSAGE, "vad: unknown option '%.60s' (legal: --model FILE, "
                                        "--threshold T, --n, --k, --m, --f, --B, --F, --T, "
                                        "--dump DIR)",
                            argv[i]);
        } else if (!wav) {
            wav = argv[i];
        } else {
            return dnn_fail(DNN_EUSAGE, "vad: more than one WAV (legal: dnngen vad WAV --model "
                                        "FILE)");
        }
    }
    if (!wav || !model)
        return dnn_fail(DNN_EUSAGE, "vad: missing %s (legal: dnngen vad WAV --model "
                                    "silero_vad_v5.onnx)",
                        wav ? "--model" : "WAV");
    if (thr_s) {
        double v = strtod(thr_s, &end);
        if (end == thr_s || *end || !(v > 0.15 && v < 1.0))
            return dnn_fail(DNN_EUSAGE, "vad: --threshold '%.40s' (legal: a number in (0.15, 1))",
                            thr_s);
        thr = (float)v;
    }
    if (dump && !comp)
        return dnn_fail(DNN_EUSAGE, "vad: --dump needs the compressed LSTM (legal: --n N --k K "
                                    "--dump DIR)");
    if (comp && (cfg.n == 0 || cfg.k == 0))
        return dnn_fail(DNN_EUSAGE, "vad: --n and --k go together (legal: --n N --k K, "
                                    "1 <= K <= N <= 256)");
    if (comp && (gm_lstm_cfg_check(&cfg, err, sizeof err) || gm_lstm_fx_check(&q, err, sizeof err)))
        return dnn_fail(DNN_EUSAGE, "vad: %s", err);
    if (comp && q.b + cfg.m + cfg.f + 10 > 62)
        return dnn_fail(DNN_EUSAGE, "vad: B=%d with exponents up to %d+%d does not fit the "
                                    "64-bit accumulator (legal: B + m + f <= 52)",
                        q.b, cfg.m, cfg.f);
    if (dnn_read_file(wav, VAD_MAX_WAV, &buf, &len, err, sizeof err))
        return dnn_fail(DNN_EUSAGE, "vad: %s", err);
    if (gm_wav_parse((const uint8_t *)buf, len, &x, &ns, err, sizeof err)) {
        free(buf);
        return dnn_fail(DNN_EUSAGE, "vad: %.200s: %s", wav, err);
    }
    free(buf);
    if (gm_onnx_load(&m, model, err, sizeof err)) {
        free(x);
        return dnn_fail(DNN_EUSAGE, "vad: %s", err);
    }
    rc = gm_silero_from_onnx(&s, &m, err, sizeof err);
    gm_onnx_free(&m);
    if (rc) {
        free(x);
        return dnn_fail(DNN_EUSAGE, "vad: %s", err);
    }
    nf = (ns + GM_SILERO_FRAME - 1) / GM_SILERO_FRAME;
    p = malloc((nf ? nf : 1) * sizeof *p);
    pc = malloc((nf ? nf : 1) * sizeof *pc);
    lab = malloc(nf ? nf : 1);
    labc = malloc(nf ? nf : 1);
    hq = calloc(GM_SILERO_HID, sizeof *hq);
    cq = calloc(GM_SILERO_HID, sizeof *cq);
    xq = calloc(GM_SILERO_HID, sizeof *xq);
    seg = malloc(2 * VAD_MAX_SEG * sizeof *seg);
    if (!p || !pc || !lab || !labc || !hq || !cq || !xq || !seg) {
        rc = dnn_fail(DNN_ETOOL, "vad: out of memory");
        goto out;
    }
    if (comp && (gm_silero_lstm_model(&s, &lf) || gm_lstm_compress(&lf, &cfg, &z, err, sizeof err))) {
        rc = dnn_fail(DNN_ETOOL, "vad: compressing the LSTM failed: out of memory");
        goto out;
    }
    gm_silero_reset(&st);
    for (size_t t = 0; t < nf; t++) {
        float fr[GM_SILERO_FRAME] = { 0 }, li[GM_SILERO_HID], hf[GM_SILERO_HID];
        size_t k0 = t * GM_SILERO_FRAME;
        size_t cnt = ns - k0 < GM_SILERO_FRAME ? ns - k0 : GM_SILERO_FRAME;
        memcpy(fr, x + k0, cnt * sizeof *fr); /* the last frame zero-padded, as Silero does */
        p[t] = gm_silero_frame(&s, &st, fr, li);
        if (!comp) {
            printf("frame %zu %.3f %.7f\n", t, (double)k0 / GM_SILERO_RATE, (double)p[t]);
            continue;
        }
        /* the same encoder output through the compressed fixed-point LSTM */
        for (int k = 0; k < GM_SILERO_HID; k++)
            xq[k] = gm_lstm_quant(&q, li[k]);
        ops_done += (double)pe_ops(&z.w, xq) + (double)pe_ops(&z.u, hq);
        if (gm_lstm_fx_step(&z, &lf, &q, xq, hq, cq) < 0) {
            rc = dnn_fail(DNN_EUSAGE, "vad: the fixed-point LSTM's accumulator does not fit "
                                      "(legal: smaller B, m or f)");
            goto out;
        }
        for (int k = 0; k < GM_SILERO_HID; k++)
            hf[k] = (float)ldexp((double)hq[k], -q.f);
        pc[t] = gm_silero_decode(&s, hf);
        if (dump) {
            int dg = (q.b + 3) / 4;
            uint64_t bm = q.b >= 64 ? UINT64_MAX : (UINT64_C(1) << q.b) - 1u;
            for (int k = 0; k < GM_SILERO_HID; k++) {
                sb_printf(&dx, "%0*llx\n", dg, (unsigned long long)((uint64_t)xq[k] & bm));
                sb_printf(&dh, "%0*llx\n", dg, (unsigned long long)((uint64_t)hq[k] & bm));
                sb_printf(&dc, "%0*llx\n", dg, (unsigned long long)((uint64_t)cq[k] & bm));
            }
        }
        printf("frame %zu %.3f %.7f %.7f\n", t, (double)k0 / GM_SILERO_RATE, (double)p[t],
               (double)pc[t]);
    }
    nseg = gm_silero_segments(p, nf, thr, 250, 100, seg, VAD_MAX_SEG);
    for (size_t k = 0; k < nseg && k < VAD_MAX_SEG; k++) {
        printf("segment %.3f %.3f\n", (double)seg[2 * k] / GM_SILERO_RATE,
               (double)seg[2 * k + 1] / GM_SILERO_RATE);
        speech += (double)(seg[2 * k + 1] - seg[2 * k]) / GM_SILERO_RATE;
    }
    printf("summary: %zu frames (%.3f s), %zu speech segments, %.3f s of speech, threshold "
           "%.2f\n",
           nf, (double)ns / GM_SILERO_RATE, nseg, speech, (double)thr);
    if (comp) {
        double sum = 0, mx = 0, dense = 4.0 * GM_SILERO_HID * 2 * GM_SILERO_HID;
        double kept = (double)z.w.rows * z.w.kept_per_row + (double)z.u.rows * z.u.kept_per_row;
        size_t dis = 0, agree = 0, nsegc;
        seg_labels(seg, nseg, nf, lab);
        nsegc = gm_silero_segments(pc, nf, thr, 250, 100, seg, VAD_MAX_SEG);
        seg_labels(seg, nsegc, nf, labc);
        for (size_t k = 0; k < nsegc && k < VAD_MAX_SEG; k++)
            printf("compressed segment %.3f %.3f\n", (double)seg[2 * k] / GM_SILERO_RATE,
                   (double)seg[2 * k + 1] / GM_SILERO_RATE);
        for (size_t t = 0; t < nf; t++) {
            double d = fabs((double)pc[t] - (double)p[t]);
            sum += d;
            mx = d > mx ? d : mx;
            dis += (pc[t] >= thr) != (p[t] >= thr);
            agree += lab[t] == labc[t];
        }
        printf("LSTM operations per frame: dense %.0f MACs, kept %.0f (%.2fx fewer), performed "
               "%.1f shift-adds (x or h non-zero; %.2fx fewer than dense)\n",
               dense, kept, dense / kept, nf ? ops_done / (double)nf : 0.0,
               ops_done > 0 ? dense * (double)nf / ops_done : 0.0);
        printf("compressed LSTM (n,k) = (%d,%d), e in [-%d, %d], %d-bit codes, B=%d F=%d T=%g: "
               "kept %.2f%%, %.2fx vs fp32, mean |p - p_float| = %.4f, max %.4f, %zu "
               "decisions differ, %zu segments (float %zu), segment labels agree in %.2f%% of "
               "frames\n",
               cfg.n, cfg.k, cfg.f, cfg.m, z.code_bits, q.b, q.f, q.t, 100.0 * kept / dense,
               32.0 * dense / (kept * z.code_bits), nf ? sum / (double)nf : 0.0, mx, dis, nsegc,
               nseg, nf ? 100.0 * (double)agree / (double)nf : 100.0);
        if (dump) {
            char hdr[300];
            sbuf all[3];
            outfile f[3];
            const char *nm[3] = { "x.hex", "h.hex", "c.hex" };
            sbuf *src[3] = { &dx, &dh, &dc };
            snprintf(hdr, sizeof hdr, "silero frames=%zu I=%d H=%d N=%d K=%d EM=%d EF=%d B=%d "
                                      "F=%d TQ=%lld",
                     nf, GM_SILERO_HID, GM_SILERO_HID, cfg.n, cfg.k, cfg.m, cfg.f, q.b, q.f,
                     (long long)gm_lstm_quant(&q, q.t));
            for (int k = 0; k < 3; k++) {
                sb_init(&all[k]);
                sb_printf(&all[k], "// %s: %s of every frame, %d values a frame, B-bit two's "
                                   "complement\n%s",
                          hdr, k == 0 ? "LSTM input x (quantized encoder output)"
                                      : k == 1 ? "golden h_t" : "golden c_t",
                          GM_SILERO_HID, src[k]->s ? src[k]->s : "");
                f[k].name = nm[k];
                f[k].data = all[k].s;
                f[k].len = all[k].len;
            }
            if (dnn_write_files(dump, f, 3, err, sizeof err))
                rc = dnn_fail(DNN_EUSAGE, "vad: cannot write '%.200s': %s", dump, err);
            for (int k = 0; k < 3; k++)
                sb_free(&all[k]);
        }
    }
out:
    sb_free(&dx);
    sb_free(&dh);
    sb_free(&dc);
    gm_silero_free(&s);
    gm_lstm_comp_free(&z);
    gm_lstm_float_free(&lf);
    free(x);
    free(p);
    free(pc);
    free(lab);
    free(labc);
    free(hq);
    free(cq);
    free(xq);
    free(seg);
    return rc;
}
