/*
 * plan.c -- parse and expand a regression plan (see plan.h, docs/nightly.md).
 *
 * A plan is {"name", "description", "defaults", "runs"}; each run names a block, its
 * parameter sets ("configs") and the settings shared with "defaults" (sims, seed, reseed,
 * vectors, timeout, profile, coverage). Expansion order is run, config, simulator, seed,
 * which is also the order of the reports. Unknown keys are errors (a typo must not silently
 * drop half a nightly), and so is every value out of its range, with the legal values named.
 */
#include "plan.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const dnn_plan_sims[] = { "verilator", "icarus", "systemc", NULL };

typedef struct settings {
    int nsims, sims[3];
    int64_t seed, reseed, vectors, timeout;
    const char *profile;
    int coverage, test_sim;
    char fault[32];
} settings;

static const char *const top_keys[] = { "name", "description", "defaults", "runs", NULL };
static const char *const run_keys[] = { "block",   "configs", "sims",    "seed",
                                        "reseed",  "vectors", "timeout", "profile",
                                        "coverage", "test_sim", "inject_fault", NULL };

static int key_ok(const char *k, const char *const *legal, int skip_block)
{
    int i;
    for (i = 0; legal[i]; i++)
        if (strcmp(k, legal[i]) == 0)
            return !(skip_block && (strcmp(k, "block") == 0 || strcmp(k, "configs") == 0 ||
                                    strcmp(k, "test_sim") == 0 ||
                                    strcmp(k, "inject_fault") == 0));
    return 0;
}

static void legal_list(char *buf, size_t n, const char *const *legal, int skip_block)
{
    size_t used = 0;
    int i;
    buf[0] = '\0';
    for (i = 0; legal[i]; i++)
        if (key_ok(legal[i], legal, skip_block))
            used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%s",
                                     used ? ", " : "", legal[i]);
}

static int check_keys(const cJSON *obj, const char *const *legal, int skip_block,
                      const char *path, const char *where, char *err, size_t n)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, obj)
    {
        if (!key_ok(it->string, legal, skip_block)) {
            char l[256];
            legal_list(l, sizeof l, legal, skip_block);
            snprintf(err, n, "plan '%s': %s: unknown key '%.60s' (legal: %s)", path, where,
                     it->string, l);
            return DNN_EUSAGE;
        }
    }
    return 0;
}

static int get_int(const cJSON *it, int64_t min, int64_t max, int64_t *out, const char *path,
                   const char *where, char *err, size_t n)
{
    if (!cJSON_IsNumber(it) || !(it->valuedouble >= (double)min) ||
        !(it->valuedouble <= (double)max) ||
        it->valuedouble != (double)(int64_t)it->valuedouble) {
        char v[64];
        if (cJSON_IsNumber(it))
            snprintf(v, sizeof v, "%.17g", it->valuedouble);
        else
            snprintf(v, sizeof v, "%s", cJSON_IsString(it) ? "a string" : "not a number");
        snprintf(err, n, "plan '%s': %s.%s is %s (legal: an integer %lld..%lld)", path, where,
                 it->string, v, (long long)min, (long long)max);
        return DNN_EUSAGE;
    }
    *out = (int64_t)it->valuedouble;
    return 0;
}

static char *keep_string(dnn_plan *p, const char *s)
{
    char **ns = realloc(p->strings, (size_t)(p->nstrings + 1) * sizeof *ns);
    if (!ns)
        return NULL;
    p->strings = ns;
    ns[p->nstrings] = dnn_strdup(s);
    if (!ns[p->nstrings])
        return NULL;
    return ns[p->nstrings++];
}

