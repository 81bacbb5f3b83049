/*
 * gm_facerec.c -- face_recognition forward pass (gm_facerec.h). Plain loops over HWC maps:
 * this is the float reference the fixed-point and hardware runs are measured against, so
 * it is written to be read, not to be fast (about 0.3 G MACs per face).
 */
#include "gm_facerec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct map {
    int h, w, c;
    float *v; /* h*w*c, HWC */
} map;

typedef struct convp {
    const float *f, *bias, *sw, *sb;
} convp;

static const char *const blocks[] = {
    "conv32_1",  "conv32_2",  "conv32_3",  "conv64_down", "conv64_1",    "conv64_2",
    "conv64_3",  "conv128_down", "conv128_1", "conv128_2", "conv256_down", "conv256_1",
    "conv256_2", "conv256_down_out",
};

static int is_down(const char *b)
{
    return strstr(b, "_down") != NULL;
}

static const float *tensor(const gm_tfjs_model *m, const char *name, int rank, const int *shape,
                           char *err, size_t n)
{
    const gm_tfjs_tensor *t = gm_tfjs_find(m, name);
    int i;
    if (!t) {
        snprintf(err, n, "face_recognition: the model has no tensor '%s' (legal: face-api's "
                         "face_recognition_model)", name);
        return NULL;
    }
    for (i = 0; i < rank && t->rank == rank && t->shape[i] == shape[i]; i++)
        ;
    if (t->rank != rank || i < rank) {
        snprintf(err, n, "face_recognition: tensor '%s' has the wrong shape (legal: face-api's "
                         "face_recognition_model)", name);
        return NULL;
    }
    return t->data;
}

static int get_conv(const gm_tfjs_model *m, const char *prefix, int k, int cin, int cout,
                    convp *p, char *err, size_t n)
{
    char nm[96];
    int fs[4] = { k, k, cin, cout };
    snprintf(nm, sizeof nm, "%s/conv/filters", prefix);
    if (!(p->f = tensor(m, nm, 4, fs, err, n)))
        return -1;
    snprintf(nm, sizeof nm, "%s/conv/bias", prefix);
    if (!(p->bias = tensor(m, nm, 1, &cout, err, n)))
        return -1;
    snprintf(nm, sizeof nm, "%s/scale/weights", prefix);
    if (!(p->sw = tensor(m, nm, 1, &cout, err, n)))
        return -1;
    snprintf(nm, sizeof nm, "%s/scale/biases", prefix);
    if (!(p->sb = tensor(m, nm, 1, &cout, err, n)))
        return -1;
    return 0;
}

/* Record a MAC layer; keep a copy of its input when there is one. */
static int add_layer(gm_facerec *net, const char *name, const float *w, int k, int stride,
                     int same, const map *in, int cin, int cout, int h, int wd, char *err,
                     size_t n)
{
    gm_facerec_layer *l = &net->l[net->n++];
    snprintf(l->name, sizeof l->name, "%s", name);
    l->w = w;
    l->k = k;
    l->stride = stride;
    l->pad_top = l->pad_left = same ? (k - 1) / 2 : 0;
    l->cin = cin;
    l->cout = cout;
    l->h = h;
    l->w_ = wd;
    l->oh = same ? (h + stride - 1) / stride : (h - k) / stride + 1;
    l->ow = same ? (wd + stride - 1) / stride : (wd - k) / stride + 1;
    l->in = NULL;
    if (in) {
        size_t sz = (size_t)h * (size_t)wd * (size_t)cin;
        l->in = malloc(sz * sizeof *l->in);
        if (!l->in) {
            snprintf(err, n, "face_recognition: out of memory (legal: -)");
            return -1;
        }
        memcpy(l->in, in->v, sz * sizeof *l->in);
    }
    return 0;
}

static int map_new(map *m, int h, int w, int c)
{
    m->h = h;
    m->w = w;
    m->c = c;
    m->v = calloc((size_t)h * (size_t)w * (size_t)c, sizeof *m->v);
    return m->v ? 0 : -1;
}

