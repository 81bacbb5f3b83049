/*
 * fuzz_onnx.c -- libFuzzer harness for ONNX model files (gm_onnx_parse): any bytes give a
 * one-line error or a model whose every tensor holds exactly the values its dims declare
 * (read in full here, so ASan sees any short buffer), and which prints without fault.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gm_onnx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static double tensor_sum(const gm_onnx_tensor *t)
{
    double s = 0;
    int64_t count = 1;
    if (t->ndims < 0 || t->ndims > GM_ONNX_MAX_DIMS)
        __builtin_trap();
    for (int k = 0; k < t->ndims; k++)
        count *= t->dims[k];
    if (count != t->count)
        __builtin_trap();
    for (int64_t k = 0; t->f && k < t->count; k++)
        s += (double)t->f[k];
    for (int64_t k = 0; t->i && k < t->count; k++)
        s += (double)t->i[k];
    return s;
}

static double graph_sum(const gm_onnx_graph *g, int depth)
{
    double s = 0;
    if (depth > GM_ONNX_MAX_DEPTH)
        __builtin_trap();
    for (size_t k = 0; k < g->ninit; k++)
        s += tensor_sum(&g->init[k]);
    for (size_t k = 0; k < g->nnode; k++) {
        const gm_onnx_node *nd = &g->node[k];
        s += (double)strlen(nd->op_type);
        for (size_t j = 0; j < nd->nin; j++)
            s += (double)strlen(nd->in[j]);
        for (size_t j = 0; j < nd->nattr; j++) {
            if (nd->attr[j].t)
                s += tensor_sum(nd->attr[j].t);
            if (nd->attr[j].g)
                s += graph_sum(nd->attr[j].g, depth + 1);
        }
    }
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    gm_onnx_model m;
    char err[256];
    if (!sink)
        sink = fopen("/dev/null", "w");
    if (gm_onnx_parse(&m, data, size, err, sizeof err) == 0) {
        volatile double s = graph_sum(m.graph, 0);
        (void)s;
        if (sink)
            gm_onnx_dump(m.graph, 0, sink);
        gm_onnx_free(&m);
    } else if (strchr(err, '\n') || !err[0]) {
        __builtin_trap();
    }
    return 0;
}
