/*
 * test_tfjs.c -- the TensorFlow.js manifest reader (golden/gm_tfjs.c) on hand-made manifests
 * whose dequantized values are worked out here (min + scale*q, little-endian), the float16
 * conversion on all 65536 bit patterns against the compiler's own _Float16, and the errors:
 * a 1 GB tensor declared in a 40-byte file, trailing bytes, bad dtypes and shapes are each
 * one line naming the legal values, with nothing allocated. The checks are shown able to
 * fail: a deliberately wrong expectation must be counted as a failure.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gm_tfjs.h"

#include "check.h"

typedef struct bin {
    const uint8_t *p;
    size_t n;
    int calls;
} bin;

static int reader(void *ctx, const char *path, const uint8_t **d, size_t *len, char *err,
                  size_t n)
{
    bin *b = ctx;
    if (strcmp(path, "missing.bin") == 0) {
        snprintf(err, n, "weights manifest: cannot read 'missing.bin' (legal: a readable file)");
        return -1;
    }
    b->calls++;
    *d = b->p;
    *len = b->n;
    return 0;
}

static int parse(gm_tfjs_model *m, const char *js, const uint8_t *p, size_t np, char *err,
                 size_t n)
{
    bin b = { p, np, 0 };
    return gm_tfjs_parse(m, js, strlen(js), reader, &b, err, n);
}

static void good(void)
{
    static const uint8_t b[] = { 0, 1, 2, 255, 4, 8, 0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0,
                                 0xe8, 0x03, 0x00, 0x3c, 0x00, 0xc0, 7, 0, 0, 0, 0xfb, 0xff,
                                 0xff, 0xff };
    const char *js =
        "[{\"paths\": [\"m.bin\"], \"weights\": ["
        "{\"name\": \"w\", \"shape\": [1, 1, 2, 2], \"dtype\": \"float32\", \"quantization\": "
        "{\"dtype\": \"uint8\", \"scale\": 0.5, \"min\": -1.0}},"
        "{\"name\": \"b\", \"shape\": [2], \"dtype\": \"float32\", \"group\": \"x\", "
        "\"quantization\": {\"dtype\": \"uint8\", \"scale\": 0.25, \"min\": 0}},"
        "{\"name\": \"f\", \"shape\": [2], \"dtype\": \"float32\"},"
        "{\"name\": \"u\", \"shape\": [1], \"dtype\": \"float32\", \"quantization\": "
        "{\"dtype\": \"uint16\", \"scale\": 0.001, \"min\": -1}},"
        "{\"name\": \"h\", \"shape\": [2], \"dtype\": \"float32\", \"quantization\": "
        "{\"dtype\": \"float16\"}},"
        "{\"name\": \"i\", \"shape\": [2], \"dtype\": \"int32\"}]}]";
    gm_tfjs_model m;
    char err[512];
    const gm_tfjs_tensor *t;
    if (parse(&m, js, b, sizeof b, err, sizeof err)) {
        printf("FAIL parse: %s\n", err);
        fail++;
        return;
    }
    check(m.n == 6 && m.stored_bytes == sizeof b, "6 tensors, every byte used");
    t = gm_tfjs_find(&m, "w");
    check(t && t->rank == 4 && t->count == 4 && t->shape[3] == 2 && t->quant == GM_TFJS_Q_UINT8,
          "w: shape and quantization");
    check(t && t->data[0] == -1.0f && t->data[1] == -0.5f && t->data[2] == 0.0f &&
              t->data[3] == 126.5f,
          "w: min + scale*q");
    t = gm_tfjs_find(&m, "b");
    check(t && t->data[0] == 1.0f && t->data[1] == 2.0f && t->offset == 4, "b: values, offset");
    t = gm_tfjs_find(&m, "f");
    check(t && t->data[0] == 1.5f && t->data[1] == -2.0f && t->offset == 6, "f: float32 LE");
    t = gm_tfjs_find(&m, "u");
    check(t && t->data[0] == (float)(-1.0 + 0.001 * 1000), "u: uint16 LE");
    t = gm_tfjs_find(&m, "h");
    check(t && t->data[0] == 1.0f && t->data[1] == -2.0f, "h: float16");
    t = gm_tfjs_find(&m, "i");
    check(t && t->data[0] == 7.0f && t->data[1] == -5.0f, "i: int32");
    check(gm_tfjs_find(&m, "nosuch") == NULL, "find: absent name");
    gm_tfjs_free(&m);
    check(m.n == 0 && !m.t && !m.pool, "free zeroes");
}

static void shards(void)
{
    static const uint8_t b[] = { 1, 2, 3 };
    const char *js = "[{\"paths\": [\"a\", \"b\"], \"weights\": [{\"name\": \"x\", \"shape\": "
                     "[2, 3], \"dtype\": \"float32\", \"quantization\": {\"dtype\": \"uint8\", "
                     "\"scale\": 1, \"min\": 0}}]}, {\"paths\": [\"c\"], \"weights\": "
                     "[{\"name\": \"y\", \"shape\": [3], \"dtype\": \"float32\", "
                     "\"quantization\": {\"dtype\": \"uint8\", \"scale\": 2, \"min\": 0}}]}]";
    gm_tfjs_model m;
    char err[512];
    if (parse(&m, js, b, sizeof b, err, sizeof err)) {
        printf("FAIL parse shards: %s\n", err);
        fail++;
        return;
    }
    check(m.t[0].data[3] == 1.0f && m.t[0].data[5] == 3.0f, "shards concatenated in order");
    check(m.t[1].group == 1 && m.t[1].offset == 0 && m.t[1].data[2] == 6.0f,
          "second group starts at its own files");
    gm_tfjs_free(&m);
}

/* Refused with one line naming the legal values and containing `want`; nothing kept. */
static int refused(const char *js, size_t nbin, const char *want, char *err, size_t n, int *rc)
{
    static const uint8_t zeros[64];
    gm_tfjs_model m;
    err[0] = '\0';
    *rc = parse(&m, js, zeros, nbin, err, n);
    if (*rc == 0)
        gm_tfjs_free(&m);
    return *rc == -1 && !strchr(err, '\n') && strstr(err, "legal") && strstr(err, want) &&
           !m.t && !m.pool && m.n == 0;
}

