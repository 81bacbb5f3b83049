/*
 * gm_onnx.c -- ONNX model files into gm_onnx structures (see gm_onnx.h).
 *
 * protobuf-c does the decoding; we do three things around it. First a pass over the wire
 * format guided by the generated descriptors bounds the nesting of messages (protobuf-c
 * recurses once per level, and a file of nested GraphProto attributes could otherwise exhaust
 * the stack). Then the decoded messages are copied into plain structures, checking every
 * tensor: at most GM_ONNX_MAX_DIMS dims, none negative, their product free of overflow and
 * equal to the number of values the file actually holds (raw_data bytes or typed fields), so
 * a tensor can never ask for more memory than the file's own size. Finally the protobuf-c
 * tree is freed; callers never see protobuf-c types.
 */
#include "gm_onnx.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "onnx.pb-c.h"

typedef struct ctx {
    char *err;
    size_t n;
    int failed;
} ctx;

static void fail(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(ctx *c, const char *fmt, ...)
{
    va_list ap;
    if (c->failed)
        return;
    c->failed = 1;
    va_start(ap, fmt);
    vsnprintf(c->err, c->n, fmt, ap);
    va_end(ap);
    for (char *p = c->err; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
            *p = '?';
}

static void *zalloc(ctx *c, size_t count, size_t size)
{
    void *p;
    if (count == 0)
        count = 1;
    p = calloc(count, size);
    if (!p)
        fail(c, "out of memory");
    return p;
}

static char *dup_str(ctx *c, const char *s)
{
    size_t l;
    char *d;
    if (!s)
        s = "";
    l = strlen(s);
    d = zalloc(c, l + 1, 1);
    if (d)
        memcpy(d, s, l + 1);
    return d;
}

/* ---- wire-format nesting check --------------------------------------------------------- */

static int get_varint(const uint8_t *p, size_t len, size_t *o, uint64_t *v)
{
    uint64_t r = 0;
    for (unsigned sh = 0; sh < 64; sh += 7) {
        if (*o >= len)
            return -1;
        uint8_t b = p[(*o)++];
        r |= (uint64_t)(b & 0x7f) << sh;
        if (!(b & 0x80)) {
            *v = r;
            return 0;
        }
    }
    return -1;
}

/* 0 ok, -1 malformed, -2 too deep */
static int wire_check(const ProtobufCMessageDescriptor *d, const uint8_t *p, size_t len, int depth)
{
    size_t o = 0;
    if (depth > GM_ONNX_MAX_DEPTH)
        return -2;
    while (o < len) {
        uint64_t key, v;
        if (get_varint(p, len, &o, &key))
            return -1;
        switch (key & 7) {
        case 0:
            if (get_varint(p, len, &o, &v))
                return -1;
            break;
        case 1:
            if (len - o < 8)
                return -1;
            o += 8;
            break;
        case 5:
            if (len - o < 4)
                return -1;
            o += 4;
            break;
        case 2: {
            const ProtobufCFieldDescriptor *f;
            if (get_varint(p, len, &o, &v) || v > len - o)
                return -1;
            f = (key >> 3) <= UINT32_MAX
                    ? protobuf_c_message_descriptor_get_field(d, (unsigned)(key >> 3))
                    : NULL;
            if (f && f->type == PROTOBUF_C_TYPE_MESSAGE) {
                int r = wire_check(f->descriptor, p + o, (size_t)v, depth + 1);
                if (r)
                    return r;
            }
            o += (size_t)v;
            break;
        }
        default: /* groups (3, 4) are not used by onnx.proto; 6, 7 do not exist */
            return -1;
        }
    }
    return 0;
}

/* ---- copying and validation ------------------------------------------------------------ */

static int64_t elem_size(int dtype)
{
    switch (dtype) {
    case GM_ONNX_FLOAT: case GM_ONNX_INT32: return 4;
    case GM_ONNX_INT64: return 8;
    case GM_ONNX_BOOL: return 1;
    default: return 0;
    }
}

static void tensor_free(gm_onnx_tensor *t)
{
    if (!t)
        return;
    free(t->name);
    free(t->f);
    free(t->i);
    memset(t, 0, sizeof *t);
}

static void tensor_copy(ctx *c, gm_onnx_tensor *t, const Onnx__TensorProto *p)
{
    int64_t count = 1, have, es;
    memset(t, 0, sizeof *t);
    t->name = dup_str(c, p->name);
    if (c->failed)
        return;
    t->dtype = p->has_data_type ? p->data_type : 0;
    if (p->n_dims > GM_ONNX_MAX_DIMS) {
        fail(c, "tensor '%.80s' has %zu dims (legal: at most %d)", t->name, p->n_dims,
             GM_ONNX_MAX_DIMS);
        return;
    }
    t->ndims = (int)p->n_dims;
    for (size_t k = 0; k < p->n_dims; k++) {
        int64_t dm = p->dims[k];
        if (dm < 0) {
            fail(c, "tensor '%.80s' dim %zu is %lld (legal: >= 0)", t->name, k, (long long)dm);
            return;
        }
        t->dims[k] = dm;
        if (dm != 0 && count > INT64_C(0x7fffffffffff) / dm) {
            fail(c, "tensor '%.80s' declares too large a shape (more elements than the file holds)",
                 t->name);
            return;
        }
        count *= dm;
    }
    t->count = count;
    if (p->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL || p->n_external_data) {
        fail(c, "tensor '%.80s' keeps its data in an external file (legal: data inside the model)",
             t->name);
        return;
    }
    if (p->segment) {
        fail(c, "tensor '%.80s' is segmented (legal: whole tensors)", t->name);
        return;
    }
    es = elem_size(t->dtype);
    if (es == 0)
        return; /* a type we do not decode: shape only */
    if (p->has_raw_data && p->raw_data.len > 0) {
        have = (int64_t)(p->raw_data.len / (size_t)es);
        if (p->raw_data.len % (size_t)es != 0 || have != count) {
            fail(c, "tensor '%.80s': shape needs %lld values but raw_data holds %zu bytes "
                    "(malformed or too large a shape)",
                 t->name, (long long)count, p->raw_data.len);
            return;
        }
    } else {
        have = (int64_t)(t->dtype == GM_ONNX_FLOAT   ? p->n_float_data
                         : t->dtype == GM_ONNX_INT64 ? p->n_int64_data
                                                     : p->n_int32_data);
        if (have != count) {
            fail(c, "tensor '%.80s': shape needs %lld values but the file holds %lld "
                    "(malformed or too large a shape)",
                 t->name, (long long)count, (long long)have);
            return;
        }
    }
    if (t->dtype == GM_ONNX_FLOAT) {
        t->f = zalloc(c, (size_t)count, sizeof *t->f);
        if (!t->f)
            return;
        if (p->has_raw_data && p->raw_data.len > 0) {
            for (int64_t k = 0; k < count; k++) { /* little-endian by the ONNX spec */
                const uint8_t *b = p->raw_data.data + 4 * k;
                uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                             (uint32_t)b[3] << 24;
                memcpy(&t->f[k], &u, 4);
            }
        } else if (count) {
            memcpy(t->f, p->float_data, (size_t)count * sizeof *t->f);
        }
        return;
    }
    t->i = zalloc(c, (size_t)count, sizeof *t->i);
    if (!t->i)
        return;
    for (int64_t k = 0; k < count; k++) {
        if (p->has_raw_data && p->raw_data.len > 0) {
            const uint8_t *b = p->raw_data.data + es * k;
            uint64_t u = 0;
            for (int64_t j = es - 1; j >= 0; j--)
                u = u << 8 | b[j];
            if (es == 4)
                t->i[k] = (int64_t)(int32_t)(uint32_t)u;
            else if (es == 8)
                t->i[k] = (int64_t)u;
            else
                t->i[k] = u != 0;
        } else {
            t->i[k] = t->dtype == GM_ONNX_INT64 ? p->int64_data[k] : p->int32_data[k];
        }
    }
}

static void graph_free(gm_onnx_graph *g);

static void node_free(gm_onnx_node *nd)
{
    free(nd->name);
    free(nd->op_type);
    for (size_t k = 0; nd->in && k < nd->nin; k++)
        free(nd->in[k]);
    for (size_t k = 0; nd->out && k < nd->nout; k++)
        free(nd->out[k]);
    free(nd->in);
    free(nd->out);
    for (size_t k = 0; nd->attr && k < nd->nattr; k++) {
        gm_onnx_attr *a = &nd->attr[k];
        free(a->name);
        free(a->s);
        free(a->floats);
        free(a->ints);
        tensor_free(a->t);
        free(a->t);
        graph_free(a->g);
    }
    free(nd->attr);
}

static void graph_free(gm_onnx_graph *g)
{
    if (!g)
        return;
    free(g->name);
    for (size_t k = 0; g->node && k < g->nnode; k++)
        node_free(&g->node[k]);
    free(g->node);
    for (size_t k = 0; g->init && k < g->ninit; k++)
        tensor_free(&g->init[k]);
    free(g->init);
    for (size_t k = 0; g->in && k < g->nin; k++)
        free(g->in[k]);
    for (size_t k = 0; g->out && k < g->nout; k++)
        free(g->out[k]);
    free(g->in);
    free(g->out);
    free(g);
}

static char **strv(ctx *c, char *const *v, size_t nv)
{
    char **r = zalloc(c, nv, sizeof *r);
    for (size_t k = 0; r && k < nv && !c->failed; k++)
        r[k] = dup_str(c, v[k]);
    return r;
}

static gm_onnx_graph *graph_copy(ctx *c, const Onnx__GraphProto *p);

static void attr_copy(ctx *c, gm_onnx_attr *a, const Onnx__AttributeProto *p)
{
    a->name = dup_str(c, p->name);
    a->type = p->has_type ? (int)p->type : 0;
    a->f = p->has_f ? p->f : 0.0f;
    a->i = p->has_i ? p->i : 0;
    if (p->has_s) {
        a->s = zalloc(c, p->s.len + 1, 1);
        if (a->s && p->s.len)
            memcpy(a->s, p->s.data, p->s.len);
    }
    if (p->n_floats) {
        a->floats = zalloc(c, p->n_floats, sizeof *a->floats);
        if (a->floats) {
            memcpy(a->floats, p->floats, p->n_floats * sizeof *a->floats);
            a->nfloats = p->n_floats;
        }
    }
    if (p->n_ints) {
        a->ints = zalloc(c, p->n_ints, sizeof *a->ints);
        if (a->ints) {
            memcpy(a->ints, p->ints, p->n_ints * sizeof *a->ints);
            a->nints = p->n_ints;
        }
    }
    if (p->t && !c->failed) {
        a->t = zalloc(c, 1, sizeof *a->t);
        if (a->t)
            tensor_copy(c, a->t, p->t);
    }
    if (p->g && !c->failed)
        a->g = graph_copy(c, p->g);
}

static gm_onnx_graph *graph_copy(ctx *c, const Onnx__GraphProto *p)
{
    gm_onnx_graph *g = zalloc(c, 1, sizeof *g);
    if (!g)
        return NULL;
    g->name = dup_str(c, p->name);
    g->node = zalloc(c, p->n_node, sizeof *g->node);
    if (g->node)
        g->nnode = p->n_node;
    for (size_t k = 0; g->node && k < p->n_node && !c->failed; k++) {
        const Onnx__NodeProto *np = p->node[k];
        gm_onnx_node *nd = &g->node[k];
        nd->name = dup_str(c, np->name);
        nd->op_type = dup_str(c, np->op_type);
        nd->in = strv(c, np->input, np->n_input);
        nd->nin = nd->in ? np->n_input : 0;
        nd->out = strv(c, np->output, np->n_output);
        nd->nout = nd->out ? np->n_output : 0;
        nd->attr = zalloc(c, np->n_attribute, sizeof *nd->attr);
        if (nd->attr)
            nd->nattr = np->n_attribute;
        for (size_t j = 0; nd->attr && j < np->n_attribute && !c->failed; j++)
            attr_copy(c, &nd->attr[j], np->attribute[j]);
    }
    g->init = zalloc(c, p->n_initializer, sizeof *g->init);
    if (g->init)
        g->ninit = p->n_initializer;
    for (size_t k = 0; g->init && k < p->n_initializer && !c->failed; k++)
        tensor_copy(c, &g->init[k], p->initializer[k]);
    g->in = zalloc(c, p->n_input, sizeof *g->in);
    if (g->in)
        g->nin = p->n_input;
    for (size_t k = 0; g->in && k < p->n_input && !c->failed; k++)
        g->in[k] = dup_str(c, p->input[k]->name);
    g->out = zalloc(c, p->n_output, sizeof *g->out);
    if (g->out)
        g->nout = p->n_output;
    for (size_t k = 0; g->out && k < p->n_output && !c->failed; k++)
        g->out[k] = dup_str(c, p->output[k]->name);
    return g;
}

int gm_onnx_parse(gm_onnx_model *m, const uint8_t *data, size_t len, char *err, size_t n)
{
    ctx c = { err, n, 0 };
    Onnx__ModelProto *p;
    int r;
    memset(m, 0, sizeof *m);
    if (len > GM_ONNX_MAX_FILE) {
        fail(&c, "ONNX file too large: %zu bytes (legal: at most %u)", len, GM_ONNX_MAX_FILE);
        return -1;
    }
    r = wire_check(&onnx__model_proto__descriptor, data, len, 0);
    if (r == -2) {
        fail(&c, "ONNX file nests messages deeper than %d levels (too large a nesting)",
             GM_ONNX_MAX_DEPTH);
        return -1;
    }
    if (r) {
        fail(&c, "not an ONNX model: malformed protobuf");
        return -1;
    }
    p = onnx__model_proto__unpack(NULL, len, data);
    if (!p) {
        fail(&c, "not an ONNX model: malformed protobuf");
        return -1;
    }
    if (!p->graph) {
        onnx__model_proto__free_unpacked(p, NULL);
        fail(&c, "not an ONNX model: no graph");
        return -1;
    }
    m->ir_version = p->has_ir_version ? p->ir_version : 0;
    for (size_t k = 0; k < p->n_opset_import; k++) {
        const Onnx__OperatorSetIdProto *o = p->opset_import[k];
        if ((!o->domain || !o->domain[0]) && o->has_version)
            m->opset = o->version;
    }
    m->producer = dup_str(&c, p->producer_name);
    m->graph = graph_copy(&c, p->graph);
    onnx__model_proto__free_unpacked(p, NULL);
    if (c.failed) {
        gm_onnx_free(m);
        return -1;
    }
    return 0;
}

int gm_onnx_load(gm_onnx_model *m, const char *path, char *err, size_t n)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    int r;
    memset(m, 0, sizeof *m);
    if (!f) {
        snprintf(err, n, "cannot open ONNX file '%.200s'", path);
        return -1;
    }
    for (;;) {
        size_t got;
        if (len == cap) {
            uint8_t *nb;
            if (cap >= GM_ONNX_MAX_FILE) {
                fclose(f);
                free(buf);
                snprintf(err, n, "ONNX file '%.200s' too large (legal: at most %u bytes)", path,
                         GM_ONNX_MAX_FILE);
                return -1;
            }
            cap = cap ? cap * 2 : 1u << 16;
            if (cap > GM_ONNX_MAX_FILE + (size_t)1)
                cap = GM_ONNX_MAX_FILE + (size_t)1;
            nb = realloc(buf, cap);
            if (!nb) {
                fclose(f);
                free(buf);
                snprintf(err, n, "out of memory reading '%.200s'", path);
                return -1;
            }
            buf = nb;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        fclose(f);
        free(buf);
        snprintf(err, n, "cannot read ONNX file '%.200s'", path);
        return -1;
    }
    fclose(f);
    r = gm_onnx_parse(m, buf, len, err, n);
    free(buf);
    return r;
}

void gm_onnx_free(gm_onnx_model *m)
{
    free(m->producer);
    graph_free(m->graph);
    memset(m, 0, sizeof *m);
}

const gm_onnx_attr *gm_onnx_attr_find(const gm_onnx_node *nd, const char *name)
{
    for (size_t k = 0; k < nd->nattr; k++)
        if (strcmp(nd->attr[k].name, name) == 0)
            return &nd->attr[k];
    return NULL;
}

const gm_onnx_tensor *gm_onnx_init_find(const gm_onnx_graph *g, const char *name)
{
    for (size_t k = 0; k < g->ninit; k++)
        if (strcmp(g->init[k].name, name) == 0)
            return &g->init[k];
    return NULL;
}

/* ---- printing -------------------------------------------------------------------------- */

static void put_shape(FILE *out, const gm_onnx_tensor *t)
{
    static const char *const tn[] = { "?", "float", "uint8", "int8", "uint16", "int16",
                                      "int32", "int64", "string", "bool" };
    fprintf(out, "%s[", t->dtype >= 0 && t->dtype <= 9 ? tn[t->dtype] : "?");
    for (int k = 0; k < t->ndims; k++)
        fprintf(out, "%s%lld", k ? "," : "", (long long)t->dims[k]);
    fputc(']', out);
    if (t->count > 0 && t->count <= 4 && (t->f || t->i)) {
        fputs(" =", out);
        for (int64_t k = 0; k < t->count; k++) {
            if (t->f)
                fprintf(out, " %g", (double)t->f[k]);
            else
                fprintf(out, " %lld", (long long)t->i[k]);
        }
    }
}

void gm_onnx_dump(const gm_onnx_graph *g, int indent, FILE *out)
{
    int ind = indent > 40 ? 40 : indent;
    fprintf(out, "%*sgraph '%s': %zu nodes, %zu initializers, inputs", ind, "", g->name,
            g->nnode, g->ninit);
    for (size_t k = 0; k < g->nin; k++)
        fprintf(out, " %s", g->in[k]);
    fputs(", outputs", out);
    for (size_t k = 0; k < g->nout; k++)
        fprintf(out, " %s", g->out[k]);
    fputc('\n', out);
    for (size_t k = 0; k < g->ninit; k++) {
        fprintf(out, "%*s  init %s ", ind, "", g->init[k].name);
        put_shape(out, &g->init[k]);
        fputc('\n', out);
    }
    for (size_t k = 0; k < g->nnode; k++) {
        const gm_onnx_node *nd = &g->node[k];
        fprintf(out, "%*s  %zu %s", ind, "", k, nd->op_type);
        fputs(" (", out);
        for (size_t j = 0; j < nd->nin; j++)
            fprintf(out, "%s%s", j ? ", " : "", nd->in[j]);
        fputs(") ->", out);
        for (size_t j = 0; j < nd->nout; j++)
            fprintf(out, " %s", nd->out[j]);
        for (size_t j = 0; j < nd->nattr; j++) {
            const gm_onnx_attr *a = &nd->attr[j];
            fprintf(out, " %s=", a->name);
            switch (a->type) {
            case GM_ONNX_A_FLOAT: fprintf(out, "%g", (double)a->f); break;
            case GM_ONNX_A_INT: fprintf(out, "%lld", (long long)a->i); break;
            case GM_ONNX_A_STRING: fprintf(out, "'%.40s'", a->s ? a->s : ""); break;
            case GM_ONNX_A_INTS:
                for (size_t q = 0; q < a->nints; q++)
                    fprintf(out, "%s%lld", q ? "," : "", (long long)a->ints[q]);
                break;
            case GM_ONNX_A_FLOATS:
                for (size_t q = 0; q < a->nfloats; q++)
                    fprintf(out, "%s%g", q ? "," : "", (double)a->floats[q]);
                break;
            case GM_ONNX_A_TENSOR:
                if (a->t)
                    put_shape(out, a->t);
                break;
            case GM_ONNX_A_GRAPH: fputs("<graph>", out); break;
            default: fputs("?", out); break;
            }
        }
        fputc('\n', out);
        for (size_t j = 0; j < nd->nattr; j++)
            if (nd->attr[j].g)
                gm_onnx_dump(nd->attr[j].g, indent + 4, out);
    }
}
