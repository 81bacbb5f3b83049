/*
 * gm_layer.c -- convolution layers: the JSON file format (cJSON), reproducible random
 * layers, and the direct 2-D convolution that is the golden model of fpap_array.
 */
#include "gm_layer.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gm_layer_free(gm_layer *L)
{
    free(L->wt);
    free(L->in);
    L->wt = L->in = NULL;
}

static int64_t lo_of(int w, int sgn)
{
    return sgn ? -((int64_t)1 << (w - 1)) : 0;
}

static int64_t hi_of(int w, int sgn)
{
    return sgn ? ((int64_t)1 << (w - 1)) - 1 : ((int64_t)1 << w) - 1;
}

/* Check sizes and allocate; 0 or -1 with a message. */
static int layer_alloc(gm_layer *L, char *err, size_t n)
{
    size_t nw, nx;
    if (L->cin < 1 || L->cin > GM_LAYER_MAX_CH || L->cout < 1 || L->cout > GM_LAYER_MAX_CH) {
        snprintf(err, n, "layer: cin=%d cout=%d out of range (legal: 1..%d)", L->cin, L->cout,
                 GM_LAYER_MAX_CH);
        return -1;
    }
    if (L->k < 1 || L->k > GM_LAYER_MAX_K) {
        snprintf(err, n, "layer: k=%d out of range (legal: 1..%d)", L->k, GM_LAYER_MAX_K);
        return -1;
    }
    if (L->h < L->k || L->h > GM_LAYER_MAX_HW || L->w < L->k || L->w > GM_LAYER_MAX_HW) {
        snprintf(err, n, "layer: h=%d w=%d out of range (legal: k..%d)", L->h, L->w,
                 GM_LAYER_MAX_HW);
        return -1;
    }
    if (L->xw < 2 || L->xw > 32 || L->hw < 2 || L->hw > 32 || L->signed_x < 0 ||
        L->signed_x > 1) {
        snprintf(err, n, "layer: xw=%d hw=%d signed_x=%d out of range (legal: xw, hw 2..32; "
                         "signed_x 0, 1)",
                 L->xw, L->hw, L->signed_x);
        return -1;
    }
    nw = (size_t)L->cout * (size_t)L->cin * (size_t)L->k * (size_t)L->k;
    nx = (size_t)L->cin * (size_t)L->h * (size_t)L->w;
    if (nw > GM_LAYER_MAX_ELEMS || nx > GM_LAYER_MAX_ELEMS) {
        snprintf(err, n, "layer: %zu weights and %zu inputs are too large (legal: up to %d each)",
                 nw, nx, GM_LAYER_MAX_ELEMS);
        return -1;
    }
    L->wt = calloc(nw, sizeof *L->wt);
    L->in = calloc(nx, sizeof *L->in);
    if (!L->wt || !L->in) {
        gm_layer_free(L);
        snprintf(err, n, "layer: out of memory");
        return -1;
    }
    return 0;
}

static double urand(gm_rng *r)
{
    return (double)(gm_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* A non-zero value of w bits, signed or not. */
static int64_t rnd_nz(gm_rng *r, int w, int sgn)
{
    int64_t v;
    do {
        uint64_t u = gm_rng_next(r) & ((UINT64_C(1) << w) - 1u);
        v = sgn && (u >> (w - 1)) ? (int64_t)u - ((int64_t)1 << w) : (int64_t)u;
    } while (v == 0);
    return v;
}

int gm_layer_random(gm_layer *L, int cin, int cout, int h, int w, int k, int xw, int hw,
                    int signed_x, double wsparsity, double wspread, double asparsity,
                    uint64_t seed, char *err, size_t n)
{
    gm_rng r;
    size_t i, nw, nx, per;
    double sp = wsparsity;
    memset(L, 0, sizeof *L);
    if (!(wsparsity >= 0 && wsparsity <= 1) || !(asparsity >= 0 && asparsity <= 1) ||
        !(wspread >= 0 && wspread <= 1)) {
        snprintf(err, n, "layer: sparsities %g, %g, spread %g out of range (legal: 0..1)",
                 wsparsity, asparsity, wspread);
        return -1;
    }
    L->cin = cin;
    L->cout = cout;
    L->h = h;
    L->w = w;
    L->k = k;
    L->xw = xw;
    L->hw = hw;
    L->signed_x = signed_x;
    if (layer_alloc(L, err, n))
        return -1;
    gm_rng_seed(&r, seed);
    nw = (size_t)cout * (size_t)cin * (size_t)k * (size_t)k;
    nx = (size_t)cin * (size_t)h * (size_t)w;
    per = (size_t)cin * (size_t)k * (size_t)k;
    for (i = 0; i < nw; i++) {
        if (i % per == 0 && wspread > 0) { /* a new output channel */
            sp = wsparsity + wspread * (2.0 * urand(&r) - 1.0);
            sp = sp < 0 ? 0 : sp > 1 ? 1 : sp;
        }
        L->wt[i] = urand(&r) < sp ? 0 : rnd_nz(&r, hw, 1);
    }
    for (i = 0; i < nx; i++)
        L->in[i] = urand(&r) < asparsity ? 0 : rnd_nz(&r, xw, signed_x);
    return 0;
}

static int get_int(const cJSON *o, const char *name, int lo, int hi, int def, int *out,
                   char *err, size_t n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!v) {
        if (def < lo) {
            snprintf(err, n, "layer: missing \"%s\" (legal: an integer %d..%d)", name, lo, hi);
            return -1;
        }
        *out = def;
        return 0;
    }
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < lo ||
        v->valuedouble > hi) {
        snprintf(err, n, "layer: \"%s\" is not an integer in %d..%d (legal: %d..%d)", name, lo,
                 hi, lo, hi);
        return -1;
    }
    *out = (int)v->valuedouble;
    return 0;
}