static void bad(const char *what, const char *js, size_t nbin, const char *want)
{
    char err[512];
    int rc, ok = refused(js, nbin, want, err, sizeof err, &rc);
    if (!ok)
        printf("     %s: rc %d, '%s' (want '%s')\n", what, rc, err, want);
    check(ok, what);
}

static void errors(void)
{
    char err[512];
    int rc;
    bad("1 GB tensor in a 40-byte file",
        "[{\"paths\": [\"m.bin\"], \"weights\": [{\"name\": \"huge\", \"shape\": [16384, "
        "16384], \"dtype\": \"float32\"}]}]",
        40, "declares 1073741824 bytes of tensors but its weight files hold 40");
    bad("2^84 elements",
        "[{\"paths\": [\"m.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [268435456, "
        "268435456, 268435456], \"dtype\": \"float32\"}]}]",
        40, "too large");
    bad("trailing bytes",
        "[{\"paths\": [\"m.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [2], \"dtype\": "
        "\"int32\"}]}]",
        9, "hold 9");
    bad("dtype bool",
        "[{\"paths\": [\"m.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [2], \"dtype\": "
        "\"bool\"}]}]",
        2, "float32, int32");
    bad("quantization int4",
        "[{\"paths\": [\"m.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [2], \"dtype\": "
        "\"float32\", \"quantization\": {\"dtype\": \"int4\"}}]}]",
        2, "uint8, uint16, float16");
    bad("uint8 without min",
        "[{\"paths\": [\"m.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [2], \"dtype\": "
        "\"float32\", \"quantization\": {\"dtype\": \"uint8\", \"scale\": 1}}]}]",
        2, "\"min\"");
    bad("fractional dimension",
        "[{\"paths\": [\"m.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [2.5], "
        "\"dtype\": \"float32\"}]}]",
        10, "dimension");
    bad("negative dimension",
        "[{\"paths\": [\"m.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [-1], "
        "\"dtype\": \"float32\"}]}]",
        10, "dimension");
    bad("duplicate name",
        "[{\"paths\": [\"m.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [1], \"dtype\": "
        "\"int32\"}, {\"name\": \"a\", \"shape\": [1], \"dtype\": \"int32\"}]}]",
        8, "appears twice");
    bad("no paths", "[{\"paths\": [], \"weights\": []}]", 0, "group 0");
    bad("not an array", "{\"paths\": [\"m.bin\"]}", 0, "not an array");
    bad("malformed JSON", "[{\"paths\": [\"m.bin\"], ", 0, "malformed JSON");
    bad("no tensors", "[{\"paths\": [\"m.bin\"], \"weights\": []}]", 0, "no tensors");
    bad("unreadable file",
        "[{\"paths\": [\"missing.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [1], "
        "\"dtype\": \"int32\"}]}]",
        4, "cannot read");
    /* the checker can fail: a valid manifest, or the wrong message, is not "refused" */
    check(!refused("[{\"paths\": [\"m.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": "
                   "[1], \"dtype\": \"int32\"}]}]",
                   4, "", err, sizeof err, &rc) &&
              rc == 0,
          "the checker rejects a valid manifest as an expected error");
    check(!refused("[{\"paths\": [\"m.bin\"], \"weights\": []}]", 0, "dimension", err,
                   sizeof err, &rc) &&
              rc == -1,
          "the checker rejects the wrong message");
}

static void half_exhaustive(void)
{
    unsigned h;
    long bad_n = 0;
    for (h = 0; h < 65536; h++) {
        _Float16 x;
        uint16_t u = (uint16_t)h;
        float want, got = gm_tfjs_half(u);
        memcpy(&x, &u, sizeof x);
        want = (float)x;
        if (!(got == want || (isnan(got) && isnan(want))) || signbit(got) != signbit(want))
            bad_n++;
    }
    check(bad_n == 0, "float16: all 65536 patterns equal _Float16");
}

int main(void)
{
    good();
    shards();
    errors();
    half_exhaustive();
    return check_done("test_tfjs");
}
