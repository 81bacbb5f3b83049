/*
 * gm_tfjs.c -- TensorFlow.js weights manifests (gm_tfjs.h): cJSON for the manifest, then
 * the weight files, then the floats.
 *
 * Three passes, so that nothing is allocated from a size the files do not back: (1) the
 * manifest is parsed and every tensor's element count and stored bytes computed with
 * overflow checks against fixed limits; (2) each group's files are read and their total
 * length compared with the bytes its tensors need; (3) only then is one float pool
 * allocated (at most 4 floats per stored byte, so bounded by the files' size) and filled.
 */
#define _POSIX_C_SOURCE 200809L
#include "gm_tfjs.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Names and paths from the file go into messages; keep them short and on one line. */
static void clip(char *dst, size_t cap, const char *s)
{
    size_t i;
    for (i = 0; s[i] && i + 1 < cap; i++)
        dst[i] = (s[i] < 32 || s[i] == 127) ? '?' : s[i];
    dst[i] = '\0';
}

float gm_tfjs_half(uint16_t h)
{
    unsigned sign = (h >> 15) & 1u, e = (h >> 10) & 0x1fu, f = h & 0x3ffu;
    float v;
    if (e == 0)
        v = ldexpf((float)f, -24); /* zero and subnormals: f * 2^-24 */
    else if (e == 31)
        v = f ? NAN : INFINITY;
    else
        v = ldexpf((float)(f | 0x400u), (int)e - 25);
    return sign ? -v : v;
}

static size_t elem_bytes(const gm_tfjs_tensor *t)
{
    switch (t->quant) {
    case GM_TFJS_Q_UINT8:
        return 1;
    case GM_TFJS_Q_UINT16:
    case GM_TFJS_Q_FLOAT16:
        return 2;
    default:
        return 4; /* float32, int32 */
    }
}

static int parse_quant(gm_tfjs_tensor *t, const cJSON *q, const char *nm, char *err, size_t n)
{
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(q, "dtype");
    const cJSON *mn = cJSON_GetObjectItemCaseSensitive(q, "min");
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(q, "scale");
    if (!cJSON_IsObject(q)) {
        snprintf(err, n, "weights manifest: tensor '%s': \"quantization\" is not an object "
                         "(legal: {\"dtype\": \"uint8\"|\"uint16\", \"min\", \"scale\"} or "
                         "{\"dtype\": \"float16\"})", nm);
        return -1;
    }
    if (!cJSON_IsString(d) || !d->valuestring ||
        (strcmp(d->valuestring, "uint8") && strcmp(d->valuestring, "uint16") &&
         strcmp(d->valuestring, "float16"))) {
        snprintf(err, n, "weights manifest: tensor '%s': quantization dtype is not uint8, "
                         "uint16 or float16 (legal: uint8, uint16, float16)", nm);
        return -1;
    }
    if (strcmp(d->valuestring, "float16") == 0) {
        t->quant = GM_TFJS_Q_FLOAT16;
        return 0;
    }
    t->quant = strcmp(d->valuestring, "uint8") == 0 ? GM_TFJS_Q_UINT8 : GM_TFJS_Q_UINT16;
    if (!cJSON_IsNumber(mn) || !cJSON_IsNumber(sc) || !isfinite(mn->valuedouble) ||
        !isfinite(sc->valuedouble) || fabs(mn->valuedouble) > 1e30 ||
        fabs(sc->valuedouble) > 1e30) {
        snprintf(err, n, "weights manifest: tensor '%s': %s quantization needs numbers \"min\" "
                         "and \"scale\" (legal: finite numbers of magnitude <= 1e30)",
                 nm, d->valuestring);
        return -1;
    }
    t->qmin = mn->valuedouble;
    t->qscale = sc->valuedouble;
    return 0;
}

