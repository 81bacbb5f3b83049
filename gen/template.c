/*
 * template.c -- expansion of the Verilog templates in rtl_templates/.
 *
 * Templates are Verilog with two kinds of marks: @{NAME} is replaced by a value the block's
 * vars() computed (widths, the module name, the header), and whole lines //@if NAME,
 * //@if !NAME, //@else, //@endif select variants (optional ports, decomposition modes, and
 * the test-only injected faults). A directive line never reaches the output, so a generated
 * file carries no trace of the variants it was not built with. Kept line-based on purpose:
 * a reader can diff a template against its output line by line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"

void tv_init(dnn_tvars *tv)
{
    memset(tv, 0, sizeof *tv);
}

void tv_free(dnn_tvars *tv)
{
    int i;
    for (i = 0; i < tv->n; i++)
        free(tv->value[i]);
    tv_init(tv);
}

void tv_set(dnn_tvars *tv, const char *name, const char *value)
{
    int i;
    for (i = 0; i < tv->n; i++)
        if (strcmp(tv->name[i], name) == 0) {
            free(tv->value[i]);
            tv->value[i] = dnn_strdup(value);
            return;
        }
    if (tv->n >= DNN_MAX_TVARS)
        return; /* caught at expansion: the name will be unknown */
    snprintf(tv->name[tv->n], sizeof tv->name[0], "%s", name);
    tv->value[tv->n] = dnn_strdup(value);
    tv->n++;
}

void tv_setf(dnn_tvars *tv, const char *name, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    tv_set(tv, name, buf);
}

void tv_flag(dnn_tvars *tv, const char *name, int on)
{
    tv_set(tv, name, on ? "1" : "0");
}

const char *tv_get(const dnn_tvars *tv, const char *name)
{
    int i;
    for (i = 0; i < tv->n; i++)
        if (strcmp(tv->name[i], name) == 0)
            return tv->value[i] ? tv->value[i] : "";
    return NULL;
}

#define MAX_NEST 16

int dnn_template_expand(const char *text, const dnn_tvars *tv, sbuf *out, char *err, size_t n)
{
    int depth = 0, lineno = 0;
    int active[MAX_NEST + 1], taken[MAX_NEST + 1];
    const char *p = text;
    active[0] = 1;
    taken[0] = 1;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *q = p;
        lineno++;
        while (q < p + len && (*q == ' ' || *q == '\t'))
            q++;
        if ((size_t)(p + len - q) >= 3 && strncmp(q, "//@", 3) == 0) {
            char word[16] = "", arg[64] = "";
            char line[128];
            size_t ll = (size_t)(p + len - q);
            if (ll >= sizeof line)
                ll = sizeof line - 1;
            memcpy(line, q, ll);
            line[ll] = '\0';
            sscanf(line + 3, "%15s %63s", word, arg);
            if (strcmp(word, "if") == 0) {
                int neg = arg[0] == '!', val;
                const char *v = tv_get(tv, arg + neg);
                if (!v) {
                    snprintf(err, n, "template line %d: unknown flag '%s'", lineno, arg + neg);
                    return DNN_ETOOL;
                }
                if (depth >= MAX_NEST) {
                    snprintf(err, n, "template line %d: //@if nested too deep", lineno);
                    return DNN_ETOOL;
                }
                val = (strcmp(v, "0") != 0 && v[0] != '\0') != neg;
                depth++;
                active[depth] = active[depth - 1] && val;
                taken[depth] = val;
            } else if (strcmp(word, "else") == 0) {
                if (depth == 0) {
                    snprintf(err, n, "template line %d: //@else without //@if", lineno);
                    return DNN_ETOOL;
                }
                active[depth] = active[depth - 1] && !taken[depth];
                taken[depth] = 1;
            } else if (strcmp(word, "endif") == 0) {
                if (depth == 0) {
                    snprintf(err, n, "template line %d: //@endif without //@if", lineno);
                    return DNN_ETOOL;
                }
                depth--;
            } else {
                snprintf(err, n, "template line %d: unknown directive '%s'", lineno, word);
                return DNN_ETOOL;
            }
        } else if (active[depth]) {
            const char *s = p, *end = p + len;
            while (s < end) {
                const char *at = s;
                while (at + 1 < end && !(at[0] == '@' && at[1] == '{'))
                    at++;
                if (at + 1 >= end) {
                    sb_putn(out, s, (size_t)(end - s));
                    break;
                }
                sb_putn(out, s, (size_t)(at - s));
                {
                    const char *close = memchr(at, '}', (size_t)(end - at));
                    char name[40];
                    const char *v;
                    size_t nl;
                    if (!close || (nl = (size_t)(close - at - 2)) >= sizeof name) {
                        snprintf(err, n, "template line %d: unterminated @{", lineno);
                        return DNN_ETOOL;
                    }
                    memcpy(name, at + 2, nl);
                    name[nl] = '\0';
                    v = tv_get(tv, name);
                    if (!v) {
                        snprintf(err, n, "template line %d: unknown name '@{%s}'", lineno,
                                 name);
                        return DNN_ETOOL;
                    }
                    sb_puts(out, v);
                    s = close + 1;
                }
            }
            sb_putn(out, "\n", 1);
        }
        p += len;
        if (*p == '\n')
            p++;
    }
    if (depth != 0) {
        snprintf(err, n, "template: %d //@if without //@endif", depth);
        return DNN_ETOOL;
    }
    return out->oom ? DNN_ETOOL : 0;
}