/* conv + bias, then x*sw + sb, optional ReLU; geometry from the layer record */
static int conv(const gm_facerec_layer *l, const convp *p, const map *in, int relu, map *out)
{
    int oy, ox, ky, kx, ci, co;
    double *acc = malloc((size_t)l->cout * sizeof *acc);
    if (!acc || map_new(out, l->oh, l->ow, l->cout)) {
        free(acc);
        return -1;
    }
    for (oy = 0; oy < l->oh; oy++)
        for (ox = 0; ox < l->ow; ox++) {
            float *o = out->v + ((size_t)oy * (size_t)l->ow + (size_t)ox) * (size_t)l->cout;
            for (co = 0; co < l->cout; co++)
                acc[co] = 0;
            for (ky = 0; ky < l->k; ky++) {
                int iy = oy * l->stride + ky - l->pad_top;
                if (iy < 0 || iy >= in->h)
                    continue;
                for (kx = 0; kx < l->k; kx++) {
                    int ix = ox * l->stride + kx - l->pad_left;
                    const float *a;
                    if (ix < 0 || ix >= in->w)
                        continue;
                    a = in->v + ((size_t)iy * (size_t)in->w + (size_t)ix) * (size_t)in->c;
                    for (ci = 0; ci < l->cin; ci++) {
                        const float *w = l->w + (((size_t)ky * (size_t)l->k + (size_t)kx) *
                                                      (size_t)l->cin +
                                                  (size_t)ci) *
                                                     (size_t)l->cout;
                        double av = a[ci];
                        if (av == 0)
                            continue;
                        for (co = 0; co < l->cout; co++)
                            acc[co] += av * w[co];
                    }
                }
            }
            for (co = 0; co < l->cout; co++) {
                double v = (acc[co] + p->bias[co]) * p->sw[co] + p->sb[co];
                o[co] = (float)(relu && v < 0 ? 0 : v);
            }
        }
    free(acc);
    return 0;
}

static int maxpool3s2(const map *in, map *out)
{
    int oy, ox, c, ky, kx;
    if (map_new(out, (in->h - 3) / 2 + 1, (in->w - 3) / 2 + 1, in->c))
        return -1;
    for (oy = 0; oy < out->h; oy++)
        for (ox = 0; ox < out->w; ox++)
            for (c = 0; c < in->c; c++) {
                float m = in->v[(((size_t)oy * 2) * (size_t)in->w + (size_t)ox * 2) *
                                    (size_t)in->c + (size_t)c];
                for (ky = 0; ky < 3; ky++)
                    for (kx = 0; kx < 3; kx++) {
                        float v = in->v[(((size_t)oy * 2 + (size_t)ky) * (size_t)in->w +
                                         (size_t)ox * 2 + (size_t)kx) * (size_t)in->c +
                                        (size_t)c];
                        m = v > m ? v : m;
                    }
                out->v[((size_t)oy * (size_t)out->w + (size_t)ox) * (size_t)out->c + (size_t)c] =
                    m;
            }
    return 0;
}

/* y += p where p = avgpool2(x) with channels zero-padded; y may be larger by the padding. */
static void add_pooled(map *y, const map *x)
{
    int oy, ox, c, ph = x->h / 2, pw = x->w / 2;
    for (oy = 0; oy < y->h && oy < ph; oy++)
        for (ox = 0; ox < y->w && ox < pw; ox++)
            for (c = 0; c < x->c && c < y->c; c++) {
                double s = 0;
                int dy, dx;
                for (dy = 0; dy < 2; dy++)
                    for (dx = 0; dx < 2; dx++)
                        s += x->v[(((size_t)oy * 2 + (size_t)dy) * (size_t)x->w +
                                   (size_t)ox * 2 + (size_t)dx) * (size_t)x->c + (size_t)c];
                y->v[((size_t)oy * (size_t)y->w + (size_t)ox) * (size_t)y->c + (size_t)c] +=
                    (float)(s / 4);
            }
}

/* Grow y (h x w x c) to h2 x w2 x c with zeros at the bottom and right. */
static int grow(map *y, int h2, int w2)
{
    map g;
    int r;
    if (h2 == y->h && w2 == y->w)
        return 0;
    if (map_new(&g, h2, w2, y->c))
        return -1;
    for (r = 0; r < y->h; r++)
        memcpy(g.v + (size_t)r * (size_t)w2 * (size_t)y->c, y->v + (size_t)r * (size_t)y->w * (size_t)y->c,
               (size_t)y->w * (size_t)y->c * sizeof *g.v);
    free(y->v);
    *y = g;
    return 0;
}

static void relu_add(map *y, const map *x)
{
    size_t i, n = (size_t)y->h * (size_t)y->w * (size_t)y->c;
    for (i = 0; i < n; i++) {
        float v = y->v[i] + (x ? x->v[i] : 0.0f);
        y->v[i] = v < 0 ? 0 : v;
    }
}

