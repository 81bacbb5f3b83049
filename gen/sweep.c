/*
 * sweep.c -- parse and expand a design-space sweep spec (see sweep.h, docs/sweep.md), the
 * workload profile of a point, and the Pareto front.
 *
 * A spec is {"name", "description", "block", "params", "workload", "liberty", "period",
 * "activity", "verify_vectors", "seed", "timeout", "test_sim"}. Each parameter takes one
 * value, a list, a range ({"from", "to", "step"} or {"from", "to", "mul"}) or a value
 * derived from another parameter ({"of", "times", "plus"}: ACC = 2*N + 8). The points are
 * the product of the lists and ranges, the first parameter of the block's table varying
 * slowest. Unknown keys are errors (a misspelt key must not silently sweep the default),
 * and so is every value outside its parameter's legal range, with the legal values named;
 * a combination that only the block's cross-parameter check rejects is skipped.
 */
#include "sweep.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gm_pamac.h"

const char *const dnn_sweep_ts_names[] = { "", "crash", "hang", "abort", "worker", NULL };

const dnn_sweep_metric dnn_sweep_metrics[] = {
    { "area_um2", "area (um^2)", 0 },
    { "cells", "standard cells", 0 },
    { "flops", "flip-flops", 0 },
    { "fmax_mhz", "fmax (MHz)", 1 },
    { "critical_path_ns", "critical path (ns)", 0 },
    { "cycles", "workload cycles", 0 },
    { "cycles_per_op", "cycles per operation", 0 },
    { "throughput_mops", "throughput at fmax (Mops/s)", 1 },
    { "throughput_per_mm2", "throughput per area (Mops/s per mm^2)", 1 },
    { "power_mw", "power at the clock target (mW)", 0 },
    { "energy_pj_per_op", "energy per operation (pJ)", 0 },
    { NULL, NULL, 0 },
};

static const char *const top_keys[] = { "name",     "description",    "block", "params",
                                        "workload", "liberty",        "period", "activity",
                                        "verify_vectors", "seed",     "timeout", "test_sim",
                                        NULL };
static const char *const wl_keys[] = { "profile", "sparsity", "act_sparsity", "layer",
                                       "order",   "shape",    "vectors",      NULL };

/* One parameter the spec names. */
typedef struct pspec {
    int idx;
    int nvals;
    int64_t *vals; /* the list or range, in order, duplicates removed */
    int derived;   /* value = times * value(of) + plus */
    int of;
    int64_t times, plus;
} pspec;

typedef struct tsmatch {
    int kind, n;
    int idx[DNN_MAX_PARAMS];
    int64_t val[DNN_MAX_PARAMS];
} tsmatch;

static void legal_keys(char *buf, size_t n, const char *const *legal)
{
    size_t used = 0;
    int i;
    buf[0] = '\0';
    for (i = 0; legal[i]; i++)
        used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%s", i ? ", " : "",
                                 legal[i]);
}

static int check_keys(const cJSON *obj, const char *const *legal, const char *path,
                      const char *where, char *err, size_t n)
{
    const cJSON *it, *jt;
    cJSON_ArrayForEach(it, obj)
    {
        int i, ok = 0;
        for (i = 0; legal[i]; i++)
            ok |= strcmp(it->string, legal[i]) == 0;
        for (jt = obj->child; ok && jt != it; jt = jt->next)
            if (strcmp(jt->string, it->string) == 0) {
                snprintf(err, n, "spec '%s': %s: key '%.60s' given twice (legal: once)", path,
                         where, it->string);
                return DNN_EUSAGE;
            }
        if (!ok) {
            char l[512];
            legal_keys(l, sizeof l, legal);
            snprintf(err, n, "spec '%s': %s: unknown key '%.60s' (legal: %s)", path, where,
                     it->string, l);
            return DNN_EUSAGE;
        }
    }
    return 0;
}

static int is_int(const cJSON *it, int64_t min, int64_t max)
{
    return cJSON_IsNumber(it) && it->valuedouble >= (double)min &&
           it->valuedouble <= (double)max &&
           it->valuedouble == (double)(int64_t)it->valuedouble;
}

static int get_int(const cJSON *it, int64_t min, int64_t max, int64_t *out, const char *path,
                   const char *where, char *err, size_t n)
{
    if (!is_int(it, min, max)) {
        char v[64];
        if (cJSON_IsNumber(it))
            snprintf(v, sizeof v, "%.17g", it->valuedouble);
        else
            snprintf(v, sizeof v, "%s", cJSON_IsString(it) ? "a string" : "not a number");
        snprintf(err, n, "spec '%s': %s%s%s is %s (legal: an integer %lld..%lld)", path, where,
                 where[0] ? "." : "", it->string, v, (long long)min, (long long)max);
        return DNN_EUSAGE;
    }
    *out = (int64_t)it->valuedouble;
    return 0;
}

