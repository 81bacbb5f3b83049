/*
 * gm_stream.c -- dispatch from a block name to the family generator that serves it.
 */
#include "gm_stream_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const gm_family *const families[] = { &gm_pamac_family, &gm_fofir_family,
                                              &gm_lstm_pe_family, &gm_lstm_layer_family,
                                              &gm_fpap_family, &gm_fcu_family, NULL };

const char *const gm_gen_blocks[] = { "pamac", "mac_parallel", "fofir", "fir_parallel", "fpap_array", "lstm_pe", "lstm_layer", "fcu", "fcu_reconf", "fcu_pu", "fcu_cp", NULL };

struct gm_gen {
    const gm_family *fam;
    void *st;
    int ns;
    gm_stream streams[GM_MAX_STREAMS];
};

int64_t gm_param_get(const gm_param *ps, int np, const char *name, int64_t def)
{
    int i;
    for (i = 0; i < np; i++)
        if (strcmp(ps[i].name, name) == 0)
            return ps[i].value;
    return def;
}

int gm_param_known(const gm_param *ps, int np, const char *const *names, char *err, size_t n)
{
    int i, j;
    for (i = 0; i < np; i++) {
        for (j = 0; names[j]; j++)
            if (strcmp(ps[i].name, names[j]) == 0)
                break;
        if (!names[j]) {
            snprintf(err, n, "golden model has no parameter '%s'", ps[i].name);
            return -1;
        }
    }
    return 0;
}

gm_gen *gm_gen_open(const char *block, const gm_param *ps, int np, uint64_t seed, int64_t nvec,
                    const char *profile, char *err, size_t errn)
{
    int i, j;
    for (i = 0; families[i]; i++)
        for (j = 0; families[i]->blocks[j]; j++)
            if (strcmp(families[i]->blocks[j], block) == 0) {
                gm_gen *g = calloc(1, sizeof *g);
                if (!g) {
                    snprintf(err, errn, "out of memory");
                    return NULL;
                }
                g->fam = families[i];
                g->st = g->fam->open(block, ps, np, seed, nvec, profile, g->streams, &g->ns, err,
                                     errn);
                if (!g->st) {
                    free(g);
                    return NULL;
                }
                return g;
            }
    snprintf(err, errn, "no golden model for block '%s'", block);
    return NULL;
}

int gm_gen_nstreams(const gm_gen *g)
{
    return g->ns;
}

const gm_stream *gm_gen_stream(const gm_gen *g, int i)
{
    return i >= 0 && i < g->ns ? &g->streams[i] : NULL;
}

int gm_gen_next(gm_gen *g, gm_rec *r)
{
    memset(r, 0, sizeof *r);
    return g->fam->next(g->st, r);
}

void gm_gen_describe(gm_gen *g, const gm_rec *in, char *buf, size_t n)
{
    g->fam->describe(g->st, in, buf, n);
}

void gm_gen_close(gm_gen *g)
{
    if (!g)
        return;
    g->fam->close(g->st);
    free(g);
}
