/*
 * gm_sched.c -- the channel-ordering cost model and genetic algorithm (gm_sched.h).
 */
#include "gm_sched.h"

#include <stdlib.h>
#include <string.h>

int64_t gm_sched_cost(const int64_t *L, int cout, int ng, int C, const int *order)
{
    int64_t cost = 0;
    int p0, g, c;
    for (p0 = 0; p0 < cout; p0 += C)
        for (g = 0; g < ng; g++) {
            int64_t m = 0;
            for (c = p0; c < p0 + C && c < cout; c++) {
                int64_t l = L[(size_t)order[c] * (size_t)ng + (size_t)g];
                if (l > m)
                    m = l;
            }
            cost += m;
        }
    return cost;
}

int64_t gm_sched_bound(const int64_t *L, int cout, int ng, int C)
{
    int64_t b = 0;
    int o, g;
    for (g = 0; g < ng; g++) {
        int64_t s = 0, m = 0;
        for (o = 0; o < cout; o++) {
            int64_t l = L[(size_t)o * (size_t)ng + (size_t)g];
            s += l;
            if (l > m)
                m = l;
        }
        s = (s + C - 1) / C;
        b += s > m ? s : m; /* a group can end no earlier than its slowest kernel */
    }
    return b;
}

int64_t gm_sched_work(const int64_t *L, int cout, int ng)
{
    int64_t w = 0;
    size_t i;
    for (i = 0; i < (size_t)cout * (size_t)ng; i++)
        w += L[i];
    return w;
}

static int cmp_i64_desc(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? 1 : a > b ? -1 : 0;
}

int64_t gm_sched_bound_groups(const int64_t *L, int cout, int ng, int C)
{
    int64_t b = 0, *v = malloc((size_t)cout * sizeof *v);
    int o, g;
    if (!v)
        return -1;
    for (g = 0; g < ng; g++) {
        for (o = 0; o < cout; o++)
            v[o] = L[(size_t)o * (size_t)ng + (size_t)g];
        qsort(v, (size_t)cout, sizeof *v, cmp_i64_desc);
        for (o = 0; o < cout; o += C)
            b += v[o];
    }
    free(v);
    return b;
}

typedef struct ind {
    int *perm;
    int64_t cost;
} ind;

static int tournament(gm_rng *r, const ind *pop, int n)
{
    int best = (int)gm_rng_below(r, (uint64_t)n), k;
    for (k = 0; k < 2; k++) {
        int c = (int)gm_rng_below(r, (uint64_t)n);
        if (pop[c].cost < pop[best].cost)
            best = c;
    }
    return best;
}

/* Order crossover (OX): child keeps a's slice [i, j) and takes the rest in b's order. */
static void ox(gm_rng *r, const int *a, const int *b, int n, int *child, unsigned char *used)
{
    int i = (int)gm_rng_below(r, (uint64_t)n), j = (int)gm_rng_below(r, (uint64_t)n), k, pos;
    if (i > j) {
        int t = i;
        i = j;
        j = t;
    }
    j++;
    memset(used, 0, (size_t)n);
    for (k = i; k < j; k++) {
        child[k] = a[k];
        used[a[k]] = 1;
    }
    pos = j % n;
    for (k = 0; k < n; k++) {
        int v = b[(j + k) % n];
        if (used[v])
            continue;
        child[pos] = v;
        pos = (pos + 1) % n;
    }
}

static int cmp_desc(const void *x, const void *y, const int64_t *key)
{
    int a = *(const int *)x, b = *(const int *)y;
    if (key[a] != key[b])
        return key[a] < key[b] ? 1 : -1;
    return a - b;
}

