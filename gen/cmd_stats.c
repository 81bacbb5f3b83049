/*
 * cmd_stats.c -- `dnngen stats MODEL --bits B`: how many essential terms (non-zero radix-4
 * Booth digits) real weights and activations have, per layer and overall, i.e. how many
 * cycles the PAMAC spends per MAC under weight decomposition (WD), activation
 * decomposition (AD) and FPAP's per-MAC choice (best), like Tables II and IV of the
 * lecture. Quantization and counting: golden/gm_terms.h; the model: golden/gm_tfjs.h.
 *
 * Without --image the layers are the model's tensors of rank >= 2 (conv filters, fc
 * matrices) and WD is counted over the weights, each once. With --image the model must be
 * face-api's face_recognition: the float forward pass (golden/gm_facerec.h) gives every
 * layer its real input, and WD, AD and best are counted over the layer's MACs (a weight
 * counts once per MAC it takes part in; padding reads are not MACs).
 *
 * Everything is computed before anything is printed or written; the CSV is atomic.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "gm_facerec.h"
#include "gm_fpap.h"
#include "gm_layer.h"
#include "gm_stride2.h"
#include "gm_terms.h"
#include "gm_tfjs.h"

static const char stats_help[] =
    "usage: dnngen stats MODEL --bits B [--image JPEG [--box X,Y,SIDE] [--save-input F]\n"
    "                    [--layer NAME --layer-out FILE [--stride2 decimate|phase[:K]]\n"
    "                    [--layer-crop N] [--layer-cout N]] [--cycles] [--fofir]]\n"
    "                    [--csv FILE]\n"
    "  Essential terms (non-zero radix-4 Booth digits) of a TensorFlow.js model's weights,\n"
    "  quantized per layer to signed B-bit values with the symmetric scale\n"
    "  max|w| / (2^(B-1)-1) (round to nearest, ties to even), per layer and overall:\n"
    "  the PAMAC's cycles per MAC under weight decomposition (WD). docs/models.md.\n"
    "  --image JPEG  (face-api's face_recognition model only) run the float network on the\n"
    "                square box X,Y,SIDE of the image (default: the largest centred square)\n"
    "                resized to 150x150, quantize each layer's real input the same way,\n"
    "                and count WD, AD and the per-MAC best choice over every MAC.\n"
    "  --save-input F  write the 150x150 RGB crop fed to the network (before the mean is\n"
    "                subtracted) as raw little-endian float32, HWC: for an independent run.\n"
    "  --layer NAME --layer-out FILE  (with --image) write that stride-1 layer, weights and\n"
    "                real input quantized as above and the input zero-padded so that a\n"
    "                'valid' convolution gives the 'same' one, as a layer file for\n"
    "                `dnngen schedule` and `dnngen verify fpap_array --profile layer:FILE`.\n"
    "  --stride2 decimate|phase[:K]  how a stride-2 layer (conv32_down, the down blocks'\n"
    "                conv1) becomes a stride-1 layer file: decimate = the layer itself (its\n"
    "                stride-1 outputs (2y,2x) are the stride-2 ones); phase = its 4 polyphase\n"
    "                components as 4*cin channels with KxK sub-kernels (K default ceil(k/2)).\n"
    "                Both are checked against the direct stride-2 convolution.\n"
    "  --layer-crop N  export only the top-left NxN of the layer's input (a cheap subset).\n"
    "  --layer-cout N  export only the first N output channels (a cheap subset).\n"
    "  --cycles      (with --image) PAMAC cycles per MAC per layer: max(1, essential terms)\n"
    "                of WD, AD and the per-MAC choice (auto), against the 1.3 target.\n"
    "  --fofir       (with --image) FoFIR PE cycles per MAC per layer: every convolution\n"
    "                run row by row on the FoFIR cycle model (the RTL's), as the FPAP array\n"
    "                runs a layer file (stride 2 as its polyphase layer): coefficient loads,\n"
    "                zero samples and row ends included; against the 1.3 target.\n"
    "  --csv FILE    write the per-layer table and the histograms as CSV.\n"
    "  MODEL is a weights manifest (model/face_recognition_model-weights_manifest.json of\n"
    "  @vladmandic/face-api, fetched by scripts/fetch_models.sh). B: 2..16.\n";

enum { K_WD = 0, K_AD = 1, K_BEST = 2 };
static const char *const kind_name[3] = { "WD", "AD", "best" };

typedef struct lstat {
    char name[64];
    char shape[48];
    double sw, sa;
    uint64_t h[3][GM_TERMS_BINS];
} lstat;

/* "conv32_1/conv1/conv/filters" -> "conv32_1/conv1"; "a/conv/filters" -> "a" */
static void layer_name(char *dst, size_t n, const char *tensor)
{
    size_t l = strlen(tensor);
    const char *suffix = "/conv/filters";
    size_t sl = strlen(suffix);
    if (l > sl && strcmp(tensor + l - sl, suffix) == 0)
        l -= sl;
    snprintf(dst, n, "%.*s", (int)(l < 63 ? l : 63), tensor);
}