static int get_num(const cJSON *it, double min, double max, int open_min, double *out,
                   const char *path, const char *where, char *err, size_t n)
{
    if (!cJSON_IsNumber(it) || !(open_min ? it->valuedouble > min : it->valuedouble >= min) ||
        !(it->valuedouble <= max)) {
        snprintf(err, n, "spec '%s': %s%s%s must be a number %s%g..%g (legal: e.g. %g)", path,
                 where, where[0] ? "." : "", it->string, open_min ? "above " : "", min, max,
                 max < 1.5 ? 0.5 : 5.0);
        return DNN_EUSAGE;
    }
    *out = it->valuedouble;
    return 0;
}

static int get_str(const cJSON *it, char *out, size_t cap, const char *path, const char *where,
                   const char *legal, char *err, size_t n)
{
    if (!cJSON_IsString(it) || !it->valuestring[0] || strlen(it->valuestring) >= cap) {
        snprintf(err, n, "spec '%s': %s%s%s must be a non-empty string of at most %zu bytes "
                         "(legal: %s)",
                 path, where, where[0] ? "." : "", it->string, cap - 1, legal);
        return DNN_EUSAGE;
    }
    snprintf(out, cap, "%s", it->valuestring);
    return 0;
}

/* A JSON scalar as the text a -p option would give (rejected later if out of range). */
static int scalar_text(const cJSON *it, char *v, size_t vn)
{
    if (cJSON_IsString(it))
        snprintf(v, vn, "%.60s", it->valuestring);
    else if (cJSON_IsBool(it))
        snprintf(v, vn, "%d", cJSON_IsTrue(it) ? 1 : 0);
    else if (cJSON_IsNumber(it) && it->valuedouble > -1e15 && it->valuedouble < 1e15 &&
             it->valuedouble == (double)(long long)it->valuedouble)
        snprintf(v, vn, "%lld", (long long)it->valuedouble);
    else if (cJSON_IsNumber(it))
        snprintf(v, vn, "%g", it->valuedouble);
    else
        return -1;
    return 0;
}

static int parse_value(const dnn_block *b, int idx, const char *text, int64_t *out,
                       const char *path, char *err, size_t n)
{
    if (dnn_param_parse(b, idx, text, out, err, n)) {
        char m[DNN_ERRLEN];
        snprintf(m, sizeof m, "%s", err);
        snprintf(err, n, "spec '%s': params.%s: %s", path, b->params[idx].name, m);
        return DNN_EUSAGE;
    }
    return 0;
}

static int add_value(pspec *ps, int64_t v)
{
    int k;
    for (k = 0; k < ps->nvals; k++)
        if (ps->vals[k] == v)
            return 0;
    ps->vals[ps->nvals++] = v;
    return 0;
}

static void param_names(const dnn_block *b, char *buf, size_t n)
{
    size_t used = 0;
    int k;
    buf[0] = '\0';
    for (k = 0; k < b->nparams; k++)
        used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%s", k ? ", " : "",
                                 b->params[k].name);
}

static int find_param(const dnn_block *b, const char *name, const char *path, const char *where,
                      char *err, size_t n)
{
    int idx = dnn_param_index(b, name);
    if (idx < 0) {
        char legal[512];
        param_names(b, legal, sizeof legal);
        snprintf(err, n, "spec '%s': %s: %s has no parameter '%.60s' (legal: %s)", path, where,
                 b->name, name, legal);
    }
    return idx;
}

/* A range {"from", "to", "step"|"mul"}: its values, counted before anything is stored. */
static int parse_range(const dnn_block *b, pspec *ps, const cJSON *o, const char *path,
                       char *err, size_t n)
{
    static const char *const keys[] = { "from", "to", "step", "mul", NULL };
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, "from");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "to");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(o, "step");
    const cJSON *mu = cJSON_GetObjectItemCaseSensitive(o, "mul");
    const char *pn = b->params[ps->idx].name;
    char where[96];
    int64_t from, to, step = 1, mul = 0, count, v;
    snprintf(where, sizeof where, "params.%s", pn);
    if (check_keys(o, keys, path, where, err, n))
        return DNN_EUSAGE;
    if (!f || !t || (st && mu)) {
        snprintf(err, n, "spec '%s': params.%s: a range needs \"from\" and \"to\", and \"step\" "
                         "or \"mul\" but not both (legal: {\"from\": 4, \"to\": 16, \"step\": "
                         "4})",
                 path, pn);
        return DNN_EUSAGE;
    }
    if (get_int(f, -DNN_SWEEP_MAX_SEED, DNN_SWEEP_MAX_SEED, &from, path, where, err, n) ||
        get_int(t, -DNN_SWEEP_MAX_SEED, DNN_SWEEP_MAX_SEED, &to, path, where, err, n) ||
        (st && get_int(st, 1, DNN_SWEEP_MAX_SEED, &step, path, where, err, n)) ||
        (mu && get_int(mu, 2, 1 << 20, &mul, path, where, err, n)))
        return DNN_EUSAGE;
    if (from > to || (mul && from < 1)) {
        snprintf(err, n, "spec '%s': params.%s: range from %lld to %lld is empty%s (legal: "
                         "from <= to%s)",
                 path, pn, (long long)from, (long long)to, mul ? " or starts below 1" : "",
                 mul ? ", from >= 1 with mul" : "");
        return DNN_EUSAGE;
    }
    if (mul) {
        for (count = 0, v = from; v <= to; v *= mul)
            count++; /* at most 53 steps: from >= 1, to <= 2^53 */
    } else {
        count = (to - from) / step + 1;
    }
    if (count > DNN_SWEEP_MAX_POINTS) {
        snprintf(err, n, "spec '%s': params.%s: range has %lld values (legal: at most %d points "
                         "in all)",
                 path, pn, (long long)count, DNN_SWEEP_MAX_POINTS);
        return DNN_EUSAGE;
    }
    ps->vals = malloc((size_t)count * sizeof *ps->vals);
    if (!ps->vals) {
        snprintf(err, n, "out of memory");
        return DNN_EUSAGE;
    }
    for (v = from; count-- > 0; v = mul ? v * mul : v + step) {
        char txt[32];
        int64_t x;
        snprintf(txt, sizeof txt, "%lld", (long long)v);
        if (parse_value(b, ps->idx, txt, &x, path, err, n))
            return DNN_EUSAGE;
        add_value(ps, x);
    }
    return 0;
}

