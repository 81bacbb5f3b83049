/*
 * gm_storage.c -- network files (cJSON) and the on-chip storage model of gm_storage.h:
 * layer-wise buffering against inter-layer partial storage with T_r-row tiles.
 *
 * The model is a handful of products and one max/sum over layers; all of it is integer
 * (int64_t: the limits bound one layer's map to 16384^2 * 65536 < 2^45 pixels and a network
 * to 1024 of them, < 2^55). The parser does the work worth testing: every size is checked
 * against its limit and against the previous layer before it is used.
 */
#include "gm_storage.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gm_storage_free(gm_storage_net *net)
{
    free(net->layers);
    net->layers = NULL;
    net->n = 0;
}

int gm_storage_conv_h(const gm_storage_layer *l)
{
    return l->h + 2 * l->pad - l->k + 1;
}

int gm_storage_conv_w(const gm_storage_layer *l)
{
    return l->w + 2 * l->pad - l->k + 1;
}

/* Max-pool of size and stride pool: floor, the rows and columns left over are dropped. */
int gm_storage_out_h(const gm_storage_layer *l)
{
    return gm_storage_conv_h(l) / l->pool;
}

int gm_storage_out_w(const gm_storage_layer *l)
{
    return gm_storage_conv_w(l) / l->pool;
}

int64_t gm_storage_in_px(const gm_storage_layer *l)
{
    return (int64_t)l->h * l->w * l->cin;
}

int64_t gm_storage_conv_px(const gm_storage_layer *l)
{
    return (int64_t)gm_storage_conv_h(l) * gm_storage_conv_w(l) * l->cout;
}

int64_t gm_storage_layerwise_px(const gm_storage_layer *l)
{
    return gm_storage_in_px(l) + gm_storage_conv_px(l);
}

int gm_storage_tile_rows(const gm_storage_layer *l, int tile_rows)
{
    int half = l->k > 1 ? l->k - 1 : 1;
    int t = tile_rows > 0 ? tile_rows : 2 * half;
    return t < l->h ? t : l->h;
}

int64_t gm_storage_partial_px(const gm_storage_layer *l, int tile_rows)
{
    return (int64_t)gm_storage_tile_rows(l, tile_rows) * l->w * l->cin;
}

void gm_storage_totals_of(const gm_storage_net *net, int tile_rows, gm_storage_totals *t)
{
    int i;
    memset(t, 0, sizeof *t);
    for (i = 0; i < net->n; i++) {
        const gm_storage_layer *l = &net->layers[i];
        int64_t lw = gm_storage_layerwise_px(l);
        if (lw > t->layerwise) {
            t->layerwise = lw;
            t->peak_layer = i;
        }
        t->partial += gm_storage_partial_px(l, tile_rows);
    }
    if (net->n > 0)
        t->first_input = gm_storage_partial_px(&net->layers[0], tile_rows);
}

int gm_storage_max_k(const gm_storage_net *net)
{
    int i, k = 0;
    for (i = 0; i < net->n; i++)
        if (net->layers[i].k > k)
            k = net->layers[i].k;
    return k;
}

/* ---- parser ---- */

static int key_in(const char *key, const char *const *legal)
{
    for (; *legal; legal++)
        if (strcmp(key, *legal) == 0)
            return 1;
    return 0;
}

/* Every key of object o must be in legal (a typo is an error, not a default). */
static int check_keys(const cJSON *o, const char *const *legal, const char *where,
                      const char *legal_text, char *err, size_t n)
{
    const cJSON *c;
    for (c = o->child; c; c = c->next) {
        const char *k = c->string ? c->string : "";
        size_t i, len = strlen(k);
        int printable = len <= 40;
        for (i = 0; i < len && printable; i++)
            printable = k[i] >= 0x20 && k[i] < 0x7f;
        if (!key_in(k, legal)) {
            snprintf(err, n, "network: %s: unknown key '%s' (legal: %s)", where,
                     printable ? k : "?", legal_text);
            return -1;
        }
    }
    return 0;
}

static int get_int(const cJSON *o, const char *name, int lo, int hi, int def, int *out,
                   const char *where, char *err, size_t n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!v) {
        if (def < lo) {
            snprintf(err, n, "network: %s: missing \"%s\" (legal: an integer %d..%d)", where,
                     name, lo, hi);
            return -1;
        }
        *out = def;
        return 0;
    }
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < lo ||
        v->valuedouble > hi) {
        snprintf(err, n, "network: %s: \"%s\" is not an integer in %d..%d (legal: %d..%d)",
                 where, name, lo, hi, lo, hi);
        return -1;
    }
    *out = (int)v->valuedouble;
    return 0;
}