static int write_file(const char *path, const char *data, size_t len)
{
    char dir[1024], err[DNN_ERRLEN], *slash;
    const char *base = path;
    outfile f;
    if (strlen(path) >= sizeof dir)
        return dnn_fail(DNN_EUSAGE, "stats: cannot write '%.200s' (legal: a path shorter than "
                                    "%zu bytes)", path, sizeof dir);
    snprintf(dir, sizeof dir, "%s", path);
    slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        base = path + (slash - dir) + 1;
        if (!dir[0])
            snprintf(dir, sizeof dir, "/");
    } else {
        snprintf(dir, sizeof dir, ".");
    }
    if (!base[0])
        return dnn_fail(DNN_EUSAGE, "stats: cannot write '%.200s' (legal: a file path)", path);
    f.name = base;
    f.data = data;
    f.len = len;
    if (dnn_write_files(dir, &f, 1, err, sizeof err))
        return dnn_fail(DNN_EUSAGE, "stats: cannot write '%.200s': %s (legal: a writable file "
                                    "path)", path, err);
    return 0;
}

/* a decimal integer 0..100000, silently (the caller reports) */
static int parse_int(const char *v, int64_t *out)
{
    char *end;
    long x;
    errno = 0;
    x = strtol(v, &end, 10);
    if (errno || end == v || *end || x < 0 || x > 100000)
        return -1;
    *out = x;
    return 0;
}

static int parse_box(const char *v, double box[3])
{
    char *end;
    int i;
    const char *p = v;
    for (i = 0; i < 3; i++) {
        box[i] = strtod(p, &end);
        if (end == p || !isfinite(box[i]) || fabs(box[i]) > 1e6 || (i < 2 && *end != ',') ||
            (i == 2 && *end != '\0'))
            return -1;
        p = end + 1;
    }
    return box[2] >= 1 ? 0 : -1;
}

/* Weight statistics only: every tensor of rank >= 2 is a layer. */
static int weights_only(const gm_tfjs_model *m, int bits, lstat **out, int *nl)
{
    int i, n = 0;
    lstat *ls = calloc((size_t)m->n, sizeof *ls);
    if (!ls)
        return -1;
    for (i = 0; i < m->n; i++) {
        const gm_tfjs_tensor *t = &m->t[i];
        lstat *s;
        int k;
        size_t at = 0;
        if (t->rank < 2)
            continue;
        s = &ls[n++];
        layer_name(s->name, sizeof s->name, t->name);
        for (k = 0; k < t->rank && at + 12 < sizeof s->shape; k++)
            at += (size_t)snprintf(s->shape + at, sizeof s->shape - at, "%s%d", k ? "x" : "",
                                   t->shape[k]);
        s->sw = gm_terms_scale(t->data, t->count, bits);
        gm_terms_hist(t->data, t->count, bits, s->sw, s->h[K_WD]);
    }
    *out = ls;
    *nl = n;
    return 0;
}

/* WD, AD, best over the MACs of face_recognition run on the image. */
static int with_image(const gm_facerec *net, int bits, lstat **out, int *nl)
{
    int i;
    lstat *ls = calloc((size_t)net->n, sizeof *ls);
    if (!ls)
        return -1;
    for (i = 0; i < net->n; i++) {
        const gm_facerec_layer *l = &net->l[i];
        lstat *s = &ls[i];
        size_t nw = (size_t)l->k * (size_t)l->k * (size_t)l->cin * (size_t)l->cout;
        size_t na = (size_t)l->h * (size_t)l->w_ * (size_t)l->cin, j;
        uint8_t *tw = malloc(nw), *ta = malloc(na);
        gm_terms_conv c = { l->k, l->k, l->cin, l->cout, l->h, l->w_, l->stride,
                            l->pad_top, l->pad_left, l->oh, l->ow };
        if (!tw || !ta) {
            free(tw);
            free(ta);
            free(ls);
            return -1;
        }
        snprintf(s->name, sizeof s->name, "%s", l->name);
        if (l->k > 1)
            snprintf(s->shape, sizeof s->shape, "%dx%dx%dx%d @%dx%d", l->k, l->k, l->cin,
                     l->cout, l->h, l->w_);
        else
            snprintf(s->shape, sizeof s->shape, "%dx%d", l->cin, l->cout);
        s->sw = gm_terms_scale(l->w, nw, bits);
        s->sa = gm_terms_scale(l->in, na, bits);
        for (j = 0; j < nw; j++)
            tw[j] = (uint8_t)gm_terms_of(gm_terms_quant(l->w[j], s->sw, bits), bits);
        for (j = 0; j < na; j++)
            ta[j] = (uint8_t)gm_terms_of(gm_terms_quant(l->in[j], s->sa, bits), bits);
        gm_terms_conv_macs(&c, tw, ta, s->h[K_WD], s->h[K_AD], s->h[K_BEST]);
        free(tw);
        free(ta);
    }
    *out = ls;
    *nl = net->n;
    return 0;
}