static int parse_derived(const dnn_block *b, pspec *ps, const cJSON *o, const char *path,
                         char *err, size_t n)
{
    static const char *const keys[] = { "of", "times", "plus", NULL };
    const cJSON *of = cJSON_GetObjectItemCaseSensitive(o, "of");
    const cJSON *tm = cJSON_GetObjectItemCaseSensitive(o, "times");
    const cJSON *pl = cJSON_GetObjectItemCaseSensitive(o, "plus");
    char where[96];
    snprintf(where, sizeof where, "params.%s", b->params[ps->idx].name);
    if (check_keys(o, keys, path, where, err, n))
        return DNN_EUSAGE;
    if (!cJSON_IsString(of)) {
        snprintf(err, n, "spec '%s': %s.of must name a parameter (legal: {\"of\": \"N\", "
                         "\"times\": 2, \"plus\": 8})",
                 path, where);
        return DNN_EUSAGE;
    }
    ps->of = find_param(b, of->valuestring, path, where, err, n);
    if (ps->of < 0)
        return DNN_EUSAGE;
    if (ps->of == ps->idx) {
        snprintf(err, n, "spec '%s': %s is derived from itself (legal: another parameter)", path,
                 where);
        return DNN_EUSAGE;
    }
    ps->derived = 1;
    ps->times = 1;
    ps->plus = 0;
    if ((tm && get_int(tm, -1000000, 1000000, &ps->times, path, where, err, n)) ||
        (pl && get_int(pl, -1000000000, 1000000000, &ps->plus, path, where, err, n)))
        return DNN_EUSAGE;
    return 0;
}

static int parse_param(const dnn_block *b, pspec *ps, const cJSON *it, const char *path,
                       char *err, size_t n)
{
    const char *pn = b->params[ps->idx].name;
    char v[64];
    int64_t x;
    if (cJSON_IsArray(it)) {
        const cJSON *e;
        int cnt = cJSON_GetArraySize(it);
        if (cnt == 0 || cnt > DNN_SWEEP_MAX_POINTS) {
            snprintf(err, n, "spec '%s': params.%s: a list of %d values (legal: 1..%d values)",
                     path, pn, cnt, DNN_SWEEP_MAX_POINTS);
            return DNN_EUSAGE;
        }
        ps->vals = malloc((size_t)cnt * sizeof *ps->vals);
        if (!ps->vals) {
            snprintf(err, n, "out of memory");
            return DNN_EUSAGE;
        }
        cJSON_ArrayForEach(e, it)
        {
            if (scalar_text(e, v, sizeof v)) {
                snprintf(err, n, "spec '%s': params.%s: list values must be integers, booleans "
                                 "or strings (legal: e.g. [4, 8, 16])",
                         path, pn);
                return DNN_EUSAGE;
            }
            if (parse_value(b, ps->idx, v, &x, path, err, n))
                return DNN_EUSAGE;
            add_value(ps, x);
        }
        return 0;
    }
    if (cJSON_IsObject(it)) {
        if (cJSON_GetObjectItemCaseSensitive(it, "of"))
            return parse_derived(b, ps, it, path, err, n);
        return parse_range(b, ps, it, path, err, n);
    }
    if (scalar_text(it, v, sizeof v)) {
        snprintf(err, n, "spec '%s': params.%s must be a value, a list, a range or a derived "
                         "value (legal: 8, [4, 8], {\"from\": 4, \"to\": 16, \"step\": 4}, "
                         "{\"of\": \"N\", \"times\": 2, \"plus\": 8})",
                 path, pn);
        return DNN_EUSAGE;
    }
    ps->vals = malloc(sizeof *ps->vals);
    if (!ps->vals) {
        snprintf(err, n, "out of memory");
        return DNN_EUSAGE;
    }
    if (parse_value(b, ps->idx, v, &x, path, err, n))
        return DNN_EUSAGE;
    add_value(ps, x);
    return 0;
}