/* One weight entry: name, shape, dtype, quantization; count and bytes with overflow checks. */
static int parse_weight(gm_tfjs_tensor *t, const cJSON *w, char *err, size_t n)
{
    const cJSON *nm = cJSON_GetObjectItemCaseSensitive(w, "name");
    const cJSON *sh = cJSON_GetObjectItemCaseSensitive(w, "shape");
    const cJSON *dt = cJSON_GetObjectItemCaseSensitive(w, "dtype");
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(w, "quantization");
    const cJSON *d;
    char cn[64];
    size_t count = 1;
    if (!cJSON_IsObject(w)) {
        snprintf(err, n, "weights manifest: a weight entry is not an object (legal: {\"name\", "
                         "\"shape\", \"dtype\", \"quantization\"?})");
        return -1;
    }
    if (!cJSON_IsString(nm) || !nm->valuestring || !nm->valuestring[0] ||
        strlen(nm->valuestring) >= GM_TFJS_NAME) {
        snprintf(err, n, "weights manifest: a weight has no \"name\" string of 1..%d characters "
                         "(legal: a non-empty name)", GM_TFJS_NAME - 1);
        return -1;
    }
    snprintf(t->name, sizeof t->name, "%s", nm->valuestring);
    clip(cn, sizeof cn, t->name);
    if (!cJSON_IsArray(sh) || cJSON_GetArraySize(sh) > GM_TFJS_MAX_RANK) {
        snprintf(err, n, "weights manifest: tensor '%s': \"shape\" is not an array of at most %d "
                         "dimensions (legal: [d, ...], d integers >= 0)", cn, GM_TFJS_MAX_RANK);
        return -1;
    }
    t->rank = 0;
    cJSON_ArrayForEach(d, sh)
    {
        double v = cJSON_IsNumber(d) ? d->valuedouble : -1;
        if (!(v >= 0 && v <= (double)GM_TFJS_MAX_ELEMS) || v != floor(v)) {
            snprintf(err, n, "weights manifest: tensor '%s': a dimension is not an integer in "
                             "0..%zu (legal: 0..%zu)", cn, GM_TFJS_MAX_ELEMS, GM_TFJS_MAX_ELEMS);
            return -1;
        }
        t->shape[t->rank++] = (int)v;
        /* both factors <= 2^28, so the product fits in size_t before the check */
        count *= (size_t)v;
        if (count > GM_TFJS_MAX_ELEMS) {
            snprintf(err, n, "weights manifest: tensor '%s': too large, more than %zu elements "
                             "(legal: at most %zu)", cn, GM_TFJS_MAX_ELEMS, GM_TFJS_MAX_ELEMS);
            return -1;
        }
    }
    t->count = count;
    if (!cJSON_IsString(dt) || !dt->valuestring ||
        (strcmp(dt->valuestring, "float32") && strcmp(dt->valuestring, "int32"))) {
        snprintf(err, n, "weights manifest: tensor '%s': \"dtype\" is not float32 or int32 "
                         "(legal: float32, int32)", cn);
        return -1;
    }
    t->dtype = strcmp(dt->valuestring, "float32") == 0 ? GM_TFJS_FLOAT32 : GM_TFJS_INT32;
    t->quant = GM_TFJS_Q_NONE;
    if (q && !cJSON_IsNull(q) && parse_quant(t, q, cn, err, n))
        return -1;
    t->bytes = t->count * elem_bytes(t);
    return 0;
}

static int dup_name(const gm_tfjs_model *m, int upto, const char *name)
{
    int i;
    for (i = 0; i < upto; i++)
        if (strcmp(m->t[i].name, name) == 0)
            return 1;
    return 0;
}