static uint64_t total(const uint64_t *h)
{
    uint64_t s = 0;
    int t;
    for (t = 0; t < GM_TERMS_BINS; t++)
        s += h[t];
    return s;
}

static void report(sbuf *r, sbuf *csv, const char *model, int bits, const lstat *ls, int nl,
                   int nk, const char *image, const double *box, const float *desc)
{
    uint64_t all[3][GM_TERMS_BINS];
    int i, k, t, bins = gm_terms_digits(bits) + 1;
    memset(all, 0, sizeof all);
    sb_printf(r, "model %s: %d layers, %d-bit signed, per-layer scale max|x|/(2^%d-1), round "
                 "to nearest (ties to even)\n",
              model, nl, bits, bits - 1);
    if (image)
        sb_printf(r, "activations: the float network's layer inputs on %s, box x=%g y=%g "
                     "side=%g resized to 150x150; counted over every MAC\n",
                  image, box[0], box[1], box[2]);
    if (image) {
        double nn = 0;
        for (i = 0; i < GM_FACEREC_DESC; i++)
            nn += (double)desc[i] * desc[i];
        sb_printf(r, "float descriptor: |d| = %.4f, d[0..3] = %.5f %.5f %.5f %.5f\n", sqrt(nn),
                  desc[0], desc[1], desc[2], desc[3]);
        sb_printf(r, "descriptor:");
        for (i = 0; i < GM_FACEREC_DESC; i++)
            sb_printf(r, " %.7g", desc[i]);
        sb_printf(r, "\n");
    } else
        sb_printf(r, "weights only (no --image): each weight counted once\n");
    sb_printf(r, "\n%-22s %-22s %12s %9s", "layer", "shape", nk > 1 ? "MACs" : "weights",
              "avg WD");
    if (nk > 1)
        sb_printf(r, " %9s %9s", "avg AD", "avg best");
    sb_printf(r, "\n");
    sb_printf(csv, "layer,shape,count,scale_w,scale_a");
    for (k = 0; k < nk; k++) {
        sb_printf(csv, ",avg_%s", kind_name[k]);
        for (t = 0; t < bins; t++)
            sb_printf(csv, ",%s_%d", kind_name[k], t);
    }
    sb_printf(csv, "\n");
    for (i = 0; i < nl; i++) {
        const lstat *s = &ls[i];
        sb_printf(r, "%-22s %-22s %12llu %9.3f", s->name, s->shape,
                  (unsigned long long)total(s->h[K_WD]), gm_terms_avg(s->h[K_WD], bins));
        if (nk > 1)
            sb_printf(r, " %9.3f %9.3f", gm_terms_avg(s->h[K_AD], bins),
                      gm_terms_avg(s->h[K_BEST], bins));
        sb_printf(r, "\n");
        sb_printf(csv, "%s,%s,%llu,%.9g,%.9g", s->name, s->shape,
                  (unsigned long long)total(s->h[K_WD]), s->sw, s->sa);
        for (k = 0; k < nk; k++) {
            sb_printf(csv, ",%.6f", gm_terms_avg(s->h[k], bins));
            for (t = 0; t < bins; t++) {
                sb_printf(csv, ",%llu", (unsigned long long)s->h[k][t]);
                all[k][t] += s->h[k][t];
            }
        }
        sb_printf(csv, "\n");
    }
    sb_printf(r, "%-22s %-22s %12llu %9.3f", "overall", "", (unsigned long long)total(all[0]),
              gm_terms_avg(all[K_WD], bins));
    if (nk > 1)
        sb_printf(r, " %9.3f %9.3f", gm_terms_avg(all[K_AD], bins),
                  gm_terms_avg(all[K_BEST], bins));
    sb_printf(r, "\n\ndistribution of essential terms (share of %s)\n%-6s",
              nk > 1 ? "MACs" : "weights", "terms");
    for (k = 0; k < nk; k++)
        sb_printf(r, " %9s", kind_name[k]);
    sb_printf(r, "\n");
    for (t = 0; t < bins; t++) {
        sb_printf(r, "%-6d", t);
        for (k = 0; k < nk; k++)
            sb_printf(r, " %8.2f%%", 100.0 * (double)all[k][t] / (double)(total(all[k]) ? total(all[k]) : 1));
        sb_printf(r, "\n");
    }
    sb_printf(csv, "overall,,%llu,,", (unsigned long long)total(all[0]));
    for (k = 0; k < nk; k++) {
        sb_printf(csv, ",%.6f", gm_terms_avg(all[k], bins));
        for (t = 0; t < bins; t++)
            sb_printf(csv, ",%llu", (unsigned long long)all[k][t]);
    }
    sb_printf(csv, "\n");
}

/* The layer l as a stride-1 'valid' layer file: weights and the real input quantized to
 * signed bits-bit values with the per-layer symmetric scales, the input (its top-left
 * ih x iw) zero-padded by the layer's 'same' padding, the first ncout output channels
 * (0: all). 0, or -1 when out of memory (L freed). */
