/*
 * gm_lstm_layer.c -- the decoupled E-LSTM schedule of gm_lstm_layer.h as plain loops: the
 * order of the hardware (all W x_t first), the arithmetic of the layer golden (gm_lstm.c).
 * Sums are kept in unsigned 64-bit words until they are rounded, so no input can overflow a
 * signed type; the accumulator bound is the one gm_lstm_fx_pre checks.
 */
#include "gm_lstm_layer.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gm_lstm_layer_pe_rows(int hid, int p, int pe)
{
    if (p < 1 || pe < 0 || pe >= p || hid < 1)
        return 0;
    return pe < hid ? 4 * ((hid - 1 - pe) / p + 1) : 0;
}

int gm_lstm_layer_row(int hid, int p, int pe, int r)
{
    int j = pe + p * (r / 4);
    return (r % 4) * hid + j;
}

/* A 64-bit two's complement pattern as the signed value it stands for. */
static int64_t as_signed(uint64_t u)
{
    return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

int64_t gm_lstm_layer_run(const gm_lstm_comp *z, const int64_t *bq, const gm_lstm_fx *q,
                          int64_t tq, int batch, int steps, const int64_t *x, int64_t *h,
                          int64_t *c, int64_t *wx, const int64_t *h0, const int64_t *c0)
{
    int I = z->in, H = z->hid, s, t, j;
    int64_t zeros = 0, *own = NULL, *sum, *pre;
    if (batch < 1 || steps < 1 || !x || !h || !c || !bq)
        return -1;
    if (q->b + z->c.m + z->c.f + gm_clog2((uint64_t)(I + H + 1)) + 1 > 62)
        return -1;
    if (!wx) {
        own = malloc((size_t)batch * (size_t)steps * 4u * (size_t)H * sizeof *own);
        if (!own)
            return -1;
        wx = own;
    }
    pre = malloc(4u * (size_t)H * sizeof *pre);
    if (!pre) {
        free(own);
        return -1;
    }
    /* phase 1: W x_t for every step of every sequence, exact */
    for (s = 0; s < batch; s++)
        for (t = 0; t < steps; t++) {
            size_t v = (size_t)s * (size_t)steps + (size_t)t;
            for (j = 0; j < 4 * H; j++)
                wx[v * 4u * (size_t)H + (size_t)j] =
                    as_signed(gm_lstm_row_dot(&z->w, z->c.f, j, x + v * (size_t)I));
        }
    /* phase 2: the recurrent steps, the sequences of the batch interleaved step by step */
    for (t = 0; t < steps; t++)
        for (s = 0; s < batch; s++) {
            size_t v = (size_t)s * (size_t)steps + (size_t)t;
            const int64_t *hp = t > 0 ? h + (v - 1) * (size_t)H : h0 ? h0 + (size_t)s * (size_t)H : NULL;
            const int64_t *cp = t > 0 ? c + (v - 1) * (size_t)H : c0 ? c0 + (size_t)s * (size_t)H : NULL;
            int64_t *hn = h + v * (size_t)H, *cn = c + v * (size_t)H;
            sum = wx + v * 4u * (size_t)H;
            for (j = 0; j < 4 * H; j++) {
                int64_t acc = bq[j] + sum[j];
                if (hp)
                    acc += as_signed(gm_lstm_row_dot(&z->u, z->c.f, j, hp));
                pre[j] = gm_lstm_fx_round(q, z->c.f, acc);
            }
            for (j = 0; j < H; j++) {
                cn[j] = cp ? cp[j] : 0;
                hn[j] = gm_lstm_fx_cell(q, tq, pre[j], pre[H + j], pre[2 * H + j],
                                        pre[3 * H + j], &cn[j]);
                zeros += hn[j] == 0;
            }
        }
    free(pre);
    free(own);
    return zeros;
}

/* ---------------------------------------------------------------- the lstm_layer block */

void gm_lstm_layer_dims_of(const gm_lstm_layer_cfg *c, gm_lstm_layer_dims *d)
{
    int p = c->p < 1 ? 1 : c->p, words;
    memset(d, 0, sizeof *d);
    d->units = (c->hid + p - 1) / p;
    d->rows = 4 * d->units;
    d->cw = c->n > 0 ? (c->in + c->n - 1) / c->n * c->n : c->in;
    d->nv = c->batch * c->steps;
    d->pe.rows = d->rows;
    d->pe.cols = d->cw + c->hid;
    d->pe.n = c->n;
    d->pe.k = c->k;
    d->pe.em = c->em;
    d->pe.ef = c->ef;
    d->pe.b = c->b;
    d->pe.acc = 64;
    d->pe.dbuf = 1; /* the broadcast of the next vector overlaps the computation */
    gm_lstm_pe_dims_of(&d->pe, &d->ped);
    d->acc = d->ped.acc_min;
    d->pe.acc = d->acc;
    words = d->rows * d->ped.kpr;
    d->lw = words > 1 ? gm_clog2((uint64_t)words) : 1;
    d->rw = d->rows > 1 ? gm_clog2((uint64_t)d->rows) : 1;
    d->pb = p > 1 ? gm_clog2((uint64_t)p) : 0;
    {
        int sv = 2 * c->batch * d->units;
        d->qw = sv > 1 ? gm_clog2((uint64_t)sv) : 1;
    }
    d->aw = d->pb + (d->lw > d->rw ? d->lw : d->rw);
    if (d->pb + d->qw > d->aw)
        d->aw = d->pb + d->qw;
    {
        int xw = c->in > 1 ? gm_clog2((uint64_t)c->in) : 1;
        if (xw > d->aw)
            d->aw = xw;
    }
    d->dw = d->acc;
    if (c->b > d->dw)
        d->dw = c->b;
    if (d->ped.ww > d->dw)
        d->dw = d->ped.ww;
}

int gm_lstm_layer_check(const gm_lstm_layer_cfg *c, char *err, size_t n)
{
    gm_lstm_layer_dims d;
    gm_lstm_fx q;
    char m[256];
    long long bits;
    if (c->in < 1 || c->in > 1024 || c->hid < 1 || c->hid > 1024) {
        snprintf(err, n, "I=%d H=%d out of range (legal: I 1..1024, H 1..1024)", c->in, c->hid);
        return -1;
    }
    if (c->p < 1 || c->p > c->hid || c->p > 64) {
        snprintf(err, n, "P=%d out of range for H=%d (legal: 1..min(H, 64))", c->p, c->hid);
        return -1;
    }
    if (c->batch < 1 || c->batch > 64 || c->steps < 1 || c->steps > 256) {
        snprintf(err, n, "BATCH=%d STEPS=%d out of range (legal: BATCH 1..64, STEPS 1..256)",
                 c->batch, c->steps);
        return -1;
    }
    q.b = c->b;
    q.f = c->f;
    q.t = 0.0;
    if (gm_lstm_fx_check(&q, m, sizeof m)) {
        snprintf(err, n, "B=%d F=%d out of range (legal: 5 <= F <= 24, F+3 <= B <= 32)", c->b,
                 c->f);
        return -1;
    }
    if (c->tq < 0 || c->f > 30 || c->tq >= (1 << c->f)) {
        snprintf(err, n, "TQ=%d out of range (legal: 0..2^F-1 = 0..%d; 0: no clipping)", c->tq,
                 (1 << c->f) - 1);
        return -1;
    }
    if (c->n < 2 || c->n > 256 || (c->n & (c->n - 1)) != 0) {
        snprintf(err, n, "N=%d is not a power of two in 2..256 (legal: 2, 4, 8, ..., 256)", c->n);
        return -1;
    }
    if (c->k < 1 || c->k > c->n) {
        snprintf(err, n, "K=%d out of range for N=%d (legal: 1..N)", c->k, c->n);
        return -1;
    }
    if (c->em < 0 || c->em > 16 || c->ef < 0 || c->ef > 24 || c->em + c->ef > 31) {
        snprintf(err, n, "exponent range [-%d, %d] out of range (legal: EM 0..16, EF 0..24, "
                         "EM+EF <= 31)",
                 c->ef, c->em);
        return -1;
    }
    gm_lstm_layer_dims_of(c, &d);
    if (gm_lstm_pe_check(&d.pe, m, sizeof m)) {
        snprintf(err, n, "the PE (ROWS=4*ceil(H/P)=%d, COLS=ceil(I/N)*N+H=%d): %.180s", d.rows,
                 d.pe.cols, m);
        return -1;
    }
    if (d.acc > 62 || c->b + c->em + c->ef + gm_clog2((uint64_t)(c->in + c->hid + 1)) + 1 > 62) {
        snprintf(err, n, "sums of %d bits do not fit the 64-bit golden model (legal: "
                         "B+EM+EF+1+clog2(KPR) <= 62)",
                 d.acc);
        return -1;
    }
    bits = (long long)c->p * d.nv * d.rows * d.acc + 2LL * c->batch * c->p * d.units * c->b;
    if (bits > (1LL << 20)) {
        snprintf(err, n, "the W x buffer and states need %lld register bits (legal: "
                         "P*BATCH*STEPS*4*ceil(H/P)*ACC + 2*BATCH*P*ceil(H/P)*B <= 1048576)",
                 bits);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- memory images */

int gm_lstm_layer_image(const gm_lstm_layer_cfg *c, const gm_lstm_comp *z, const int64_t *bq,
                        uint64_t *words, uint64_t *bias)
{
    gm_lstm_layer_dims d;
    int P = c->p, H = c->hid, I = c->in, p, r, j, kpr, ngw, nwords;
    uint64_t bm;
    gm_lstm_layer_dims_of(c, &d);
    kpr = d.ped.kpr;
    ngw = d.cw / c->n;
    nwords = d.rows * kpr;
    if (z->in != I || z->hid != H || z->c.n != c->n || z->c.k != c->k || z->c.m != c->em ||
        z->c.f != c->ef || z->w.kept_per_row + z->u.kept_per_row > kpr ||
        z->w.rows != 4 * H || z->u.rows != 4 * H)
        return -1;
    bm = d.acc >= 64 ? UINT64_MAX : (UINT64_C(1) << d.acc) - 1u;
    for (p = 0; p < P; p++)
        for (r = 0; r < d.rows; r++) {
            int unit = p + P * (r / 4), R = gm_lstm_layer_row(H, P, p, r);
            uint64_t *w = words + (size_t)p * (size_t)nwords + (size_t)r * (size_t)kpr;
            bias[(size_t)p * (size_t)d.rows + (size_t)r] = unit < H ? (uint64_t)bq[R] & bm : 0;
            for (j = 0; j < kpr; j++) {
                if (unit >= H) {
                    w[j] = 0;
                } else if (j < ngw * c->k) {
                    int g = j / c->k, t = j % c->k, len = I - g * c->n;
                    int cnt = len < c->k ? len : c->k;
                    if (t < cnt) {
                        size_t e = (size_t)R * (size_t)z->w.kept_per_row + (size_t)(g * c->k + t);
                        w[j] = gm_lstm_pack(z->w.idx[e], z->w.sgn[e], z->w.ex[e] + c->ef,
                                            d.ped.ew);
                    } else {
                        w[j] = gm_lstm_pack(c->n - 1, 0, 0, d.ped.ew);
                    }
                } else {
                    size_t e = (size_t)R * (size_t)z->u.kept_per_row + (size_t)(j - ngw * c->k);
                    w[j] = gm_lstm_pack(z->u.idx[e], z->u.sgn[e], z->u.ex[e] + c->ef, d.ped.ew);
                }
            }
        }
    return 0;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

int gm_hexwords_parse(const char *text, size_t len, int width, int64_t max, char *hdr,
                      size_t hdrn, uint64_t **out, int64_t *count, char *err, size_t n)
{
    size_t pos = 0, line = 0;
    int64_t cnt = 0, cap = 0;
    uint64_t *v = NULL;
    *out = NULL;
    *count = 0;
    if (hdrn)
        hdr[0] = '\0';
    if (width < 1 || width > 64 || max < 0) {
        snprintf(err, n, "bad word width %d (legal: 1..64)", width);
        return -1;
    }
    while (pos < len) {
        size_t e = pos, a, b;
        line++;
        while (e < len && text[e] != '\n')
            e++;
        a = pos;
        b = e;
        if (b > a && text[b - 1] == '\r')
            b--;
        while (a < b && (text[a] == ' ' || text[a] == '\t'))
            a++;
        while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t'))
            b--;
        pos = e + 1;
        if (a == b)
            continue;
        if (b - a >= 2 && text[a] == '/' && text[a + 1] == '/') {
            if (line == 1 && hdrn) {
                size_t h0 = a + 2, k = 0;
                while (h0 < b && text[h0] == ' ')
                    h0++;
                for (; h0 < b && k + 1 < hdrn; h0++) /* control bytes become spaces */
                    hdr[k++] = (unsigned char)text[h0] < 32 ? ' ' : text[h0];
                hdr[k] = '\0';
            }
            continue;
        }
        {
            uint64_t x = 0;
            size_t k;
            if (b - a > 16) {
                snprintf(err, n, "line %zu: more than 16 hex digits (legal: one word of at most "
                                 "%d bits a line, or a // comment)",
                         line, width);
                free(v);
                return -1;
            }
            for (k = a; k < b; k++) {
                int h = hexval((unsigned char)text[k]);
                if (h < 0) {
                    snprintf(err, n, "line %zu: not a hex word (legal: hex digits 0-9 a-f, or "
                                     "a // comment)",
                             line);
                    free(v);
                    return -1;
                }
                x = (x << 4) | (uint64_t)h;
            }
            if (width < 64 && (x >> width) != 0) {
                snprintf(err, n, "line %zu: word wider than %d bits (legal: 0..2^%d-1)", line,
                         width, width);
                free(v);
                return -1;
            }
            if (cnt >= max) {
                snprintf(err, n, "line %zu: more than %lld words (legal: at most %lld)", line,
                         (long long)max, (long long)max);
                free(v);
                return -1;
            }
            if (cnt == cap) {
                int64_t nc = cap ? 2 * cap : 1024;
                uint64_t *nv = realloc(v, (size_t)nc * sizeof *nv);
                if (!nv) {
                    snprintf(err, n, "out of memory");
                    free(v);
                    return -1;
                }
                v = nv;
                cap = nc;
            }
            v[cnt++] = x;
        }
    }
    *out = v;
    *count = cnt;
    return 0;
}

int gm_header_int(const char *hdr, const char *key, int *v)
{
    size_t kl = strlen(key);
    const char *p = hdr;
    if (!kl)
        return -1;
    while ((p = strstr(p, key)) != NULL) {
        if ((p == hdr || p[-1] == ' ') && p[kl] == '=') {
            char *end;
            long x;
            errno = 0;
            x = strtol(p + kl + 1, &end, 10);
            if (end == p + kl + 1 || (*end != '\0' && *end != ' ' && *end != ':' && *end != ',') ||
                errno || x < INT_MIN || x > INT_MAX)
                return -1;
            *v = (int)x;
            return 0;
        }
        p += kl;
    }
    return -1;
}