/* A group's files, concatenated when there are several. *own is set when buf was allocated. */
static int group_bytes(const cJSON *paths, gm_tfjs_reader rd, void *ctx, const uint8_t **buf,
                       size_t *len, uint8_t **own, char *err, size_t n)
{
    const cJSON *p;
    size_t total = 0, at = 0;
    int np = cJSON_GetArraySize(paths), i = 0;
    const uint8_t *d[GM_TFJS_MAX_PATHS];
    size_t l[GM_TFJS_MAX_PATHS];
    *own = NULL;
    cJSON_ArrayForEach(p, paths)
    {
        if (rd(ctx, p->valuestring, &d[i], &l[i], err, n))
            return -1;
        if (l[i] > GM_TFJS_MAX_FILE || total + l[i] > GM_TFJS_MAX_FILE) {
            char cp[64];
            clip(cp, sizeof cp, p->valuestring);
            snprintf(err, n, "weights manifest: weight files too large at '%s' (legal: at most "
                             "%zu bytes per group)", cp, GM_TFJS_MAX_FILE);
            return -1;
        }
        total += l[i++];
    }
    if (np == 1) {
        *buf = d[0];
        *len = l[0];
        return 0;
    }
    *own = malloc(total ? total : 1);
    if (!*own) {
        snprintf(err, n, "weights manifest: out of memory for %zu bytes of weight files "
                         "(legal: a smaller model)", total);
        return -1;
    }
    for (i = 0; i < np; i++) {
        if (l[i])
            memcpy(*own + at, d[i], l[i]);
        at += l[i];
    }
    *buf = *own;
    *len = total;
    return 0;
}

static void decode(gm_tfjs_tensor *t, const uint8_t *b)
{
    size_t i;
    for (i = 0; i < t->count; i++) {
        const uint8_t *p = b + i * elem_bytes(t);
        uint32_t u;
        switch (t->quant) {
        case GM_TFJS_Q_UINT8:
            t->data[i] = (float)(t->qmin + t->qscale * (double)p[0]);
            break;
        case GM_TFJS_Q_UINT16:
            t->data[i] = (float)(t->qmin + t->qscale * (double)(p[0] | (unsigned)p[1] << 8));
            break;
        case GM_TFJS_Q_FLOAT16:
            t->data[i] = gm_tfjs_half((uint16_t)(p[0] | (unsigned)p[1] << 8));
            break;
        default:
            u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                (uint32_t)p[3] << 24;
            if (t->dtype == GM_TFJS_INT32) {
                int32_t s;
                memcpy(&s, &u, sizeof s);
                t->data[i] = (float)s;
            } else {
                memcpy(&t->data[i], &u, sizeof u);
            }
        }
    }
}