static int block_family(const dnn_block *b)
{
    if (strcmp(b->name, "pamac") == 0 || strcmp(b->name, "mac_parallel") == 0)
        return 1;
    if (strcmp(b->name, "fofir") == 0 || strcmp(b->name, "fir_parallel") == 0)
        return 2;
    if (strcmp(b->name, "fpap_array") == 0)
        return 3;
    return 0;
}

static int parse_workload(dnn_sweep *s, const cJSON *w, const char *path, char *err, size_t n)
{
    const cJSON *it;
    const cJSON *prof = NULL, *sp = NULL, *asp = NULL, *lay = NULL, *ord = NULL, *shp = NULL;
    int fam = block_family(s->blk);
    dnn_sweep_wl *wl = &s->wl;
    wl->vectors = 2000;
    if (w && !cJSON_IsObject(w)) {
        snprintf(err, n, "spec '%s': workload must be an object (legal: {\"sparsity\": 0.5}, "
                         "{\"profile\": \"uniform\"}, {\"layer\": \"l.json\"})",
                 path);
        return DNN_EUSAGE;
    }
    if (w) {
        if (check_keys(w, wl_keys, path, "workload", err, n))
            return DNN_EUSAGE;
        prof = cJSON_GetObjectItemCaseSensitive(w, "profile");
        sp = cJSON_GetObjectItemCaseSensitive(w, "sparsity");
        asp = cJSON_GetObjectItemCaseSensitive(w, "act_sparsity");
        lay = cJSON_GetObjectItemCaseSensitive(w, "layer");
        ord = cJSON_GetObjectItemCaseSensitive(w, "order");
        shp = cJSON_GetObjectItemCaseSensitive(w, "shape");
        it = cJSON_GetObjectItemCaseSensitive(w, "vectors");
        if (it && get_int(it, 1, DNN_SWEEP_MAX_VECTORS, &wl->vectors, path, "workload", err, n))
            return DNN_EUSAGE;
    }
    if ((prof != NULL) + (sp != NULL || asp != NULL || shp != NULL) + (lay != NULL) > 1 ||
        (ord && !lay)) {
        snprintf(err, n, "spec '%s': workload: give one of \"profile\", \"sparsity\" (with "
                         "\"act_sparsity\", \"shape\") or \"layer\" (with \"order\") (legal: "
                         "one kind)",
                 path);
        return DNN_EUSAGE;
    }
    if ((sp && get_num(sp, 0, 1, 0, &wl->sparsity, path, "workload", err, n)) ||
        (asp && get_num(asp, 0, 1, 0, &wl->act_sparsity, path, "workload", err, n)))
        return DNN_EUSAGE;
    wl->has_act = asp != NULL;
    if (fam == 3) { /* fpap_array: a whole layer, from a file or drawn per point */
        if (prof || (!lay && !shp)) {
            snprintf(err, n, "spec '%s': workload for fpap_array: give \"layer\" (a layer file, "
                             "dnngen layer) or \"shape\" [CIN, COUT, H, W] with \"sparsity\" "
                             "(legal: those two kinds)",
                     path);
            return DNN_EUSAGE;
        }
    } else if (lay || shp) {
        snprintf(err, n, "spec '%s': workload: \"layer\" and \"shape\" are for fpap_array, not "
                         "%s (legal: \"profile\" or \"sparsity\")",
                 path, s->blk->name);
        return DNN_EUSAGE;
    }
    if (asp && fam == 1) {
        snprintf(err, n, "spec '%s': workload: act_sparsity is for fofir, fir_parallel and "
                         "fpap_array (legal for %s: \"sparsity\" of the decomposed operand)",
                 path, s->blk->name);
        return DNN_EUSAGE;
    }
    if ((sp || asp) && !shp && fam == 0) {
        snprintf(err, n, "spec '%s': workload: %s has no sparsity setting (legal: \"profile\", "
                         "see dnngen verify --help)",
                 path, s->blk->name);
        return DNN_EUSAGE;
    }
    if (lay) {
        wl->kind = DNN_WL_LAYER;
        if (get_str(lay, wl->layer, sizeof wl->layer, path, "workload", "a layer file", err,
                    n) ||
            (ord && get_str(ord, wl->order, sizeof wl->order, path, "workload",
                            "an order file (dnngen schedule)", err, n)))
            return DNN_EUSAGE;
        if (strchr(wl->layer, ',')) {
            snprintf(err, n, "spec '%s': workload.layer: a file name with a comma (legal: "
                             "another name)",
                     path);
            return DNN_EUSAGE;
        }
    } else if (shp) {
        int k = 0;
        const cJSON *e;
        wl->kind = DNN_WL_SHAPE;
        if (!cJSON_IsArray(shp) || cJSON_GetArraySize(shp) != 4) {
            snprintf(err, n, "spec '%s': workload.shape must be [CIN, COUT, H, W] (legal: four "
                             "integers 1..4096)",
                     path);
            return DNN_EUSAGE;
        }
        cJSON_ArrayForEach(e, shp)
        {
            if (!is_int(e, 1, 4096)) {
                snprintf(err, n, "spec '%s': workload.shape must be [CIN, COUT, H, W] (legal: "
                                 "four integers 1..4096)",
                         path);
                return DNN_EUSAGE;
            }
            wl->shape[k++] = (int64_t)e->valuedouble;
        }
        if (wl->shape[0] * wl->shape[1] * wl->shape[2] * wl->shape[3] > (INT64_C(1) << 24)) {
            snprintf(err, n, "spec '%s': workload.shape: CIN*COUT*H*W is too large (legal: at "
                             "most 2^24)",
                     path);
            return DNN_EUSAGE;
        }
    } else if (sp || asp) {
        wl->kind = DNN_WL_SPARSITY;
    } else {
        wl->kind = DNN_WL_PROFILE;
        if (prof) {
            if (get_str(prof, wl->profile, sizeof wl->profile, path, "workload",
                        "mixed, uniform, terms:..., sparse:W,A; see dnngen verify --help", err,
                        n))
                return DNN_EUSAGE;
            if (strncmp(wl->profile, "layer:", 6) == 0) {
                snprintf(err, n, "spec '%s': workload.profile: a layer goes in \"layer\" (legal: "
                                 "{\"layer\": \"FILE\", \"order\": \"FILE\"})",
                         path);
                return DNN_EUSAGE;
            }
            if (strcmp(wl->profile, "mixed") == 0)
                wl->profile[0] = '\0';
        } else if (fam == 1) {
            snprintf(wl->profile, sizeof wl->profile, "uniform");
        } else if (fam == 2) {
            snprintf(wl->profile, sizeof wl->profile, "sparse:0,0");
        }
    }
    return 0;
}