static int make_layer(const gm_facerec_layer *l, int bits, int ih, int iw, int ncout,
                      gm_layer *L)
{
    size_t nw, na, j;
    double sw, sa;
    int o, ci, kr, kc, y, x;
    memset(L, 0, sizeof *L);
    L->cin = l->cin;
    L->cout = ncout > 0 && ncout < l->cout ? ncout : l->cout;
    L->k = l->k;
    L->h = ih + 2 * l->pad_top;
    L->w = iw + 2 * l->pad_left;
    L->xw = L->hw = bits;
    L->signed_x = 1;
    nw = (size_t)l->k * (size_t)l->k * (size_t)l->cin * (size_t)l->cout;
    na = (size_t)l->h * (size_t)l->w_ * (size_t)l->cin;
    L->wt = calloc(nw, sizeof *L->wt);
    L->in = calloc((size_t)L->h * (size_t)L->w * (size_t)L->cin, sizeof *L->in);
    if (!L->wt || !L->in) {
        gm_layer_free(L);
        return -1;
    }
    sw = gm_terms_scale(l->w, nw, bits);
    sa = gm_terms_scale(l->in, na, bits); /* the scale of the whole input, crop or not */
    for (kr = 0; kr < l->k; kr++)
        for (kc = 0; kc < l->k; kc++)
            for (ci = 0; ci < l->cin; ci++)
                for (o = 0; o < L->cout; o++) {
                    j = (((size_t)kr * (size_t)l->k + (size_t)kc) * (size_t)l->cin + (size_t)ci) *
                            (size_t)l->cout + (size_t)o;
                    GM_LAYER_W(L, o, ci, kr, kc) = gm_terms_quant(l->w[j], sw, bits);
                }
    for (y = 0; y < ih; y++)
        for (x = 0; x < iw; x++)
            for (ci = 0; ci < l->cin; ci++)
                GM_LAYER_X(L, ci, y + l->pad_top, x + l->pad_left) = gm_terms_quant(
                    l->in[((size_t)y * (size_t)l->w_ + (size_t)x) * (size_t)l->cin + (size_t)ci],
                    sa, bits);
    return 0;
}

/* The layer `name` of net as a gm_layer: weights [o][ci][kr][kc] and input [ci][y][x] of
 * signed B-bit values quantized as the statistics are (the top-left crop x crop of the input
 * when crop > 0), the input padded by the layer's 'same' padding so that the layer file's
 * stride-1 'valid' convolution is the layer. A stride-2 layer needs s2 (GM_S2_DECIMATE: the
 * layer as is; GM_S2_PHASE: its phase layer with kp x kp sub-kernels, gm_stride2.h); the file
 * is checked against the direct stride-2 convolution and the check is reported in r. */
static int export_layer(const gm_facerec *net, const char *name, int bits, const char *path,
                        int s2, int kp, int crop, int ncout, sbuf *r)
{
    const gm_facerec_layer *l = NULL;
    gm_layer L, P;
    int i, rc, ih, iw;
    char *js, err[DNN_ERRLEN];
    for (i = 0; i < net->n; i++)
        if (strcmp(net->l[i].name, name) == 0)
            l = &net->l[i];
    if (!l || l->k < 2 || (l->stride != 1 && l->stride != 2))
        return dnn_fail(DNN_EUSAGE, "stats: --layer '%.60s' is not a convolution of the model "
                                    "(legal: conv32_down, conv32_1/conv1 .. conv256_2/conv2, a "
                                    "down block's conv1 or conv2)", name);
    if (l->stride == 2 && s2 < 0)
        return dnn_fail(DNN_EUSAGE, "stats: --layer '%.60s' has stride 2 (legal: with --stride2 "
                                    "decimate or --stride2 phase[:K])", name);
    if (l->stride == 1 && s2 >= 0)
        return dnn_fail(DNN_EUSAGE, "stats: --stride2 with the stride-1 layer '%.60s' (legal: "
                                    "conv32_down or a down block's conv1)", name);
    ih = crop > 0 && crop < l->h ? crop : l->h;
    iw = crop > 0 && crop < l->w_ ? crop : l->w_;
    if (ih + 2 * l->pad_top < l->k || iw + 2 * l->pad_left < l->k)
        return dnn_fail(DNN_EUSAGE, "stats: --layer-crop %d is smaller than the %dx%d kernel "
                                    "(legal: %d..%d)", crop, l->k, l->k,
                        l->k - 2 * l->pad_top, l->h);
    memset(&P, 0, sizeof P);
    if (make_layer(l, bits, ih, iw, ncout, &L))
        return dnn_fail(DNN_ETOOL, "stats: out of memory");
    if (s2 >= 0) {
        long checked = 0, bad;
        int oh = gm_stride2_oh(&L), ow = gm_stride2_ow(&L);
        if (s2 == GM_S2_PHASE && gm_stride2_phase(&L, kp ? kp : (l->k + 1) / 2, &P, err,
                                                  sizeof err)) {
            gm_layer_free(&L);
            return dnn_fail(DNN_EUSAGE, "stats: --layer '%.60s': %s", name, err);
        }
        bad = gm_stride2_check(&L, s2 == GM_S2_PHASE ? &P : &L, s2, 64, &checked);
        if (bad) {
            gm_layer_free(&L);
            gm_layer_free(&P);
            return dnn_fail(DNN_EVERIFY, "stats: MISMATCH: %ld of %ld outputs of the stride-2 "
                                         "layer file differ from the direct stride-2 "
                                         "convolution of '%.60s'", bad, checked, name);
        }
        if (s2 == GM_S2_DECIMATE) {
            long all = (long)(L.h - L.k + 1) * (long)(L.w - L.k + 1) * L.cout;
            sb_printf(r, "stride2 decimate %s: layer file %dx%dx%d k=%d; its stride-1 outputs "
                         "(2y,2x) equal the direct stride-2 convolution at all %ld outputs "
                         "(%dx%dx%d); stride-1 outputs computed %ld, %.2f%% of them wasted\n",
                      name, L.h, L.w, L.cin, L.k, checked, oh, ow, L.cout, all,
                      100.0 * (double)(all - checked) / (double)all);
        } else {
            long taps = (long)P.cout * P.cin * P.k * P.k;
            long zero = taps - (long)L.cout * L.cin * L.k * L.k;
            sb_printf(r, "stride2 phase %s: layer file %dx%dx%d k=%d (4 phases x %d channels); "
                         "its stride-1 outputs equal the direct stride-2 convolution at all %ld "
                         "outputs (%dx%dx%d); kernel taps %ld, %ld of them padding zeros "
                         "(%.2f%%)\n",
                      name, P.h, P.w, P.cin, P.k, L.cin, checked, oh, ow, L.cout, taps, zero,
                      100.0 * (double)zero / (double)taps);
        }
    }
    js = gm_layer_to_json(s2 == GM_S2_PHASE ? &P : &L);
    gm_layer_free(&L);
    gm_layer_free(&P);
    if (!js)
        return dnn_fail(DNN_ETOOL, "stats: out of memory");
    rc = write_file(path, js, strlen(js));
    free(js);
    return rc;
}

