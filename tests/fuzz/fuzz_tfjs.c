/*
 * fuzz_tfjs.c -- libFuzzer harness for TensorFlow.js weights manifests (gm_tfjs_parse).
 * Input: the manifest's JSON, a NUL byte, then the bytes every weight file named in the
 * manifest reads as (no NUL: empty files). Any input gives either a one-line error naming
 * the legal values, with nothing kept, or a model whose tensors have the counts of their
 * shapes, tile their groups' bytes exactly and were decoded in bounds (ASan checks that).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gm_tfjs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct bin {
    const uint8_t *p;
    size_t n;
} bin;

static int reader(void *ctx, const char *path, const uint8_t **d, size_t *len, char *err,
                  size_t n)
{
    const bin *b = ctx;
    (void)path;
    (void)err;
    (void)n;
    *d = b->p;
    *len = b->n;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t jlen = nul ? (size_t)(nul - data) : size;
    bin b = { nul ? nul + 1 : data + size, nul ? size - jlen - 1 : 0 };
    gm_tfjs_model m;
    char err[512];
    if (gm_tfjs_parse(&m, (const char *)data, jlen, reader, &b, err, sizeof err) == 0) {
        size_t bytes = 0, floats = 0;
        int i, k;
        if (m.n < 1 || m.n > GM_TFJS_MAX_TENSORS || !m.pool)
            __builtin_trap();
        for (i = 0; i < m.n; i++) {
            const gm_tfjs_tensor *t = &m.t[i];
            size_t c = 1;
            for (k = 0; k < t->rank; k++)
                c *= (size_t)t->shape[k];
            if (c != t->count || t->data != m.pool + floats || gm_tfjs_find(&m, t->name) != t)
                __builtin_trap();
            if (t->count) {
                volatile float last = t->data[t->count - 1]; /* in bounds (ASan) */
                (void)last;
            }
            floats += t->count;
            bytes += t->bytes;
        }
        if (bytes != m.stored_bytes)
            __builtin_trap();
        gm_tfjs_free(&m);
    } else if (strchr(err, '\n') || !strstr(err, "legal") || m.t || m.pool || m.n) {
        __builtin_trap(); /* errors are one line naming the legal values; nothing kept */
    }
    return 0;
}
