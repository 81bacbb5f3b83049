/*
 * gm_lstm.c -- E-LSTM compression: float model files, (n,k) top-k pruning, LogQ codes,
 * packed weight words (gm_lstm.h, docs/lstm.md).
 */
#include "gm_lstm.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gm_lstm_cfg_check(const gm_lstm_cfg *c, char *err, size_t n)
{
    if (c->n < 1 || c->n > 256 || c->k < 1 || c->k > c->n) {
        snprintf(err, n, "lstm: (n,k) = (%d,%d) out of range (legal: 1 <= k <= n <= 256)", c->n,
                 c->k);
        return -1;
    }
    if (c->m < -30 || c->m > 30 || c->f < -30 || c->f > 30 || c->m + c->f < 0 ||
        c->m + c->f > 62) {
        snprintf(err, n, "lstm: exponent range [-%d, %d] out of range (legal: -f <= m, both "
                         "-30..30)",
                 c->f, c->m);
        return -1;
    }
    return 0;
}

void gm_lstm_float_free(gm_lstm_float *m)
{
    free(m->w);
    free(m->u);
    free(m->b);
    m->w = m->u = m->b = NULL;
}

static int alloc_float(gm_lstm_float *m, char *err, size_t n)
{
    size_t g = 4u * (size_t)m->hid;
    if (m->in < 1 || m->in > GM_LSTM_MAX_DIM || m->hid < 1 || m->hid > GM_LSTM_MAX_DIM) {
        snprintf(err, n, "lstm: input %d, hidden %d out of range (legal: 1..%d)", m->in, m->hid,
                 GM_LSTM_MAX_DIM);
        return -1;
    }
    m->w = calloc(g * (size_t)m->in, sizeof *m->w);
    m->u = calloc(g * (size_t)m->hid, sizeof *m->u);
    m->b = calloc(g, sizeof *m->b);
    if (!m->w || !m->u || !m->b) {
        gm_lstm_float_free(m);
        snprintf(err, n, "lstm: out of memory");
        return -1;
    }
    return 0;
}

static int get_dim(const cJSON *o, const char *name, int *out, char *err, size_t n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < 1 ||
        v->valuedouble > GM_LSTM_MAX_DIM) {
        snprintf(err, n, "lstm: \"%s\" missing or not an integer in 1..%d (legal: 1..%d)", name,
                 GM_LSTM_MAX_DIM, GM_LSTM_MAX_DIM);
        return -1;
    }
    *out = (int)v->valuedouble;
    return 0;
}

static int get_array(const cJSON *o, const char *name, double *dst, size_t count, char *err,
                     size_t n)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, name), *v;
    size_t i = 0;
    if (!cJSON_IsArray(a) || (size_t)cJSON_GetArraySize(a) != count) {
        snprintf(err, n, "lstm: \"%s\" must be an array of %zu numbers (legal: exactly %zu)",
                 name, count, count);
        return -1;
    }
    cJSON_ArrayForEach(v, a)
    {
        if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || fabs(v->valuedouble) > 1e30) {
            snprintf(err, n, "lstm: \"%s\"[%zu] is not a finite number (legal: |x| <= 1e30)",
                     name, i);
            return -1;
        }
        dst[i++] = v->valuedouble;
    }
    return 0;
}

int gm_lstm_parse(gm_lstm_float *m, const char *text, size_t len, char *err, size_t n)
{
    cJSON *root = cJSON_ParseWithLength(text, len);
    int rc = -1;
    size_t g;
    memset(m, 0, sizeof *m);
    if (!root || !cJSON_IsObject(root)) {
        snprintf(err, n, "lstm: malformed JSON (legal: an object, docs/lstm.md)");
        goto out;
    }
    if (get_dim(root, "input", &m->in, err, n) || get_dim(root, "hidden", &m->hid, err, n))
        goto out;
    g = 4u * (size_t)m->hid;
    { /* sizes first: nothing large is allocated for a short file */
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "W");
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(root, "U");
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(root, "b");
        if (!cJSON_IsArray(w) || (size_t)cJSON_GetArraySize(w) != g * (size_t)m->in ||
            !cJSON_IsArray(u) || (size_t)cJSON_GetArraySize(u) != g * (size_t)m->hid ||
            !cJSON_IsArray(b) || (size_t)cJSON_GetArraySize(b) != g) {
            snprintf(err, n, "lstm: \"W\", \"U\", \"b\" must hold 4H*I = %zu, 4H*H = %zu, 4H = "
                             "%zu numbers (legal: exactly those)",
                     g * (size_t)m->in, g * (size_t)m->hid, g);
            goto out;
        }
    }
    if (alloc_float(m, err, n))
        goto out;
    if (get_array(root, "W", m->w, g * (size_t)m->in, err, n) ||
        get_array(root, "U", m->u, g * (size_t)m->hid, err, n) ||
        get_array(root, "b", m->b, g, err, n)) {
        gm_lstm_float_free(m);
        goto out;
    }
    rc = 0;
out:
    cJSON_Delete(root);
    return rc;
}