/* PAMAC cycles per MAC from the term histograms: gm_pamac_cost is max(1, terms), so a MAC
 * whose chosen operand has no essential term still takes one cycle. */
static double cyc_avg(const uint64_t *h, int bins)
{
    double c = 0, n = 0;
    int t;
    for (t = 0; t < bins; t++) {
        c += (double)h[t] * (t ? t : 1);
        n += (double)h[t];
    }
    return n > 0 ? c / n : 0;
}

static void report_cycles(sbuf *r, const lstat *ls, int nl, int bits)
{
    uint64_t all[3][GM_TERMS_BINS];
    int i, k, t, bins = gm_terms_digits(bits) + 1;
    double a;
    memset(all, 0, sizeof all);
    sb_printf(r, "\nPAMAC cycles per MAC (gm_pamac_cost: max(1, essential terms) of the operand "
                 "decomposed; a MAC with 0 terms takes 1 cycle)\n%-22s %12s %8s %8s %8s %9s "
                 "%9s\n", "layer", "MACs", "cyc WD", "cyc AD", "cyc auto", "0-term", "skip0");
    for (i = 0; i < nl; i++) {
        const lstat *s = &ls[i];
        uint64_t n = total(s->h[K_BEST]);
        sb_printf(r, "%-22s %12llu %8.3f %8.3f %8.3f %8.2f%% %9.3f\n", s->name,
                  (unsigned long long)n, cyc_avg(s->h[K_WD], bins), cyc_avg(s->h[K_AD], bins),
                  cyc_avg(s->h[K_BEST], bins),
                  100.0 * (double)s->h[K_BEST][0] / (double)(n ? n : 1),
                  gm_terms_avg(s->h[K_BEST], bins));
        for (k = 0; k < 3; k++)
            for (t = 0; t < bins; t++)
                all[k][t] += s->h[k][t];
    }
    a = cyc_avg(all[K_BEST], bins);
    sb_printf(r, "%-22s %12llu %8.3f %8.3f %8.3f %8.2f%% %9.3f\n", "overall",
              (unsigned long long)total(all[K_BEST]), cyc_avg(all[K_WD], bins),
              cyc_avg(all[K_AD], bins), a,
              100.0 * (double)all[K_BEST][0] / (double)(total(all[K_BEST]) ? total(all[K_BEST]) : 1),
              gm_terms_avg(all[K_BEST], bins));
    sb_printf(r, "(skip0: essential terms of the per-MAC choice, i.e. cycles if a MAC with a zero "
                 "operand cost none, as in the FoFIR)\n");
    sb_printf(r, "average PAMAC cycles per MAC (auto): %.3f, target <= 1.3: %s\n", a,
              a <= 1.3 ? "met" : "not met");
}

/* PAMAC cycles the FoFIR issues on one row: one operation per non-zero tap k <= m of a
 * non-zero sample x[m] (ops into outputs past the row's end included: the filter cannot
 * know them), each max(1, min(terms(h), terms(x))) cycles (auto decomposition). */