static int get_values(const cJSON *o, const char *name, int64_t *dst, size_t count, int64_t lo,
                      int64_t hi, char *err, size_t n)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, name), *v;
    size_t i = 0;
    if (!cJSON_IsArray(a)) {
        snprintf(err, n, "layer: \"%s\" is missing or not an array (legal: %zu integers)", name,
                 count);
        return -1;
    }
    cJSON_ArrayForEach(v, a)
    {
        if (i >= count) {
            snprintf(err, n, "layer: \"%s\" has more than %zu values (legal: exactly %zu)", name,
                     count, count);
            return -1;
        }
        if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
            v->valuedouble < (double)lo || v->valuedouble > (double)hi) {
            snprintf(err, n, "layer: \"%s\"[%zu] is not an integer in %lld..%lld (legal: %lld..%lld)",
                     name, i, (long long)lo, (long long)hi, (long long)lo, (long long)hi);
            return -1;
        }
        dst[i++] = (int64_t)v->valuedouble;
    }
    if (i != count) {
        snprintf(err, n, "layer: \"%s\" has %zu values (legal: exactly %zu)", name, i, count);
        return -1;
    }
    return 0;
}

int gm_layer_parse(gm_layer *L, const char *text, size_t len, char *err, size_t n)
{
    cJSON *root;
    const cJSON *rnd;
    int rc = -1;
    memset(L, 0, sizeof *L);
    root = cJSON_ParseWithLength(text, len);
    if (!root || !cJSON_IsObject(root)) {
        snprintf(err, n, "layer: malformed JSON (legal: an object, docs/schedule.md)");
        goto out;
    }
    if (get_int(root, "cin", 1, GM_LAYER_MAX_CH, -1, &L->cin, err, n) ||
        get_int(root, "cout", 1, GM_LAYER_MAX_CH, -1, &L->cout, err, n) ||
        get_int(root, "k", 1, GM_LAYER_MAX_K, -1, &L->k, err, n) ||
        get_int(root, "h", 1, GM_LAYER_MAX_HW, -1, &L->h, err, n) ||
        get_int(root, "w", 1, GM_LAYER_MAX_HW, -1, &L->w, err, n) ||
        get_int(root, "xw", 2, 32, 8, &L->xw, err, n) ||
        get_int(root, "hw", 2, 32, 8, &L->hw, err, n) ||
        get_int(root, "signed_x", 0, 1, 1, &L->signed_x, err, n))
        goto out;
    rnd = cJSON_GetObjectItemCaseSensitive(root, "random");
    if (rnd) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(rnd, "seed");
        const cJSON *ws = cJSON_GetObjectItemCaseSensitive(rnd, "wsparsity");
        const cJSON *as = cJSON_GetObjectItemCaseSensitive(rnd, "asparsity");
        const cJSON *wd = cJSON_GetObjectItemCaseSensitive(rnd, "wspread");
        if (!cJSON_IsObject(rnd) || (s && !cJSON_IsNumber(s)) || (ws && !cJSON_IsNumber(ws)) ||
            (as && !cJSON_IsNumber(as)) || (wd && !cJSON_IsNumber(wd))) {
            snprintf(err, n, "layer: \"random\" is malformed (legal: {\"seed\": S, "
                             "\"wsparsity\": 0..1, \"wspread\": 0..1, \"asparsity\": 0..1})");
            goto out;
        }
        if (s && !(s->valuedouble >= 0 && s->valuedouble < 9007199254740992.0)) {
            snprintf(err, n, "layer: random seed out of range (legal: 0..2^53-1)");
            goto out;
        }
        rc = gm_layer_random(L, L->cin, L->cout, L->h, L->w, L->k, L->xw, L->hw, L->signed_x,
                             ws ? ws->valuedouble : 0.0, wd ? wd->valuedouble : 0.0,
                             as ? as->valuedouble : 0.0,
                             s ? (uint64_t)s->valuedouble : 1u, err, n);
        goto out;
    }
    { /* the arrays must hold what the sizes declare before anything is allocated */
        const cJSON *wa = cJSON_GetObjectItemCaseSensitive(root, "weights");
        const cJSON *xa = cJSON_GetObjectItemCaseSensitive(root, "input");
        double nw = (double)L->cout * L->cin * L->k * L->k, nx = (double)L->cin * L->h * L->w;
        if (!cJSON_IsArray(wa) || (double)cJSON_GetArraySize(wa) != nw) {
            snprintf(err, n, "layer: \"weights\" must be an array of cout*cin*k*k = %.0f "
                             "integers (legal: that many, or a \"random\" object)", nw);
            goto out;
        }
        if (!cJSON_IsArray(xa) || (double)cJSON_GetArraySize(xa) != nx) {
            snprintf(err, n, "layer: \"input\" must be an array of cin*h*w = %.0f integers "
                             "(legal: that many, or a \"random\" object)", nx);
            goto out;
        }
    }
    if (layer_alloc(L, err, n))
        goto out;
    if (get_values(root, "weights", L->wt,
                   (size_t)L->cout * (size_t)L->cin * (size_t)L->k * (size_t)L->k,
                   lo_of(L->hw, 1), hi_of(L->hw, 1), err, n) ||
        get_values(root, "input", L->in, (size_t)L->cin * (size_t)L->h * (size_t)L->w,
                   lo_of(L->xw, L->signed_x), hi_of(L->xw, L->signed_x), err, n)) {
        gm_layer_free(L);
        goto out;
    }
    rc = 0;