/* Apply the settings keys of obj (a run or "defaults") onto s. */
static int apply_settings(dnn_plan *p, const cJSON *obj, settings *s, const char *path,
                          const char *where, char *err, size_t n)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, obj)
    {
        const char *k = it->string;
        if (strcmp(k, "sims") == 0) {
            const cJSON *e;
            if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) == 0) {
                snprintf(err, n, "plan '%s': %s.sims must be a non-empty array (legal: "
                                 "verilator, icarus, systemc)",
                         path, where);
                return DNN_EUSAGE;
            }
            s->nsims = 0;
            cJSON_ArrayForEach(e, it)
            {
                int k2, dup = 0;
                for (k2 = 0; dnn_plan_sims[k2]; k2++)
                    if (cJSON_IsString(e) && strcmp(e->valuestring, dnn_plan_sims[k2]) == 0)
                        break;
                if (!dnn_plan_sims[k2]) {
                    snprintf(err, n, "plan '%s': %s.sims: unknown simulator '%.60s' (legal: "
                                     "verilator, icarus, systemc)",
                             path, where, cJSON_IsString(e) ? e->valuestring : "(not a string)");
                    return DNN_EUSAGE;
                }
                for (int j = 0; j < s->nsims; j++)
                    dup |= s->sims[j] == k2;
                if (!dup)
                    s->sims[s->nsims++] = k2;
            }
        } else if (strcmp(k, "seed") == 0) {
            if (get_int(it, 0, DNN_PLAN_MAX_SEED, &s->seed, path, where, err, n))
                return DNN_EUSAGE;
        } else if (strcmp(k, "reseed") == 0) {
            if (get_int(it, 1, DNN_PLAN_MAX_RESEED, &s->reseed, path, where, err, n))
                return DNN_EUSAGE;
        } else if (strcmp(k, "vectors") == 0) {
            if (get_int(it, 1, INT64_C(100000000), &s->vectors, path, where, err, n))
                return DNN_EUSAGE;
        } else if (strcmp(k, "timeout") == 0) {
            if (get_int(it, 1, DNN_PLAN_MAX_TIMEOUT, &s->timeout, path, where, err, n))
                return DNN_EUSAGE;
        } else if (strcmp(k, "profile") == 0) {
            if (!cJSON_IsString(it) || !it->valuestring[0] || strlen(it->valuestring) > 4000) {
                snprintf(err, n, "plan '%s': %s.profile must be a non-empty string (legal: "
                                 "mixed, uniform, terms:..., see dnngen verify --help)",
                         path, where);
                return DNN_EUSAGE;
            }
            if (strcmp(it->valuestring, "mixed") == 0) {
                s->profile = NULL;
            } else if (!(s->profile = keep_string(p, it->valuestring))) {
                snprintf(err, n, "out of memory");
                return DNN_EUSAGE;
            }
        } else if (strcmp(k, "coverage") == 0) {
            if (!cJSON_IsBool(it)) {
                snprintf(err, n, "plan '%s': %s.coverage must be true or false", path, where);
                return DNN_EUSAGE;
            }
            s->coverage = cJSON_IsTrue(it);
        } else if (strcmp(k, "inject_fault") == 0) {
            if (!cJSON_IsString(it) || !it->valuestring[0] ||
                strlen(it->valuestring) >= sizeof s->fault) {
                snprintf(err, n, "plan '%s': %s.inject_fault must be a fault name (see "
                                 "'dnngen list')",
                         path, where);
                return DNN_EUSAGE;
            }
            snprintf(s->fault, sizeof s->fault, "%s", it->valuestring);
        } else if (strcmp(k, "test_sim") == 0) {
            const char *v = cJSON_IsString(it) ? it->valuestring : "";
            s->test_sim = strcmp(v, "crash") == 0   ? DNN_TS_CRASH
                          : strcmp(v, "hang") == 0  ? DNN_TS_HANG
                          : strcmp(v, "abort") == 0 ? DNN_TS_ABORT
                                                    : -1;
            if (s->test_sim < 0) {
                snprintf(err, n, "plan '%s': %s.test_sim '%.40s' (legal: crash, hang, abort)",
                         path, where, v);
                return DNN_EUSAGE;
            }
        }
    }
    return 0;
}