static int parse_test_sim(dnn_sweep *s, const cJSON *o, tsmatch *m, int *nm, const char *path,
                          char *err, size_t n)
{
    static const char *const keys[] = { "crash", "hang", "abort", "worker", NULL };
    const cJSON *it;
    if (!cJSON_IsObject(o)) {
        snprintf(err, n, "spec '%s': test_sim must be an object {\"crash\": {\"N\": 4}} (legal "
                         "keys: crash, hang, abort, worker)",
                 path);
        return DNN_EUSAGE;
    }
    if (check_keys(o, keys, path, "test_sim", err, n))
        return DNN_EUSAGE;
    cJSON_ArrayForEach(it, o)
    {
        tsmatch *t = &m[(*nm)++];
        const cJSON *e;
        int k;
        memset(t, 0, sizeof *t);
        for (k = 1; dnn_sweep_ts_names[k]; k++)
            if (strcmp(it->string, dnn_sweep_ts_names[k]) == 0)
                t->kind = k;
        if (!cJSON_IsObject(it)) {
            snprintf(err, n, "spec '%s': test_sim.%s must be an object of parameter values "
                             "(legal: {} for every point)",
                     path, it->string);
            return DNN_EUSAGE;
        }
        cJSON_ArrayForEach(e, it)
        {
            char v[64];
            int idx = find_param(s->blk, e->string, path, "test_sim", err, n);
            if (idx < 0)
                return DNN_EUSAGE;
            if (t->n >= DNN_MAX_PARAMS || scalar_text(e, v, sizeof v)) {
                snprintf(err, n, "spec '%s': test_sim.%s: bad match (legal: at most %d "
                                 "parameter values)",
                         path, it->string, DNN_MAX_PARAMS);
                return DNN_EUSAGE;
            }
            if (parse_value(s->blk, idx, v, &t->val[t->n], path, err, n))
                return DNN_EUSAGE;
            t->idx[t->n++] = idx;
        }
    }
    return 0;
}

static void block_names(char *buf, size_t n)
{
    size_t used = 0;
    int i;
    buf[0] = '\0';
    for (i = 0; dnn_blocks[i]; i++)
        used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%s", i ? ", " : "",
                                 dnn_blocks[i]->name);
}

/* The label of a design: the parameters the spec names, in table order. */
static void make_label(const dnn_design *d, const pspec *ps, int nps, char *out, size_t n)
{
    size_t used = 0;
    int k;
    out[0] = '\0';
    for (k = 0; k < nps; k++) {
        char f[64];
        dnn_param_format(d->blk, ps[k].idx, d->pv[ps[k].idx], f, sizeof f);
        used += (size_t)snprintf(out + used, used < n ? n - used : 0, "%s%s=%s", used ? " " : "",
                                 d->blk->params[ps[k].idx].name, f);
    }
    if (!out[0])
        snprintf(out, n, "defaults");
}