int gm_tfjs_parse(gm_tfjs_model *m, const char *json, size_t len, gm_tfjs_reader rd, void *ctx,
                  char *err, size_t n)
{
    cJSON *root = NULL;
    const cJSON *g, *w, *p;
    int ng, nt = 0, gi = 0, i;
    size_t total = 0;
    memset(m, 0, sizeof *m);
    if (len > GM_TFJS_MAX_MANIFEST) {
        snprintf(err, n, "weights manifest: too large, %zu bytes (legal: at most %zu)", len,
                 GM_TFJS_MAX_MANIFEST);
        return -1;
    }
    root = cJSON_ParseWithLength(json, len);
    if (!root || !cJSON_IsArray(root)) {
        snprintf(err, n, "weights manifest: %s (legal: a JSON array of groups {\"paths\", "
                         "\"weights\"})", root ? "not an array" : "malformed JSON");
        goto error;
    }
    ng = cJSON_GetArraySize(root);
    if (ng < 1 || ng > GM_TFJS_MAX_GROUPS) {
        snprintf(err, n, "weights manifest: %d groups (legal: 1..%d)", ng, GM_TFJS_MAX_GROUPS);
        goto error;
    }
    /* pass 1: structure, names, shapes, dtypes, sizes */
    cJSON_ArrayForEach(g, root)
    {
        const cJSON *paths = cJSON_GetObjectItemCaseSensitive(g, "paths");
        const cJSON *ws = cJSON_GetObjectItemCaseSensitive(g, "weights");
        int np = cJSON_GetArraySize(paths);
        if (!cJSON_IsObject(g) || !cJSON_IsArray(paths) || !cJSON_IsArray(ws) || np < 1 ||
            np > GM_TFJS_MAX_PATHS) {
            snprintf(err, n, "weights manifest: group %d is not {\"paths\": [1..%d file names], "
                             "\"weights\": [...]} (legal: that form)", gi, GM_TFJS_MAX_PATHS);
            goto error;
        }
        cJSON_ArrayForEach(p, paths)
        {
            if (!cJSON_IsString(p) || !p->valuestring || !p->valuestring[0]) {
                snprintf(err, n, "weights manifest: group %d: a path is not a non-empty string "
                                 "(legal: file names)", gi);
                goto error;
            }
        }
        nt += cJSON_GetArraySize(ws);
        if (nt > GM_TFJS_MAX_TENSORS) {
            snprintf(err, n, "weights manifest: more than %d tensors (legal: at most %d)",
                     GM_TFJS_MAX_TENSORS, GM_TFJS_MAX_TENSORS);
            goto error;
        }
        gi++;
    }
    if (nt < 1) {
        snprintf(err, n, "weights manifest: no tensors (legal: at least one weight)");
        goto error;
    }
    m->t = calloc((size_t)nt, sizeof *m->t);
    if (!m->t) {
        snprintf(err, n, "weights manifest: out of memory (legal: a smaller manifest)");
        goto error;
    }
    gi = 0;
    cJSON_ArrayForEach(g, root)
    {
        size_t off = 0;
        cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(g, "weights"))
        {
            gm_tfjs_tensor *t = &m->t[m->n];
            if (parse_weight(t, w, err, n))
                goto error;
            if (dup_name(m, m->n, t->name)) {
                char cn[64];
                clip(cn, sizeof cn, t->name);
                snprintf(err, n, "weights manifest: tensor name '%s' appears twice (legal: "
                                 "unique names)", cn);
                goto error;
            }
            t->group = gi;
            t->offset = off;
            off += t->bytes; /* each <= 2^30, at most 4096 of them: no overflow */
            total += t->count;
            m->n++;
        }
        gi++;
    }
    if (total > GM_TFJS_MAX_ELEMS) {
        snprintf(err, n, "weights manifest: too large, %zu elements in all (legal: at most %zu)",
                 total, GM_TFJS_MAX_ELEMS);
        goto error;
    }
    /* pass 2: the files must hold exactly the bytes the tensors need; pass 3: decode */
    gi = 0;
    cJSON_ArrayForEach(g, root)
    {
        size_t need = 0, have;
        const uint8_t *buf;
        uint8_t *own;
        for (i = 0; i < m->n; i++)
            if (m->t[i].group == gi)
                need += m->t[i].bytes;
        if (group_bytes(cJSON_GetObjectItemCaseSensitive(g, "paths"), rd, ctx, &buf, &have,
                        &own, err, n))
            goto error;
        if (have != need) {
            free(own);
            snprintf(err, n, "weights manifest: group %d declares %zu bytes of tensors but its "
                             "weight files hold %zu (legal: sizes that match)", gi, need, have);
            goto error;
        }
        m->stored_bytes += have;
        if (!m->pool) {
            m->pool = malloc((total ? total : 1) * sizeof *m->pool);
            if (!m->pool) {
                free(own);
                snprintf(err, n, "weights manifest: out of memory for %zu floats (legal: a "
                                 "smaller model)", total);
                goto error;
            }
            for (i = 0, total = 0; i < m->n; i++) {
                m->t[i].data = m->pool + total;
                total += m->t[i].count;
            }
        }
        for (i = 0; i < m->n; i++)
            if (m->t[i].group == gi)
                decode(&m->t[i], buf + m->t[i].offset);
        free(own);
        gi++;
    }
    cJSON_Delete(root);
    return 0;
error:
    cJSON_Delete(root);
    gm_tfjs_free(m);
    return -1;
}

const gm_tfjs_tensor *gm_tfjs_find(const gm_tfjs_model *m, const char *name)
{
    int i;
    for (i = 0; i < m->n; i++)
        if (strcmp(m->t[i].name, name) == 0)
            return &m->t[i];
    return NULL;
}

