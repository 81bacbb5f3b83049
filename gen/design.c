/*
 * design.c -- from a configured design to the files users get: the Verilog (template
 * expansion), a filelist, the manifest (cJSON), a C header for harnesses and an SDC
 * template. Everything is rendered in memory first and written by dnn_write_files(), so a
 * failure or a kill never leaves a partial design behind. No timestamps and no paths enter
 * the files: the same configuration gives byte-identical output wherever it is generated.
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "design.h"

int dnn_dopt(int argc, char **argv, int *i, dnn_dopts *o, dnn_design *d, char *err, size_t n)
{
    const char *a = argv[*i];
    const char *v = NULL;
    if (strcmp(a, "-p") == 0 || strcmp(a, "--param") == 0 || strcmp(a, "-c") == 0 ||
        strcmp(a, "--config") == 0 || strcmp(a, "--prefix") == 0 ||
        strcmp(a, "--inject-fault") == 0) {
        if (*i + 1 >= argc) {
            snprintf(err, n, "option %s needs a value", a);
            return -DNN_EUSAGE;
        }
        v = argv[*i + 1];
        *i += 2;
    } else {
        return 0;
    }
    if (a[1] == 'p' || strcmp(a, "--param") == 0) {
        const char *eq = strchr(v, '=');
        if (!eq || eq == v) {
            snprintf(err, n, "-p takes NAME=VALUE, got '%.80s'", v);
            return -DNN_EUSAGE;
        }
        if (o->np >= 64) {
            snprintf(err, n, "too many -p options (at most 64)");
            return -DNN_EUSAGE;
        }
        o->pname[o->np] = v;
        o->pval[o->np] = eq + 1;
        o->np++;
    } else if (a[1] == 'c' || strcmp(a, "--config") == 0) {
        o->config = v;
    } else if (strcmp(a, "--prefix") == 0) {
        const char *q;
        if (strlen(v) >= sizeof d->prefix || !(isalpha((unsigned char)v[0]) || v[0] == '_')) {
            snprintf(err, n, "bad prefix '%.80s' (legal: a Verilog identifier start, "
                             "letters, digits and _, at most %zu characters)",
                     v, sizeof d->prefix - 1);
            return -DNN_EUSAGE;
        }
        for (q = v; *q; q++)
            if (!isalnum((unsigned char)*q) && *q != '_') {
                snprintf(err, n, "bad prefix '%.80s' (legal: letters, digits and _)", v);
                return -DNN_EUSAGE;
            }
        snprintf(d->prefix, sizeof d->prefix, "%s", v);
    } else {
        snprintf(d->fault, sizeof d->fault, "%.31s", v);
    }
    return 1;
}

static int set_param(dnn_design *d, const char *name, size_t nlen, const char *value, char *err,
                     size_t n)
{
    const dnn_block *b = d->blk;
    char nm[64];
    int idx;
    if (nlen >= sizeof nm)
        nlen = sizeof nm - 1;
    memcpy(nm, name, nlen);
    nm[nlen] = '\0';
    idx = dnn_param_index(b, nm);
    if (idx < 0) {
        char legal[512];
        size_t used = 0;
        int k;
        legal[0] = '\0';
        for (k = 0; k < b->nparams; k++)
            used += (size_t)snprintf(legal + used, sizeof legal - used, "%s%s", k ? ", " : "",
                                     b->params[k].name);
        snprintf(err, n, "%s: unknown parameter '%.60s' (legal: %s)", b->name, nm, legal);
        return DNN_EUSAGE;
    }
    return dnn_param_parse(b, idx, value, &d->pv[idx], err, n);
}

static int apply_config(const char *path, dnn_design *d, char *err, size_t n)
{
    char *text = NULL;
    size_t len;
    int rc;
    if (dnn_read_file(path, 1 << 20, &text, &len, err, n))
        return DNN_EUSAGE;
    rc = dnn_config_apply_text(text, len, path, d, err, n);
    free(text);
    return rc;
}

int dnn_config_apply_text(const char *text, size_t len, const char *path, dnn_design *d,
                          char *err, size_t n)
{
    cJSON *root = NULL, *params, *it;
    int rc = DNN_EUSAGE;
    root = cJSON_ParseWithLength(text, len);
    if (!root) {
        const char *ep = cJSON_GetErrorPtr();
        long off = ep && ep >= text && ep <= text + len ? (long)(ep - text) : -1;
        snprintf(err, n, "malformed JSON in config '%s' near byte %ld (expected an object "
                         "{\"block\": ..., \"params\": {NAME: value}})",
                 path, off);
        goto error;
    }
    if (!cJSON_IsObject(root)) {
        snprintf(err, n, "config '%s': top level must be an object with \"params\"", path);
        goto error;
    }
    cJSON_ArrayForEach(it, root)
    {
        if (strcmp(it->string, "block") != 0 && strcmp(it->string, "params") != 0 &&
            strcmp(it->string, "prefix") != 0) {
            snprintf(err, n, "config '%s': unknown key '%.60s' (legal: block, params, prefix)",
                     path, it->string);
            goto error;
        }
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "block");
    if (it && (!cJSON_IsString(it) || strcmp(it->valuestring, d->blk->name) != 0)) {
        snprintf(err, n, "config '%s' is for block '%.60s', not '%s'", path,
                 cJSON_IsString(it) ? it->valuestring : "(not a string)", d->blk->name);
        goto error;
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "prefix");
    if (it) {
        char *argv2[2] = { (char *)"--prefix", NULL };
        int i2 = 0;
        dnn_dopts dummy;
        if (!cJSON_IsString(it)) {
            snprintf(err, n, "config '%s': prefix must be a string", path);
            goto error;
        }
        argv2[1] = it->valuestring;
        memset(&dummy, 0, sizeof dummy);
        if (dnn_dopt(2, argv2, &i2, &dummy, d, err, n) < 0)
            goto error;
    }
    params = cJSON_GetObjectItemCaseSensitive(root, "params");
    if (params && !cJSON_IsObject(params)) {
        snprintf(err, n, "config '%s': params must be an object {NAME: value}", path);
        goto error;
    }
    cJSON_ArrayForEach(it, params)
    {
        char v[64];
        if (cJSON_IsString(it))
            snprintf(v, sizeof v, "%.60s", it->valuestring);
        else if (cJSON_IsBool(it))
            snprintf(v, sizeof v, "%d", cJSON_IsTrue(it) ? 1 : 0);
        else if (cJSON_IsNumber(it) && it->valuedouble > -1e15 && it->valuedouble < 1e15 &&
                 it->valuedouble == (double)(long long)it->valuedouble)
            snprintf(v, sizeof v, "%lld", (long long)it->valuedouble);
        else if (cJSON_IsNumber(it))
            snprintf(v, sizeof v, "%g", it->valuedouble); /* rejected below, with legal values */
        else {
            snprintf(err, n, "config '%s': parameter '%.60s' must be an integer, boolean or "
                             "string",
                     path, it->string);
            goto error;
        }
        if (set_param(d, it->string, strlen(it->string), v, err, n))
            goto error;
    }
    rc = 0;