static int expand(dnn_sweep *s, pspec *ps, int nps, const tsmatch *tm, int ntm, const char *path,
                  char *err, size_t n)
{
    int64_t total = 1, c;
    int k;
    for (k = 0; k < nps; k++)
        if (!ps[k].derived) {
            if (total * ps[k].nvals > DNN_SWEEP_MAX_POINTS) {
                snprintf(err, n, "spec '%s': more than %d points (legal: at most %d, the product "
                                 "of the value counts)",
                         path, DNN_SWEEP_MAX_POINTS, DNN_SWEEP_MAX_POINTS);
                return DNN_EUSAGE;
            }
            total *= ps[k].nvals;
        }
    s->ncombos = total;
    s->pts = calloc((size_t)total, sizeof *s->pts);
    if (!s->pts) {
        snprintf(err, n, "out of memory");
        return DNN_EUSAGE;
    }
    for (c = 0; c < total; c++) {
        dnn_sweep_point *pt = &s->pts[s->npoints];
        dnn_design *d = &pt->d;
        int64_t rem = c;
        char why[DNN_ERRLEN];
        int bad = 0;
        memset(pt, 0, sizeof *pt);
        dnn_design_defaults(d, s->blk);
        for (k = nps - 1; k >= 0; k--) /* odometer: the first parameter varies slowest */
            if (!ps[k].derived) {
                d->pv[ps[k].idx] = ps[k].vals[rem % ps[k].nvals];
                rem /= ps[k].nvals;
            }
        for (k = 0; k < nps && !bad; k++)
            if (ps[k].derived) {
                int64_t v, x;
                char txt[32];
                if (__builtin_mul_overflow(ps[k].times, d->pv[ps[k].of], &v) ||
                    __builtin_add_overflow(v, ps[k].plus, &v)) {
                    snprintf(why, sizeof why, "%s out of range",
                             s->blk->params[ps[k].idx].name);
                    bad = 1;
                    break;
                }
                snprintf(txt, sizeof txt, "%lld", (long long)v);
                if (dnn_param_parse(s->blk, ps[k].idx, txt, &x, why, sizeof why))
                    bad = 1;
                else
                    d->pv[ps[k].idx] = x;
            }
        if (!bad && s->blk->check(d, why, sizeof why))
            bad = 1;
        if (bad) {
            if (!s->nskipped) {
                char lab[256];
                make_label(d, ps, nps, lab, sizeof lab);
                snprintf(s->skipped, sizeof s->skipped, "%.200s: %.300s", lab, why);
                dnn_oneline(s->skipped);
            }
            s->nskipped++;
            continue;
        }
        dnn_design_name(d);
        make_label(d, ps, nps, pt->label, sizeof pt->label);
        for (k = 0; k < ntm && !pt->test_sim; k++) {
            int j, ok = 1;
            for (j = 0; j < tm[k].n; j++)
                ok &= d->pv[tm[k].idx[j]] == tm[k].val[j];
            if (ok)
                pt->test_sim = tm[k].kind;
        }
        s->npoints++;
    }
    if (!s->npoints) {
        snprintf(err, n, "spec '%s': no legal point: all %lld combinations are rejected, e.g. "
                         "%.300s (legal: see dnngen list %s)",
                 path, (long long)total, s->skipped, s->blk->name);
        return DNN_EUSAGE;
    }
    return 0;
}