/* A string of at most cap-1 printable ASCII characters (ident: only [A-Za-z0-9_.+-], no
 * empty string), copied into dst; absent: dst keeps its default. */
static int get_str(const cJSON *o, const char *name, char *dst, size_t cap, int ident,
                   const char *where, char *err, size_t n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    size_t i, len;
    if (!v)
        return 0;
    if (!cJSON_IsString(v) || !v->valuestring) {
        snprintf(err, n, "network: %s: \"%s\" is not a string (legal: a string)", where, name);
        return -1;
    }
    len = strlen(v->valuestring);
    for (i = 0; i < len; i++) {
        char c = v->valuestring[i];
        int ok = ident ? ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '+' || c == '-')
                       : (c >= 0x20 && c < 0x7f);
        if (!ok)
            break;
    }
    if (i < len || len >= cap || (ident && len == 0)) {
        snprintf(err, n, "network: %s: \"%s\" is not %s of 1..%zu characters (legal: %s)",
                 where, name, ident ? "a name" : "a printable string", cap - 1,
                 ident ? "letters, digits, _ . + -" : "printable ASCII");
        return -1;
    }
    memcpy(dst, v->valuestring, len + 1);
    return 0;
}

static int get_pos(const cJSON *o, const char *name, double *out, char *err, size_t n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!v)
        return 0;
    if (!cJSON_IsNumber(v) || !(v->valuedouble > 0 && v->valuedouble <= 1e18)) {
        snprintf(err, n, "network: published: \"%s\" is not a positive number (legal: "
                         "0 < x <= 1e18)",
                 name);
        return -1;
    }
    *out = v->valuedouble;
    return 0;
}

static int parse_published(gm_storage_net *net, const cJSON *p, char *err, size_t n)
{
    static const char *const keys[] = { "layerwise", "partial", "ratio", "source", NULL };
    if (!cJSON_IsObject(p)) {
        snprintf(err, n, "network: \"published\" is not an object (legal: {\"layerwise\": X, "
                         "\"partial\": Y, \"ratio\": R, \"source\": S})");
        return -1;
    }
    if (check_keys(p, keys, "published", "layerwise, partial, ratio, source", err, n) ||
        get_pos(p, "layerwise", &net->pub.layerwise, err, n) ||
        get_pos(p, "partial", &net->pub.partial, err, n) ||
        get_pos(p, "ratio", &net->pub.ratio, err, n) ||
        get_str(p, "source", net->pub.source, sizeof net->pub.source, 0, "published", err, n))
        return -1;
    return 0;
}

static int parse_layer(gm_storage_net *net, int i, const cJSON *o, char *err, size_t n)
{
    static const char *const keys[] = { "name", "cin", "cout", "h", "w", "k", "pad", "pool",
                                        NULL };
    gm_storage_layer *l = &net->layers[i];
    char where[64];
    snprintf(where, sizeof where, "layer %d", i + 1);
    snprintf(l->name, sizeof l->name, "layer%d", i + 1);
    if (!cJSON_IsObject(o)) {
        snprintf(err, n, "network: %s is not an object (legal: {\"name\", \"cin\", \"cout\", "
                         "\"h\", \"w\", \"k\", \"pad\", \"pool\"})",
                 where);
        return -1;
    }
    if (check_keys(o, keys, where, "name, cin, cout, h, w, k, pad, pool", err, n) ||
        get_str(o, "name", l->name, sizeof l->name, 1, where, err, n))
        return -1;
    snprintf(where, sizeof where, "layer %d (%s)", i + 1, l->name);
    if (get_int(o, "cin", 1, GM_STORAGE_MAX_CH, -1, &l->cin, where, err, n) ||
        get_int(o, "cout", 1, GM_STORAGE_MAX_CH, -1, &l->cout, where, err, n) ||
        get_int(o, "h", 1, GM_STORAGE_MAX_HW, -1, &l->h, where, err, n) ||
        get_int(o, "w", 1, GM_STORAGE_MAX_HW, -1, &l->w, where, err, n) ||
        get_int(o, "k", 1, GM_STORAGE_MAX_K, -1, &l->k, where, err, n) ||
        get_int(o, "pad", 0, l->k - 1, (l->k - 1) / 2, &l->pad, where, err, n) ||
        get_int(o, "pool", 1, GM_STORAGE_MAX_POOL, 1, &l->pool, where, err, n))
        return -1;
    if (gm_storage_conv_h(l) < l->pool || gm_storage_conv_w(l) < l->pool) {
        snprintf(err, n, "network: %s: a %dx%d kernel (pad %d) and %dx%d pool leave no output "
                         "of a %dx%d input (legal: h + 2*pad - k + 1 >= pool, same for w)",
                 where, l->k, l->k, l->pad, l->pool, l->pool, l->h, l->w);
        return -1;
    }
    if (i > 0) {
        const gm_storage_layer *p = &net->layers[i - 1];
        if (l->cin != p->cout || l->h != gm_storage_out_h(p) || l->w != gm_storage_out_w(p)) {
            snprintf(err, n, "network: %s: input %dx%dx%d is not layer %d's output %dx%dx%d "
                             "(legal: h, w, cin of the previous layer's pooled output)",
                     where, l->h, l->w, l->cin, i, gm_storage_out_h(p), gm_storage_out_w(p),
                     p->cout);
            return -1;
        }
    }
    return 0;
}