static uint64_t row_ops(const gm_layer *X, int o, int ci, int kr, int y, int bits)
{
    uint64_t c = 0;
    int j, k, th[GM_LAYER_MAX_K];
    for (k = 0; k < X->k; k++)
        th[k] = gm_terms_of((int32_t)GM_LAYER_W(X, o, ci, kr, k), bits);
    for (j = 0; j < X->w; j++) {
        int64_t x = GM_LAYER_X(X, ci, y + kr, j);
        int tx;
        if (x == 0)
            continue;
        tx = gm_terms_of((int32_t)x, bits);
        for (k = 0; k <= j && k < X->k; k++)
            if (GM_LAYER_W(X, o, ci, kr, k) != 0) {
                int t = th[k] < tx ? th[k] : tx;
                c += (uint64_t)(t > 1 ? t : 1);
            }
    }
    return c;
}

/* FoFIR PE cycles per MAC over the whole network: every convolution run the way the FPAP
 * array runs a layer file (docs/fpap_array.md): for each output channel and output row, one
 * PE plays, per input channel and kernel row, K coefficient loads and the padded input row
 * (a FoFIR row), and its cycles are those of the FoFIR cycle model that the RTL matches edge
 * for edge (gm_fpap_pe_cycles, one group of all input channels: no array synchronization,
 * no buffer writes, no output transfers). A stride-2 layer runs as its polyphase stride-1
 * layer (ceil(k/2) x ceil(k/2) sub-kernels, 4 cin channels). Per-MAC decomposition: auto.
 * Beside it, the PAMAC cycles of the operations issued (row_ops). The fc layer (a 1x1
 * "convolution" of one pixel) is left out. */
static int report_fofir(sbuf *r, const gm_facerec *net, const lstat *ls, int bits)
{
    int i, o, y, ci, kr;
    uint64_t tm = 0, tc = 0, tp = 0, tmacs, skipped = 0;
    double a;
    char err[DNN_ERRLEN];
    sb_printf(r, "\nFoFIR PE cycles per MAC (the FoFIR cycle model on every row the FPAP array "
                 "runs: coefficient loads, zero samples, row ends included; auto decomposition)\n"
                 "%-22s %12s %13s %8s %8s %9s\n", "layer", "MACs", "PE cycles", "cyc/MAC",
              "PAMAC", "overhead");
    for (i = 0; i < net->n; i++) {
        const gm_facerec_layer *l = &net->l[i];
        gm_layer L, P, *X = &L;
        gm_fpap_cfg c;
        uint64_t macs = total(ls[i].h[K_BEST]), cyc = 0, ops = 0, m1;
        int hout;
        if (l->k < 2) {
            skipped += macs;
            continue;
        }
        memset(&P, 0, sizeof P);
        if (make_layer(l, bits, l->h, l->w_, 0, &L))
            return dnn_fail(DNN_ETOOL, "stats: out of memory");
        if (l->stride == 2) {
            if (gm_stride2_phase(&L, (l->k + 1) / 2, &P, err, sizeof err)) {
                gm_layer_free(&L);
                return dnn_fail(DNN_ETOOL, "stats: %s: %s", l->name, err);
            }
            X = &P;
        }
        memset(&c, 0, sizeof c);
        c.r = c.c = 1;
        c.g = X->cin;
        c.wmax = X->w;
        c.pe.k = X->k;
        c.pe.xw = c.pe.hw = bits;
        c.pe.signed_x = 1;
        c.pe.mac.n = bits;
        c.pe.mac.acc = 2 * bits + 8;
        c.pe.mac.signed_a = 1;
        c.pe.mac.decomp = GM_DECOMP_BOTH;
        hout = X->h - X->k + 1;
        for (o = 0; o < X->cout; o++)
            for (y = 0; y < hout; y++) {
                int64_t n = gm_fpap_pe_cycles(&c, X, o, 0, X, y, 0);
                if (n < 0) {
                    gm_layer_free(&L);
                    gm_layer_free(&P);
                    return dnn_fail(DNN_ETOOL, "stats: out of memory");
                }
                cyc += (uint64_t)n;
                for (ci = 0; ci < X->cin; ci++)
                    for (kr = 0; kr < X->k; kr++)
                        ops += row_ops(X, o, ci, kr, y, bits);
            }
        gm_layer_free(&L);
        gm_layer_free(&P);
        m1 = macs ? macs : 1;
        sb_printf(r, "%-22s %12llu %13llu %8.3f %8.3f %9.3f\n", l->name, (unsigned long long)macs,
                  (unsigned long long)cyc, (double)cyc / (double)m1, (double)ops / (double)m1,
                  (double)(cyc - ops) / (double)m1);
        tm += macs;
        tc += cyc;
        tp += ops;
    }
    tmacs = tm ? tm : 1;
    a = (double)tc / (double)tmacs;
    sb_printf(r, "%-22s %12llu %13llu %8.3f %8.3f %9.3f\n", "overall", (unsigned long long)tm,
              (unsigned long long)tc, a, (double)tp / (double)tmacs,
              (double)(tc - tp) / (double)tmacs);
    sb_printf(r, "(PAMAC: cycles of the PAMAC operations the filters issue, max(1, min(terms(h), "
                 "terms(x))) per non-zero tap of a non-zero sample, including those into outputs "
                 "past a row's end; overhead: the rest (coefficient loads, zero samples, waits, "
                 "row ends); all per MAC; fc left out: %llu MACs)\n", (unsigned long long)skipped);
    sb_printf(r, "average FoFIR PE cycles per MAC (auto): %.3f, target <= 1.3: %s\n", a,
              a <= 1.3 ? "met" : "not met");
    sb_printf(r, "average PAMAC cycles per MAC in the FoFIR (zero operands skipped): %.3f, target "
                 "<= 1.3: %s\n", (double)tp / (double)tmacs,
              (double)tp / (double)tmacs <= 1.3 ? "met" : "not met");
    return 0;
}

