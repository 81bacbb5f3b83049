/*
 * gm_onnx.h -- read an ONNX model file (the graph of nodes and the float/int64 tensors) into
 * plain C structures that the golden forward passes (gm_silero) walk.
 *
 * The bytes are decoded by protobuf-c with the parser protoc-c generates at build time from
 * the onnx.proto that Debian's libonnx-dev ships; this file only checks and copies. Every
 * size is validated against the file before anything is allocated from it: a tensor whose
 * dims ask for more elements than its data holds, or a nesting of subgraphs deeper than
 * GM_ONNX_MAX_DEPTH, is a one-line error, never a huge allocation or a stack overflow.
 */
#ifndef GM_ONNX_H
#define GM_ONNX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define GM_ONNX_MAX_DIMS 8
#define GM_ONNX_MAX_DEPTH 32            /* protobuf message nesting (subgraphs in attributes) */
#define GM_ONNX_MAX_FILE (256u << 20)   /* a model file larger than this is refused */

/* ONNX TensorProto data types we decode (others are kept with count but no data). */
enum { GM_ONNX_FLOAT = 1, GM_ONNX_INT32 = 6, GM_ONNX_INT64 = 7, GM_ONNX_BOOL = 9 };

typedef struct gm_onnx_tensor {
    char *name;
    int dtype;                 /* ONNX data_type */
    int ndims;
    int64_t dims[GM_ONNX_MAX_DIMS];
    int64_t count;             /* product of dims (1 for a scalar) */
    float *f;                  /* dtype FLOAT: count values */
    int64_t *i;                /* dtype INT64, INT32 or BOOL: count values (widened) */
} gm_onnx_tensor;

struct gm_onnx_graph;

/* ONNX AttributeProto types */
enum { GM_ONNX_A_FLOAT = 1, GM_ONNX_A_INT = 2, GM_ONNX_A_STRING = 3, GM_ONNX_A_TENSOR = 4,
       GM_ONNX_A_GRAPH = 5, GM_ONNX_A_FLOATS = 6, GM_ONNX_A_INTS = 7, GM_ONNX_A_STRINGS = 8 };

typedef struct gm_onnx_attr {
    char *name;
    int type;
    float f;
    int64_t i;
    char *s;                   /* STRING, NUL-terminated copy */
    size_t nfloats, nints;
    float *floats;
    int64_t *ints;
    gm_onnx_tensor *t;         /* TENSOR */
    struct gm_onnx_graph *g;   /* GRAPH (If branches, Loop bodies) */
} gm_onnx_attr;

typedef struct gm_onnx_node {
    char *name, *op_type;
    size_t nin, nout, nattr;
    char **in, **out;          /* "" marks an omitted optional input */
    gm_onnx_attr *attr;
} gm_onnx_node;

typedef struct gm_onnx_graph {
    char *name;
    size_t nnode, ninit, nin, nout;
    gm_onnx_node *node;
    gm_onnx_tensor *init;
    char **in, **out;
} gm_onnx_graph;

typedef struct gm_onnx_model {
    int64_t ir_version, opset;   /* opset of the default domain, 0 when absent */
    char *producer;
    gm_onnx_graph *graph;
} gm_onnx_model;

/* Decode a model from memory. 0, or -1 with a one-line message in err. */
int gm_onnx_parse(gm_onnx_model *m, const uint8_t *data, size_t len, char *err, size_t n);
/* Read and decode a file (at most GM_ONNX_MAX_FILE bytes). */
int gm_onnx_load(gm_onnx_model *m, const char *path, char *err, size_t n);
void gm_onnx_free(gm_onnx_model *m);

/* Lookups (NULL when absent). */
const gm_onnx_attr *gm_onnx_attr_find(const gm_onnx_node *nd, const char *name);
const gm_onnx_tensor *gm_onnx_init_find(const gm_onnx_graph *g, const char *name);

/* Print the graph: nodes with inputs, outputs and attributes, initializers with shapes;
 * subgraphs indented. For `dnngen onnx-info`. */
void gm_onnx_dump(const gm_onnx_graph *g, int indent, FILE *out);

#endif