int dnn_sweep_parse(const char *text, size_t len, const char *path, dnn_sweep *s, char *err,
                    size_t n)
{
    cJSON *root;
    const cJSON *it, *params;
    pspec ps[DNN_MAX_PARAMS];
    tsmatch tm[4];
    int nps = 0, ntm = 0, rc = DNN_EUSAGE, k;
    memset(s, 0, sizeof *s);
    memset(ps, 0, sizeof ps);
    snprintf(s->name, sizeof s->name, "sweep");
    s->period_ns = 5;
    s->activity = 0.1;
    s->verify_vectors = 1000;
    s->seed = 1;
    s->timeout = 1800;
    if (len > DNN_SWEEP_MAX_TEXT) {
        snprintf(err, n, "spec '%s' is too large (legal: at most %u bytes)", path,
                 DNN_SWEEP_MAX_TEXT);
        return DNN_EUSAGE;
    }
    root = cJSON_ParseWithLength(text, len);
    if (!root) {
        const char *ep = cJSON_GetErrorPtr();
        long off = ep && ep >= text && ep <= text + len ? (long)(ep - text) : -1;
        snprintf(err, n, "malformed JSON in spec '%s' near byte %ld (expected an object "
                         "{\"block\": ..., \"params\": {...}})",
                 path, off);
        return DNN_EUSAGE;
    }
    if (!cJSON_IsObject(root)) {
        snprintf(err, n, "spec '%s': top level must be an object with \"block\" (legal: "
                         "{\"block\": \"pamac\", \"params\": {\"N\": [4, 8]}})",
                 path);
        goto error;
    }
    if (check_keys(root, top_keys, path, "top level", err, n))
        goto error;
    it = cJSON_GetObjectItemCaseSensitive(root, "name");
    if (it) {
        const char *q = cJSON_IsString(it) ? it->valuestring : "";
        int ok = q[0] && strlen(q) < sizeof s->name;
        for (; *q; q++)
            ok &= (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                  (*q >= '0' && *q <= '9') || *q == '_' || *q == '-' || *q == '.';
        if (!ok) {
            snprintf(err, n, "spec '%s': name must be 1..%zu characters of letters, digits, "
                             "_ - . (legal: e.g. \"pamac-n\")",
                     path, sizeof s->name - 1);
            goto error;
        }
        snprintf(s->name, sizeof s->name, "%s", it->valuestring);
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "description");
    if (it && !cJSON_IsString(it)) {
        snprintf(err, n, "spec '%s': description must be a string (legal: free text)", path);
        goto error;
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "block");
    s->blk = cJSON_IsString(it) ? dnn_block_find(it->valuestring) : NULL;
    if (!s->blk) {
        char names[512];
        block_names(names, sizeof names);
        snprintf(err, n, "spec '%s': %s block '%.60s' (legal: %s)", path,
                 it ? "unknown" : "missing", cJSON_IsString(it) ? it->valuestring : "", names);
        goto error;
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "liberty");
    if (it && get_str(it, s->liberty, sizeof s->liberty, path, "",
                      "a liberty file, relative to the spec", err, n))
        goto error;
    if (((it = cJSON_GetObjectItemCaseSensitive(root, "period")) &&
         get_num(it, 0.001, 1e6, 0, &s->period_ns, path, "", err, n)) ||
        ((it = cJSON_GetObjectItemCaseSensitive(root, "activity")) &&
         get_num(it, 0, 1, 1, &s->activity, path, "", err, n)) ||
        ((it = cJSON_GetObjectItemCaseSensitive(root, "verify_vectors")) &&
         get_int(it, 1, DNN_SWEEP_MAX_VECTORS, &s->verify_vectors, path, "", err, n)))
        goto error;
    it = cJSON_GetObjectItemCaseSensitive(root, "seed");
    if (it) {
        int64_t v;
        if (get_int(it, 0, DNN_SWEEP_MAX_SEED, &v, path, "", err, n))
            goto error;
        s->seed = (uint64_t)v;
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "timeout");
    if (it) {
        int64_t v;
        if (get_int(it, 1, DNN_SWEEP_MAX_TIMEOUT, &v, path, "", err, n))
            goto error;
        s->timeout = (int)v;
    }
    params = cJSON_GetObjectItemCaseSensitive(root, "params");
    if (params && !cJSON_IsObject(params)) {
        snprintf(err, n, "spec '%s': params must be an object {NAME: values} (legal: "
                         "{\"N\": [4, 8]})",
                 path);
        goto error;
    }
    cJSON_ArrayForEach(it, params)
    {
        int idx = find_param(s->blk, it->string, path, "params", err, n), j;
        if (idx < 0)
            goto error;
        for (j = 0; j < nps; j++)
            if (ps[j].idx == idx) {
                snprintf(err, n, "spec '%s': params: %s given twice (legal: once)", path,
                         it->string);
                goto error;
            }
        ps[nps].idx = idx;
        if (parse_param(s->blk, &ps[nps++], it, path, err, n))
            goto error;
    }
    for (k = 0; k < nps; k++) /* a derived value comes from a value, not from another rule */
        if (ps[k].derived) {
            int j;
            for (j = 0; j < nps; j++)
                if (ps[j].idx == ps[k].of && ps[j].derived) {
                    snprintf(err, n, "spec '%s': params.%s is derived from %s, itself derived "
                                     "(legal: a listed or default parameter)",
                             path, s->blk->params[ps[k].idx].name, s->blk->params[ps[j].idx].name);
                    goto error;
                }
        }
    { /* table order, so that the points come out the same whatever the key order */
        int a, b2;
        for (a = 1; a < nps; a++)
            for (b2 = a; b2 > 0 && ps[b2 - 1].idx > ps[b2].idx; b2--) {
                pspec t = ps[b2];
                ps[b2] = ps[b2 - 1];
                ps[b2 - 1] = t;
            }
    }
    if (parse_workload(s, cJSON_GetObjectItemCaseSensitive(root, "workload"), path, err, n))
        goto error;
    it = cJSON_GetObjectItemCaseSensitive(root, "test_sim");
    if (it && parse_test_sim(s, it, tm, &ntm, path, err, n))
        goto error;
    if (expand(s, ps, nps, tm, ntm, path, err, n))
        goto error;
    rc = 0;
error:
    for (k = 0; k < DNN_MAX_PARAMS; k++)
        free(ps[k].vals);
    cJSON_Delete(root);
    if (rc)
        dnn_sweep_free(s);
    return rc;
}

void dnn_sweep_free(dnn_sweep *s)
{
    free(s->pts);
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "sweep");
}