out:
    cJSON_Delete(root);
    return rc;
}

/* Append to a growing string; returns 0 or -1 (no memory). */
typedef struct jbuf {
    char *p;
    size_t n, cap;
} jbuf;

static int jput(jbuf *b, const char *s)
{
    size_t l = strlen(s);
    if (b->n + l + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 4096;
        char *np;
        while (b->n + l + 1 > nc)
            nc *= 2;
        np = realloc(b->p, nc);
        if (!np)
            return -1;
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->n, s, l + 1);
    b->n += l;
    return 0;
}

static int jarray(jbuf *b, const char *name, const int64_t *v, size_t count, size_t per_line)
{
    char t[64];
    size_t i;
    snprintf(t, sizeof t, ",\n  \"%s\": [", name);
    if (jput(b, t))
        return -1;
    for (i = 0; i < count; i++) {
        snprintf(t, sizeof t, "%s%s%lld", i ? "," : "", i % per_line == 0 ? "\n    " : " ",
                 (long long)v[i]);
        if (jput(b, t))
            return -1;
    }
    return jput(b, "\n  ]");
}

char *gm_layer_to_json(const gm_layer *L)
{
    jbuf b = { NULL, 0, 0 };
    char t[256];
    snprintf(t, sizeof t,
             "{\n  \"cin\": %d, \"cout\": %d, \"h\": %d, \"w\": %d, \"k\": %d,\n"
             "  \"xw\": %d, \"hw\": %d, \"signed_x\": %d",
             L->cin, L->cout, L->h, L->w, L->k, L->xw, L->hw, L->signed_x);
    if (jput(&b, t) ||
        jarray(&b, "weights", L->wt,
               (size_t)L->cout * (size_t)L->cin * (size_t)L->k * (size_t)L->k,
               (size_t)L->k * (size_t)L->k) ||
        jarray(&b, "input", L->in, (size_t)L->cin * (size_t)L->h * (size_t)L->w, (size_t)L->w) ||
        jput(&b, "\n}\n")) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

gm_val gm_layer_conv(const gm_layer *L, int acc, int o, int y, int x)
{
    gm_val s = gm_val_from_u64(0);
    int ci, kr, kc;
    for (ci = 0; ci < L->cin; ci++)
        for (kr = 0; kr < L->k; kr++)
            for (kc = 0; kc < L->k; kc++) {
                int64_t p = GM_LAYER_W(L, o, ci, kr, kc) * GM_LAYER_X(L, ci, y + kr, x + kc);
                s = gm_val_add(s, gm_val_from_i64(p));
            }
    return gm_val_mask(s, acc);
}

int gm_layer_load(gm_layer *L, const char *path, char *err, size_t n)
{
    const size_t max = (size_t)1 << 30;
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, m = 0;
    int rc;
    if (!f) {
        snprintf(err, n, "cannot read layer file '%.200s'", path);
        return -1;
    }
    for (;;) {
        size_t got;
        if (m == cap) {
            char *nb;
            if (cap >= max) {
                snprintf(err, n, "layer file '%.200s' is too large (legal: up to %zu bytes)",
                         path, max);
                free(buf);
                fclose(f);
                return -1;
            }
            cap = cap ? 2 * cap : 65536;
            nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                snprintf(err, n, "out of memory");
                return -1;
            }
            buf = nb;
        }
        got = fread(buf + m, 1, cap - m, f);
        m += got;
        if (got == 0)
            break;
    }
    fclose(f);
    rc = gm_layer_parse(L, buf, m, err, n);
    free(buf);
    return rc;
}
