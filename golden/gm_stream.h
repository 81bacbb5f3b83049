/*
 * gm_stream.h -- block-independent stimulus and expectation streams.
 *
 * Every block is verified as a set of valid/ready streams. A generator (one per block
 * family, selected by block name) yields records in a global order: an input record is a
 * transaction the testbench offers (payload, the idle cycles before it is offered, and the
 * clock edge at which the block's cycle model says it is accepted); an output record is a
 * transaction the block must produce (payload from the golden value model, the cycles the
 * testbench keeps ready low first, and the edge at which out_valid must first be seen and
 * the edge of the transfer). Both the in-process Verilator/SystemC harnesses and the
 * vector files read by Icarus benches come from this one function, so all simulators check
 * exactly the same transactions and edges.
 *
 * Edge numbering: edge 0 is the first rising clock edge after reset is released; a
 * signal "at edge e" is its value sampled by that edge.
 */
#ifndef GM_STREAM_H
#define GM_STREAM_H

#include "gm_common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GM_MAX_FIELDS 48
#define GM_MAX_STREAMS 4
#define GM_MAX_PARAMS 32

typedef struct gm_field {
    const char *name; /* port is <stream>_<name> */
    int width;
} gm_field;

typedef struct gm_stream {
    const char *name; /* port prefix: <name>_valid, <name>_ready, <name>_<field> */
    int is_input;
    int nf;
    gm_field f[GM_MAX_FIELDS];
} gm_stream;

typedef struct gm_param {
    const char *name;
    int64_t value;
} gm_param;

typedef struct gm_rec {
    int stream;     /* index into the generator's streams */
    int64_t op;     /* transaction number within the stream, from 0 */
    int64_t delay;  /* input: idle cycles before offering; output: cycles ready is held low */
    int64_t cycle;  /* input: expected accept edge; output: expected first out_valid edge */
    int64_t cycle2; /* output: expected transfer edge; input: same as cycle */
    int64_t cost;   /* cycle-model cost of the transaction (informational) */
    gm_val f[GM_MAX_FIELDS];
} gm_rec;

typedef struct gm_gen gm_gen;

/* profile: NULL or "mixed" (directed corners, then random with stalls), "uniform" (uniform
 * random operands at full precision, no stalls), "terms:p0,p1,..." (the decomposed operand
 * has t essential terms with probability p_t; no stalls). */
gm_gen *gm_gen_open(const char *block, const gm_param *ps, int np, uint64_t seed, int64_t nvec,
                    const char *profile, char *err, size_t errn);
int gm_gen_nstreams(const gm_gen *g);
const gm_stream *gm_gen_stream(const gm_gen *g, int i);
/* 1: a record was produced; 0: end of the run. */
int gm_gen_next(gm_gen *g, gm_rec *r);
/* A one-line description of input op `op` (operands and the model's view) into buf. */
void gm_gen_describe(gm_gen *g, const gm_rec *in, char *buf, size_t n);
void gm_gen_close(gm_gen *g);

/* Blocks the golden library has generators for (NULL-terminated). */
extern const char *const gm_gen_blocks[];

#ifdef __cplusplus
}
#endif
#endif