int gm_lstm_random(gm_lstm_float *m, int in, int hid, uint64_t seed, char *err, size_t n)
{
    gm_rng r;
    size_t i, g;
    double a;
    memset(m, 0, sizeof *m);
    m->in = in;
    m->hid = hid;
    if (alloc_float(m, err, n))
        return -1;
    gm_rng_seed(&r, seed);
    a = 1.0 / sqrt((double)hid);
    g = 4u * (size_t)hid;
    for (i = 0; i < g * (size_t)in; i++)
        m->w[i] = a * (2.0 * (double)(gm_rng_next(&r) >> 11) / 9007199254740992.0 - 1.0);
    for (i = 0; i < g * (size_t)hid; i++)
        m->u[i] = a * (2.0 * (double)(gm_rng_next(&r) >> 11) / 9007199254740992.0 - 1.0);
    for (i = 0; i < g; i++)
        m->b[i] = a * (2.0 * (double)(gm_rng_next(&r) >> 11) / 9007199254740992.0 - 1.0);
    return 0;
}

void gm_lstm_logq(double w, int m, int f, int *sgn, int *ex)
{
    double a = fabs(w);
    int e;
    *sgn = w < 0;
    /* nearest power of two in the linear domain: 2^e for a in [0.75 * 2^e, 1.5 * 2^e) */
    if (a <= 0) {
        *ex = -f;
        return;
    }
    e = (int)floor(log2(a));
    if (a >= 1.5 * ldexp(1.0, e))
        e++;
    if (e < -f)
        e = -f;
    if (e > m)
        e = m;
    *ex = e;
}

static void mat_free(gm_lstm_mat *a)
{
    free(a->idx);
    free(a->sgn);
    free(a->ex);
    a->idx = a->sgn = a->ex = NULL;
}

void gm_lstm_comp_free(gm_lstm_comp *c)
{
    mat_free(&c->w);
    mat_free(&c->u);
}

/* Prune and quantize rows x cols (row-major) into a. */
static int compress_mat(const double *src, int rows, int cols, const gm_lstm_cfg *c,
                        gm_lstm_mat *a)
{
    int r, g, j, kept = 0;
    a->rows = rows;
    a->cols = cols;
    a->n = c->n;
    a->k = c->k;
    a->ngroups = (cols + c->n - 1) / c->n;
    for (g = 0; g < a->ngroups; g++) {
        int len = cols - g * c->n < c->n ? cols - g * c->n : c->n;
        kept += len < c->k ? len : c->k;
    }
    a->kept_per_row = kept;
    a->idx = malloc((size_t)rows * (size_t)kept * sizeof(int));
    a->sgn = malloc((size_t)rows * (size_t)kept * sizeof(int));
    a->ex = malloc((size_t)rows * (size_t)kept * sizeof(int));
    if (!a->idx || !a->sgn || !a->ex)
        return -1;
    for (r = 0; r < rows; r++) {
        int out = r * kept;
        for (g = 0; g < a->ngroups; g++) {
            int c0 = g * c->n, len = cols - c0 < c->n ? cols - c0 : c->n;
            int keep = len < c->k ? len : c->k;
            unsigned char sel[256];
            int t;
            memset(sel, 0, sizeof sel);
            /* k largest magnitudes; ties to the lower column */
            for (t = 0; t < keep; t++) {
                int best = -1;
                for (j = 0; j < len; j++)
                    if (!sel[j] && (best < 0 || fabs(src[(size_t)r * (size_t)cols + (size_t)(c0 + j)]) >
                                                    fabs(src[(size_t)r * (size_t)cols + (size_t)(c0 + best)])))
                        best = j;
                sel[best] = 1;
            }
            for (j = 0; j < len; j++)
                if (sel[j]) {
                    gm_lstm_logq(src[(size_t)r * (size_t)cols + (size_t)(c0 + j)], c->m, c->f,
                                 &a->sgn[out], &a->ex[out]);
                    a->idx[out] = j;
                    out++;
                }
        }
    }
    return 0;
}

int gm_lstm_compress(const gm_lstm_float *m, const gm_lstm_cfg *c, gm_lstm_comp *out, char *err,
                     size_t n)
{
    memset(out, 0, sizeof *out);
    if (gm_lstm_cfg_check(c, err, n))
        return -1;
    out->c = *c;
    out->in = m->in;
    out->hid = m->hid;
    out->ewidth = gm_clog2((uint64_t)(c->m + c->f + 1));
    if (out->ewidth < 1)
        out->ewidth = 1;
    out->iwidth = gm_clog2((uint64_t)c->n);
    out->code_bits = out->iwidth + 1 + out->ewidth;
    if (compress_mat(m->w, 4 * m->hid, m->in, c, &out->w) ||
        compress_mat(m->u, 4 * m->hid, m->hid, c, &out->u)) {
        gm_lstm_comp_free(out);
        snprintf(err, n, "lstm: out of memory");
        return -1;
    }
    return 0;
}

double gm_lstm_deq(const gm_lstm_mat *a, int r, int col)
{
    int g = col / a->n, len = a->cols - g * a->n < a->n ? a->cols - g * a->n : a->n;
    int cnt = len < a->k ? len : a->k, t;
    int e0 = r * a->kept_per_row + g * a->k; /* every group before g is full: k entries */
    for (t = 0; t < cnt; t++)
        if (a->idx[e0 + t] == col - g * a->n)
            return (a->sgn[e0 + t] ? -1.0 : 1.0) * ldexp(1.0, a->ex[e0 + t]);
    return 0.0;
}

uint64_t gm_lstm_word(const gm_lstm_comp *c, const gm_lstm_mat *a, int r, int j)
{
    int e = r * a->kept_per_row + j;
    uint64_t code = (uint64_t)(a->ex[e] + c->c.f);
    return ((uint64_t)a->idx[e] << (1 + c->ewidth)) | ((uint64_t)a->sgn[e] << c->ewidth) | code;
}
