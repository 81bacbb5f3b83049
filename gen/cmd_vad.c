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
