/*
 * cmd_vad.c -- `dnngen onnx-info MODEL.onnx` (print an ONNX graph: nodes, attributes,
 * initializers, subgraphs) and `dnngen vad WAV` (Silero VAD v5 speech probabilities per
 * 512-sample frame and the speech segments, from the float golden model gm_silero).
 * Bad input is one line on stderr and exit 2; nothing is printed before everything is read.
 */
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
    "  summary line. The model: scripts/fetch_models.sh @ricky0123/vad-web (docs/models.md).\n";

#define VAD_MAX_WAV ((size_t)1 << 30)
#define VAD_MAX_SEG 100000

int cmd_vad(int argc, char **argv)
{
    const char *wav = NULL, *model = NULL, *thr_s = NULL;
    char err[DNN_ERRLEN], *buf = NULL, *end;
    size_t len, ns, nf, nseg;
    float *x = NULL, *p = NULL, thr = 0.5f;
    int64_t *seg = NULL;
    gm_onnx_model m;
    gm_silero s;
    gm_silero_state st;
    int rc = 0;
    double speech = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(vad_help, stdout);
            return 0;
        } else if (strcmp(argv[i], "--model") == 0 && i + 1 < argc) {
            model = argv[++i];
        } else if (strcmp(argv[i], "--threshold") == 0 && i + 1 < argc) {
            thr_s = argv[++i];
        } else if (argv[i][0] == '-') {
            return dnn_fail(DNN_EUSAGE, "vad: unknown option '%.60s' (legal: --model FILE, "
                                        "--threshold T)",
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
    seg = malloc(2 * VAD_MAX_SEG * sizeof *seg);
    if (!p || !seg) {
        rc = dnn_fail(DNN_ETOOL, "vad: out of memory");
        goto out;
    }
    gm_silero_reset(&st);
    for (size_t t = 0; t < nf; t++) {
        float fr[GM_SILERO_FRAME] = { 0 };
        size_t k0 = t * GM_SILERO_FRAME;
        size_t cnt = ns - k0 < GM_SILERO_FRAME ? ns - k0 : GM_SILERO_FRAME;
        memcpy(fr, x + k0, cnt * sizeof *fr); /* the last frame zero-padded, as Silero does */
        p[t] = gm_silero_frame(&s, &st, fr, NULL);
        printf("frame %zu %.3f %.7f\n", t, (double)k0 / GM_SILERO_RATE, (double)p[t]);
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
out:
    gm_silero_free(&s);
    free(x);
    free(p);
    free(seg);
    return rc;
}