error:
    cJSON_Delete(root);
    return rc;
}

int dnn_dopts_apply(const dnn_dopts *o, dnn_design *d, char *err, size_t n)
{
    int i;
    if (o->config && apply_config(o->config, d, err, n))
        return DNN_EUSAGE;
    for (i = 0; i < o->np; i++) {
        const char *eq = strchr(o->pname[i], '=');
        if (set_param(d, o->pname[i], (size_t)(eq - o->pname[i]), o->pval[i], err, n))
            return DNN_EUSAGE;
    }
    if (d->fault[0]) {
        int k, ok = 0;
        char legal[256] = "";
        size_t used = 0;
        for (k = 0; d->blk->faults && d->blk->faults[k]; k++) {
            ok |= strcmp(d->blk->faults[k], d->fault) == 0;
            used += (size_t)snprintf(legal + used, sizeof legal - used, "%s%s", k ? ", " : "",
                                     d->blk->faults[k]);
        }
        if (!ok) {
            snprintf(err, n, "%s: unknown fault '%s' (legal: %s)", d->blk->name, d->fault,
                     legal);
            return DNN_EUSAGE;
        }
    }
    if (d->blk->check(d, err, n))
        return DNN_EUSAGE;
    dnn_design_name(d);
    return 0;
}

int dnn_design_gparams(const dnn_design *d, gm_param *ps)
{
    int i;
    for (i = 0; i < d->blk->nparams; i++) {
        ps[i].name = d->blk->params[i].name;
        ps[i].value = d->pv[i];
    }
    return d->blk->nparams;
}

int dnn_design_streams(const dnn_design *d, gm_stream *st, int *ns, char *err, size_t n)
{
    gm_param ps[DNN_MAX_PARAMS];
    int np = dnn_design_gparams(d, ps), i;
    gm_gen *g = gm_gen_open(d->blk->name, ps, np, 1, 0, NULL, err, n);
    if (!g)
        return DNN_EUSAGE;
    *ns = gm_gen_nstreams(g);
    for (i = 0; i < *ns; i++)
        st[i] = *gm_gen_stream(g, i);
    gm_gen_close(g);
    return 0;
}