static int add_config(dnn_plan *p, const dnn_block *b, const cJSON *cfg, const char *fault,
                      const char *path, const char *where, char *err, size_t n)
{
    dnn_plan_cfg *c;
    const cJSON *it;
    size_t used = 0;
    if (p->ncfgs >= DNN_PLAN_MAX_CONFIGS) {
        snprintf(err, n, "plan '%s': too many configs (legal: at most %d in all)", path,
                 DNN_PLAN_MAX_CONFIGS);
        return DNN_EUSAGE;
    }
    if (cfg && !cJSON_IsObject(cfg)) {
        snprintf(err, n, "plan '%s': %s.configs must hold objects {NAME: value}", path, where);
        return DNN_EUSAGE;
    }
    if ((p->ncfgs & (p->ncfgs - 1)) == 0) { /* grow at powers of two */
        dnn_plan_cfg *nc = realloc(p->cfgs, (size_t)(p->ncfgs ? 2 * p->ncfgs : 1) * sizeof *nc);
        if (!nc) {
            snprintf(err, n, "out of memory");
            return DNN_EUSAGE;
        }
        p->cfgs = nc;
    }
    c = &p->cfgs[p->ncfgs];
    memset(c, 0, sizeof *c);
    dnn_design_defaults(&c->d, b);
    cJSON_ArrayForEach(it, cfg)
    {
        char v[64], f[64];
        int idx = dnn_param_index(b, it->string);
        if (idx < 0) {
            char legal[512];
            size_t u = 0;
            int k;
            legal[0] = '\0';
            for (k = 0; k < b->nparams; k++)
                u += (size_t)snprintf(legal + u, u < sizeof legal ? sizeof legal - u : 0,
                                      "%s%s", k ? ", " : "", b->params[k].name);
            snprintf(err, n, "plan '%s': %s: %s has no parameter '%.60s' (legal: %s)", path,
                     where, b->name, it->string, legal);
            return DNN_EUSAGE;
        }
        if (cJSON_IsString(it))
            snprintf(v, sizeof v, "%.60s", it->valuestring);
        else if (cJSON_IsBool(it))
            snprintf(v, sizeof v, "%d", cJSON_IsTrue(it) ? 1 : 0);
        else if (cJSON_IsNumber(it) && it->valuedouble > -1e15 && it->valuedouble < 1e15 &&
                 it->valuedouble == (double)(long long)it->valuedouble)
            snprintf(v, sizeof v, "%lld", (long long)it->valuedouble);
        else if (cJSON_IsNumber(it))
            snprintf(v, sizeof v, "%g", it->valuedouble); /* rejected below, legal named */
        else {
            snprintf(err, n, "plan '%s': %s: parameter '%.60s' must be an integer, boolean or "
                             "string",
                     path, where, it->string);
            return DNN_EUSAGE;
        }
        if (dnn_param_parse(b, idx, v, &c->d.pv[idx], err, n)) {
            char m[DNN_ERRLEN];
            snprintf(m, sizeof m, "%s", err);
            snprintf(err, n, "plan '%s': %s: %s", path, where, m);
            return DNN_EUSAGE;
        }
        dnn_param_format(b, idx, c->d.pv[idx], f, sizeof f);
        used += (size_t)snprintf(c->label + used, used < sizeof c->label ? sizeof c->label - used : 0,
                                 "%s%s=%s", used ? " " : "", b->params[idx].name, f);
    }
    if (!c->label[0])
        snprintf(c->label, sizeof c->label, "defaults");
    if (fault[0]) { /* test only: a fault-injected variant, which must fail */
        int k, ok = 0;
        char legal[256] = "";
        size_t u = 0;
        for (k = 0; b->faults && b->faults[k]; k++) {
            ok |= strcmp(b->faults[k], fault) == 0;
            u += (size_t)snprintf(legal + u, u < sizeof legal ? sizeof legal - u : 0, "%s%s",
                                  k ? ", " : "", b->faults[k]);
        }
        if (!ok) {
            snprintf(err, n, "plan '%s': %s: %s has no fault '%.40s' (legal: %s)", path, where,
                     b->name, fault, legal);
            return DNN_EUSAGE;
        }
        snprintf(c->d.fault, sizeof c->d.fault, "%s", fault);
        used = strlen(c->label);
        snprintf(c->label + used, sizeof c->label - used, " fault=%s", fault);
    }
    if (b->check(&c->d, err, n)) {
        char m[DNN_ERRLEN];
        snprintf(m, sizeof m, "%s", err);
        snprintf(err, n, "plan '%s': %s: %s", path, where, m);
        return DNN_EUSAGE;
    }
    dnn_design_name(&c->d);
    p->ncfgs++;
    return 0;
}

