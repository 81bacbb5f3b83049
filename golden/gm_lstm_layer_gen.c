/*
 * gm_lstm_layer_gen.c -- stimulus, expected outputs and the cycle model of the lstm_layer
 * block (docs/lstm.md "lstm_layer"). Values come from the plain-loop layer golden
 * (gm_lstm_layer_run: the compressed LSTM in fixed point, no PE schedule); timing from a
 * cycle-stepped model of the layer's contract, run with the testbench's gap/stall policy
 * the way tb_check.h and the Icarus bench apply it. The model mirrors the RTL state for
 * state (rtl_templates/lstm_layer.v):
 *   - one input stream, records: op 0 an activation x[addr] = d of the current input
 *     vector (last = 1 ends it), op 1 a weight word (addr = {PE, word}), op 2 a bias
 *     (addr = {PE, row}), op 3 an initial state (addr = {PE, 2 * (s * U + u) + h/c}) of
 *     the next run (cleared after every run). in_ready is high in the load phase whenever
 *     no PE computes;
 *   - a run is BATCH * STEPS vectors, sequence after sequence (phase 1: each vector is
 *     broadcast to the P PEs, which compute W x_t into the W x buffer); when the last
 *     phase-1 sum is stored, phase 2 runs step by step, the sequences interleaved: the
 *     non-zero h_(t-1) of the sequence are broadcast (one record per cycle, max(1, nnz)
 *     cycles), each PE computes U h, and its slice adds the stored W x_t and the bias,
 *     rounds, and updates c and h unit by unit (one cycle after a unit's o row);
 *   - a vector is complete when every slice has updated its last unit; the next edge
 *     copies its h and c to the output buffer (when empty) and the broadcast of the next
 *     vector starts one edge later; the buffer sends H records (h_j, c_j), j = 0..H-1.
 * PE timing is the lstm_pe contract (docs/lstm_pe.md) with its output always read: row r
 * costs max(1, a_r) issue cycles, y[r] is transferred 2 edges after its last issue.
 */
#include "gm_lstm_layer.h"
#include "gm_stream_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ly_blocks[] = { "lstm_layer", NULL };
static const char *const ly_params[] = { "I", "H",     "N",     "K",  "EM", "EF", "B",
                                         "F", "P",     "BATCH", "STEPS", "TQ", NULL };

#define QCAP 64
#define NRUN 4

enum { PH_LOAD, PH_BC, PH_WT };

typedef struct lst {
    gm_lstm_layer_cfg c;
    gm_lstm_layer_dims d;
    gm_lstm_fx fx;
    gm_rng rng;
    int64_t nvec, made;
    int profile; /* 0 mixed, 1 sparse:P, 2 silero:DIR */
    int wkind;   /* the weight kind of the model written last (plan_model) */
    int xq;      /* mixed profile, directed runs: x and h0 values multiples of 2^xq */
    int64_t *xbase; /* directed runs: x[i] = xbase[i] mod 2^xq (0: no low bits) */
    int64_t ntune, ndir; /* tuned runs and directed runs planned (the targets rotate) */
    int64_t nlow;        /* W weights rewritten with the smallest exponents (plan_lowbits) */
    int64_t ntie[3][16]; /* product ties planned: f * c0, o * tanh(c), i * g; per slice (mod 16) */
    int bias_ok;         /* the bias registers hold bq (a record for every change) */
    /* silero:DIR: the layer images and the frames (docs/models.md) */
    uint64_t *sil_w, *sil_b;
    int64_t *sil_x, *sil_h, *sil_c;
    int64_t sil_frames;
    double asp;
    int gapmode, holdmode;
    int kpr, nwords, cols;
    /* the model written last */
    gm_lstm_comp z;
    int have_z;
    int64_t *bq;
    /* the run's input records */
    gm_rec *plan;
    int64_t np, ppos, pcap, runs_planned;
    int64_t *x, *xv;           /* the run's vectors (nv * I); one vector being planned */
    int64_t *rh[NRUN], *rc[NRUN]; /* golden h, c of the planned runs, v = s * steps + t */
    int64_t *rh0[NRUN], *rc0[NRUN]; /* their initial states (batch * H; the state records) */
    /* records produced, not yet handed out */
    gm_rec q[QCAP];
    int qh, qn, have_in;
    gm_rec in;
    /* ---- cycle model ---- */
    int64_t e, a_prev, d_prev, hold_next, out_n, fval_edge;
    uint64_t *wm;            /* P * nwords */
    unsigned char *xnz;      /* the PEs' non-zero activation flags (all PEs see the same) */
    int *cost;               /* P * rows: issue cycles of every row of the vector */
    int *costn;              /* P * rows: the same for the vector waiting in the load bank */
    int *run, *row, *rem, *s1v, *s1last, *yv, *full; /* per PE */
    int *wa, *orow, *cellv, *cu, *lastin;     /* per slice */
    int ph, nvin, t, s, bfirst;
    int bt, bs, nout;        /* phase 2: the vector being broadcast; broadcast, not complete */
    unsigned char *bmask;    /* H: h_j still to broadcast */
    int64_t runs_in, crun, orun, ov;
    int ofull, oj;
    int64_t busy; /* PE issue cycles since the last output record (its informational cost) */
} lst;

static uint64_t maskn(int w)
{
    return w >= 64 ? UINT64_MAX : ((UINT64_C(1) << w) - 1u);
}

static int64_t sext(uint64_t v, int w)
{
    uint64_t m = UINT64_C(1) << (w - 1);
    v &= maskn(w);
    return (v & m) ? -(int64_t)((~v & maskn(w)) + 1u) : (int64_t)v;
}