int64_t gm_sched_ga(const int64_t *L, int cout, int ng, int C, const gm_sched_opts *o,
                    int *best)
{
    int P = o->population < 4 ? 4 : o->population, i, gen, k;
    ind *pop = calloc((size_t)P, sizeof *pop), *nxt = calloc((size_t)P, sizeof *nxt);
    int64_t *tot = calloc((size_t)cout, sizeof *tot), bestc = -1;
    unsigned char *used = malloc((size_t)cout);
    gm_rng r;
    if (!pop || !nxt || !tot || !used)
        goto out;
    for (i = 0; i < P; i++) {
        pop[i].perm = malloc((size_t)cout * sizeof(int));
        nxt[i].perm = malloc((size_t)cout * sizeof(int));
        if (!pop[i].perm || !nxt[i].perm)
            goto out;
    }
    gm_rng_seed(&r, o->seed);
    for (i = 0; i < cout; i++)
        for (k = 0; k < ng; k++)
            tot[i] += L[(size_t)i * (size_t)ng + (size_t)k];
    /* seeds: natural, sorted by total work (insertion sort: deterministic), random */
    for (i = 0; i < P; i++) {
        for (k = 0; k < cout; k++)
            pop[i].perm[k] = k;
        if (i == 1) {
            int a, b;
            for (a = 1; a < cout; a++)
                for (b = a; b > 0 && cmp_desc(&pop[i].perm[b - 1], &pop[i].perm[b], tot) > 0; b--) {
                    int t = pop[i].perm[b];
                    pop[i].perm[b] = pop[i].perm[b - 1];
                    pop[i].perm[b - 1] = t;
                }
        } else if (i > 1) {
            for (k = cout - 1; k > 0; k--) {
                int j = (int)gm_rng_below(&r, (uint64_t)k + 1), t = pop[i].perm[k];
                pop[i].perm[k] = pop[i].perm[j];
                pop[i].perm[j] = t;
            }
        }
        pop[i].cost = gm_sched_cost(L, cout, ng, C, pop[i].perm);
    }
    for (gen = 0; gen < o->generations; gen++) {
        int e0 = 0, e1 = 1;
        /* elitism: the two best survive */
        for (i = 0; i < P; i++)
            if (pop[i].cost < pop[e0].cost)
                e0 = i;
        e1 = e0 == 0 ? 1 : 0;
        for (i = 0; i < P; i++)
            if (i != e0 && pop[i].cost < pop[e1].cost)
                e1 = i;
        memcpy(nxt[0].perm, pop[e0].perm, (size_t)cout * sizeof(int));
        nxt[0].cost = pop[e0].cost;
        memcpy(nxt[1].perm, pop[e1].perm, (size_t)cout * sizeof(int));
        nxt[1].cost = pop[e1].cost;
        for (i = 2; i < P; i++) {
            int a = tournament(&r, pop, P), b = tournament(&r, pop, P), s;
            if (cout > 1 && gm_rng_below(&r, 10) < 9)
                ox(&r, pop[a].perm, pop[b].perm, cout, nxt[i].perm, used);
            else
                memcpy(nxt[i].perm, pop[a].perm, (size_t)cout * sizeof(int));
            if (cout > 1 && gm_rng_below(&r, 10) < 4) {
                int ns = 1 + (int)gm_rng_below(&r, 3);
                for (s = 0; s < ns; s++) {
                    int x = (int)gm_rng_below(&r, (uint64_t)cout);
                    int y = (int)gm_rng_below(&r, (uint64_t)cout), t = nxt[i].perm[x];
                    nxt[i].perm[x] = nxt[i].perm[y];
                    nxt[i].perm[y] = t;
                }
            }
            nxt[i].cost = gm_sched_cost(L, cout, ng, C, nxt[i].perm);
        }
        {
            ind *t = pop;
            pop = nxt;
            nxt = t;
        }
    }
    k = 0;
    for (i = 1; i < P; i++)
        if (pop[i].cost < pop[k].cost)
            k = i;
    memcpy(best, pop[k].perm, (size_t)cout * sizeof(int));
    bestc = pop[k].cost;
    /* polish: first-improvement swaps of channels in different passes until none helps */
    {
        int improved = 1, rounds = 0;
        while (improved && rounds++ < 50) {
            int x, y;
            improved = 0;
            for (x = 0; x < cout; x++)
                for (y = x + 1; y < cout; y++) {
                    int t;
                    int64_t c2;
                    if (x / C == y / C)
                        continue;
                    t = best[x];
                    best[x] = best[y];
                    best[y] = t;
                    c2 = gm_sched_cost(L, cout, ng, C, best);
                    if (c2 < bestc) {
                        bestc = c2;
                        improved = 1;
                    } else {
                        best[y] = best[x];
                        best[x] = t;
                    }
                }
        }
    }
out:
    for (i = 0; pop && nxt && i < P; i++) {
        free(pop[i].perm);
        free(nxt[i].perm);
    }
    free(pop);
    free(nxt);
    free(tot);
    free(used);
    return bestc;
}
