/*
 * gm_sched.h -- ordering output channels on the FPAP array (blocks.md section 3).
 *
 * L[o*ng + g] is the cost of output channel o on input-channel group g (cycles, from
 * gm_fpap_pe_cycles). An order is a permutation of 0..cout-1; order[p*C + c] is the channel
 * of column c in pass p (the last pass may be partial). Its cost is
 *   cost = sum over passes p, groups g of max over columns c of L[order[p*C+c]][g],
 * the cycles the array spends computing when every group ends in a synchronization. The
 * work lower bound is sum over groups g of max(ceil(sum over o of L[o][g] / C), the
 * slowest L[o][g]) (no order beats perfectly shared work, nor its slowest kernel); the idle
 * fraction of an order is 1 - work / (C * cost), work = sum of all L (columns left empty
 * in a partial last pass count as idle).
 */
#ifndef GM_SCHED_H
#define GM_SCHED_H

#include "gm_common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gm_sched_opts {
    uint64_t seed;
    int population;  /* >= 4 */
    int generations; /* >= 0 */
} gm_sched_opts;

int64_t gm_sched_cost(const int64_t *L, int cout, int ng, int C, const int *order);
int64_t gm_sched_bound(const int64_t *L, int cout, int ng, int C);
int64_t gm_sched_work(const int64_t *L, int cout, int ng);
/* A tighter valid bound: each group on its own, ordered best (its costs sorted and cut into
 * passes of C); no single order can beat every group's own best. */
int64_t gm_sched_bound_groups(const int64_t *L, int cout, int ng, int C);
/* Genetic algorithm: permutation chromosomes, tournament selection, order crossover, swap
 * mutation, elitism; seeded with the natural order and the channels sorted by total work;
 * the best order found is then polished by swapping channels of different passes while a
 * swap lowers the cost. Deterministic for a given seed. Writes the best order found; returns its cost, or -1
 * when out of memory. */
int64_t gm_sched_ga(const int64_t *L, int cout, int ng, int C, const gm_sched_opts *o,
                    int *best);

#ifdef __cplusplus
}
#endif
#endif