int dnn_booth_term_dist(int n, int is_signed, double *p, int maxp)
{
    /* Digit i of gm_booth_digits reads bits 2i+1, 2i and 2i-1 (bit -1 is 0) and is zero
     * exactly when the three are equal. Bits 0..n-2 are uniform; bit n-1 is split off
     * (top, probability 1/2 each) because the bits above it repeat it (signed) or are 0. */
    enum { MAXD = GM_PAMAC_MAX_DIGITS + 1 };
    int nd = gm_pamac_ndigits(n, is_signed), top, i, c, pb, b0, b1;
    if (n < 2 || n > GM_PAMAC_MAX_N || nd + 1 > maxp || nd + 1 > MAXD)
        return -1;
    for (c = 0; c <= nd; c++)
        p[c] = 0;
    for (top = 0; top < 2; top++) {
        double cur[2][MAXD + 1], nx[2][MAXD + 1];
        memset(cur, 0, sizeof cur);
        cur[0][0] = 1.0;
        for (i = 0; i < nd; i++) {
            memset(nx, 0, sizeof nx);
            for (pb = 0; pb < 2; pb++)
                for (c = 0; c <= i; c++) {
                    if (cur[pb][c] == 0)
                        continue;
                    for (b0 = 0; b0 < 2; b0++)
                        for (b1 = 0; b1 < 2; b1++) {
                            int j, bits[2] = { b0, b1 };
                            double w = cur[pb][c];
                            for (j = 0; j < 2; j++) {
                                int pos = 2 * i + j;
                                if (pos < n - 1)
                                    w *= 0.5;
                                else if (bits[j] != (pos == n - 1 || is_signed ? top : 0))
                                    w = 0;
                            }
                            if (w > 0)
                                nx[b1][c + !(b0 == pb && b1 == b0)] += w;
                        }
                }
            memcpy(cur, nx, sizeof cur);
        }
        for (pb = 0; pb < 2; pb++)
            for (c = 0; c <= nd; c++)
                p[c] += 0.5 * cur[pb][c];
    }
    return nd + 1;
}

int dnn_sweep_profile(const dnn_sweep *s, const dnn_design *d, const char *layer,
                      const char *order, char *out, size_t n)
{
    const dnn_sweep_wl *wl = &s->wl;
    int w = 0;
    if (wl->kind == DNN_WL_PROFILE) {
        w = snprintf(out, n, "%s", wl->profile);
    } else if (wl->kind == DNN_WL_LAYER || wl->kind == DNN_WL_SHAPE) {
        w = snprintf(out, n, "layer:%s%s%s", layer, order && order[0] ? ",order=" : "",
                     order ? order : "");
    } else if (block_family(d->blk) == 2) {
        w = snprintf(out, n, "sparse:%.6g,%.6g", wl->sparsity, wl->act_sparsity);
    } else if (block_family(d->blk) == 1) {
        /* a fraction `sparsity` of the decomposed operands is zero, the others uniform: the
         * pamac profile terms:p0,p1,... with those essential-term probabilities */
        double p[GM_PAMAC_MAX_DIGITS + 2];
        int di = dnn_param_index(d->blk, "DECOMP"), si = dnn_param_index(d->blk, "SIGNED_A");
        int ad = di >= 0 && strcmp(d->blk->params[di].enums[d->pv[di]], "ad") == 0;
        int np = dnn_booth_term_dist((int)dnn_param(d, "N"), ad ? si < 0 || d->pv[si] != 0 : 1, p,
                                     (int)(sizeof p / sizeof p[0]));
        int k, last;
        size_t used;
        if (np <= 0)
            return DNN_EUSAGE;
        for (k = 0; k < np; k++)
            p[k] *= 1.0 - wl->sparsity;
        p[0] += wl->sparsity;
        for (last = np - 1; last > 0 && !(p[last] >= 5e-7); last--)
            ;
        used = (size_t)snprintf(out, n, "terms:");
        for (k = 0; k <= last; k++)
            used += (size_t)snprintf(out + (used < n ? used : n), used < n ? n - used : 0,
                                     "%s%.6f", k ? "," : "", p[k]);
        w = (int)used;
    } else {
        return DNN_EUSAGE;
    }
    return w < 0 || (size_t)w >= n ? DNN_EUSAGE : 0;
}

int dnn_sweep_metric_find(const char *name)
{
    int i;
    for (i = 0; dnn_sweep_metrics[i].name; i++)
        if (strcmp(dnn_sweep_metrics[i].name, name) == 0)
            return i;
    return -1;
}

void dnn_pareto(const double *x, const double *y, int n, unsigned char *front)
{
    int i, j;
    for (i = 0; i < n; i++) {
        front[i] = !isnan(x[i]) && !isnan(y[i]);
        for (j = 0; j < n && front[i]; j++)
            if (j != i && !isnan(x[j]) && !isnan(y[j]) && x[j] <= x[i] && y[j] <= y[i] &&
                (x[j] < x[i] || y[j] < y[i]))
                front[i] = 0;
    }
}
