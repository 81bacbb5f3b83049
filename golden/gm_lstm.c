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

void gm_lstm_mat_free(gm_lstm_mat *a)
{
    free(a->idx);
    free(a->sgn);
    free(a->ex);
    a->idx = a->sgn = a->ex = NULL;
}

void gm_lstm_comp_free(gm_lstm_comp *c)
{
    gm_lstm_mat_free(&c->w);
    gm_lstm_mat_free(&c->u);
}

int gm_lstm_mat_alloc(gm_lstm_mat *a, int rows, int cols, int n, int k)
{
    int g, kept = 0;
    memset(a, 0, sizeof *a);
    if (rows < 1 || cols < 1 || n < 1 || k < 1)
        return -1;
    a->rows = rows;
    a->cols = cols;
    a->n = n;
    a->k = k;
    a->ngroups = (cols + n - 1) / n;
    for (g = 0; g < a->ngroups; g++) {
        int len = cols - g * n < n ? cols - g * n : n;
        kept += len < k ? len : k;
    }
    a->kept_per_row = kept;
    a->idx = calloc((size_t)rows * (size_t)kept, sizeof(int));
    a->sgn = calloc((size_t)rows * (size_t)kept, sizeof(int));
    a->ex = calloc((size_t)rows * (size_t)kept, sizeof(int));
    if (!a->idx || !a->sgn || !a->ex) {
        gm_lstm_mat_free(a);
        return -1;
    }
    return 0;
}

