/*
 * gm_tfjs.h -- TensorFlow.js weights manifests (the format face-api ships its models in):
 * read the manifest with cJSON, the weight files it names, and return every tensor as
 * float, dequantized the way TF.js does. docs/models.md describes the format.
 *
 * A manifest is a JSON array of groups {"paths": [FILE, ...], "weights": [W, ...]}; each W
 * is {"name": S, "shape": [d, ...], "dtype": "float32"|"int32", "quantization"?: {"dtype":
 * "uint8"|"uint16", "min": X, "scale": X} or {"dtype": "float16"}}. A group's files are
 * concatenated (shards) and its tensors are packed back to back in manifest order, each
 * taking count * (bytes of the stored type) bytes, little-endian. Stored values become
 * floats as TF.js computes them: uint8/uint16 q -> min + scale * q (in double, then
 * rounded to float), float16 -> float, float32 as is, int32 -> float.
 *
 * Why it is shaped this way: these files come from outside, so every size is checked
 * against the bytes actually present BEFORE anything is allocated for it (a 1 GB tensor
 * declared in a 40-byte file is a one-line error, not an allocation). The parser works on
 * memory through a reader callback so the fuzzer drives it without files; gm_tfjs_load is
 * the file-system reader (paths relative to the manifest's directory, no "..", no absolute
 * paths). Unknown keys are ignored (TF.js adds some, e.g. "group"); trailing bytes after a
 * group's last tensor are an error, because they mean the manifest and the files disagree.
 */
#ifndef GM_TFJS_H
#define GM_TFJS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GM_TFJS_MAX_TENSORS 4096
#define GM_TFJS_MAX_GROUPS 256
#define GM_TFJS_MAX_PATHS 256               /* files per group */
#define GM_TFJS_MAX_RANK 8
#define GM_TFJS_NAME 128                    /* tensor names, NUL included */
#define GM_TFJS_MAX_ELEMS ((size_t)1 << 28) /* elements per tensor and in the whole model */
#define GM_TFJS_MAX_MANIFEST ((size_t)16 << 20)
#define GM_TFJS_MAX_FILE ((size_t)1 << 30) /* bytes per weight file */

enum { GM_TFJS_FLOAT32 = 0, GM_TFJS_INT32 = 1 };                             /* dtype */
enum { GM_TFJS_Q_NONE = 0, GM_TFJS_Q_UINT8, GM_TFJS_Q_UINT16, GM_TFJS_Q_FLOAT16 }; /* storage */

typedef struct gm_tfjs_tensor {
    char name[GM_TFJS_NAME];
    int rank;
    int shape[GM_TFJS_MAX_RANK]; /* TF.js order: conv filters [kh, kw, cin, cout] */
    size_t count;                /* product of the shape (1 for a scalar) */
    int dtype;                   /* GM_TFJS_FLOAT32 or GM_TFJS_INT32 */
    int quant;                   /* GM_TFJS_Q_* */
    double qmin, qscale;         /* uint8/uint16 only */
    int group;                   /* index of its group in the manifest */
    size_t offset, bytes;        /* where it is stored in its group's concatenated files */
    float *data;                 /* count values (points into the model's pool) */
} gm_tfjs_tensor;

typedef struct gm_tfjs_model {
    int n;
    gm_tfjs_tensor *t; /* n tensors in manifest order */
    float *pool;       /* one allocation holding every tensor's data */
    size_t stored_bytes;
} gm_tfjs_model;

/* Give the bytes of the weight file `path` (as written in the manifest). The data must stay
 * valid until gm_tfjs_parse returns. 0, or -1 with a one-line message in err. */
typedef int (*gm_tfjs_reader)(void *ctx, const char *path, const uint8_t **data, size_t *len,
                              char *err, size_t n);

/* Parse a manifest (len bytes of JSON, need not be NUL-terminated) and the weight files the
 * reader gives. 0 on success; -1 with a one-line message naming the problem and the legal
 * values, nothing kept (m zeroed). */
int gm_tfjs_parse(gm_tfjs_model *m, const char *json, size_t len, gm_tfjs_reader rd, void *ctx,
                  char *err, size_t n);
/* The same from a manifest file; weight files are read relative to its directory. */
int gm_tfjs_load(gm_tfjs_model *m, const char *manifest_path, char *err, size_t n);
/* The tensor with this name, or NULL. */
const gm_tfjs_tensor *gm_tfjs_find(const gm_tfjs_model *m, const char *name);
void gm_tfjs_free(gm_tfjs_model *m);

/* IEEE 754 binary16 bits to float (exact: every half is a float). */
float gm_tfjs_half(uint16_t h);

#ifdef __cplusplus
}
#endif
#endif