void gm_tfjs_free(gm_tfjs_model *m)
{
    free(m->t);
    free(m->pool);
    memset(m, 0, sizeof *m);
}

/* ---- the file-system reader ---- */

typedef struct file_ctx {
    char dir[1024];
    uint8_t *bufs[GM_TFJS_MAX_GROUPS * 4];
    int nbufs;
} file_ctx;

static uint8_t *read_all(const char *path, size_t max, size_t *len, char *err, size_t n)
{
    FILE *f = fopen(path, "rb");
    long sz;
    uint8_t *b;
    char cp[200];
    clip(cp, sizeof cp, path);
    if (!f) {
        snprintf(err, n, "weights manifest: cannot read '%s' (legal: a readable file)", cp);
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
        fclose(f);
        snprintf(err, n, "weights manifest: cannot read '%s' (legal: a regular file)", cp);
        return NULL;
    }
    if ((unsigned long)sz > max) {
        fclose(f);
        snprintf(err, n, "weights manifest: '%s' is too large, %ld bytes (legal: at most %zu)",
                 cp, sz, max);
        return NULL;
    }
    b = malloc((size_t)sz + 1);
    if (!b || fread(b, 1, (size_t)sz, f) != (size_t)sz) {
        free(b);
        fclose(f);
        snprintf(err, n, "weights manifest: cannot read '%s' (legal: a readable file)", cp);
        return NULL;
    }
    fclose(f);
    b[sz] = 0;
    *len = (size_t)sz;
    return b;
}

static int file_reader(void *vctx, const char *path, const uint8_t **data, size_t *len,
                       char *err, size_t n)
{
    file_ctx *c = vctx;
    char full[2048], cp[200];
    uint8_t *b;
    clip(cp, sizeof cp, path);
    if (path[0] == '/' || strstr(path, "..") || strlen(path) > 1000) {
        snprintf(err, n, "weights manifest: weight file path '%s' leaves the manifest's "
                         "directory (legal: a relative path without '..')", cp);
        return -1;
    }
    if (c->nbufs >= (int)(sizeof c->bufs / sizeof c->bufs[0])) {
        snprintf(err, n, "weights manifest: too many weight files (legal: at most %zu)",
                 sizeof c->bufs / sizeof c->bufs[0]);
        return -1;
    }
    snprintf(full, sizeof full, "%s/%s", c->dir, path);
    b = read_all(full, GM_TFJS_MAX_FILE, len, err, n);
    if (!b)
        return -1;
    c->bufs[c->nbufs++] = b;
    *data = b;
    return 0;
}

int gm_tfjs_load(gm_tfjs_model *m, const char *manifest_path, char *err, size_t n)
{
    file_ctx *c;
    char *json;
    const char *slash = strrchr(manifest_path, '/');
    size_t len;
    int rc, i;
    memset(m, 0, sizeof *m);
    c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, n, "weights manifest: out of memory (legal: -)");
        return -1;
    }
    if (slash && (size_t)(slash - manifest_path) >= sizeof c->dir) {
        free(c);
        snprintf(err, n, "weights manifest: path too long (legal: a directory of at most %zu "
                         "bytes)", sizeof c->dir - 1);
        return -1;
    }
    if (!slash)
        snprintf(c->dir, sizeof c->dir, ".");
    else if (slash == manifest_path)
        snprintf(c->dir, sizeof c->dir, "/");
    else
        snprintf(c->dir, sizeof c->dir, "%.*s", (int)(slash - manifest_path), manifest_path);
    json = (char *)read_all(manifest_path, GM_TFJS_MAX_MANIFEST, &len, err, n);
    if (!json) {
        free(c);
        return -1;
    }
    rc = gm_tfjs_parse(m, json, len, file_reader, c, err, n);
    for (i = 0; i < c->nbufs; i++)
        free(c->bufs[i]);
    free(c);
    free(json);
    return rc;
}