void dnn_design_command(const dnn_design *d, const char *sub, sbuf *out)
{
    int i;
    sb_printf(out, "dnngen %s %s", sub, d->blk->name);
    for (i = 0; i < d->blk->nparams; i++) {
        char v[64];
        dnn_param_format(d->blk, i, d->pv[i], v, sizeof v);
        sb_printf(out, " -p %s=%s", d->blk->params[i].name, v);
    }
    if (strcmp(d->prefix, "dnn_") != 0)
        sb_printf(out, " --prefix %s", d->prefix);
    if (d->fault[0])
        sb_printf(out, " --inject-fault %s", d->fault);
}

static sbuf *add_file(dnn_render *r, const char *name)
{
    int k = r->nfiles++;
    snprintf(r->names[k], sizeof r->names[k], "%s", name);
    sb_init(&r->bufs[k]);
    return &r->bufs[k];
}

static void header_comment(sbuf *b, const char *lead, const dnn_design *d)
{
    sbuf cmd;
    int i;
    sb_init(&cmd);
    dnn_design_command(d, "gen", &cmd);
    sb_printf(b, "%s Generated by dnngen %s -- do not edit.\n", lead, DNN_VERSION);
    sb_printf(b, "%s Command: %s\n", lead, cmd.s);
    sb_printf(b, "%s Block:   %s  top %s\n%s Params: ", lead, d->blk->name, d->top, lead);
    for (i = 0; i < d->blk->nparams; i++) {
        char v[64];
        dnn_param_format(d->blk, i, d->pv[i], v, sizeof v);
        sb_printf(b, " %s=%s", d->blk->params[i].name, v);
    }
    sb_puts(b, "\n");
    sb_free(&cmd);
}

static void port_name(char *buf, size_t n, const gm_stream *s, const char *what)
{
    snprintf(buf, n, "%s_%s", s->name, what);
}

static void render_manifest(const dnn_design *d, const dnn_render *r, sbuf *out)
{
    cJSON *root = cJSON_CreateObject(), *params, *ports, *streams, *timing, *files;
    sbuf cmd;
    char *txt;
    int i, k;
    sb_init(&cmd);
    dnn_design_command(d, "gen", &cmd);
    cJSON_AddStringToObject(root, "dnngen", DNN_VERSION);
    cJSON_AddStringToObject(root, "block", d->blk->name);
    cJSON_AddStringToObject(root, "top", d->top);
    cJSON_AddStringToObject(root, "command", cmd.s);
    if (d->fault[0])
        cJSON_AddStringToObject(root, "injected_fault", d->fault);
    params = cJSON_AddObjectToObject(root, "params");
    for (i = 0; i < d->blk->nparams; i++) {
        if (d->blk->params[i].kind == DNN_P_ENUM)
            cJSON_AddStringToObject(params, d->blk->params[i].name,
                                    d->blk->params[i].enums[d->pv[i]]);
        else
            cJSON_AddNumberToObject(params, d->blk->params[i].name, (double)d->pv[i]);
    }
    ports = cJSON_AddArrayToObject(root, "ports");
#define PORT(nm, dir, w, role)                                                                 \
    do {                                                                                       \
        cJSON *p_ = cJSON_CreateObject();                                                      \
        cJSON_AddStringToObject(p_, "name", nm);                                               \
        cJSON_AddStringToObject(p_, "dir", dir);                                               \
        cJSON_AddNumberToObject(p_, "width", w);                                               \
        cJSON_AddStringToObject(p_, "role", role);                                             \
        cJSON_AddItemToArray(ports, p_);                                                       \
    } while (0)
    PORT("clk", "input", 1, "clock");
    PORT("rst_n", "input", 1, "reset, asynchronous, active low");
    streams = cJSON_AddArrayToObject(root, "streams");
    for (i = 0; i < r->nstreams; i++) {
        const gm_stream *s = &r->streams[i];
        cJSON *so = cJSON_CreateObject(), *fl;
        char nm[96];
        const char *din = s->is_input ? "input" : "output", *dout = s->is_input ? "output" : "input";
        cJSON_AddStringToObject(so, "name", s->name);
        cJSON_AddStringToObject(so, "dir", din);
        port_name(nm, sizeof nm, s, "valid");
        cJSON_AddStringToObject(so, "valid", nm);
        PORT(nm, din, 1, "valid");
        port_name(nm, sizeof nm, s, "ready");
        cJSON_AddStringToObject(so, "ready", nm);
        PORT(nm, dout, 1, "ready");
        fl = cJSON_AddArrayToObject(so, "fields");
        for (k = 0; k < s->nf; k++) {
            cJSON *fo = cJSON_CreateObject();
            port_name(nm, sizeof nm, s, s->f[k].name);
            cJSON_AddStringToObject(fo, "name", s->f[k].name);
            cJSON_AddStringToObject(fo, "port", nm);
            cJSON_AddNumberToObject(fo, "width", s->f[k].width);
            cJSON_AddItemToArray(fl, fo);
            PORT(nm, din, s->f[k].width, "data");
        }
        cJSON_AddItemToArray(streams, so);
    }
#undef PORT
    timing = cJSON_AddObjectToObject(root, "timing");
    cJSON_AddStringToObject(timing, "clock", "clk, rising edge");
    cJSON_AddStringToObject(timing, "reset", "rst_n, asynchronous assert, active low");
    cJSON_AddStringToObject(timing, "handshake",
                            "valid/ready: a transfer happens at a rising edge where both are "
                            "high; valid never waits for ready; ready may depend on ready");
    cJSON_AddStringToObject(timing, "contract", d->blk->timing);
    cJSON_AddStringToObject(timing, "doc", d->blk->doc);
    files = cJSON_AddArrayToObject(root, "files");
    for (i = 0; i < r->nfiles; i++)
        cJSON_AddItemToArray(files, cJSON_CreateString(r->names[i]));
    cJSON_AddItemToArray(files, cJSON_CreateString("manifest.json"));
    txt = cJSON_Print(root);
    if (txt) {
        sb_puts(out, txt);
        sb_puts(out, "\n");
        free(txt);
    } else {
        out->oom = 1;
    }
    cJSON_Delete(root);
    sb_free(&cmd);
}

