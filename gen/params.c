/*
 * params.c -- parameter values: parsing from the command line and config files, legal
 * ranges in messages, and the canonical module name. One place decides what a legal value
 * is, so `dnngen list`, `gen -p`, `-c config.json` and the error messages cannot disagree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"

int dnn_param_index(const dnn_block *b, const char *name)
{
    int i;
    for (i = 0; i < b->nparams; i++)
        if (strcmp(b->params[i].name, name) == 0)
            return i;
    return -1;
}

int64_t dnn_param(const dnn_design *d, const char *name)
{
    int i = dnn_param_index(d->blk, name);
    return i < 0 ? 0 : d->pv[i];
}

void dnn_param_legal(const dnn_block *b, int i, char *buf, size_t n)
{
    const dnn_pdesc *p = &b->params[i];
    if (p->kind == DNN_P_BOOL) {
        snprintf(buf, n, "0 or 1");
    } else if (p->kind == DNN_P_ENUM) {
        size_t k, used = 0;
        buf[0] = '\0';
        for (k = 0; p->enums[k]; k++) {
            int w = snprintf(buf + used, n - used, "%s%s", k ? ", " : "", p->enums[k]);
            if (w < 0 || (size_t)w >= n - used)
                break;
            used += (size_t)w;
        }
    } else {
        snprintf(buf, n, "%lld..%lld", (long long)p->min, (long long)p->max);
    }
}

int dnn_param_parse(const dnn_block *b, int i, const char *value, int64_t *out, char *err,
                    size_t n)
{
    const dnn_pdesc *p = &b->params[i];
    char legal[256];
    dnn_param_legal(b, i, legal, sizeof legal);
    if (p->kind == DNN_P_ENUM) {
        int k;
        for (k = 0; p->enums[k]; k++)
            if (strcmp(p->enums[k], value) == 0) {
                *out = k;
                return 0;
            }
        snprintf(err, n, "%s: bad value '%.60s' for parameter %s (legal: %s)", b->name, value,
                 p->name, legal);
        return DNN_EUSAGE;
    } else {
        char *end;
        long long v;
        errno = 0;
        v = strtoll(value, &end, 0);
        if (errno || end == value || *end != '\0' || v < p->min || v > p->max) {
            snprintf(err, n, "%s: bad value '%.60s' for parameter %s (legal: %s)", b->name,
                     value, p->name, legal);
            return DNN_EUSAGE;
        }
        *out = v;
        return 0;
    }
}

void dnn_param_format(const dnn_block *b, int i, int64_t v, char *buf, size_t n)
{
    const dnn_pdesc *p = &b->params[i];
    if (p->kind == DNN_P_ENUM)
        snprintf(buf, n, "%s", p->enums[v]);
    else
        snprintf(buf, n, "%lld", (long long)v);
}

void dnn_design_defaults(dnn_design *d, const dnn_block *b)
{
    int i;
    memset(d, 0, sizeof *d);
    d->blk = b;
    for (i = 0; i < b->nparams; i++)
        d->pv[i] = b->params[i].def;
    snprintf(d->prefix, sizeof d->prefix, "dnn_");
}

void dnn_design_name(dnn_design *d)
{
    const dnn_block *b = d->blk;
    size_t used;
    int i;
    used = (size_t)snprintf(d->top, sizeof d->top, "%s%s", d->prefix, b->name);
    for (i = 0; i < b->nparams && used < sizeof d->top; i++) {
        char v[64];
        dnn_param_format(b, i, d->pv[i], v, sizeof v);
        used += (size_t)snprintf(d->top + used, sizeof d->top - used, "_%s%s",
                                 b->params[i].tag, v);
    }
    if (d->fault[0] && used < sizeof d->top) {
        char *q;
        snprintf(d->top + used, sizeof d->top - used, "_fault_%s", d->fault);
        for (q = d->top; *q; q++)
            if (*q == '-')
                *q = '_';
    }
}