/* Build the layer list, and run it when input is given. */
static int build(gm_facerec *net, const gm_tfjs_model *m, const float *input, char *err,
                 size_t n)
{
    map x = { 0, 0, 0, NULL }, y = { 0, 0, 0, NULL }, z = { 0, 0, 0, NULL };
    convp p;
    char nm[64];
    int b, ch = 32, h, w, rc = -1, fs[2] = { 256, GM_FACEREC_DESC };
    const float *fc;
    size_t i;
    memset(net, 0, sizeof *net);
    if (input) {
        if (map_new(&x, GM_FACEREC_SIZE, GM_FACEREC_SIZE, 3))
            goto oom;
        memcpy(x.v, input, (size_t)GM_FACEREC_SIZE * GM_FACEREC_SIZE * 3 * sizeof *x.v);
    }
    h = w = GM_FACEREC_SIZE;
    if (get_conv(m, "conv32_down", 7, 3, 32, &p, err, n) ||
        add_layer(net, "conv32_down", p.f, 7, 2, 0, input ? &x : NULL, 3, 32, h, w, err, n))
        goto done;
    if (input) {
        if (conv(&net->l[0], &p, &x, 1, &y) || maxpool3s2(&y, &z))
            goto oom;
        free(x.v), free(y.v);
        x = z, y.v = z.v = NULL;
    }
    h = (net->l[0].oh - 3) / 2 + 1;
    w = (net->l[0].ow - 3) / 2 + 1;
    for (b = 0; b < (int)(sizeof blocks / sizeof blocks[0]); b++) {
        int down = is_down(blocks[b]), cin = ch, cout = down ? (ch == 256 ? 256 : ch * 2) : ch;
        gm_facerec_layer *l1, *l2;
        convp p2;
        snprintf(nm, sizeof nm, "%s/conv1", blocks[b]);
        if (get_conv(m, nm, 3, cin, cout, &p, err, n) ||
            add_layer(net, nm, p.f, 3, down ? 2 : 1, !down, input ? &x : NULL, cin, cout, h, w,
                      err, n))
            goto done;
        l1 = &net->l[net->n - 1];
        if (input && conv(l1, &p, &x, 1, &y))
            goto oom;
        snprintf(nm, sizeof nm, "%s/conv2", blocks[b]);
        if (get_conv(m, nm, 3, cout, cout, &p2, err, n) ||
            add_layer(net, nm, p2.f, 3, 1, 1, input ? &y : NULL, cout, cout, l1->oh, l1->ow,
                      err, n))
            goto done;
        l2 = &net->l[net->n - 1];
        if (input) {
            if (conv(l2, &p2, &y, 0, &z))
                goto oom;
            if (down) {
                if (grow(&z, h / 2 > z.h ? h / 2 : z.h, w / 2 > z.w ? w / 2 : z.w))
                    goto oom;
                add_pooled(&z, &x);
                relu_add(&z, NULL);
            } else {
                relu_add(&z, &x);
            }
            free(x.v), free(y.v);
            x = z, y.v = z.v = NULL;
        }
        if (down) {
            h = h / 2 > l2->oh ? h / 2 : l2->oh;
            w = w / 2 > l2->ow ? w / 2 : l2->ow;
        }
        ch = cout;
    }
    if (!(fc = tensor(m, "fc", 2, fs, err, n)))
        goto done;
    if (input) {
        /* the mean over the map, as a 1x1 input of 256 channels */
        if (map_new(&y, 1, 1, ch))
            goto oom;
        for (i = 0; i < (size_t)h * (size_t)w * (size_t)ch; i++)
            y.v[i % (size_t)ch] += x.v[i];
        for (i = 0; i < (size_t)ch; i++)
            y.v[i] /= (float)(h * w);
    }
    if (add_layer(net, "fc", fc, 1, 1, 0, input ? &y : NULL, ch, GM_FACEREC_DESC, 1, 1, err, n))
        goto done;
    if (input) {
        int co;
        for (co = 0; co < GM_FACEREC_DESC; co++) {
            double s = 0;
            for (i = 0; i < (size_t)ch; i++)
                s += (double)y.v[i] * fc[i * GM_FACEREC_DESC + (size_t)co];
            net->desc[co] = (float)s;
        }
    }
    rc = 0;
    goto done;
oom:
    snprintf(err, n, "face_recognition: out of memory (legal: -)");
done:
    free(x.v);
    free(y.v);
    free(z.v);
    if (rc)
        gm_facerec_free(net);
    return rc;
}

int gm_facerec_run(gm_facerec *net, const gm_tfjs_model *m, const float *input, char *err,
                   size_t n)
{
    return build(net, m, input, err, n);
}

int gm_facerec_layers(gm_facerec *net, const gm_tfjs_model *m, char *err, size_t n)
{
    return build(net, m, NULL, err, n);
}

void gm_facerec_free(gm_facerec *net)
{
    int i;
    for (i = 0; i < net->n; i++)
        free(net->l[i].in);
    memset(net, 0, sizeof *net);
}

void gm_facerec_input(const gm_image *im, double x, double y, double side, float *out)
{
    static const double mean[3] = { 122.782, 117.001, 104.298 };
    size_t i, np = (size_t)GM_FACEREC_SIZE * GM_FACEREC_SIZE;
    gm_image_crop_resize(im, x, y, side, side, GM_FACEREC_SIZE, GM_FACEREC_SIZE, out);
    for (i = 0; i < np * 3; i++)
        out[i] = (float)(((double)out[i] - mean[i % 3]) / 255.0);
}