static double urand(gm_rng *r)
{
    return (double)(gm_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* The golden h, c after vector v (s * steps + t) of run `run`, and the initial state of
 * sequence q of the run: from the planned runs' ring, or (silero:DIR) from the frames. */
static int64_t gold_h(const lst *s, int64_t run, size_t v, int j)
{
    if (s->profile == 2)
        return s->sil_h[((size_t)run * (size_t)s->c.steps + v) * (size_t)s->c.hid + (size_t)j];
    return s->rh[run % NRUN][v * (size_t)s->c.hid + (size_t)j];
}

static int64_t gold_c(const lst *s, int64_t run, size_t v, int j)
{
    if (s->profile == 2)
        return s->sil_c[((size_t)run * (size_t)s->c.steps + v) * (size_t)s->c.hid + (size_t)j];
    return s->rc[run % NRUN][v * (size_t)s->c.hid + (size_t)j];
}

static int64_t gold_h0(const lst *s, int64_t run, int q, int j)
{
    if (s->profile == 2)
        return run > 0 ? s->sil_h[((size_t)run * (size_t)s->c.steps - 1u) * (size_t)s->c.hid +
                                  (size_t)j]
                       : 0;
    return s->rh0[run % NRUN][(size_t)q * (size_t)s->c.hid + (size_t)j];
}

/* ---------------------------------------------------------------- stimulus */

static gm_rec *add_rec(lst *s, int op, uint64_t addr, uint64_t d, int last)
{
    gm_rec *r;
    if (s->np == s->pcap) {
        int64_t nc = s->pcap ? 2 * s->pcap : 1024;
        gm_rec *p = realloc(s->plan, (size_t)nc * sizeof *p);
        if (!p)
            return NULL;
        s->plan = p;
        s->pcap = nc;
    }
    r = &s->plan[s->np++];
    memset(r, 0, sizeof *r);
    r->f[0] = gm_val_from_u64((uint64_t)op);
    r->f[1] = gm_val_from_u64(addr & maskn(s->d.aw));
    r->f[2] = gm_val_from_u64(d & maskn(s->d.dw));
    r->f[3] = gm_val_from_u64((uint64_t)last);
    return r;
}

/* A new model: W (4H x I) and U (4H x H) compressed from random floats of several kinds,
 * the biases; written to every PE word and every bias register (dummy rows too). */
static int plan_model(lst *s)
{
    int I = s->c.in, H = s->c.hid, P = s->c.p, rows = s->d.rows, kpr = s->kpr;
    int kind = s->profile == 1 ? 0 : (int)gm_rng_below(&s->rng, 10), p, r, j, i;
    int bkind = s->profile == 1 ? 0 : (int)gm_rng_below(&s->rng, 4);
    if (kind >= 8)
        kind -= 2; /* kinds 6 and 7 twice as often */
    double a = gm_rng_below(&s->rng, 2) ? 1.0 : 1.0 / sqrt((double)(I + H));
    gm_lstm_cfg cc;
    double *wf = malloc((size_t)(4 * H) * (size_t)(I > H ? I : H) * sizeof *wf);
    uint64_t *words = malloc((size_t)P * (size_t)s->nwords * sizeof *words);
    uint64_t *bias = malloc((size_t)P * (size_t)rows * sizeof *bias);
    int64_t bmax = ((int64_t)1 << (s->d.acc - 1)) - 1;
    int ngw = s->d.cw / s->c.n, order, rc = -1;
    if (!wf || !words || !bias)
        goto error;
    cc.n = s->c.n;
    cc.k = s->c.k;
    cc.m = s->c.em;
    cc.f = s->c.ef;
    if (s->have_z) {
        gm_lstm_mat_free(&s->z.w);
        gm_lstm_mat_free(&s->z.u);
        s->have_z = 0;
    }
    for (i = 0; i < 2; i++) {
        int cols = i == 0 ? I : H, col, zg = 0;
        for (r = 0; r < 4 * H; r++)
            for (col = 0; col < cols; col++) {
                double v = (2.0 * urand(&s->rng) - 1.0) * a;
                if (col % s->c.n == 0)
                    zg = kind >= 3 && kind < 6 && gm_rng_below(&s->rng, 3) == 0;
                if (kind == 7 || (kind == 6 && i == 1))
                    v = gm_rng_below(&s->rng, 2) ? 1.0 : -1.0; /* +-1: sums keep no EF bits */
                else if (kind == 6) /* +-2^-m, m = 0..EF: every shift */
                    v = ldexp(gm_rng_below(&s->rng, 2) ? 1.0 : -1.0,
                              -(int)gm_rng_below(&s->rng, (uint64_t)s->c.ef + 1u));
                else if (kind == 5)
                    v = gm_rng_below(&s->rng, 2) ? 1e3 : -1e3; /* every weight +-2^m */
                else if (kind >= 3) {
                    if (zg)
                        v = 0.0; /* an all-zero group */
                    else if (gm_rng_below(&s->rng, 4) == 0)
                        v *= 1e3;
                    else if (gm_rng_below(&s->rng, 4) == 0)
                        v *= 1e-6;
                }
                wf[(size_t)r * (size_t)cols + (size_t)col] = v;
            }
        if (gm_lstm_mat_compress(wf, 4 * H, cols, &cc, i == 0 ? &s->z.w : &s->z.u)) {
            if (i == 1)
                gm_lstm_mat_free(&s->z.w);
            goto error;
        }
    }
    s->have_z = 1;
    s->wkind = kind;
    s->z.c = cc;
    s->z.in = I;
    s->z.hid = H;
    s->z.ewidth = s->d.ped.ew;
    s->z.iwidth = s->d.ped.iw;
    for (j = 0; j < 4 * H; j++) {
        int64_t b;
        if (bkind == 1)
            b = 0;
        else if (bkind == 2 && gm_rng_below(&s->rng, 3) == 0)
            b = gm_rng_below(&s->rng, 2) ? bmax : -bmax; /* saturates the gate */
        else
            b = (int64_t)floor((2.0 * urand(&s->rng) - 1.0) *
                               ldexp(1.0, s->c.f + s->c.ef) + 0.5);
        s->bq[j] = b;
    }
    /* the PE words: row r of PE p is gate row R; its W groups padded to n columns (a short
     * last group gets filler words at a padding column), then its U words */
    for (p = 0; p < P; p++)
        for (r = 0; r < rows; r++) {
            int unit = p + P * (r / 4), R = gm_lstm_layer_row(H, P, p, r);
            uint64_t *w = words + (size_t)p * (size_t)s->nwords + (size_t)r * (size_t)kpr;
            for (j = 0; j < kpr; j++) {
                if (unit >= H) { /* a dummy row: any word (its sums are dropped) */
                    w[j] = gm_rng_next(&s->rng) & maskn(s->d.ped.ww);
                } else if (j < ngw * s->c.k) {
                    int g = j / s->c.k, t = j % s->c.k, len = I - g * s->c.n;
                    int cnt = len < s->c.k ? len : s->c.k;
                    if (t < cnt) {
                        size_t e = (size_t)R * (size_t)s->z.w.kept_per_row + (size_t)(g * s->c.k + t);
                        w[j] = gm_lstm_pack(s->z.w.idx[e], s->z.w.sgn[e], s->z.w.ex[e] + s->c.ef,
                                            s->d.ped.ew);
                    } else {
                        w[j] = gm_lstm_pack(s->c.n - 1, (int)gm_rng_below(&s->rng, 2),
                                            (int)gm_rng_below(&s->rng, (uint64_t)(s->c.em + s->c.ef + 1)),
                                            s->d.ped.ew);
                    }
                } else {
                    size_t e = (size_t)R * (size_t)s->z.u.kept_per_row + (size_t)(j - ngw * s->c.k);
                    w[j] = gm_lstm_pack(s->z.u.idx[e], s->z.u.sgn[e], s->z.u.ex[e] + s->c.ef,
                                        s->d.ped.ew);
                }
            }
            bias[(size_t)p * (size_t)rows + (size_t)r] =
                (uint64_t)(unit < H ? s->bq[R] : (int64_t)gm_rng_below(&s->rng, 1000) - 500);
        }
    /* write order: weights then biases, in address order, or everything shuffled */
    order = s->profile == 1 ? 0 : (int)gm_rng_below(&s->rng, 3);
    {
        int64_t from = s->np, k;
        for (p = 0; p < P; p++)
            for (j = 0; j < s->nwords; j++)
                if (!add_rec(s, 1, ((uint64_t)p << s->d.lw) | (uint64_t)j,
                             words[(size_t)p * (size_t)s->nwords + (size_t)j] |
                                 (gm_rng_next(&s->rng) & ~maskn(s->d.ped.ww)),
                             (int)gm_rng_below(&s->rng, 2)))
                    goto error;
        for (p = 0; p < P; p++)
            for (r = 0; r < rows; r++)
                if (!add_rec(s, 2, ((uint64_t)p << s->d.rw) | (uint64_t)r,
                             bias[(size_t)p * (size_t)rows + (size_t)r] & maskn(s->d.acc), 0))
                    goto error;
        if (s->profile == 0 && gm_rng_below(&s->rng, 2) == 0) { /* ignored records */
            uint64_t nst = 2u * (uint64_t)s->c.batch * (uint64_t)s->d.units;
            if (nst < (UINT64_C(1) << s->d.qw) &&
                !add_rec(s, 3, ((uint64_t)gm_rng_below(&s->rng, (uint64_t)P) << s->d.qw) |
                                   (nst + gm_rng_below(&s->rng, (UINT64_C(1) << s->d.qw) - nst)),
                         gm_rng_next(&s->rng), 1))
                goto error;
            if (((uint64_t)s->nwords < (UINT64_C(1) << s->d.lw)) &&
                !add_rec(s, 1, (uint64_t)s->nwords, gm_rng_next(&s->rng), 0))
                goto error;
        }
        if (order == 2)
            for (k = s->np - 1; k > from; k--) {
                int64_t m = from + (int64_t)gm_rng_below(&s->rng, (uint64_t)(k - from) + 1);
                gm_rec tmp = s->plan[k];
                s->plan[k] = s->plan[m];
                s->plan[m] = tmp;
            }
    }
    s->bias_ok = 1;
    rc = 0;
error:
    free(wf);
    free(words);
    free(bias);
    return rc;
}

/* Mixed profile, every run: one kept W weight of each of 4 rows (rotating over every row
 * of every PE, so every row gets one within P * rows / 4 runs; a new model clears them)
 * rewritten as +-2^-EF or +-2^(1-EF), the shifts 0 and 1, so that W x keeps its lowest
 * bits (with the larger weights of most kinds a row's W x has none: a W x buffer bit 0 or
 * 1 written or read wrong never showed). One weight record each, before the vectors. */
static int plan_lowbits(lst *s)
{
    int P = s->c.p, H = s->c.hid, I = s->c.in, rows = s->d.rows, k = s->c.k, q;
    int ngw = s->d.cw / s->c.n;
    for (q = 0; q < 4; q++) {
        int64_t gr = s->nlow++ % ((int64_t)P * rows);
        int p = (int)(gr % P), r = (int)(gr / P % rows), unit = p + P * (r / 4);
        int g, t, cnt, R;
        size_t e;
        if (unit >= H)
            continue;
        R = gm_lstm_layer_row(H, P, p, r);
        g = (int)gm_rng_below(&s->rng, (uint64_t)ngw);
        cnt = I - g * s->c.n < k ? I - g * s->c.n : k;
        t = (int)gm_rng_below(&s->rng, (uint64_t)cnt);
        e = (size_t)R * (size_t)s->z.w.kept_per_row + (size_t)(g * k + t);
        s->z.w.ex[e] = -s->c.ef + (int)gm_rng_below(&s->rng, s->c.ef + s->c.em >= 1 ? 2 : 1);
        s->z.w.sgn[e] = (int)gm_rng_below(&s->rng, 2);
        if (!add_rec(s, 1, ((uint64_t)p << s->d.lw) | (uint64_t)(r * s->kpr + g * k + t),
                     gm_lstm_pack(s->z.w.idx[e], s->z.w.sgn[e], s->z.w.ex[e] + s->c.ef,
                                  s->d.ped.ew),
                     0))
            return -1;
    }
    return 0;
}

static int64_t rnd_x(lst *s, double zero, int wide)
{
    int64_t lo = -((int64_t)1 << (s->c.b - 1)), hi = ((int64_t)1 << (s->c.b - 1)) - 1, v;
    if (urand(&s->rng) < zero)
        return 0;
    if (wide)
        return sext(gm_rng_next(&s->rng), s->c.b);
    v = (int64_t)gm_rng_below(&s->rng, (UINT64_C(1) << (s->c.f + 2)) + 1) -
        ((int64_t)1 << (s->c.f + 1)); /* within +-2: the gates' working range */
    return v < lo ? lo : v > hi ? hi : v;
}

/* v rounded down to a multiple of 2^xq (a directed run: W x and U h0 keep no EF+3 bits) */
static int64_t qx(const lst *s, int64_t v)
{
    return s->xq ? v - (v & (((int64_t)1 << s->xq) - 1)) : v;
}

/* x of column i in a directed run: v rounded down to a multiple of 2^xq, kept within
 * +-2 * 2^xq (the vectors' pre-activations of a row stay within a few PLAN steps of each
 * other instead of saturating the gate), plus the run's xbase[i] (< 2^xq): every vector's
 * x, and so every W x of a row, has the same low xq bits, which need not be 0 */
static int64_t qxi(const lst *s, int64_t v, int i)
{
    int64_t q;
    if (!s->xq)
        return v;
    q = qx(s, v) / ((int64_t)1 << s->xq);
    q = q < -2 ? -2 : q > 2 ? 2 : q;
    return q * ((int64_t)1 << s->xq) + s->xbase[i];
}

/* One input vector: its values (kinds: random at several sparsities, all zero, the
 * extremes, small, one non-zero, all most negative) and its records (every column in
 * order or reversed, or the non-zero ones, in order or shuffled with overwritten values,
 * explicit zeros and ignored columns past I). */
static int plan_vector(lst *s, int64_t *xv)
{
    int I = s->c.in, i, kind = s->profile == 1 ? -1 : (int)gm_rng_below(&s->rng, 20);
    int mode = s->profile == 1 ? 2 : (int)gm_rng_below(&s->rng, 4);
    int64_t lo = -((int64_t)1 << (s->c.b - 1)), hi = ((int64_t)1 << (s->c.b - 1)) - 1;
    int64_t from, k, lim = (int64_t)1 << s->d.aw;
    static const double zs[4] = { 0.0, 0.3, 0.7, 0.95 };
    double z = zs[gm_rng_below(&s->rng, 4)];
    for (i = 0; i < I; i++) {
        int64_t v;
        if (kind < 0)
            v = rnd_x(s, s->asp, 0);
        else if (kind < 8)
            v = rnd_x(s, z, kind >= 6);
        else if (kind < 10)
            v = 0;
        else if (kind < 13)
            v = gm_rng_below(&s->rng, 5) == 0 ? 0 : (gm_rng_below(&s->rng, 2) ? lo : hi);
        else if (kind < 16)
            v = gm_rng_below(&s->rng, 2) ? 0 : (int64_t)gm_rng_below(&s->rng, 5) - 2;
        else if (kind < 19)
            v = 0;
        else
            v = lo;
        xv[i] = qxi(s, v, i);
    }
    if (kind >= 16 && kind < 19) {
        int at = (int)gm_rng_below(&s->rng, (uint64_t)I);
        while (xv[at] == 0)
            xv[at] = qxi(s, rnd_x(s, 0.0, 1), at);
    }
    from = s->np;
    if (mode <= 1) {
        for (i = 0; i < I; i++) {
            int col = mode == 0 ? i : I - 1 - i;
            if (!add_rec(s, 0, (uint64_t)col, (uint64_t)xv[col] | (gm_rng_next(&s->rng) << s->c.b), 0))
                return -1;
        }
    } else {
        if (mode == 3)
            for (i = 0; i < I; i++)
                if (gm_rng_below(&s->rng, 8) == 0 &&
                    !add_rec(s, 0, (uint64_t)i, (uint64_t)rnd_x(s, 0.0, 1), 0))
                    return -1;
        for (i = 0; i < I; i++)
            if ((xv[i] != 0 || (mode == 3 && gm_rng_below(&s->rng, 8) == 0)) &&
                !add_rec(s, 0, (uint64_t)i, (uint64_t)xv[i], 0))
                return -1;
        if (mode == 3 && lim > I && gm_rng_below(&s->rng, 3) == 0 &&
            !add_rec(s, 0, (uint64_t)(I + (int64_t)gm_rng_below(&s->rng, (uint64_t)(lim - I))),
                     (uint64_t)rnd_x(s, 0.0, 1), 0))
            return -1;
        if (mode == 3) /* shuffle the records after the decoys: a later value wins */
            for (k = s->np - 1; k > from; k--) {
                int64_t m = from + (int64_t)gm_rng_below(&s->rng, (uint64_t)(k - from) + 1);
                gm_rec tmp = s->plan[k];
                s->plan[k] = s->plan[m];
                s->plan[m] = tmp;
            }
        /* the decoys must not end up after the value that counts: rewrite each column's
         * last record with the vector's value */
        if (mode == 3) {
            for (i = 0; i < I; i++)
                for (k = s->np - 1; k >= from; k--)
                    if (s->plan[k].f[1].lo == (uint64_t)i) {
                        s->plan[k].f[2] = gm_val_from_u64((uint64_t)xv[i] & maskn(s->d.dw));
                        break;
                    }
        }
    }
    if (s->np == from && !add_rec(s, 0, gm_rng_below(&s->rng, (uint64_t)I), 0, 0))
        return -1;
    s->plan[s->np - 1].f[3] = gm_val_from_u64(1);
    return 0;
}

/* A run: a new model (always the first time), then BATCH * STEPS vectors; its golden h
 * and c computed at once by the plain-loop layer model. */
/* The run's initial states (mixed profile, half the runs): per sequence none, every unit
 * random (within +-2 or any B-bit value), a few units, or the extremes; the records in
 * address order or shuffled, with overwrites (a later value wins) and dummy units. Written
 * to h0, c0 (batch * H); the records go where the plan stands. */
static int plan_state(lst *s, int64_t *h0, int64_t *c0)
{
    int H = s->c.hid, P = s->c.p, U = s->d.units, q, w;
    int64_t lo = -((int64_t)1 << (s->c.b - 1)), hi = ((int64_t)1 << (s->c.b - 1)) - 1;
    int64_t from = s->np, k;
    memset(h0, 0, (size_t)s->c.batch * (size_t)H * sizeof *h0);
    memset(c0, 0, (size_t)s->c.batch * (size_t)H * sizeof *c0);
    if (s->profile != 0 || gm_rng_below(&s->rng, 2) == 0)
        return 0;
    for (q = 0; q < s->c.batch; q++) {
        int kind = (int)gm_rng_below(&s->rng, 5);
        if (kind == 0)
            continue;
        for (k = 0; k < (int64_t)P * U; k++)
            for (w = 0; w < 2; w++) {
                int p = (int)(k % P), uu = (int)(k / P), j = p + P * uu;
                int64_t val;
                if (kind == 2 && gm_rng_below(&s->rng, 4) != 0)
                    continue; /* a few units */
                if (kind == 3)
                    val = gm_rng_below(&s->rng, 2) ? lo : hi;
                else if (kind == 4)
                    val = sext(gm_rng_next(&s->rng), s->c.b);
                else
                    val = rnd_x(s, 0.3, 0);
                if (w == 0)
                    val = qx(s, val);
                if (j < H)
                    (w ? c0 : h0)[(size_t)q * (size_t)H + (size_t)j] = val;
                if (!add_rec(s, 3, ((uint64_t)p << s->d.qw) | (uint64_t)(2 * (q * U + uu) + w),
                             (uint64_t)val | (gm_rng_next(&s->rng) << s->c.b),
                             (int)gm_rng_below(&s->rng, 2)))
                    return -1;
            }
    }
    if (s->np > from && gm_rng_below(&s->rng, 2) == 0) {
        /* an early overwrite of the first record, then everything shuffled: the record
         * holding the value that counts is moved last among those of its address */
        gm_rec dup = s->plan[from];
        if (!add_rec(s, 3, 0, 0, 0))
            return -1;
        s->plan[s->np - 1] = s->plan[from];
        s->plan[from] = dup;
        s->plan[from].f[2] = gm_val_from_u64(gm_rng_next(&s->rng) & maskn(s->d.dw));
        for (k = s->np - 1; k > from + 1; k--) {
            int64_t m = from + 1 + (int64_t)gm_rng_below(&s->rng, (uint64_t)(k - from));
            gm_rec tmp = s->plan[k];
            s->plan[k] = s->plan[m];
            s->plan[m] = tmp;
        }
    }
    return 0;
}

/* silero:DIR: the whole stream at once: every weight word and bias of the images, then
 * run after run (STEPS frames each, BATCH = 1): the state records of the previous frame's
 * non-zero h and c (none before the first run: the state is 0), then the frames' non-zero
 * x records (none: one zero record), the last one ending the vector. */
static int plan_silero(lst *s)
{
    int P = s->c.p, H = s->c.hid, I = s->c.in, S = s->c.steps, p, j, t;
    int64_t r, runs = s->sil_frames / S;
    for (p = 0; p < P; p++)
        for (j = 0; j < s->nwords; j++)
            if (!add_rec(s, 1, ((uint64_t)p << s->d.lw) | (uint64_t)j,
                         s->sil_w[(size_t)p * (size_t)s->nwords + (size_t)j], 0))
                return -1;
    for (p = 0; p < P; p++)
        for (j = 0; j < s->d.rows; j++)
            if (!add_rec(s, 2, ((uint64_t)p << s->d.rw) | (uint64_t)j,
                         s->sil_b[(size_t)p * (size_t)s->d.rows + (size_t)j], 0))
                return -1;
    for (r = 0; r < runs; r++) {
        for (j = 0; j < H && r > 0; j++) {
            int64_t hv = gold_h0(s, r, 0, j);
            int64_t cv = s->sil_c[((size_t)r * (size_t)S - 1u) * (size_t)H + (size_t)j];
            uint64_t a = ((uint64_t)(j % P) << s->d.qw) | (uint64_t)(2 * (j / P));
            if ((hv != 0 && !add_rec(s, 3, a, (uint64_t)hv, 0)) ||
                (cv != 0 && !add_rec(s, 3, a | 1u, (uint64_t)cv, 0)))
                return -1;
        }
        for (t = 0; t < S; t++) {
            const int64_t *xv = s->sil_x + ((size_t)r * (size_t)S + (size_t)t) * (size_t)I;
            int64_t from = s->np;
            for (j = 0; j < I; j++)
                if (xv[j] != 0 && !add_rec(s, 0, (uint64_t)j, (uint64_t)xv[j], 0))
                    return -1;
            if (s->np == from && !add_rec(s, 0, 0, 0, 0))
                return -1;
            s->plan[s->np - 1].f[3] = gm_val_from_u64(1);
        }
    }
    s->runs_planned = runs;
    return 0;
}

/* The pre-activation of row R (gate blocks i, f, g, o) at step 0 of sequence q, with the
 * biases as planned: round(b + W x_(q,0) + U h0_q), as the layer computes it. */
static int64_t pre0(const lst *s, const int64_t *h0, int q, int R)
{
    int I = s->c.in, H = s->c.hid, ef = s->c.ef;
    int64_t t = s->bq[R] +
                (int64_t)gm_lstm_row_dot(&s->z.w, ef, R,
                                         s->x + (size_t)q * (size_t)s->c.steps * (size_t)I) +
                (int64_t)gm_lstm_row_dot(&s->z.u, ef, R, h0 + (size_t)q * (size_t)H);
    return gm_lstm_fx_round(&s->fx, ef, t);
}

/* Its sigmoid gate (clipped gating included). */
static int64_t gate0(const lst *s, const int64_t *h0, int q, int R)
{
    int64_t g = gm_lstm_sig(&s->fx, pre0(s, h0, q, R));
    return s->c.tq && g <= s->c.tq ? 0 : g;
}

/* The low F bits a product g * c of the cell update is aimed at, pattern idx: half an LSB
 * (the rounding tie) plus or minus 2^k, k = 0 .. F-2 (k grows every 4 patterns, the 4
 * being the two offsets and neg, the product's sign, for either). Rounding half away from zero on |p|, a product bit dropped or set on either side
 * of the tie moves the result by one LSB (docs/mutation.md, lstm_layer #20). */
static int64_t tie_target(int f, int64_t idx, int *neg)
{
    int64_t k = idx / 4 % (f - 1), half = (int64_t)1 << (f - 1);
    *neg = (int)(idx % 2);
    return idx / 2 % 2 ? half + ((int64_t)1 << k) : half - ((int64_t)1 << k);
}

/* A cell value near c (its sign), in [-2^(B-1), 2^(B-1)-1], with g * c = t (mod 2^F);
 * 0 < g < 2^F. Returns 0 when t has fewer trailing zeros than g (no solution). */
static int tie_cell(int b, int f, int64_t g, int64_t t, int64_t c, int64_t *out)
{
    int e = 0;
    int64_t mf = (int64_t)1 << f, hi = ((int64_t)1 << (b - 1)) - 1, m, gp, inv, cl, i;
    while (((g >> e) & 1) == 0)
        e++;
    if (t % ((int64_t)1 << e) != 0)
        return 0;
    m = mf >> e;
    gp = g >> e;
    inv = gp; /* Newton's iteration for the inverse of an odd number mod 2^k */
    for (i = 0; i < 6; i++)
        inv = (int64_t)(((uint64_t)inv * (uint64_t)(2 - gp * inv)) & (uint64_t)(m - 1));
    cl = (int64_t)(((uint64_t)(t >> e) * (uint64_t)inv) & (uint64_t)(m - 1));
    c = c - ((c % m) + m) % m + cl;
    if (c > hi)
        c -= m;
    if (c < -hi - 1)
        c += m;
    if (((g * c) % mf + mf) % mf != t)
        return 0;
    *out = c;
    return 1;
}

/* Mixed profile: the biases retuned for this run (records moved to `at`, before its last
 * vector; a bias the register holds already gets none). The four rows of a unit aim at one
 * vector v of the run, v rotating run by run (every row has had every vector within BATCH
 * * STEPS tuned runs): b + W x_v (+ U h0 at t = 0) is known, so the bias puts the phase-2
 * sum on a rounding tie (half an F LSB) or one below it, the choice made by one focus bit
 * of W x_v or of the bias (below), or in 1 row of 4 within +-2^k of the tie (k random),
 * where a change of a low bit of the bias, the W x buffer or the sum moves pre by one LSB.
 * At t > 0 the sum also holds U h_(t-1): with the +-1 U weights (kinds 6, 7) U h keeps no
 * EF bits, so the tie holds at every step; with the other kinds the golden run is repeated
 * and the biases corrected until the residues hold (at most 4 times). Half the rows also
 * move the bias so that pre of v is within +-1: the gates off their saturated region.
 * A directed run (dir, half the runs: x and h0 on a grid of 2^(EF+3), x within +-2 grid
 * steps plus a per-column offset common to every vector, so every vector's W x of a row
 * has the same low EF+3 bits, random or 0, U h0 none, and every vector of a row sits on
 * the same tie): the o rows saturate to 0 (h = 0, so U h = 0 after the first step; with
 * kinds 6, 7 in 1 run of 2), each other row puts pre of its v at a step of the PLAN gate
 * (|pre| = a - 1 or a, a = 0 mod 8: in the first linear segment, f in the second, f > 0,
 * so that the cell keeps most of c), every vector then on a step too while its pre stays
 * in those segments, and 3 directed runs in 4 load large initial cells (|c| in [2, 8)) so
 * that a one-LSB change of f shows in f * c. */
static int plan_bias_tune(lst *s, int64_t at, const int64_t *h0, int64_t *c0, int dir)
{
    int P = s->c.p, H = s->c.hid, I = s->c.in, ef = s->c.ef, p, r;
    int64_t bmax = ((int64_t)1 << (s->d.acc - 1)) - 1, one = (int64_t)1 << (s->c.f + ef);
    int64_t m = (int64_t)1 << ef, from = s->np, n;
    gm_rec *tmp;
    /* directed runs: o saturated (with the +-1 U kinds too, 1 run in 2: U h = 0 keeps
     * every vector of a row on the PLAN step, not only on the tie) */
    int osat = dir && gm_rng_below(&s->rng, 2) != 0, H4 = 4 * H, it;
    /* 1 tuned run in 4: one unit's o is left alone (unit 0 in half of them, else rotating),
     * so a directed run's h has a single non-zero unit (the broadcast's one-record case) */
    int lone = s->ntune % 4 == 0 ? (int)(((s->ntune / 4) % 2) * ((s->ntune / 8) % H)) : -1;
    int64_t *old, *want;
    int *tv, rc = -1;
    if (ef < 1 || ef > 30)
        return 0;
    old = malloc((size_t)H4 * sizeof *old);
    want = malloc((size_t)H4 * sizeof *want);
    tv = malloc((size_t)H4 * sizeof *tv);
    if (!old || !want || !tv)
        goto fail;
    memcpy(old, s->bq, (size_t)H4 * sizeof *old);
    for (r = 0; r < H4; r++)
        want[r] = -1;
    for (p = 0; p < P; p++)
        for (r = 0; r < s->d.rows; r++) {
            int unit = p + P * (r / 4), R, v, sh, neg;
            int64_t sum, b, lo, dv, wxv;
            if (unit >= H || (!dir && gm_rng_below(&s->rng, 4) == 0))
                continue;
            R = gm_lstm_layer_row(H, P, p, r);
            /* the unit's four rows aim at one vector, rotating run by run: within nv
             * tuned runs every row has had every vector */
            v = (int)((s->ntune + (int64_t)unit) % s->d.nv);
            if (dir && s->ndir % 3 == 1 && unit == (int)(s->ndir / 3 % H) &&
                (r % 4 == 0 || r % 4 == 3)) {
                /* one unit (rotating, 1 directed run in 3): i and o of vector v at their
                 * smallest non-zero value (pre = -5 + 16 LSB: 1 LSB), so that i * g and
                 * o * tanh(c) round small products of either sign to 0 or +-1 (a mutant
                 * of the rounding's negation survived) */
                b = -(5 * one - 16 * m) -
                    (int64_t)gm_lstm_row_dot(&s->z.w, ef, R, s->x + (size_t)v * (size_t)I);
                b = b < -bmax ? -bmax : b > bmax ? bmax : b;
                goto write;
            }
            if (dir && r % 4 == 3 && (s->wkind < 6 || osat) && unit != lone) {
                b = -bmax; /* o = 0: h = 0, U h = 0 after the first step */
                goto write;
            }
            wxv = sum = (int64_t)gm_lstm_row_dot(&s->z.w, ef, R, s->x + (size_t)v * (size_t)I);
            if (v % s->c.steps == 0)
                sum += (int64_t)gm_lstm_row_dot(&s->z.u, ef, R,
                                                h0 + (size_t)(v / s->c.steps) * (size_t)H);
            b = s->bq[R];
            if (gm_rng_below(&s->rng, 2) == 0)
                b = (int64_t)floor((2.0 * urand(&s->rng) - 1.0) * (double)one + 0.5) - sum;
            b = b > bmax ? bmax : b < -bmax ? -bmax : b;
            sh = (int)gm_rng_below(&s->rng, (uint64_t)ef);
            /* the sign of the sum: chosen (directed runs) or as the bias leaves it */
            neg = dir ? r % 4 != 1 && gm_rng_below(&s->rng, 2) == 0 : b + sum < 0;
            if (gm_rng_below(&s->rng, 4) == 0) { /* within +-2^sh of the tie */
                dv = (int64_t)gm_rng_below(&s->rng, UINT64_C(2) << sh) - ((int64_t)1 << sh);
            } else {
                /* on the tie (|pre| rounds away from zero: any change of the sum toward
                 * zero moves pre) or one below it (any change away from zero moves it):
                 * the one that shows a change of the focus bit of W x_v, whichever value
                 * it has (a 1 cleared or inverted moves the sum down, a 0 set or inverted
                 * up), or every other run of the bias (when one of the two does); the
                 * focus bit rotates over bits 0..fbw-1 (the bits a directed run keeps
                 * common to every vector; EF bits otherwise) */
                int64_t cnt = dir ? s->ndir : s->ntune;
                int fbw = s->xq ? s->xq : ef, fb = (int)(cnt / 2 % fbw);
                int one_bit = (int)((wxv >> fb) & 1);
                int64_t down = neg ? -1 : 0, up = neg ? 0 : -1; /* dv moving pre on a
                                                                  * decrease, an increase */
                dv = one_bit ? down : up;
                if (cnt % 2 == 1) { /* every other run the focus bit is the bias's own:
                                     * its low EF bits follow from dv */
                    int bf = fb % ef;
                    int bd = (int)(((((m / 2 + (neg ? -down : down) - sum) % m) + m) % m >> bf) & 1);
                    int bu = (int)(((((m / 2 + (neg ? -up : up) - sum) % m) + m) % m >> bf) & 1);
                    dv = bd ? down : !bu ? up : dv;
                }
            }
            lo = ((m / 2 + (neg ? -dv : dv) - sum) % m + m) % m;
            b = b - ((b % m + m) % m) + lo;
            if (dir) {
                /* pre of v at a step of the PLAN gate: |pre| = a - 1 or a (a = 0 mod 8, within
                 * the first linear segment), the sum within +-2^k of the tie between them */
                int64_t amax = ((int64_t)1 << s->c.f) / (r % 4 == 2 ? 16 : 8) - 1;
                int64_t a = 8 * (1 + (int64_t)gm_rng_below(&s->rng, (uint64_t)(amax > 1 ? amax : 1)));
                if (r % 4 == 1) /* f in the second segment (slope 1/8, f in [0.75, 0.875)):
                                 * the cell keeps most of c from step to step */
                    a = 8 * (((int64_t)1 << s->c.f) / 8 +
                             (int64_t)gm_rng_below(&s->rng, (uint64_t)(amax > 1 ? amax : 1)));
                int64_t tgt = a * m - m / 2 + dv;
                b = (neg ? -tgt : tgt) - sum;
            }
            if (b > bmax)
                b -= (b - bmax + m - 1) / m * m;
            if (b < -bmax)
                b += (-bmax - b + m - 1) / m * m;
            want[R] = ((b + sum) % m + m) % m; /* the residue aimed at */
            tv[R] = v;
        write:
            s->bq[R] = b;
        }
    if (dir && gm_rng_below(&s->rng, 4) != 0) {
        /* large initial cells (|c| in [2, 8)): a one-LSB change of f moves f * c */
        int q, U = s->d.units;
        int64_t hi = ((int64_t)1 << (s->c.b - 1)) - 1, c2 = (int64_t)1 << (s->c.f + 1);
        for (q = 0; q < s->c.batch; q++)
            for (r = 0; r < P * U; r++) {
                int j = r; /* PE r % P, local unit r / P */
                int64_t val = c2 + (int64_t)gm_rng_below(&s->rng, (uint64_t)(3 * c2));
                if (j >= H)
                    continue;
                val = val > hi ? hi : val;
                val = gm_rng_below(&s->rng, 2) ? val : -val;
                c0[(size_t)q * (size_t)H + (size_t)j] = val;
                if (!add_rec(s, 3, ((uint64_t)(r % P) << s->d.qw) |
                                       (uint64_t)(2 * (q * U + r / P) + 1),
                             (uint64_t)val, 0))
                    goto fail;
            }
        /* one unit (rotating) of every sequence starts from the most negative cell with f
         * saturated at 1.0 (its f row's bias the largest): f * c is the product's most
         * negative value, -2^(B-1+F), whose magnitude needs the product's top bit (a
         * mutant that dropped that bit survived) */
        {
            int ju = (int)(s->ndir % H);
            for (q = 0; q < s->c.batch; q++) {
                c0[(size_t)q * (size_t)H + (size_t)ju] = -hi - 1;
                if (!add_rec(s, 3, ((uint64_t)(ju % P) << s->d.qw) |
                                       (uint64_t)(2 * (q * U + ju / P) + 1),
                             (uint64_t)(-hi - 1) & maskn(s->c.b), 0))
                    goto fail;
            }
            s->bq[H + ju] = bmax;
        }
        /* products on a rounding tie +- 2^k (tie_target; the patterns rotate, one count per
         * product and slice): in three units of four c0's low bits are chosen so that
         * f * c0 of step 0 is on the pattern; in the fourth, and in the unit whose o is
         * left alone, c0 is searched so that o * tanh(c_0) is, where o is off saturation.
         * The gates of step 0 do not depend on c0, so they are known here. */
        {
            int F = s->c.f, ju = (int)(s->ndir % H);
            int64_t mf = (int64_t)1 << F;
            /* i * g of sequence 0, step 0, in the units 1 and 2 mod 4 (both slices for
             * P = 2): the g row's bias searched, in pre LSBs from a random start, until
             * i * tanh(pre_g) is on the pattern (i, which does not depend on it, off
             * saturation). The searches below try at most 2^14 values (2^(F+2) for
             * F < 12): with a wide F a tie is rare and the pattern moves on. */
            for (r = 1; r < H; r++) {
                int neg;
                int64_t *cnt = &s->ntie[2][(r % P) % 16], gi = gate0(s, h0, 0, r), t, k, st;
                int64_t b0 = s->bq[2 * H + r], span = (int64_t)1 << (F < 12 ? F + 2 : 14);
                if (r % 4 == 0 || r % 4 == 3 || r == ju || gi <= 0 || gi >= mf)
                    continue;
                t = tie_target(F, *cnt, &neg);
                st = (int64_t)gm_rng_below(&s->rng, (uint64_t)span);
                for (k = 0; k < span; k++) {
                    int64_t d = ((st + k) % span - span / 2) * m, th;
                    if (b0 + d > bmax || b0 + d < -bmax)
                        continue;
                    s->bq[2 * H + r] = b0 + d;
                    th = gm_lstm_tanh(&s->fx, pre0(s, h0, 0, 2 * H + r));
                    if ((th < 0) == neg && th != 0 && ((gi * th) % mf + mf) % mf == t)
                        break;
                }
                if (k == span)
                    s->bq[2 * H + r] = b0;
                ++*cnt; /* found or not (an even i cannot make an odd pattern) */
            }
            for (q = 0; q < s->c.batch; q++)
                for (r = 0; r < H; r++) {
                    int j = r, neg;
                    /* o * tanh(c) rather than f * c0: every other unit of a slice (and the
                     * unit whose o is left alone) where o is off saturation */
                    int64_t go = gate0(s, h0, q, 3 * H + j);
                    int og = go > 0 && go < ((int64_t)1 << s->c.f) && ((j / P) % 2 == 1 || j == lone);
                    int64_t *cnt = &s->ntie[og][(j % P) % 16], t, g, c = 0;
                    int64_t *cp = &c0[(size_t)q * (size_t)H + (size_t)j];
                    if (j == ju || (!og && j % 4 == 3))
                        continue;
                    t = tie_target(F, *cnt, &neg);
                    if (!og) {
                        g = gate0(s, h0, q, H + j);
                        if (g <= 0 || g >= mf ||
                            !tie_cell(s->c.b, F, g, t, neg ? -llabs(*cp) : llabs(*cp), &c))
                            continue;
                    } else {
                        /* c0 searched from a random start over 0 < |c0| <= span, the sign
                         * the pattern asks for, through the golden cell update */
                        int64_t k, span = (int64_t)1 << (F < 12 ? F + 2 : 14), st;
                        int64_t zi = pre0(s, h0, q, j), zf = pre0(s, h0, q, H + j);
                        int64_t zg = pre0(s, h0, q, 2 * H + j), zo = pre0(s, h0, q, 3 * H + j);
                        int found = 0;
                        g = gate0(s, h0, q, 3 * H + j);
                        if (g <= 0 || g >= mf)
                            continue;
                        st = (int64_t)gm_rng_below(&s->rng, (uint64_t)span);
                        for (k = 0; k < span && !found; k++) {
                            int64_t cv = 1 + (st + k) % span, c1, th;
                            cv = neg ? -cv : cv;
                            c1 = cv;
                            (void)gm_lstm_fx_cell(&s->fx, s->c.tq, zi, zf, zg, zo, &c1);
                            th = gm_lstm_tanh(&s->fx, c1);
                            if (((g * th) % mf + mf) % mf == t) {
                                c = cv;
                                found = 1;
                            }
                        }
                        if (!found) {
                            ++*cnt; /* an even o cannot make an odd pattern */
                            continue;
                        }
                    }
                    *cp = c;
                    ++*cnt; /* the next pattern for this slice and product */
                    if (!add_rec(s, 3, ((uint64_t)(j % P) << s->d.qw) |
                                           (uint64_t)(2 * (q * U + j / P) + 1),
                                 (uint64_t)c & maskn(s->c.b), 0))
                        goto fail;
                }
        }
    }
    /* at t > 0 the sum also holds U h_(t-1), which the biases themselves move: with h = 0
     * (o saturated) or U h on the EF grid (kinds 6, 7) nothing to do, otherwise the golden
     * run is repeated (at most 4 times) and each row's bias corrected by less than half a
     * pre LSB until its vector's sum has the residue aimed at */
    for (it = 0; it < 4 && !dir && s->wkind < 6; it++) {
        int64_t *hh = s->rh[s->runs_planned % NRUN], *cc = s->rc[s->runs_planned % NRUN];
        int changed = 0, R;
        if (gm_lstm_layer_run(&s->z, s->bq, &s->fx, s->c.tq, s->c.batch, s->c.steps, s->x,
                              hh, cc, NULL, h0, c0) < 0)
            break;
        for (R = 0; R < H4; R++) {
            int v = tv[R];
            int64_t tot, d;
            if (want[R] < 0 || v % s->c.steps == 0)
                continue;
            tot = s->bq[R] +
                  (int64_t)gm_lstm_row_dot(&s->z.w, ef, R, s->x + (size_t)v * (size_t)I) +
                  (int64_t)gm_lstm_row_dot(&s->z.u, ef, R, hh + (size_t)(v - 1) * (size_t)H);
            d = ((want[R] - tot) % m + m) % m;
            if (d >= m / 2)
                d -= m;
            if (d == 0 || s->bq[R] + d > bmax || s->bq[R] + d < -bmax)
                continue;
            s->bq[R] += d;
            changed = 1;
        }
        if (!changed)
            break;
    }
    /* the bias records: those the registers do not hold already */
    for (p = 0; p < P; p++)
        for (r = 0; r < s->d.rows; r++) {
            int R;
            if (p + P * (r / 4) >= H)
                continue;
            R = gm_lstm_layer_row(H, P, p, r);
            if (s->bias_ok && s->bq[R] == old[R])
                continue;
            if (!add_rec(s, 2, ((uint64_t)p << s->d.rw) | (uint64_t)r,
                         (uint64_t)s->bq[R] & maskn(s->d.acc), 0))
                goto fail;
        }
    /* the records just added go to position at */
    n = s->np - from;
    if (n > 0 && at != from) {
        tmp = malloc((size_t)n * sizeof *tmp);
        if (!tmp)
            goto fail;
        memcpy(tmp, s->plan + from, (size_t)n * sizeof *tmp);
        memmove(s->plan + at + n, s->plan + at, (size_t)(from - at) * sizeof *tmp);
        memcpy(s->plan + at, tmp, (size_t)n * sizeof *tmp);
        free(tmp);
    }
    rc = 0;
fail:
    free(old);
    free(want);
    free(tv);
    return rc;
}

static int plan_run(lst *s)
{
    int v, I = s->c.in, nv = s->d.nv, v0, dir;
    int64_t *h, *c, *h0, *c0, at;
    s->np = s->ppos = 0;
    if (s->profile == 2)
        return plan_silero(s);
    if (s->runs_planned == 0 || (s->profile == 0 && gm_rng_below(&s->rng, 8) == 0))
        if (plan_model(s))
            return -1;
    if (s->profile == 0 && s->c.ef > 0 && plan_lowbits(s))
        return -1;
    h0 = s->rh0[s->runs_planned % NRUN];
    c0 = s->rc0[s->runs_planned % NRUN];
    v0 = (int)gm_rng_below(&s->rng, (uint64_t)nv); /* the state records go before vector v0 */
    at = s->np;
    dir = s->profile == 0 && gm_rng_below(&s->rng, 2) == 0;
    s->xq = dir && s->c.ef + 3 < s->c.b - 2 ? s->c.ef + 3 : 0;
    if (s->xq) { /* 7 directed runs in 8 keep low x bits, in 7 columns in 8 (random) */
        int low = gm_rng_below(&s->rng, 8) != 0;
        for (v = 0; v < I; v++)
            s->xbase[v] = low && gm_rng_below(&s->rng, 8) != 0
                              ? (int64_t)gm_rng_below(&s->rng, UINT64_C(1) << s->xq)
                              : 0;
    }
    for (v = 0; v < nv; v++) {
        if (v == v0 && plan_state(s, h0, c0))
            return -1;
        if (v == nv - 1)
            at = s->np; /* after the state records */
        if (plan_vector(s, s->x + (size_t)v * (size_t)I))
            return -1;
    }
    s->xq = 0;
    if (s->profile == 0) {
        if (dir || s->wkind >= 6 || gm_rng_below(&s->rng, 4) == 0) {
            if (plan_bias_tune(s, at, h0, c0, dir))
                return -1;
            s->ntune++;
            s->ndir += dir;
        }
    }
    h = s->rh[s->runs_planned % NRUN];
    c = s->rc[s->runs_planned % NRUN];
    if (gm_lstm_layer_run(&s->z, s->bq, &s->fx, s->c.tq, s->c.batch, s->c.steps, s->x, h, c,
                          NULL, h0, c0) < 0)
        return -1;
    s->runs_planned++;
    if (s->profile == 0) {
        s->gapmode = (int)gm_rng_below(&s->rng, 2);
        s->holdmode = (int)gm_rng_below(&s->rng, 3);
    }
    return 0;
}

static void make_input(lst *s, gm_rec *r)
{
    if (s->ppos >= s->np && plan_run(s)) {
        memset(r, 0, sizeof *r); /* no memory: an op-3 record; the run fails its checks */
        r->f[0] = gm_val_from_u64(3);
        s->np = s->ppos = 0;
    } else {
        *r = s->plan[s->ppos++];
    }
    r->stream = 0;
    r->op = s->made++;
    r->delay = 0;
    if (s->gapmode == 1 && gm_rng_below(&s->rng, 3) == 0)
        r->delay = 1 + (int64_t)gm_rng_below(&s->rng, 3);
}

/* ---------------------------------------------------------------- cycle model */

static void push_rec(lst *s, const gm_rec *r)
{
    if (s->qn < QCAP) {
        s->q[(s->qh + s->qn) % QCAP] = *r;
        s->qn++;
    }
}

/* A PE starts the vector of its load bank. */
static void pe_go(lst *s, int p)
{
    size_t rows = (size_t)s->d.rows;
    memcpy(s->cost + (size_t)p * rows, s->costn + (size_t)p * rows, rows * sizeof *s->cost);
    s->full[p] = 0;
    s->run[p] = 1;
    s->row[p] = 0;
    s->rem[p] = s->cost[(size_t)p * rows];
}

/* The last record of a vector was accepted into the PEs' load banks (double-buffered,
 * DBUF = 1): the cost of each row of each PE is fixed by the activations now held (the
 * weights cannot change before the vector starts: writes wait for every PE idle); a PE
 * not computing starts it in this edge (also one whose last issue was in this edge), the
 * others hold it until their last issue. The flags clear (the next vector starts from
 * zeros). */
static void vec_start(lst *s)
{
    int p, r, j, rows = s->d.rows, kpr = s->kpr;
    for (p = 0; p < s->c.p; p++) {
        for (r = 0; r < rows; r++) {
            const uint64_t *w = s->wm + (size_t)p * (size_t)s->nwords + (size_t)r * (size_t)kpr;
            int a = 0;
            for (j = 0; j < kpr; j++) {
                int col = (j / s->c.k) * s->c.n +
                          (int)((w[j] >> (s->d.ped.ew + 1)) & maskn(s->d.ped.iw));
                if (col < s->cols && s->xnz[col])
                    a++;
            }
            s->costn[(size_t)p * (size_t)rows + (size_t)r] = a > 1 ? a : 1;
        }
        if (s->run[p])
            s->full[p] = 1;
        else
            pe_go(s, p);
    }
    memset(s->xnz, 0, (size_t)s->cols);
}

static void out_transfer(lst *s, int64_t e)
{
    gm_rec r;
    memset(&r, 0, sizeof r);
    r.stream = 1;
    r.op = s->out_n++;
    r.delay = s->hold_next;
    r.cycle = s->fval_edge;
    r.cycle2 = e;
    r.cost = s->busy; /* PE issue cycles (summed over the PEs) since the previous output */
    s->busy = 0;
    r.f[0] = gm_val_mask(gm_val_from_i64(gold_h(s, s->orun, (size_t)s->ov, s->oj)), s->c.b);
    r.f[1] = gm_val_mask(gm_val_from_i64(gold_c(s, s->orun, (size_t)s->ov, s->oj)), s->c.b);
    push_rec(s, &r);
    s->d_prev = e;
    s->hold_next = 0;
    if (s->holdmode == 1 && gm_rng_below(&s->rng, 4) == 0)
        s->hold_next = 1 + (int64_t)gm_rng_below(&s->rng, 4);
    else if (s->holdmode == 2 && gm_rng_below(&s->rng, 2) == 0)
        s->hold_next = 1 + (int64_t)gm_rng_below(&s->rng, 8);
}

static void in_accept(lst *s, int64_t e)
{
    s->in.cycle = s->in.cycle2 = e;
    push_rec(s, &s->in);
    s->a_prev = e;
    s->have_in = 0;
    if (s->made < s->nvec || s->ppos < s->np) {
        make_input(s, &s->in);
        s->have_in = 1;
    }
}

static void apply_input(lst *s)
{
    int op = (int)s->in.f[0].lo;
    uint64_t addr = s->in.f[1].lo, d = s->in.f[2].lo;
    if (op == 0) {
        if (addr < (uint64_t)s->c.in)
            s->xnz[addr] = sext(d, s->c.b) != 0;
        else
            s->xnz[s->d.cw] = 0; /* the layer sends a zero to h column 0 instead */
        if (s->in.f[3].lo) {
            vec_start(s);
            if (++s->nvin == s->d.nv) { /* phase 2's broadcasts start */
                s->nvin = 0;
                s->ph = PH_BC;
                s->bt = s->bs = 0;
                s->bfirst = 1;
                s->crun = s->runs_in++;
            }
        }
    } else if (op == 1) {
        uint64_t p = addr >> s->d.lw, a = addr & maskn(s->d.lw);
        if (p < (uint64_t)s->c.p && a < (uint64_t)s->nwords)
            s->wm[p * (uint64_t)s->nwords + a] = d & maskn(s->d.ped.ww);
    }
}

/* One record of the phase-2 broadcast of vector (bs, bt): the lowest h_j still to send (or,
 * with none, a zero to h column 0), last when it is the final one. */
static void bcast(lst *s)
{
    int j, H = s->c.hid, first = -1, cnt = 0;
    if (s->bfirst) {
        for (j = 0; j < H; j++) {
            int64_t hv;
            if (s->bt > 0)
                hv = gold_h(s, s->crun, (size_t)s->bs * (size_t)s->c.steps + (size_t)(s->bt - 1),
                            j);
            else
                hv = gold_h0(s, s->crun, s->bs, j);
            s->bmask[j] = hv != 0;
        }
        s->bfirst = 0;
    }
    for (j = 0; j < H; j++)
        if (s->bmask[j]) {
            if (first < 0)
                first = j;
            cnt++;
        }
    if (first < 0) {
        s->xnz[s->d.cw] = 0;
    } else {
        s->xnz[s->d.cw + first] = 1;
        s->bmask[first] = 0;
    }
    if (cnt <= 1) {
        vec_start(s);
        s->nout++;
        if (++s->bs == s->c.batch) {
            s->bs = 0;
            s->bt++;
        }
        if (s->bt == s->c.steps)
            s->ph = PH_WT; /* the run's last broadcast */
        else
            s->bfirst = 1;
    }
}

static int all_of(const int *v, int n, int want)
{
    int i;
    for (i = 0; i < n; i++)
        if (v[i] != want)
            return 0;
    return 1;
}

/* One clock cycle: the decisions before edge e, then the edge. */
static void step(lst *s)
{
    int64_t e = s->e;
    int P = s->c.p, p, rows = s->d.rows;
    int out_ready = e >= s->d_prev + 1 + s->hold_next;
    int in_valid = s->have_in && e >= s->a_prev + 1 + s->in.delay;
    int all_free = all_of(s->full, P, 0), all_idle = all_of(s->run, P, 0), all_done = 1;
    int accept, xfer = s->ofull && out_ready, bc, adv, runend;
    int p2 = s->ph == PH_BC || s->ph == PH_WT;

    for (p = 0; p < P; p++)
        if (!s->lastin[p] || s->cellv[p])
            all_done = 0;
    /* a weight write waits for every PE idle; every record for every load bank free */
    accept = in_valid && s->ph == PH_LOAD && all_free && (s->in.f[0].lo != 1 || all_idle);
    bc = s->ph == PH_BC && all_free && s->nout < s->c.batch;
    adv = p2 && all_done && !s->ofull;
    runend = adv && s->s == s->c.batch - 1 && s->t == s->c.steps - 1;

    for (p = 0; p < P; p++) {
        /* the PE: its output is taken unless the slice holds the vector's last row */
        int oready = !s->lastin[p];
        int stall = s->s1v[p] && s->s1last[p] && s->yv[p] && !oready;
        int issue = s->run[p] && !stall, single = s->rem[p] <= 1;
        int taken = s->yv[p] && oready;
        int s2done = s->s1v[p] && !stall;
        s->yv[p] = (s2done && s->s1last[p]) || (s->yv[p] && !oready);
        if (issue) {
            s->busy++;
            s->s1v[p] = 1;
            s->s1last[p] = single;
            if (single) {
                if (s->row[p] == rows - 1) {
                    if (s->full[p])
                        pe_go(s, p); /* the waiting vector starts in this edge */
                    else
                        s->run[p] = 0;
                } else {
                    s->row[p]++;
                    s->rem[p] = s->cost[(size_t)p * (size_t)rows + (size_t)s->row[p]];
                }
            } else {
                s->rem[p]--;
            }
        } else if (!stall) {
            s->s1v[p] = 0;
        }
        /* the slice: stage B (the cell update of the unit whose o row came last edge) */
        s->cellv[p] = 0;
        if (taken) {
            if (s->wa[p] == s->d.nv * rows) { /* a phase-2 row */
                if (s->orow[p] % 4 == 3) {
                    s->cellv[p] = 1;
                    s->cu[p] = s->orow[p] / 4;
                }
                if (s->orow[p] == rows - 1)
                    s->lastin[p] = 1;
                s->orow[p] = s->orow[p] == rows - 1 ? 0 : s->orow[p] + 1;
            } else {
                s->wa[p]++;
            }
        }
        if (adv)
            s->lastin[p] = 0;
        if (runend)
            s->wa[p] = 0;
    }
    if (xfer) {
        out_transfer(s, e);
        if (++s->oj == s->c.hid) {
            s->ofull = 0;
            s->oj = 0;
        } else {
            s->fval_edge = e + 1;
        }
    }
    if (accept) {
        apply_input(s);
        in_accept(s, e);
    }
    if (bc)
        bcast(s);
    if (adv) {
        s->nout--;
        s->ofull = 1;
        s->oj = 0;
        s->orun = s->crun;
        s->ov = (int64_t)s->s * s->c.steps + s->t;
        s->fval_edge = e + 1;
        if (s->s == s->c.batch - 1) {
            s->s = 0;
            s->t++;
        } else {
            s->s++;
        }
        if (runend) {
            s->t = 0;
            s->ph = PH_LOAD;
        }
    }
    s->e++;
}

static int busy(const lst *s)
{
    int p;
    if (s->have_in || s->ph != PH_LOAD || s->ofull)
        return 1;
    for (p = 0; p < s->c.p; p++)
        if (s->run[p] || s->full[p] || s->s1v[p] || s->yv[p] || s->cellv[p])
            return 1;
    return 0;
}

static void ly_free(lst *s)
{
    int i;
    if (!s)
        return;
    if (s->have_z) {
        gm_lstm_mat_free(&s->z.w);
        gm_lstm_mat_free(&s->z.u);
    }
    free(s->bq);
    free(s->plan);
    free(s->x);
    free(s->xv);
    free(s->xbase);
    for (i = 0; i < NRUN; i++) {
        free(s->rh[i]);
        free(s->rc[i]);
        free(s->rh0[i]);
        free(s->rc0[i]);
    }
    free(s->sil_w);
    free(s->sil_b);
    free(s->sil_x);
    free(s->sil_h);
    free(s->sil_c);
    free(s->wm);
    free(s->xnz);
    free(s->cost);
    free(s->costn);
    free(s->full);
    free(s->run);
    free(s->row);
    free(s->rem);
    free(s->s1v);
    free(s->s1last);
    free(s->yv);
    free(s->wa);
    free(s->orow);
    free(s->cellv);
    free(s->cu);
    free(s->lastin);
    free(s->bmask);
    free(s);
}

/* ---------------------------------------------------------------- silero:DIR */

static int read_all(const char *path, char **buf, size_t *len, char *err, size_t errn)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 16, n = 0;
    char *b;
    if (!f) {
        snprintf(err, errn, "cannot read %.200s", path);
        return -1;
    }
    b = malloc(cap);
    while (b) {
        size_t got;
        if (n == cap) {
            char *nb;
            if (cap >= ((size_t)1 << 28)) {
                snprintf(err, errn, "%.200s: larger than 256 MiB (legal: smaller files)", path);
                free(b);
                fclose(f);
                return -1;
            }
            nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
        got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    if (!b) {
        snprintf(err, errn, "out of memory");
        return -1;
    }
    *buf = b;
    *len = n;
    return 0;
}

/* One image file of DIR: its header must name `keys` with the layer's values, and it must
 * hold exactly `want` words of `width` bits (want < 0: a multiple of -want, at most max). */
static int load_image(const char *dir, const char *name, const char *const *keys,
                      const int *vals, int width, int64_t want, int64_t max, uint64_t **out,
                      int64_t *count, char *hdr, size_t hdrn, char *err, size_t errn)
{
    char path[4400], *text, e2[300];
    size_t len;
    int k, v;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (read_all(path, &text, &len, e2, sizeof e2)) {
        snprintf(err, errn, "profile silero:DIR: %.300s (legal: a directory written by "
                            "dnngen compress --layer P and dnngen vad --dump)",
                 e2);
        return -1;
    }
    k = gm_hexwords_parse(text, len, width, want >= 0 ? want + 1 : max, hdr, hdrn, out, count,
                          e2, sizeof e2);
    free(text);
    if (k) {
        snprintf(err, errn, "profile silero:DIR: %s: %.300s", name, e2);
        return -1;
    }
    for (k = 0; keys[k]; k++)
        if (gm_header_int(hdr, keys[k], &v) || v != vals[k]) {
            snprintf(err, errn, "profile silero:DIR: %s was written for another layer: "
                                "header %s %s, the layer has %s=%d (legal: the same "
                                "parameters)",
                     name, keys[k], gm_header_int(hdr, keys[k], &v) ? "missing" : "differs",
                     keys[k], vals[k]);
            return -1;
        }
    if ((want >= 0 && *count != want) || (want < 0 && (*count == 0 || *count % -want != 0))) {
        snprintf(err, errn, "profile silero:DIR: %s holds %lld words (legal: %s%lld)", name,
                 (long long)*count, want >= 0 ? "" : "a non-zero multiple of ",
                 (long long)(want >= 0 ? want : -want));
        return -1;
    }
    return 0;
}

static int silero_load(lst *s, const char *dir, int64_t nvec, char *err, size_t errn)
{
    static const char *const lkeys[] = { "I", "H", "N", "K", "EM", "EF", "B", "F", "P", NULL };
    static const char *const fkeys[] = { "I", "H", "N", "K", "EM", "EF", "B", "F", "TQ", NULL };
    const gm_lstm_layer_cfg *c = &s->c;
    int lv[9] = { c->in, c->hid, c->n, c->k, c->em, c->ef, c->b, c->f, c->p };
    int fv[9] = { c->in, c->hid, c->n, c->k, c->em, c->ef, c->b, c->f, c->tq };
    char hdr[400];
    uint64_t *raw[3] = { NULL, NULL, NULL };
    int64_t cnt, nfx = 0, i, k;
    int frames;
    const char *nm[3] = { "x.hex", "h.hex", "c.hex" };
    int64_t **dst[3] = { &s->sil_x, &s->sil_h, &s->sil_c };
    if (dir[0] != '/') {
        snprintf(err, errn, "profile silero:%.100s: DIR must be an absolute path (legal: "
                            "silero:/abs/dir)",
                 dir);
        return -1;
    }
    if (c->batch != 1) {
        snprintf(err, errn, "profile silero:DIR needs BATCH=1 (one sequence: the frames in "
                            "order; legal: -p BATCH=1)");
        return -1;
    }
    if (load_image(dir, "layer_w.hex", lkeys, lv, s->d.ped.ww, (int64_t)c->p * s->nwords, 0,
                   &s->sil_w, &cnt, hdr, sizeof hdr, err, errn) ||
        load_image(dir, "layer_b.hex", lkeys, lv, s->d.acc, (int64_t)c->p * s->d.rows, 0,
                   &s->sil_b, &cnt, hdr, sizeof hdr, err, errn))
        return -1;
    for (k = 0; k < 3; k++) {
        if (load_image(dir, nm[k], fkeys, fv, c->b, -(int64_t)(k ? c->hid : c->in),
                       (int64_t)1 << 24, &raw[k], &cnt, hdr, sizeof hdr, err, errn))
            goto fail;
        if (gm_header_int(hdr, "frames", &frames) || frames < 1 ||
            cnt != (int64_t)frames * (k ? c->hid : c->in) || (k && frames != nfx)) {
            snprintf(err, errn, "profile silero:DIR: %s: its frames= header does not match "
                                "its %lld words (legal: the files of one dnngen vad --dump)",
                     nm[k], (long long)cnt);
            goto fail;
        }
        nfx = frames;
        *dst[k] = malloc((size_t)cnt * sizeof **dst[k]);
        if (!*dst[k]) {
            snprintf(err, errn, "out of memory");
            goto fail;
        }
        for (i = 0; i < cnt; i++)
            (*dst[k])[i] = sext(raw[k][i], c->b);
        free(raw[k]);
        raw[k] = NULL;
    }
    s->sil_frames = nfx < nvec ? nfx : nvec;
    s->sil_frames -= s->sil_frames % c->steps;
    return 0;
fail:
    for (k = 0; k < 3; k++)
        free(raw[k]);
    return -1;
}

static void *ly_open(const char *block, const gm_param *ps, int np, uint64_t seed, int64_t nvec,
                     const char *profile, gm_stream *st, int *ns, char *err, size_t errn)
{
    gm_lstm_layer_cfg c;
    lst *s;
    size_t P, hv;
    int i, ok = 1;
    (void)block;
    if (gm_param_known(ps, np, ly_params, err, errn))
        return NULL;
    c.in = (int)gm_param_get(ps, np, "I", 8);
    c.hid = (int)gm_param_get(ps, np, "H", 8);
    c.n = (int)gm_param_get(ps, np, "N", 4);
    c.k = (int)gm_param_get(ps, np, "K", 2);
    c.em = (int)gm_param_get(ps, np, "EM", 0);
    c.ef = (int)gm_param_get(ps, np, "EF", 7);
    c.b = (int)gm_param_get(ps, np, "B", 16);
    c.f = (int)gm_param_get(ps, np, "F", 12);
    c.p = (int)gm_param_get(ps, np, "P", 2);
    c.batch = (int)gm_param_get(ps, np, "BATCH", 2);
    c.steps = (int)gm_param_get(ps, np, "STEPS", 3);
    c.tq = (int)gm_param_get(ps, np, "TQ", 0);
    if (gm_lstm_layer_check(&c, err, errn))
        return NULL;
    if (nvec < 0) {
        snprintf(err, errn, "vector count %lld is negative", (long long)nvec);
        return NULL;
    }
    if (profile && strcmp(profile, "mixed") != 0 && strncmp(profile, "silero:", 7) != 0) {
        char *end;
        double v;
        if (strncmp(profile, "sparse:", 7) != 0 ||
            (v = strtod(profile + 7, &end), end == profile + 7 || *end != '\0' ||
             !(v >= 0 && v <= 1))) {
            snprintf(err, errn, "unknown profile '%.60s' (legal: mixed, sparse:P with P the "
                                "probability of a zero input, 0..1, silero:DIR)",
                     profile);
            return NULL;
        }
    }
    s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errn, "out of memory");
        return NULL;
    }
    s->c = c;
    gm_lstm_layer_dims_of(&c, &s->d);
    s->fx.b = c.b;
    s->fx.f = c.f;
    s->fx.t = 0.0;
    if (profile && strncmp(profile, "sparse:", 7) == 0) {
        s->profile = 1;
        s->asp = strtod(profile + 7, NULL);
    }
    s->kpr = s->d.ped.kpr;
    s->nwords = s->d.rows * s->kpr;
    s->cols = s->d.pe.cols;
    P = (size_t)c.p;
    hv = (size_t)s->d.nv * (size_t)c.hid;
    s->bq = calloc(4 * (size_t)c.hid, sizeof *s->bq);
    s->x = calloc((size_t)s->d.nv * (size_t)c.in, sizeof *s->x);
    s->xv = calloc((size_t)c.in, sizeof *s->xv);
    s->xbase = calloc((size_t)c.in, sizeof *s->xbase);
    for (i = 0; i < NRUN; i++) {
        s->rh[i] = calloc(hv, sizeof *s->rh[i]);
        s->rc[i] = calloc(hv, sizeof *s->rc[i]);
        s->rh0[i] = calloc((size_t)c.batch * (size_t)c.hid, sizeof *s->rh0[i]);
        s->rc0[i] = calloc((size_t)c.batch * (size_t)c.hid, sizeof *s->rc0[i]);
        ok = ok && s->rh[i] && s->rc[i] && s->rh0[i] && s->rc0[i];
    }
    s->wm = calloc(P * (size_t)s->nwords, sizeof *s->wm);
    s->xnz = calloc((size_t)s->cols, 1);
    s->cost = calloc(P * (size_t)s->d.rows, sizeof *s->cost);
    s->costn = calloc(P * (size_t)s->d.rows, sizeof *s->costn);
    s->full = calloc(P, sizeof(int));
    s->run = calloc(P, sizeof(int));
    s->row = calloc(P, sizeof(int));
    s->rem = calloc(P, sizeof(int));
    s->s1v = calloc(P, sizeof(int));
    s->s1last = calloc(P, sizeof(int));
    s->yv = calloc(P, sizeof(int));
    s->wa = calloc(P, sizeof(int));
    s->orow = calloc(P, sizeof(int));
    s->cellv = calloc(P, sizeof(int));
    s->cu = calloc(P, sizeof(int));
    s->lastin = calloc(P, sizeof(int));
    s->bmask = calloc((size_t)c.hid, 1);
    if (!ok || !s->bq || !s->x || !s->xv || !s->xbase || !s->wm || !s->xnz || !s->cost || !s->run ||
        !s->row || !s->rem || !s->s1v || !s->s1last || !s->yv || !s->wa || !s->orow ||
        !s->cellv || !s->cu || !s->lastin || !s->bmask || !s->costn || !s->full) {
        snprintf(err, errn, "out of memory");
        ly_free(s);
        return NULL;
    }
    if (profile && strncmp(profile, "silero:", 7) == 0) {
        s->profile = 2;
        if (silero_load(s, profile + 7, nvec, err, errn)) {
            ly_free(s);
            return NULL;
        }
        nvec = nvec > 0 && s->sil_frames > 0 ? 1 : 0; /* one plan holds the whole stream */
    }
    gm_rng_seed(&s->rng, seed);
    s->nvec = nvec;
    s->a_prev = -1;
    s->d_prev = -1;
    memset(st, 0, sizeof *st * 2);
    st[0].name = "in";
    st[0].is_input = 1;
    st[0].nf = 4;
    st[0].f[0].name = "op";
    st[0].f[0].width = 2;
    st[0].f[1].name = "addr";
    st[0].f[1].width = s->d.aw;
    st[0].f[2].name = "d";
    st[0].f[2].width = s->d.dw;
    st[0].f[3].name = "last";
    st[0].f[3].width = 1;
    st[1].name = "out";
    st[1].nf = 2;
    st[1].f[0].name = "h";
    st[1].f[0].width = c.b;
    st[1].f[1].name = "c";
    st[1].f[1].width = c.b;
    *ns = 2;
    if (nvec > 0) {
        make_input(s, &s->in);
        s->have_in = 1;
    }
    return s;
}

static int ly_next(void *vs, gm_rec *r)
{
    lst *s = vs;
    int64_t idle = 0;
    while (s->qn == 0) {
        if (!busy(s))
            return 0;
        step(s);
        if (++idle > 10000000) /* the model itself is stuck: end the run (the check fails) */
            return 0;
    }
    *r = s->q[s->qh];
    s->qh = (s->qh + 1) % QCAP;
    s->qn--;
    return 1;
}

static void ly_describe(void *vs, const gm_rec *in, char *buf, size_t n)
{
    lst *s = vs;
    int op = (int)in->f[0].lo;
    uint64_t addr = in->f[1].lo, d = in->f[2].lo;
    if (op == 0)
        snprintf(buf, n, "x[%llu] = %lld%s (record %lld)", (unsigned long long)addr,
                 (long long)sext(d, s->c.b), in->f[3].lo ? ", last of the vector" : "",
                 (long long)in->op);
    else if (op == 1)
        snprintf(buf, n, "weight write: PE %llu word %llu = 0x%llx",
                 (unsigned long long)(addr >> s->d.lw),
                 (unsigned long long)(addr & maskn(s->d.lw)),
                 (unsigned long long)(d & maskn(s->d.ped.ww)));
    else if (op == 2)
        snprintf(buf, n, "bias write: PE %llu row %llu = %lld",
                 (unsigned long long)(addr >> s->d.rw),
                 (unsigned long long)(addr & maskn(s->d.rw)), (long long)sext(d, s->d.acc));
    else {
        uint64_t l = addr & maskn(s->d.qw);
        snprintf(buf, n, "state write: PE %llu %s of sequence %llu local unit %llu = %lld",
                 (unsigned long long)(addr >> s->d.qw), (l & 1u) ? "c" : "h",
                 (unsigned long long)(l / 2u / (uint64_t)s->d.units),
                 (unsigned long long)(l / 2u % (uint64_t)s->d.units), (long long)sext(d, s->c.b));
    }
}

static void ly_close(void *vs)
{
    ly_free(vs);
}

const gm_family gm_lstm_layer_family = { ly_blocks, ly_open, ly_next, ly_describe, ly_close };