static int add_jobs(dnn_plan *p, int run, int cfg, const settings *s, const char *path,
                    const char *where, char *err, size_t n)
{
    int64_t want = (int64_t)s->nsims * s->reseed, i;
    int k;
    if (p->njobs + want > DNN_PLAN_MAX_JOBS) {
        snprintf(err, n, "plan '%s': %s: too many jobs (legal: at most %d in all, counting "
                         "configs x sims x reseed)",
                 path, where, DNN_PLAN_MAX_JOBS);
        return DNN_EUSAGE;
    }
    {
        dnn_plan_job *nj = realloc(p->jobs, (size_t)(p->njobs + want) * sizeof *nj);
        if (!nj) {
            snprintf(err, n, "out of memory");
            return DNN_EUSAGE;
        }
        p->jobs = nj;
    }
    for (k = 0; k < s->nsims; k++) {
        if (s->sims[k] == 1 && s->vectors > 10000000) {
            snprintf(err, n, "plan '%s': %s: vectors %lld too large for icarus (legal: "
                             "1..10000000)",
                     path, where, (long long)s->vectors);
            return DNN_EUSAGE;
        }
        for (i = 0; i < s->reseed; i++) {
            dnn_plan_job *j = &p->jobs[p->njobs++];
            memset(j, 0, sizeof *j);
            j->cfg = cfg;
            j->sim = s->sims[k];
            j->coverage = s->coverage && s->sims[k] == 0;
            j->test_sim = s->test_sim;
            j->seed = (uint64_t)(s->seed + i);
            j->vectors = s->vectors;
            j->timeout = (int)s->timeout;
            j->run = run;
            j->profile = s->profile;
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

int dnn_plan_parse(const char *text, size_t len, const char *path, const dnn_plan_over *over,
                   dnn_plan *p, char *err, size_t n)
{
    cJSON *root;
    const cJSON *it, *runs, *run;
    settings base;
    int rc = DNN_EUSAGE, ri = 0;
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "plan");
    memset(&base, 0, sizeof base);
    base.nsims = 1;
    base.sims[0] = 0;
    base.seed = 1;
    base.reseed = 1;
    base.vectors = 1000;
    base.timeout = 900;
    root = cJSON_ParseWithLength(text, len);
    if (!root) {
        const char *ep = cJSON_GetErrorPtr();
        long off = ep && ep >= text && ep <= text + len ? (long)(ep - text) : -1;
        snprintf(err, n, "malformed JSON in plan '%s' near byte %ld (expected an object "
                         "{\"name\": ..., \"defaults\": {...}, \"runs\": [...]})",
                 path, off);
        return DNN_EUSAGE;
    }
    if (!cJSON_IsObject(root)) {
        snprintf(err, n, "plan '%s': top level must be an object with \"runs\"", path);
        goto error;
    }
    if (check_keys(root, top_keys, 0, path, "top level", err, n))
        goto error;
    it = cJSON_GetObjectItemCaseSensitive(root, "name");
    if (it) {
        const char *q = cJSON_IsString(it) ? it->valuestring : "";
        int ok = q[0] && strlen(q) < sizeof p->name;
        for (; *q; q++)
            ok &= (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                  (*q >= '0' && *q <= '9') || *q == '_' || *q == '-' || *q == '.';
        if (!ok) {
            snprintf(err, n, "plan '%s': name must be 1..%zu characters of letters, digits, "
                             "_ - . (legal: e.g. \"nightly\")",
                     path, sizeof p->name - 1);
            goto error;
        }
        snprintf(p->name, sizeof p->name, "%s", it->valuestring);
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "description");
    if (it && !cJSON_IsString(it)) {
        snprintf(err, n, "plan '%s': description must be a string", path);
        goto error;
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "defaults");
    if (it) {
        if (!cJSON_IsObject(it)) {
            snprintf(err, n, "plan '%s': defaults must be an object", path);
            goto error;
        }
        if (check_keys(it, run_keys, 1, path, "defaults", err, n) ||
            apply_settings(p, it, &base, path, "defaults", err, n))
            goto error;
    }
    runs = cJSON_GetObjectItemCaseSensitive(root, "runs");
    if (!cJSON_IsArray(runs) || cJSON_GetArraySize(runs) == 0) {
        snprintf(err, n, "plan '%s': missing \"runs\": a non-empty array of {\"block\": ..., "
                         "\"configs\": [...]}",
                 path);
        goto error;
    }
    cJSON_ArrayForEach(run, runs)
    {
        settings s = base;
        const dnn_block *b;
        const cJSON *cfgs, *c;
        char where[48];
        snprintf(where, sizeof where, "runs[%d]", ri);
        if (!cJSON_IsObject(run)) {
            snprintf(err, n, "plan '%s': %s must be an object {\"block\": ...}", path, where);
            goto error;
        }
        if (check_keys(run, run_keys, 0, path, where, err, n) ||
            apply_settings(p, run, &s, path, where, err, n))
            goto error;
        it = cJSON_GetObjectItemCaseSensitive(run, "block");
        b = cJSON_IsString(it) ? dnn_block_find(it->valuestring) : NULL;
        if (!b) {
            char names[512];
            block_names(names, sizeof names);
            snprintf(err, n, "plan '%s': %s: %s block '%.60s' (legal: %s)", path, where,
                     it ? "unknown" : "missing", cJSON_IsString(it) ? it->valuestring : "",
                     names);
            goto error;
        }
        if (over) {
            if (over->seed >= 0)
                s.seed = over->seed;
            if (over->reseed >= 0)
                s.reseed = over->reseed;
            if (over->timeout >= 0)
                s.timeout = over->timeout;
        }
        cfgs = cJSON_GetObjectItemCaseSensitive(run, "configs");
        if (cfgs && (!cJSON_IsArray(cfgs) || cJSON_GetArraySize(cfgs) == 0)) {
            snprintf(err, n, "plan '%s': %s.configs must be a non-empty array of objects "
                             "(legal: [{}] for the defaults)",
                     path, where);
            goto error;
        }
        if (!cfgs) {
            if (add_config(p, b, NULL, s.fault, path, where, err, n) ||
                add_jobs(p, ri, p->ncfgs - 1, &s, path, where, err, n))
                goto error;
        }
        cJSON_ArrayForEach(c, cfgs)
        {
            if (add_config(p, b, c, s.fault, path, where, err, n) ||
                add_jobs(p, ri, p->ncfgs - 1, &s, path, where, err, n))
                goto error;
        }
        ri++;
    }
    p->nruns = ri;
    rc = 0;
error:
    cJSON_Delete(root);
    if (rc)
        dnn_plan_free(p);
    return rc;
}

void dnn_plan_free(dnn_plan *p)
{
    int i;
    for (i = 0; i < p->nstrings; i++)
        free(p->strings[i]);
    free(p->strings);
    free(p->cfgs);
    free(p->jobs);
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "plan");
}