int gm_storage_parse(gm_storage_net *net, const char *text, size_t len, char *err, size_t n)
{
    static const char *const keys[] = { "name", "source", "layers", "published", NULL };
    cJSON *root;
    const cJSON *layers, *pub, *c;
    int rc = -1, count, i;
    memset(net, 0, sizeof *net);
    snprintf(net->name, sizeof net->name, "network");
    root = cJSON_ParseWithLength(text, len);
    if (!root || !cJSON_IsObject(root)) {
        snprintf(err, n, "network: malformed JSON (legal: an object with \"layers\", "
                         "docs/storage.md)");
        goto out;
    }
    if (check_keys(root, keys, "top level", "name, source, layers, published", err, n) ||
        get_str(root, "name", net->name, sizeof net->name, 0, "top level", err, n) ||
        get_str(root, "source", net->source, sizeof net->source, 0, "top level", err, n))
        goto out;
    layers = cJSON_GetObjectItemCaseSensitive(root, "layers");
    if (!cJSON_IsArray(layers)) {
        snprintf(err, n, "network: \"layers\" is missing or not an array (legal: 1..%d layer "
                         "objects)",
                 GM_STORAGE_MAX_LAYERS);
        goto out;
    }
    count = 0; /* counted without cJSON_GetArraySize's int walk over a huge array */
    for (c = layers->child; c && count <= GM_STORAGE_MAX_LAYERS; c = c->next)
        count++;
    if (count < 1 || count > GM_STORAGE_MAX_LAYERS) {
        snprintf(err, n, "network: \"layers\" has %s%d entries (legal: 1..%d)",
                 count > GM_STORAGE_MAX_LAYERS ? "more than " : "",
                 count > GM_STORAGE_MAX_LAYERS ? GM_STORAGE_MAX_LAYERS : count,
                 GM_STORAGE_MAX_LAYERS);
        goto out;
    }
    net->layers = calloc((size_t)count, sizeof *net->layers);
    if (!net->layers) {
        snprintf(err, n, "network: out of memory");
        goto out;
    }
    for (i = 0, c = layers->child; i < count; i++, c = c->next) {
        net->n = i + 1; /* so a failure frees what was allocated */
        if (parse_layer(net, i, c, err, n))
            goto out;
    }
    pub = cJSON_GetObjectItemCaseSensitive(root, "published");
    if (pub && parse_published(net, pub, err, n))
        goto out;
    rc = 0;
out:
    if (rc)
        gm_storage_free(net);
    cJSON_Delete(root);
    return rc;
}

/* ---- CSV ---- */

/* One line is a name (< GM_STORAGE_NAME) and 14 numbers of at most 20 characters each. */
#define CSV_LINE 512

char *gm_storage_csv(const gm_storage_net *net, int tile_rows)
{
    size_t cap = ((size_t)net->n + 2) * CSV_LINE, len = 0;
    char *s = malloc(cap);
    gm_storage_totals t;
    int i;
    if (!s)
        return NULL;
    len += (size_t)snprintf(s + len, cap - len,
                            "layer,in_h,in_w,cin,conv_h,conv_w,cout,k,pad,pool,out_h,out_w,"
                            "layerwise_px,tile_rows,partial_px\n");
    for (i = 0; i < net->n; i++) {
        const gm_storage_layer *l = &net->layers[i];
        len += (size_t)snprintf(s + len, cap - len,
                                "%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%lld,%d,%lld\n", l->name,
                                l->h, l->w, l->cin, gm_storage_conv_h(l), gm_storage_conv_w(l),
                                l->cout, l->k, l->pad, l->pool, gm_storage_out_h(l),
                                gm_storage_out_w(l), (long long)gm_storage_layerwise_px(l),
                                gm_storage_tile_rows(l, tile_rows),
                                (long long)gm_storage_partial_px(l, tile_rows));
    }
    gm_storage_totals_of(net, tile_rows, &t);
    snprintf(s + len, cap - len, "total,,,,,,,,,,,,%lld,,%lld\n", (long long)t.layerwise,
             (long long)t.partial);
    return s;
}