int cmd_stats(int argc, char **argv)
{
    const char *model = NULL, *csvpath = NULL, *image = NULL, *boxarg = NULL, *savein = NULL,
               *lname = NULL, *lout = NULL, *s2arg = NULL;
    int64_t bits = 0, crop = 0, ncout = 0;
    int i, rc = DNN_EUSAGE, nl = 0, cycles = 0, fofir = 0, s2 = -1, kp = 0;
    char err[DNN_ERRLEN];
    double box[3] = { 0, 0, 0 };
    gm_tfjs_model m;
    gm_image im;
    gm_facerec net;
    lstat *ls = NULL;
    float *input = NULL;
    sbuf r, csv;
    memset(&m, 0, sizeof m);
    memset(&im, 0, sizeof im);
    memset(&net, 0, sizeof net);
    sb_init(&r);
    sb_init(&csv);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(stats_help, stdout);
            return 0;
        }
        if (strcmp(a, "--fofir") == 0) {
            fofir = 1;
            continue;
        }
        if (strcmp(a, "--cycles") == 0) {
            cycles = 1;
            continue;
        }
        if (a[0] != '-') {
            if (model)
                return dnn_fail(DNN_EUSAGE, "stats: more than one MODEL (legal: one weights "
                                            "manifest)");
            model = a;
            continue;
        }
        if (strcmp(a, "--bits") && strcmp(a, "--csv") && strcmp(a, "--image") &&
            strcmp(a, "--box") && strcmp(a, "--save-input") && strcmp(a, "--layer") &&
            strcmp(a, "--layer-out") && strcmp(a, "--stride2") && strcmp(a, "--layer-crop") &&
            strcmp(a, "--layer-cout"))
            return dnn_fail(DNN_EUSAGE, "stats: unknown option '%.60s' (legal: --bits, --image, "
                                        "--box, --save-input, --layer, --layer-out, --stride2, "
                                        "--layer-crop, --layer-cout, --cycles, --fofir, --csv, "
                                        "--help)", a);
        if (!v)
            return dnn_fail(DNN_EUSAGE, "stats: option %.60s needs a value (legal: --bits B, "
                                        "--image JPEG, --box X,Y,SIDE, --csv FILE)", a);
        if (strcmp(a, "--bits") == 0) {
            if (dnn_parse_count("--bits", v, 1000, &bits) || bits < 2 || bits > 16)
                return dnn_fail(DNN_EUSAGE, "stats: bad --bits '%.60s' (legal: 2..16)", v);
        } else if (strcmp(a, "--csv") == 0) {
            csvpath = v;
        } else if (strcmp(a, "--image") == 0) {
            image = v;
        } else if (strcmp(a, "--save-input") == 0) {
            savein = v;
        } else if (strcmp(a, "--layer") == 0) {
            lname = v;
        } else if (strcmp(a, "--layer-out") == 0) {
            lout = v;
        } else if (strcmp(a, "--stride2") == 0) {
            int64_t k64 = 0;
            s2arg = v;
            if (strcmp(v, "decimate") == 0)
                s2 = GM_S2_DECIMATE;
            else if (strcmp(v, "phase") == 0)
                s2 = GM_S2_PHASE;
            else if (strncmp(v, "phase:", 6) == 0 && !parse_int(v + 6, &k64) &&
                     k64 >= 1 && k64 <= GM_LAYER_MAX_K) {
                s2 = GM_S2_PHASE;
                kp = (int)k64;
            } else
                return dnn_fail(DNN_EUSAGE, "stats: bad --stride2 '%.60s' (legal: decimate, "
                                            "phase, phase:K with K = ceil(k/2)..%d)", v,
                                GM_LAYER_MAX_K);
        } else if (strcmp(a, "--layer-cout") == 0) {
            if (parse_int(v, &ncout) || ncout < 1)
                return dnn_fail(DNN_EUSAGE, "stats: bad --layer-cout '%.60s' (legal: 1..the "
                                            "layer's output channels)", v);
        } else if (strcmp(a, "--layer-crop") == 0) {
            if (parse_int(v, &crop) || crop < 1)
                return dnn_fail(DNN_EUSAGE, "stats: bad --layer-crop '%.60s' (legal: 1..the "
                                            "layer's input size)", v);
        } else {
            boxarg = v;
        }
        i++;
    }
    if (!model)
        return dnn_fail(DNN_EUSAGE, "stats: missing MODEL (legal: a TensorFlow.js weights "
                                    "manifest)");
    if (bits == 0)
        return dnn_fail(DNN_EUSAGE, "stats: missing --bits (legal: --bits 2..16)");
    if (boxarg && (!image || parse_box(boxarg, box)))
        return dnn_fail(DNN_EUSAGE, "stats: bad --box '%.60s' (legal: X,Y,SIDE with SIDE >= 1, "
                                    "together with --image)", boxarg);
    if ((lname || lout) && (!image || !lname || !lout))
        return dnn_fail(DNN_EUSAGE, "stats: --layer and --layer-out go together, with --image "
                                    "(legal: --image JPEG --layer NAME --layer-out FILE)");
    if ((s2arg || crop || ncout) && !lname)
        return dnn_fail(DNN_EUSAGE, "stats: --stride2, --layer-crop, --layer-cout need --layer (legal: "
                                    "--image JPEG --layer NAME --layer-out FILE [--stride2 ...] "
                                    "[--layer-crop N])");
    if (cycles && !image)
        return dnn_fail(DNN_EUSAGE, "stats: --cycles without --image (legal: together with "
                                    "--image)");
    if (fofir && !image)
        return dnn_fail(DNN_EUSAGE, "stats: --fofir without --image (legal: together with "
                                    "--image)");
    if (savein && !image)
        return dnn_fail(DNN_EUSAGE, "stats: --save-input without --image (legal: together with "
                                    "--image)");
    if (gm_tfjs_load(&m, model, err, sizeof err)) {
        dnn_oneline(err);
        return dnn_fail(DNN_EUSAGE, "stats: %s: %s", model, err);
    }
    if (image) {
        if (gm_jpeg_load(&im, image, err, sizeof err)) {
            dnn_oneline(err);
            dnn_fail(DNN_EUSAGE, "stats: %s: %s", image, err);
            goto done;
        }
        if (!boxarg) {
            box[2] = im.w < im.h ? im.w : im.h;
            box[0] = (im.w - box[2]) / 2;
            box[1] = (im.h - box[2]) / 2;
        }
        input = malloc((size_t)GM_FACEREC_SIZE * GM_FACEREC_SIZE * 3 * sizeof *input);
        if (!input) {
            dnn_fail(DNN_ETOOL, "stats: out of memory");
            goto done;
        }
        if (savein) { /* the crop itself, before normalization */
            gm_image_crop_resize(&im, box[0], box[1], box[2], box[2], GM_FACEREC_SIZE,
                                 GM_FACEREC_SIZE, input);
            if (write_file(savein, (const char *)input,
                           (size_t)GM_FACEREC_SIZE * GM_FACEREC_SIZE * 3 * sizeof *input))
                goto done;
        }
        gm_facerec_input(&im, box[0], box[1], box[2], input);
        if (gm_facerec_run(&net, &m, input, err, sizeof err)) {
            dnn_oneline(err);
            dnn_fail(DNN_EUSAGE, "stats: %s: %s", model, err);
            goto done;
        }
        if (with_image(&net, (int)bits, &ls, &nl)) {
            dnn_fail(DNN_ETOOL, "stats: out of memory");
            goto done;
        }
    } else if (weights_only(&m, (int)bits, &ls, &nl)) {
        dnn_fail(DNN_ETOOL, "stats: out of memory");
        goto done;
    }
    if (nl == 0) {
        dnn_fail(DNN_EUSAGE, "stats: %s has no tensor of rank >= 2 (legal: a model with conv "
                             "or fc weights)", model);
        goto done;
    }
    report(&r, &csv, model, (int)bits, ls, nl, image ? 3 : 1, image, box, net.desc);
    if (cycles)
        report_cycles(&r, ls, nl, (int)bits);
    if (fofir && report_fofir(&r, &net, ls, (int)bits))
        goto done;
    if (r.oom || csv.oom) {
        dnn_fail(DNN_ETOOL, "stats: out of memory");
        goto done;
    }
    if (lname && export_layer(&net, lname, (int)bits, lout, s2, kp, (int)crop, (int)ncout, &r))
        goto done;
    if (r.oom) {
        dnn_fail(DNN_ETOOL, "stats: out of memory");
        goto done;
    }
    if (csvpath && write_file(csvpath, csv.s, strlen(csv.s)))
        goto done;
    fputs(r.s, stdout);
    rc = 0;
done:
    free(ls);
    free(input);
    gm_facerec_free(&net);
    gm_image_free(&im);
    gm_tfjs_free(&m);
    sb_free(&r);
    sb_free(&csv);
    return rc;
}
