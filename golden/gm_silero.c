/*
 * gm_silero.c -- Silero VAD v5, 16 kHz branch, in float (see gm_silero.h).
 *
 * This is the golden reference for the LSTM of issue 7, so it is written as plainly as the
 * math: direct loops, sums in double (the order of a float sum would otherwise be one more
 * thing to match), no tricks. The weights are not hard-coded: they are found in the then
 * branch of the model's top-level If (taken when sr == 16000) by the names PyTorch's exporter
 * gave them, and each shape is checked, so another file is refused, not misread.
 */
#include "gm_silero.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define NBIN 129 /* STFT bins of a 256-point frame */
#define NFFT 256
#define NPAD 64  /* reflect padding on the right */

static int ferr(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int ferr(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    for (char *q = err; *q; q++) /* a chunk id of the file may hold any byte: one line */
        if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
            *q = '?';
    return -1;
}

/* The output named "<anything>__NAME" (or NAME) of a Constant node of g, with its tensor. */
static const gm_onnx_tensor *const_find(const gm_onnx_graph *g, const char *name)
{
    size_t ln = strlen(name);
    for (size_t k = 0; k < g->nnode; k++) {
        const gm_onnx_node *nd = &g->node[k];
        const gm_onnx_attr *a;
        size_t lo;
        if (strcmp(nd->op_type, "Constant") != 0 || nd->nout != 1)
            continue;
        lo = strlen(nd->out[0]);
        if (lo < ln || strcmp(nd->out[0] + lo - ln, name) != 0)
            continue;
        if (lo > ln && !(lo >= ln + 2 && nd->out[0][lo - ln - 1] == '_' &&
                         nd->out[0][lo - ln - 2] == '_'))
            continue;
        a = gm_onnx_attr_find(nd, "value");
        if (a && a->t && a->t->f)
            return a->t;
    }
    return gm_onnx_init_find(g, name);
}

/* The Conv node of g whose weight input ends with wname; its "strides" attribute. */
static int conv_stride(const gm_onnx_graph *g, const char *wname, int64_t *stride, int64_t *kernel)
{
    size_t ln = strlen(wname);
    for (size_t k = 0; k < g->nnode; k++) {
        const gm_onnx_node *nd = &g->node[k];
        const gm_onnx_attr *s, *ks;
        size_t lo;
        if (strcmp(nd->op_type, "Conv") != 0 || nd->nin < 2)
            continue;
        lo = strlen(nd->in[1]);
        if (lo < ln || strcmp(nd->in[1] + lo - ln, wname) != 0)
            continue;
        s = gm_onnx_attr_find(nd, "strides");
        ks = gm_onnx_attr_find(nd, "kernel_shape");
        if (!s || s->nints != 1 || !ks || ks->nints != 1)
            return -1;
        *stride = s->ints[0];
        *kernel = ks->ints[0];
        return 0;
    }
    return -1;
}

/* Is name the output of Equal(X, C) or Equal(C, X) where C is a Constant 16000? */
static int is_sr16k(const gm_onnx_graph *g, const char *name)
{
    for (size_t k = 0; k < g->nnode; k++) {
        const gm_onnx_node *nd = &g->node[k];
        if (strcmp(nd->op_type, "Equal") != 0 || nd->nout != 1 || nd->nin != 2 ||
            strcmp(nd->out[0], name) != 0)
            continue;
        for (size_t j = 0; j < g->nnode; j++) {
            const gm_onnx_node *c = &g->node[j];
            const gm_onnx_attr *a;
            if (strcmp(c->op_type, "Constant") != 0 || c->nout != 1 ||
                (strcmp(c->out[0], nd->in[0]) != 0 && strcmp(c->out[0], nd->in[1]) != 0))
                continue;
            a = gm_onnx_attr_find(c, "value");
            if (a && a->t && a->t->i && a->t->count == 1 && a->t->i[0] == GM_SILERO_RATE)
                return 1;
        }
    }
    return 0;
}

static int shape_is(const gm_onnx_tensor *t, int nd, int64_t d0, int64_t d1, int64_t d2)
{
    int64_t d[3] = { d0, d1, d2 };
    if (!t || !t->f || t->ndims != nd)
        return 0;
    for (int k = 0; k < nd; k++)
        if (t->dims[k] != d[k])
            return 0;
    return 1;
}

static float *copy_f(const gm_onnx_tensor *t)
{
    float *p = malloc((size_t)t->count * sizeof *p);
    if (p)
        memcpy(p, t->f, (size_t)t->count * sizeof *p);
    return p;
}

int gm_silero_from_onnx(gm_silero *s, const gm_onnx_model *m, char *err, size_t n)
{
    static const int cin[4] = { NBIN, 128, 64, 64 }, cout[4] = { 128, 64, 64, 128 };
    const gm_onnx_graph *g = NULL;
    const gm_onnx_tensor *t;
    int64_t st, ks;
    char name[64];
    memset(s, 0, sizeof *s);
    /* The top-level If on (sr == 16000): its then branch is the 16 kHz model. */
    for (size_t k = 0; m->graph && k < m->graph->nnode && !g; k++) {
        const gm_onnx_node *nd = &m->graph->node[k];
        const gm_onnx_attr *a;
        if (strcmp(nd->op_type, "If") != 0 || nd->nin != 1 || !is_sr16k(m->graph, nd->in[0]))
            continue;
        a = gm_onnx_attr_find(nd, "then_branch");
        if (a && a->g)
            g = a->g;
    }
    if (!g)
        return ferr(err, n, "not a Silero VAD v5 model: no If node on the sample rate at the top "
                            "level (legal: silero_vad_v5.onnx)");
    t = const_find(g, "stft.forward_basis_buffer");
    if (!shape_is(t, 3, 2 * NBIN, 1, NFFT))
        return ferr(err, n, "not a Silero VAD v5 model: no stft.forward_basis_buffer [258,1,256] "
                            "in the 16 kHz branch (legal: silero_vad_v5.onnx)");
    if (conv_stride(g, "stft.forward_basis_buffer", &st, &ks) || ks != NFFT || st != 128)
        return ferr(err, n, "not a Silero VAD v5 model: STFT conv is not kernel 256 stride 128 "
                            "(legal: silero_vad_v5.onnx)");
    s->hop = (int)st;
    if (!(s->basis = copy_f(t)))
        goto oom;
    for (int l = 0; l < 4; l++) {
        snprintf(name, sizeof name, "encoder.%d.reparam_conv.weight", l);
        t = const_find(g, name);
        if (!shape_is(t, 3, cout[l], cin[l], 3) || conv_stride(g, name, &st, &ks) || ks != 3 ||
            (st != 1 && st != 2)) {
            gm_silero_free(s);
            return ferr(err, n, "not a Silero VAD v5 model: %s is not [%d,%d,3] with stride 1 or "
                                "2 (legal: silero_vad_v5.onnx)",
                        name, cout[l], cin[l]);
        }
        s->cin[l] = cin[l];
        s->cout[l] = cout[l];
        s->stride[l] = (int)st;
        if (!(s->cw[l] = copy_f(t)))
            goto oom;
        snprintf(name, sizeof name, "encoder.%d.reparam_conv.bias", l);
        t = const_find(g, name);
        if (!shape_is(t, 1, cout[l], 0, 0)) {
            gm_silero_free(s);
            return ferr(err, n, "not a Silero VAD v5 model: %s is not [%d] (legal: "
                                "silero_vad_v5.onnx)",
                        name, cout[l]);
        }
        if (!(s->cb[l] = copy_f(t)))
            goto oom;
    }
    {
        static const char *const wn[4] = { "decoder.rnn.weight_ih", "decoder.rnn.weight_hh",
                                           "decoder.rnn.bias_ih", "decoder.rnn.bias_hh" };
        float **dst[4] = { &s->wih, &s->whh, &s->bih, &s->bhh };
        for (int k = 0; k < 4; k++) {
            t = const_find(g, wn[k]);
            if (k < 2 ? !shape_is(t, 2, 4 * GM_SILERO_HID, GM_SILERO_HID, 0)
                      : !shape_is(t, 1, 4 * GM_SILERO_HID, 0, 0)) {
                gm_silero_free(s);
                return ferr(err, n, "not a Silero VAD v5 model: %s is not [512%s] (legal: "
                                    "silero_vad_v5.onnx)",
                            wn[k], k < 2 ? ",128" : "");
            }
            if (!(*dst[k] = copy_f(t)))
                goto oom;
        }
    }
    t = const_find(g, "decoder.decoder.2.weight");
    if (!shape_is(t, 3, 1, GM_SILERO_HID, 1)) {
        gm_silero_free(s);
        return ferr(err, n, "not a Silero VAD v5 model: decoder.decoder.2.weight is not "
                            "[1,128,1] (legal: silero_vad_v5.onnx)");
    }
    memcpy(s->dw, t->f, sizeof s->dw);
    t = const_find(g, "decoder.decoder.2.bias");
    if (!shape_is(t, 1, 1, 0, 0)) {
        gm_silero_free(s);
        return ferr(err, n, "not a Silero VAD v5 model: decoder.decoder.2.bias is not [1] "
                            "(legal: silero_vad_v5.onnx)");
    }
    s->db = t->f[0];
    return 0;
oom:
    gm_silero_free(s);
    return ferr(err, n, "out of memory reading the Silero weights");
}

void gm_silero_free(gm_silero *s)
{
    free(s->basis);
    for (int l = 0; l < 4; l++) {
        free(s->cw[l]);
        free(s->cb[l]);
    }
    free(s->wih);
    free(s->whh);
    free(s->bih);
    free(s->bhh);
    memset(s, 0, sizeof *s);
}

void gm_silero_reset(gm_silero_state *st)
{
    memset(st, 0, sizeof *st);
}

static float sigm(double v)
{
    return (float)(1.0 / (1.0 + exp(-v)));
}

void gm_silero_lstm(const gm_silero *s, const float *x, float *h, float *c)
{
    enum { H = GM_SILERO_HID };
    float gate[4 * H];
    for (int r = 0; r < 4 * H; r++) {
        double acc = (double)s->bih[r] + (double)s->bhh[r];
        for (int k = 0; k < H; k++)
            acc += (double)s->wih[r * H + k] * x[k] + (double)s->whh[r * H + k] * h[k];
        gate[r] = (float)acc;
    }
    for (int j = 0; j < H; j++) { /* PyTorch order: i, f, g, o */
        float i = sigm(gate[j]), f = sigm(gate[H + j]);
        float g = (float)tanh(gate[2 * H + j]), o = sigm(gate[3 * H + j]);
        c[j] = f * c[j] + i * g;
        h[j] = o * (float)tanh(c[j]);
    }
}

float gm_silero_decode(const gm_silero *s, const float *h)
{
    double acc = s->db;
    for (int k = 0; k < GM_SILERO_HID; k++)
        acc += (double)s->dw[k] * (h[k] > 0 ? h[k] : 0.0f);
    return sigm(acc);
}

/* conv1d, kernel 3, zero padding 1, then ReLU: in [cin][len] -> out [cout][olen] */
static int conv_relu(const float *w, const float *b, int cin, int cout, int stride,
                     const float *in, int len, float *out)
{
    int olen = (len + 2 - 3) / stride + 1;
    for (int o = 0; o < cout; o++)
        for (int t = 0; t < olen; t++) {
            double acc = b[o];
            for (int i = 0; i < cin; i++)
                for (int k = 0; k < 3; k++) {
                    int p = t * stride + k - 1;
                    if (p >= 0 && p < len)
                        acc += (double)w[(o * cin + i) * 3 + k] * in[i * len + p];
                }
            out[o * olen + t] = acc > 0 ? (float)acc : 0.0f;
        }
    return olen;
}

float gm_silero_frame(const gm_silero *s, gm_silero_state *st, const float *x, float *lstm_in)
{
    enum { NIN = GM_SILERO_CTX + GM_SILERO_FRAME, NP = NIN + NPAD };
    float in[NP], a[2 * 128 * 8], b[2 * 128 * 8];
    int len, ncol;
    memcpy(in, st->ctx, sizeof st->ctx);
    memcpy(in + GM_SILERO_CTX, x, GM_SILERO_FRAME * sizeof *x);
    for (int j = 0; j < NPAD; j++) /* reflect: the edge sample is not repeated */
        in[NIN + j] = in[NIN - 2 - j];
    memcpy(st->ctx, in + GM_SILERO_FRAME, sizeof st->ctx);
    ncol = (NP - NFFT) / s->hop + 1; /* 4 */
    for (int f = 0; f < NBIN; f++)
        for (int t = 0; t < ncol; t++) {
            double re = 0, im = 0;
            for (int k = 0; k < NFFT; k++) {
                re += (double)s->basis[f * NFFT + k] * in[t * s->hop + k];
                im += (double)s->basis[(NBIN + f) * NFFT + k] * in[t * s->hop + k];
            }
            a[f * ncol + t] = (float)sqrt((double)(float)re * (float)re +
                                          (double)(float)im * (float)im);
        }
    len = ncol;
    for (int l = 0; l < 4; l++) {
        len = conv_relu(s->cw[l], s->cb[l], s->cin[l], s->cout[l], s->stride[l], a, len, b);
        memcpy(a, b, (size_t)(s->cout[l] * len) * sizeof *a);
    }
    /* one column of 128 features left (len == 1) */
    if (lstm_in)
        memcpy(lstm_in, a, GM_SILERO_HID * sizeof *a);
    gm_silero_lstm(s, a, st->h, st->c);
    return gm_silero_decode(s, st->h);
}

int gm_silero_lstm_model(const gm_silero *s, gm_lstm_float *m)
{
    enum { H = GM_SILERO_HID };
    memset(m, 0, sizeof *m);
    m->in = H;
    m->hid = H;
    m->w = malloc(4 * H * H * sizeof *m->w);
    m->u = malloc(4 * H * H * sizeof *m->u);
    m->b = malloc(4 * H * sizeof *m->b);
    if (!m->w || !m->u || !m->b) {
        gm_lstm_float_free(m);
        return -1;
    }
    for (int k = 0; k < 4 * H * H; k++) {
        m->w[k] = s->wih[k];
        m->u[k] = s->whh[k];
    }
    for (int k = 0; k < 4 * H; k++)
        m->b[k] = (double)s->bih[k] + (double)s->bhh[k];
    return 0;
}

int gm_silero_lstm_load(gm_lstm_float *m, const char *path, char *err, size_t n)
{
    gm_onnx_model om;
    gm_silero s;
    int rc;
    memset(m, 0, sizeof *m);
    if (gm_onnx_load(&om, path, err, n))
        return -1;
    rc = gm_silero_from_onnx(&s, &om, err, n);
    gm_onnx_free(&om);
    if (rc)
        return -1;
    rc = gm_silero_lstm_model(&s, m);
    gm_silero_free(&s);
    if (rc)
        return ferr(err, n, "out of memory converting the Silero LSTM");
    return 0;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

int gm_wav_parse(const uint8_t *d, size_t len, float **x, size_t *nsamples, char *err, size_t n)
{
    size_t off = 12, dlen = 0;
    const uint8_t *data = NULL;
    int have_fmt = 0;
    *x = NULL;
    *nsamples = 0;
    if (len < 12 || memcmp(d, "RIFF", 4) != 0 || memcmp(d + 8, "WAVE", 4) != 0)
        return ferr(err, n, "not a WAV file: no RIFF/WAVE header (legal: 16 kHz mono 16-bit PCM "
                            "WAV)");
    while (len - off >= 8) {
        uint32_t cl = rd32(d + off + 4);
        const uint8_t *c = d + off + 8;
        if (cl > len - off - 8)
            return ferr(err, n, "malformed WAV: chunk '%.4s' of %u bytes runs past the end of "
                                "the file (legal: chunks inside the file)",
                        (const char *)(d + off), cl);
        if (memcmp(d + off, "fmt ", 4) == 0) {
            if (cl < 16)
                return ferr(err, n, "malformed WAV: fmt chunk of %u bytes (legal: at least 16)",
                            cl);
            if (rd16(c) != 1 || rd16(c + 2) != 1 || rd32(c + 4) != GM_SILERO_RATE ||
                rd16(c + 14) != 16)
                return ferr(err, n, "WAV is format %u, %u channels, %u Hz, %u bits (legal: PCM "
                                    "(1), 1 channel, 16000 Hz, 16 bits)",
                            rd16(c), rd16(c + 2), rd32(c + 4), rd16(c + 14));
            have_fmt = 1;
        } else if (memcmp(d + off, "data", 4) == 0 && !data) {
            data = c;
            dlen = cl;
        }
        off += 8 + (size_t)cl + (cl & 1u);
        if (off > len)
            break;
    }
    if (!have_fmt || !data)
        return ferr(err, n, "malformed WAV: missing %s chunk (legal: a fmt and a data chunk)",
                    have_fmt ? "data" : "fmt");
    *nsamples = dlen / 2;
    *x = malloc((*nsamples ? *nsamples : 1) * sizeof **x);
    if (!*x)
        return ferr(err, n, "out of memory reading a WAV of %zu samples", *nsamples);
    for (size_t k = 0; k < *nsamples; k++)
        (*x)[k] = (float)(int16_t)rd16(data + 2 * k) / 32768.0f;
    return 0;
}

size_t gm_silero_segments(const float *p, size_t nframes, float thr, int min_speech_ms,
                          int min_sil_ms, int64_t *seg, size_t max)
{
    const int64_t fs = GM_SILERO_FRAME, rate = GM_SILERO_RATE;
    const int64_t min_speech = (int64_t)min_speech_ms * rate / 1000;
    const int64_t min_sil = (int64_t)min_sil_ms * rate / 1000;
    float neg = thr - 0.15f;
    size_t count = 0;
    int on = 0;
    int64_t start = 0, tent_end = -1;
    for (size_t t = 0; t <= nframes; t++) {
        int64_t pos = (int64_t)t * fs;
        int64_t end = -1;
        if (t == nframes) {
            if (on)
                end = tent_end >= 0 ? tent_end : pos;
        } else if (!on) {
            if (p[t] >= thr) {
                on = 1;
                start = pos;
                tent_end = -1;
            }
        } else if (p[t] >= thr) {
            tent_end = -1;
        } else if (p[t] < neg) {
            if (tent_end < 0)
                tent_end = pos;
            if (pos + fs - tent_end >= min_sil)
                end = tent_end;
        }
        if (end >= 0) {
            if (end - start >= min_speech) {
                if (count < max) {
                    seg[2 * count] = start;
                    seg[2 * count + 1] = end;
                }
                count++;
            }
            on = 0;
            tent_end = -1;
        }
    }
    return count;
}
