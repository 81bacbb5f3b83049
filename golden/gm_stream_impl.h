/*
 * gm_stream_impl.h -- what a block family provides to gm_stream.c (private to golden/).
 */
#ifndef GM_STREAM_IMPL_H
#define GM_STREAM_IMPL_H

#include "gm_stream.h"

typedef struct gm_family {
    const char *const *blocks; /* block names this family serves, NULL-terminated */
    /* Create the family state; return NULL and fill err on a bad parameter set. */
    void *(*open)(const char *block, const gm_param *ps, int np, uint64_t seed, int64_t nvec,
                  const char *profile, gm_stream *streams, int *nstreams, char *err, size_t n);
    int (*next)(void *st, gm_rec *r);
    void (*describe)(void *st, const gm_rec *in, char *buf, size_t n);
    void (*close)(void *st);
} gm_family;

extern const gm_family gm_pamac_family;
extern const gm_family gm_fofir_family;
extern const gm_family gm_fpap_family;
extern const gm_family gm_lstm_pe_family;
extern const gm_family gm_lstm_layer_family;
extern const gm_family gm_fcu_family;

/* Look a parameter up; returns def when absent. */
int64_t gm_param_get(const gm_param *ps, int np, const char *name, int64_t def);
/* Reject parameters the family does not know (names NULL-terminated). */
int gm_param_known(const gm_param *ps, int np, const char *const *names, char *err, size_t n);

#endif