int dnn_render_verilog(const dnn_design *d, sbuf *out, char *err, size_t n)
{
    dnn_tvars tv;
    char path[1024], *text = NULL;
    sbuf cmd;
    int rc, i;
    tv_init(&tv);
    sb_init(&cmd);
    dnn_design_command(d, "gen", &cmd);
    tv_set(&tv, "VERSION", DNN_VERSION);
    tv_set(&tv, "COMMAND", cmd.s);
    tv_set(&tv, "TOP", d->top);
    {
        sbuf ps;
        sb_init(&ps);
        for (i = 0; i < d->blk->nparams; i++) {
            char v[64];
            dnn_param_format(d->blk, i, d->pv[i], v, sizeof v);
            sb_printf(&ps, "%s%s=%s", i ? " " : "", d->blk->params[i].name, v);
        }
        tv_set(&tv, "PARAMS", ps.s ? ps.s : "");
        sb_free(&ps);
    }
    rc = d->blk->vars(d, &tv, err, n);
    if (rc)
        goto out;
    snprintf(path, sizeof path, "%s/rtl_templates/%s", dnn_root(), d->blk->template_name);
    rc = dnn_read_file(path, 1 << 20, &text, NULL, err, n);
    if (rc) {
        rc = DNN_ETOOL;
        goto out;
    }
    rc = dnn_template_expand(text, &tv, out, err, n);
out:
    free(text);
    tv_free(&tv);
    sb_free(&cmd);
    return rc;
}