/* Prune and quantize rows x cols (row-major) into a. */
int gm_lstm_mat_compress(const double *src, int rows, int cols, const gm_lstm_cfg *c,
                         gm_lstm_mat *a)
{
    int r, g, j;
    if (gm_lstm_mat_alloc(a, rows, cols, c->n, c->k))
        return -1;
    for (r = 0; r < rows; r++) {
        int out = r * a->kept_per_row;
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
    if (gm_lstm_mat_compress(m->w, 4 * m->hid, m->in, c, &out->w) ||
        gm_lstm_mat_compress(m->u, 4 * m->hid, m->hid, c, &out->u)) {
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
    return gm_lstm_pack(a->idx[e], a->sgn[e], a->ex[e] + c->c.f, c->ewidth);
}

uint64_t gm_lstm_pack(int idx, int sgn, int code, int ewidth)
{
    return ((uint64_t)(unsigned)idx << (1 + ewidth)) | ((uint64_t)(sgn != 0) << ewidth) |
           ((uint64_t)(unsigned)code & ((UINT64_C(1) << ewidth) - 1u));
}

void gm_lstm_unpack(uint64_t word, int iwidth, int ewidth, int *idx, int *sgn, int *code)
{
    *code = (int)(word & ((UINT64_C(1) << ewidth) - 1u));
    *sgn = (int)((word >> ewidth) & 1u);
    *idx = (int)((word >> (ewidth + 1)) & ((UINT64_C(1) << iwidth) - 1u));
}

/* ---------------------------------------------------------------- fixed point */

int gm_lstm_fx_check(const gm_lstm_fx *q, char *err, size_t n)
{
    if (q->f < 5 || q->f > 24 || q->b < q->f + 3 || q->b > 32 || !(q->t >= 0 && q->t < 1)) {
        snprintf(err, n, "lstm: B=%d F=%d T=%g out of range (legal: 5 <= F <= 24, F+3 <= B <= "
                         "32, 0 <= T < 1)",
                 q->b, q->f, q->t);
        return -1;
    }
    return 0;
}

static int64_t sat(const gm_lstm_fx *q, int64_t v)
{
    int64_t hi = ((int64_t)1 << (q->b - 1)) - 1, lo = -((int64_t)1 << (q->b - 1));
    return v > hi ? hi : v < lo ? lo : v;
}

int64_t gm_lstm_quant(const gm_lstm_fx *q, double x)
{
    double v = x * ldexp(1.0, q->f);
    double lim = ldexp(1.0, q->b);
    if (v > lim)
        v = lim;
    if (v < -lim)
        v = -lim;
    return sat(q, (int64_t)(v < 0 ? -floor(-v + 0.5) : floor(v + 0.5)));
}

/* round(a / 2^s), half away from zero, for s >= 1 */
static int64_t rshift_round(int64_t a, int s)
{
    int64_t h = (int64_t)1 << (s - 1);
    return a >= 0 ? (a + h) >> s : -((-a + h) >> s);
}

int64_t gm_lstm_sig(const gm_lstm_fx *q, int64_t z)
{
    int F = q->f;
    int64_t one = (int64_t)1 << F, a = z < 0 ? -z : z, y;
    if (a >= 5 * one) {
        y = one;
    } else if (a >= one) { /* the lower of a/8 + 0.625 and a/32 + 0.84375: they cross at
                            * 7/3, so the curve stays continuous and monotone (PLAN's
                            * own breakpoint, 2.375, leaves a step down of 1/256) */
        int64_t s2 = (a >> 3) + ((5 * one) >> 3), s3 = (a >> 5) + ((27 * one) >> 5);
        y = s2 < s3 ? s2 : s3;
    } else {
        y = (a >> 2) + (one >> 1); /* a/4 + 0.5 */
    }
    return z < 0 ? one - y : y;
}

int64_t gm_lstm_tanh(const gm_lstm_fx *q, int64_t z)
{
    return 2 * gm_lstm_sig(q, 2 * z) - ((int64_t)1 << q->f);
}

/* a * b of two F-fraction numbers, rounded half away from zero, saturated to B bits */
static int64_t fmul(const gm_lstm_fx *q, int64_t a, int64_t b)
{
    return sat(q, rshift_round(a * b, q->f));
}

/* Row r of a compressed matrix times vector v (F fraction): sum of v[col] * 2^e with F + f
 * fractional bits (exact: a shift and a sign per kept weight), in unsigned arithmetic so
 * that no input can overflow a signed type. */
uint64_t gm_lstm_row_dot(const gm_lstm_mat *a, int f, int r, const int64_t *v)
{
    uint64_t s = 0;
    int g, t;
    for (g = 0; g < a->ngroups; g++) {
        int len = a->cols - g * a->n < a->n ? a->cols - g * a->n : a->n;
        int cnt = len < a->k ? len : a->k;
        for (t = 0; t < cnt; t++) {
            int e = r * a->kept_per_row + g * a->k + t, col = g * a->n + a->idx[e];
            int sh = a->ex[e] + f;
            uint64_t x;
            if (col >= a->cols || sh < 0 || sh > 63)
                continue;
            x = (uint64_t)v[col] << sh;
            s += a->sgn[e] ? 0u - x : x;
        }
    }
    return s;
}

/* A 64-bit two's complement pattern as the signed value it stands for (no
 * implementation-defined conversion). */
static int64_t as_signed(uint64_t u)
{
    return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

int64_t gm_lstm_bias_q(const gm_lstm_comp *z, const gm_lstm_float *m, const gm_lstm_fx *q,
                       int j)
{
    double bv = m->b[j] * ldexp(1.0, q->f + z->c.f), lim = ldexp(1.0, 60);
    return (int64_t)floor((bv > lim ? lim : bv < -lim ? -lim : bv) + 0.5);
}

int64_t gm_lstm_fx_round(const gm_lstm_fx *q, int f, int64_t acc)
{
    return f > 0 ? sat(q, rshift_round(acc, f)) : sat(q, acc * ((int64_t)1 << -f));
}

int gm_lstm_fx_pre(const gm_lstm_comp *z, const gm_lstm_float *m, const gm_lstm_fx *q,
                   const int64_t *x, const int64_t *h, int64_t *pre)
{
    int j;
    /* the accumulator: B-bit values shifted by up to m + f, summed over I + H + 1 terms */
    if (q->b + z->c.m + z->c.f + gm_clog2((uint64_t)(z->in + z->hid + 1)) + 1 > 62)
        return -1;
    for (j = 0; j < 4 * z->hid; j++) { /* bias in F + f fraction, then back to F, saturated */
        int64_t acc = gm_lstm_bias_q(z, m, q, j);
        acc += as_signed(gm_lstm_row_dot(&z->w, z->c.f, j, x)) +
               as_signed(gm_lstm_row_dot(&z->u, z->c.f, j, h));
        pre[j] = gm_lstm_fx_round(q, z->c.f, acc);
    }
    return 0;
}

int64_t gm_lstm_fx_cell(const gm_lstm_fx *q, int64_t tq, int64_t zi, int64_t zf, int64_t zg,
                        int64_t zo, int64_t *c)
{
    int64_t gi = gm_lstm_sig(q, zi), gf = gm_lstm_sig(q, zf);
    int64_t gg = gm_lstm_tanh(q, zg), go = gm_lstm_sig(q, zo);
    /* clipped gating; with T = 0 (tq = 0) it changes nothing: a sigmoid is never negative */
    gi = gi > tq ? gi : 0;
    gf = gf > tq ? gf : 0;
    go = go > tq ? go : 0;
    *c = sat(q, fmul(q, gf, *c) + fmul(q, gi, gg));
    return fmul(q, go, gm_lstm_tanh(q, *c));
}

int gm_lstm_fx_step(const gm_lstm_comp *z, const gm_lstm_float *m, const gm_lstm_fx *q,
                    const int64_t *x, int64_t *h, int64_t *c)
{
    int H = z->hid, j, zeros = 0;
    int64_t *pre, tq = gm_lstm_quant(q, q->t);
    pre = malloc(4u * (size_t)H * sizeof *pre);
    if (!pre)
        return -1;
    if (gm_lstm_fx_pre(z, m, q, x, h, pre)) {
        free(pre);
        return -1;
    }
    for (j = 0; j < H; j++) {
        h[j] = gm_lstm_fx_cell(q, tq, pre[j], pre[H + j], pre[2 * H + j], pre[3 * H + j], &c[j]);
        zeros += h[j] == 0;
    }
    free(pre);
    return zeros;
}

static double sigm(double v)
{
    return 1.0 / (1.0 + exp(-v));
}

void gm_lstm_float_step(const gm_lstm_float *m, const gm_lstm_comp *z, const double *x,
                        double *h, double *c)
{
    int H = m->hid, I = m->in, j, k;
    double *pre = malloc(4u * (size_t)H * sizeof *pre);
    if (!pre)
        return;
    for (j = 0; j < 4 * H; j++) {
        double s = m->b[j];
        for (k = 0; k < I; k++)
            s += (z ? gm_lstm_deq(&z->w, j, k) : m->w[(size_t)j * (size_t)I + (size_t)k]) * x[k];
        for (k = 0; k < H; k++)
            s += (z ? gm_lstm_deq(&z->u, j, k) : m->u[(size_t)j * (size_t)H + (size_t)k]) * h[k];
        pre[j] = s;
    }
    for (j = 0; j < H; j++) {
        double gi = sigm(pre[j]), gf = sigm(pre[H + j]), gg = tanh(pre[2 * H + j]);
        double go = sigm(pre[3 * H + j]);
        c[j] = gf * c[j] + gi * gg;
        h[j] = go * tanh(c[j]);
    }
    free(pre);
}