int dnn_render_design(const dnn_design *d, dnn_render *r, char *err, size_t n)
{
    char uc[256], nm[300];
    sbuf *b, *man;
    int rc, i, k;
    size_t j;
    memset(r, 0, sizeof r[0]);
    rc = dnn_design_streams(d, r->streams, &r->nstreams, err, n);
    if (rc)
        return rc;
    { /* blocks built on other ones (a chain: array -> PE -> PAMAC): each module in its own
       * file, innermost first */
        dnn_design chain[4];
        int nc = 0;
        const dnn_design *cur = d;
        while (nc < 4 && cur->blk->sub && cur->blk->sub(cur, &chain[nc])) {
            cur = &chain[nc];
            nc++;
        }
        while (nc-- > 0) {
            snprintf(nm, sizeof nm, "%s.v", chain[nc].top);
            b = add_file(r, nm);
            rc = dnn_render_verilog(&chain[nc], b, err, n);
            if (rc)
                goto out;
        }
    }
    snprintf(nm, sizeof nm, "%s.v", d->top);
    b = add_file(r, nm);
    rc = dnn_render_verilog(d, b, err, n);
    if (rc)
        goto out;

    snprintf(nm, sizeof nm, "%s.f", d->top);
    {
        int nv = r->nfiles;
        b = add_file(r, nm);
        for (i = 0; i < nv; i++)
            sb_printf(b, "%s\n", r->names[i]);
    }

    for (j = 0; d->top[j] && j < sizeof uc - 1; j++)
        uc[j] = (char)toupper((unsigned char)d->top[j]);
    uc[j] = '\0';
    snprintf(nm, sizeof nm, "%s_params.h", d->top);
    b = add_file(r, nm);
    header_comment(b, "//", d);
    sb_printf(b, "#ifndef %s_PARAMS_H\n#define %s_PARAMS_H\n\n", uc, uc);
    sb_printf(b, "#define %s_TOP \"%s\"\n#define %s_BLOCK \"%s\"\n", uc, d->top, uc,
              d->blk->name);
    for (i = 0; i < d->blk->nparams; i++)
        sb_printf(b, "#define %s_%s %lld\n", uc, d->blk->params[i].name,
                  (long long)d->pv[i]);
    sb_printf(b, "/* initializer for a gm_param array (golden/gm_stream.h) */\n");
    sb_printf(b, "#define %s_GOLDEN_PARAMS {", uc);
    for (i = 0; i < d->blk->nparams; i++)
        sb_printf(b, "%s{ \"%s\", %lld }", i ? ", " : " ", d->blk->params[i].name,
                  (long long)d->pv[i]);
    sb_printf(b, " }\n#define %s_GOLDEN_NPARAMS %d\n", uc, d->blk->nparams);
    for (i = 0; i < r->nstreams; i++)
        for (k = 0; k < r->streams[i].nf; k++)
            sb_printf(b, "#define %s_WIDTH_%s_%s %d\n", uc, r->streams[i].name,
                      r->streams[i].f[k].name, r->streams[i].f[k].width);
    sb_printf(b, "\n#endif\n");

    snprintf(nm, sizeof nm, "%s.sdc", d->top);
    b = add_file(r, nm);
    header_comment(b, "#", d);
    sb_puts(b, "# Clock period in ns: set DNN_PERIOD before sourcing to override.\n"
               "if {![info exists DNN_PERIOD]} { set DNN_PERIOD 10.0 }\n"
               "if {![info exists DNN_IO_DELAY]} { set DNN_IO_DELAY 0.0 }\n"
               "create_clock -name clk -period $DNN_PERIOD [get_ports clk]\n"
               "set_false_path -from [get_ports rst_n]\n");
    for (i = 0; i < r->nstreams; i++) {
        const gm_stream *s = &r->streams[i];
        sbuf ins, outs;
        sb_init(&ins);
        sb_init(&outs);
        sb_printf(s->is_input ? &ins : &outs, " %s_valid", s->name);
        sb_printf(s->is_input ? &outs : &ins, " %s_ready", s->name);
        for (k = 0; k < s->nf; k++)
            sb_printf(s->is_input ? &ins : &outs, " %s_%s%s", s->name, s->f[k].name,
                      s->f[k].width > 1 ? "[*]" : "");
        sb_printf(b, "set_input_delay $DNN_IO_DELAY -clock clk [get_ports {%s }]\n", ins.s);
        sb_printf(b, "set_output_delay $DNN_IO_DELAY -clock clk [get_ports {%s }]\n", outs.s);
        sb_free(&ins);
        sb_free(&outs);
    }

    man = add_file(r, "manifest.json");
    r->nfiles--; /* the manifest lists the files before itself */
    render_manifest(d, r, man);
    r->nfiles++;
    for (i = 0; i < r->nfiles; i++) {
        if (r->bufs[i].oom) {
            snprintf(err, n, "out of memory");
            rc = DNN_ETOOL;
            goto out;
        }
        r->files[i].name = r->names[i];
        r->files[i].data = r->bufs[i].s ? r->bufs[i].s : "";
        r->files[i].len = r->bufs[i].len;
    }
    rc = 0;
out:
    return rc;
}

int dnn_render_nverilog(const dnn_render *r)
{
    int k = 0;
    while (k < r->nfiles && strlen(r->names[k]) > 2 &&
           strcmp(r->names[k] + strlen(r->names[k]) - 2, ".v") == 0)
        k++;
    return k;
}

void dnn_render_free(dnn_render *r)
{
    int i;
    for (i = 0; i < r->nfiles; i++)
        sb_free(&r->bufs[i]);
    r->nfiles = 0;
}
