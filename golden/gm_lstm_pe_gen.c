/*
 * gm_lstm_pe_gen.c -- stimulus, expected outputs and the cycle model of the LSTM PE
 * (docs/lstm_pe.md). Values come from the plain product of gm_lstm_pe.c; timing from a
 * cycle-stepped model of the contract, run together with the testbench's gap/stall policy
 * the way tb_check.h and the Icarus bench apply it:
 *   - one input stream: a record is a weight write (load = 1: word d to address addr) or
 *     an activation of the vector (load = 0: x[addr] = d; columns not written are 0);
 *     in_ready is high whenever the PE is not computing, one record per cycle;
 *   - the activation with last = 1 ends the vector and starts the computation: row by row, one issue
 *     cycle per word of the row whose column holds a non-zero activation (lowest word
 *     first), one cycle for a row with none; in_ready is low from the edge that accepts
 *     that activation to the edge of the last row's last issue;
 *   - y[r] leaves the accumulator stage one edge after the row's last issue and is valid
 *     from the next edge; while the output register is full and not read, the issue stage
 *     and the accumulator stage hold (the row's last operation waits).
 * The model mirrors those rules state for state (rtl_templates/lstm_pe.v).
 */
#include "gm_lstm_pe.h"
#include "gm_stream_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const pe_blocks[] = { "lstm_pe", NULL };
static const char *const pe_params[] = { "ROWS", "COLS", "N", "K", "EM", "EF", "B", "ACC",
                                         "DBUF", NULL };

#define QCAP 64

typedef struct pst {
    gm_lstm_pe_cfg c;
    gm_lstm_pe_dims d;
    gm_lstm_pe gold;
    gm_rng rng;
    int64_t nvec, made, vecs;
    int *cbit;     /* mixed: per column, the bit of its next single-bit activation */
    unsigned char *cused; /* mixed: the columns a weight word points at (this vector) */
    int profile;   /* 0 mixed (also corner:C and hex:FILE), 1 sparse:P */
    int corner;    /* corner:C: 1 zero, 2 saturate, 3 groups, 4 bits (0: all kinds) */
    uint64_t *hexw; /* hex:FILE: the weight image, rows * kpr words (NULL: none) */
    double asp;    /* sparse: probability that an activation is zero */
    int gapmode, holdmode;
    /* the plan of the vector being sent: weight writes first, then the activations */
    uint64_t *wa, *wd;
    int nw, wpos;
    int64_t *xv;      /* the vector's values */
    int64_t *acol, *aval; /* its activation records: column, value (last on the final one) */
    int na, apos, in_vec;
    int64_t *xg;   /* the golden model's view of the vector (activations as accepted) */
    /* expected outputs, in order */
    gm_val *yq;
    int yh, yn, ycap;
    /* records produced, not yet handed out */
    gm_rec q[QCAP];
    int qh, qn;
    int have_in;
    gm_rec in;
    /* ---- cycle model: the RTL's state ---- */
    int64_t e, a_prev, d_prev, hold_next, out_n, fval_edge;
    uint64_t *wm;  /* weight memory */
    int64_t *xm;   /* activation registers (sign-extended); DBUF: the compute bank */
    int64_t *xl;   /* DBUF: the load bank */
    int full;      /* DBUF: a complete vector waits in the load bank */
    int run, row;
    int *act, nact, pos; /* active words of the current row; the next one to issue */
    int s1v, s1last, yv;
    /* script mode (gm_lstm_pe_script_run) */
    const gm_rec *script;
    int64_t *in_edge, *out_edge, nout_max;
} pst;

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

/* ---------------------------------------------------------------- stimulus */

/* A full weight load: every address once, from one of several kinds of matrix. */
static void plan_weights_full(pst *s)
{
    int rows = s->c.rows, cols = s->c.cols, kpr = s->d.kpr, i, nwords = rows * kpr;
    int kind = s->profile == 1 ? 0 : (int)gm_rng_below(&s->rng, 10);
    if (s->corner == 2) /* saturate: +-2^m everywhere, or any word with the largest code */
        kind = gm_rng_below(&s->rng, 3) == 0 ? 5 : 8 + (int)gm_rng_below(&s->rng, 2);
    else if (s->corner == 3) /* groups: compressed matrices with all-zero groups */
        kind = 3 + (int)gm_rng_below(&s->rng, 2);
    int order = s->profile == 1 ? 0 : (int)gm_rng_below(&s->rng, 7);
    int maxcode = s->c.em + s->c.ef;
    uint64_t *words = s->wd; /* filled in address order, then permuted into the queue */
    if (kind <= 4) { /* compress a float matrix: random, or with all-zero groups and extremes */
        double *m = malloc((size_t)rows * (size_t)cols * sizeof *m);
        gm_lstm_mat a;
        gm_lstm_cfg cc;
        int r, col, zgroup = 0;
        cc.n = s->c.n;
        cc.k = s->c.k;
        cc.m = s->c.em;
        cc.f = s->c.ef;
        if (!m)
            return;
        for (r = 0; r < rows; r++)
            for (col = 0; col < cols; col++) {
                double v = 2.0 * urand(&s->rng) - 1.0;
                if (col % s->c.n == 0)
                    zgroup = kind >= 3 && gm_rng_below(&s->rng, 3) == 0;
                if (kind >= 3) {
                    if (zgroup)
                        v = 0.0; /* an all-zero group (kept as +2^-f words) */
                    else if (gm_rng_below(&s->rng, 4) == 0)
                        v *= 1e3; /* clamped to 2^m */
                    else if (gm_rng_below(&s->rng, 4) == 0)
                        v *= 1e-6; /* clamped to 2^-f */
                }
                m[(size_t)r * (size_t)cols + (size_t)col] = v;
            }
        if (gm_lstm_mat_compress(m, rows, cols, &cc, &a) == 0) {
            for (i = 0; i < nwords; i++)
                words[i] = gm_lstm_pack(a.idx[i], a.sgn[i], a.ex[i] + s->c.ef, s->d.ew);
            gm_lstm_mat_free(&a);
        }
        free(m);
    } else if (kind <= 7) { /* any word: repeated indices, codes past m + f, indices past a
                             * shorter last group */
        for (i = 0; i < nwords; i++) {
            words[i] = gm_rng_next(&s->rng) & maskn(s->d.ww);
            if (s->corner == 2)
                words[i] |= maskn(s->d.ew);
        }
    } else { /* every weight +-2^m (kind 8: negative, 9: positive): the largest sums */
        for (i = 0; i < nwords; i++)
            words[i] = gm_lstm_pack((int)gm_rng_below(&s->rng, (uint64_t)s->c.n), kind == 8,
                                    maxcode, s->d.ew);
    }
    if (s->hexw) { /* hex:FILE: the compress image, in its own order */
        memcpy(words, s->hexw, (size_t)nwords * sizeof *words);
        order = 0;
    }
    for (i = 0; i < nwords; i++)
        s->wa[i] = (uint64_t)i;
    if (order == 1) { /* descending */
        for (i = 0; i < nwords / 2; i++) {
            uint64_t ta = s->wa[i], td = words[i];
            s->wa[i] = s->wa[nwords - 1 - i];
            words[i] = words[nwords - 1 - i];
            s->wa[nwords - 1 - i] = ta;
            words[nwords - 1 - i] = td;
        }
    } else if (order == 2) { /* shuffled */
        for (i = nwords - 1; i > 0; i--) {
            int j = (int)gm_rng_below(&s->rng, (uint64_t)i + 1);
            uint64_t ta = s->wa[i], td = words[i];
            s->wa[i] = s->wa[j];
            words[i] = words[j];
            s->wa[j] = ta;
            words[j] = td;
        }
    }
    s->nw = nwords;
    /* an address past the memory (ignored by both models), when the port can express one */
    if (s->profile == 0 && !s->hexw && ((uint64_t)nwords < (UINT64_C(1) << s->d.aw)) &&
        gm_rng_below(&s->rng, 2) == 0) {
        s->wa[s->nw] = (uint64_t)nwords +
                       gm_rng_below(&s->rng, (UINT64_C(1) << s->d.aw) - (uint64_t)nwords);
        s->wd[s->nw] = gm_rng_next(&s->rng) & maskn(s->d.ww);
        s->nw++;
    }
    s->wpos = 0;
}

static void plan_weights_some(pst *s)
{
    int nwords = s->c.rows * s->d.kpr, i, cnt = 1 + (int)gm_rng_below(&s->rng, 4);
    for (i = 0; i < cnt; i++) {
        s->wa[i] = gm_rng_below(&s->rng, (uint64_t)nwords);
        s->wd[i] = gm_rng_next(&s->rng) & maskn(s->d.ww);
    }
    s->nw = cnt;
    s->wpos = 0;
}

static int64_t rnd_x(pst *s, double zero)
{
    if (urand(&s->rng) < zero)
        return 0;
    return sext(gm_rng_next(&s->rng), s->c.b);
}

static void add_rec(pst *s, int64_t col, int64_t v)
{
    s->acol[s->na] = col;
    s->aval[s->na] = v;
    s->na++;
}

static void shuffle_recs(pst *s, int from)
{
    int i;
    for (i = s->na - 1; i > from; i--) {
        int j = from + (int)gm_rng_below(&s->rng, (uint64_t)(i - from) + 1);
        int64_t tc = s->acol[i], tv = s->aval[i];
        s->acol[i] = s->acol[j];
        s->aval[i] = s->aval[j];
        s->acol[j] = tc;
        s->aval[j] = tv;
    }
}

/* The records that send the planned vector: every column in order or in reverse (zeros
 * included), or only the non-zero ones, in order (sparse:P) or shuffled (mixed), then
 * with the odd value written first and overwritten later, explicit zeros and a column past
 * COLS (ignored). Columns not sent are 0. */
static void plan_records(pst *s)
{
    int cols = s->c.cols, i, mode = s->profile == 1 ? 3 : (int)gm_rng_below(&s->rng, 6), mid;
    int64_t lim = (int64_t)1 << s->d.aw;
    s->na = 0;
    if (mode <= 1) { /* dense */
        for (i = 0; i < cols; i++)
            add_rec(s, mode == 0 ? i : cols - 1 - i, s->xv[mode == 0 ? i : cols - 1 - i]);
        return;
    }
    if (mode != 3) { /* values overwritten by the later records */
        for (i = 0; i < cols; i++)
            if (gm_rng_below(&s->rng, 16) == 0)
                add_rec(s, i, rnd_x(s, 0.0));
        shuffle_recs(s, 0);
    }
    mid = s->na;
    for (i = 0; i < cols; i++)
        if (s->xv[i] != 0 || (mode != 3 && gm_rng_below(&s->rng, 16) == 0))
            add_rec(s, i, s->xv[i]);
    if (mode != 3 && lim > cols && gm_rng_below(&s->rng, 4) == 0)
        add_rec(s, cols + (int64_t)gm_rng_below(&s->rng, (uint64_t)(lim - cols)), rnd_x(s, 0.0));
    if (mode != 3)
        shuffle_recs(s, mid);
    if (s->na == mid) /* nothing after the decoys: a zero ends the vector */
        add_rec(s, (int64_t)gm_rng_below(&s->rng, (uint64_t)cols), 0);
}

static void plan_vector(pst *s)
{
    int cols = s->c.cols, i, kind = s->profile == 1 ? -1 : (int)gm_rng_below(&s->rng, 20);
    static const int corner_kind[5][2] = { { 0, 20 }, { 6, 2 }, { 8, 3 }, { 11, 3 }, { 20, 1 } };
    if (s->corner == 2 && gm_rng_below(&s->rng, 4) == 0)
        kind = 18; /* every activation the most negative value */
    else if (s->corner)
        kind = corner_kind[s->corner][0] +
               (int)gm_rng_below(&s->rng, (uint64_t)corner_kind[s->corner][1]);
    int64_t lo = -((int64_t)1 << (s->c.b - 1)), hi = ((int64_t)1 << (s->c.b - 1)) - 1;
    static const double zs[4] = { 0.0, 0.3, 0.7, 0.95 };
    double z = zs[gm_rng_below(&s->rng, 4)];
    s->nw = s->wpos = 0;
    if (s->vecs == 0)
        plan_weights_full(s);
    else if (s->profile == 0 && !s->hexw) {
        uint64_t w = gm_rng_below(&s->rng, 8);
        if (w == 0)
            plan_weights_full(s);
        else if (w <= 2)
            plan_weights_some(s);
    }
    if (s->profile == 0 && !s->corner && !s->hexw && s->vecs % 2 == 0) {
        /* the columns the words will point at once this vector's weight records are in */
        int nwords = s->c.rows * s->d.kpr, a, k;
        memset(s->cused, 0, (size_t)cols);
        for (a = 0; a < nwords; a++) {
            uint64_t word = s->gold.word[a];
            int col;
            for (k = 0; k < s->nw; k++)
                if (s->wa[k] == (uint64_t)a)
                    word = s->wd[k];
            col = gm_lstm_pe_col(&s->gold, a % s->d.kpr, word & maskn(s->d.ww));
            if (col >= 0 && col < cols)
                s->cused[col] = 1;
        }
    }
    for (i = 0; i < cols; i++) {
        int64_t v;
        if (kind < 0)
            v = rnd_x(s, s->asp);
        else if (kind < 6) /* random, zero with probability z */
            v = rnd_x(s, z);
        else if (kind < 8) /* all zero */
            v = 0;
        else if (kind < 11) /* saturating: the extremes, some zeros */
            v = gm_rng_below(&s->rng, 5) == 0 ? 0 : (gm_rng_below(&s->rng, 2) ? lo : hi);
        else if (kind < 14) { /* whole groups of N activations zero */
            if (i % s->c.n == 0)
                z = gm_rng_below(&s->rng, 5) < 3 ? 1.0 : 0.2;
            v = rnd_x(s, z);
        } else if (kind < 16) /* small values, half zero (clipped h) */
            v = gm_rng_below(&s->rng, 2) ? 0 : (int64_t)gm_rng_below(&s->rng, 5) - 2;
        else if (kind < 18) /* one non-zero activation */
            v = 0;
        else if (kind == 20) { /* walking one: column i has only bit (i + vector) mod B set,
                                  so B vectors show every column's zero test every bit (a
                                  mutant whose test ignored one bit of one column survived
                                  random values; docs/mutation.md) */
            int bit = (int)((i + s->vecs) % s->c.b);
            v = bit == s->c.b - 1 ? lo : (int64_t)1 << bit;
        }
        else /* every activation the most negative value */
            v = lo;
        if (v < lo)
            v = lo;
        if (v > hi)
            v = hi;
        /* mixed: in every other vector, each non-zero value of a column a weight points at
         * (random kinds only: at several sparsities or in zero groups) becomes a single
         * set bit, each column walking over its bits from one such value to the next
         * (chosen without drawing, zeros staying zeros: the rest of the stream and its
         * timing stay as they were); a zero test that ignores one bit of one column sees
         * only such a value (a random value has a single bit set once in 4096 draws;
         * docs/mutation.md) */
        if (s->profile == 0 && !s->corner && !s->hexw && v != 0 &&
            (kind < 6 || (kind >= 11 && kind < 14)) &&
            s->vecs % 2 == 0 && s->cused[i]) {
            int bit = s->cbit[i]++ % s->c.b;
            v = bit == s->c.b - 1 ? lo : (int64_t)1 << bit;
        }
        s->xv[i] = v;
    }
    if (kind == 16 || kind == 17) {
        int at = (int)gm_rng_below(&s->rng, (uint64_t)cols);
        while (s->xv[at] == 0)
            s->xv[at] = rnd_x(s, 0.0);
    }
    plan_records(s);
    s->apos = 0;
    s->in_vec = 1;
    if (s->profile == 0) {
        s->gapmode = (int)gm_rng_below(&s->rng, 2);
        s->holdmode = (int)gm_rng_below(&s->rng, 3);
    }
}

static void push_y(pst *s, gm_val y)
{
    if (s->yn < s->ycap) {
        s->yq[(s->yh + s->yn) % s->ycap] = y;
        s->yn++;
    }
}

static void weight_rec(pst *s, gm_rec *r, uint64_t addr, uint64_t word)
{
    r->f[0] = gm_val_from_u64(1);
    r->f[1] = gm_val_from_u64(addr & maskn(s->d.aw));
    r->f[2] = gm_val_from_u64((word & maskn(s->d.ww)) |
                              (s->d.dw > s->d.ww ? gm_rng_next(&s->rng) & maskn(s->d.dw) &
                                                       ~maskn(s->d.ww)
                                                 : 0)); /* bits above the word: ignored */
    if (s->profile == 0)
        r->f[3] = gm_val_from_u64(gm_rng_next(&s->rng) & 1u); /* last: ignored on writes */
    gm_lstm_pe_write(&s->gold, addr, word);
}

/* The next input record and, at a vector's end, its expected outputs. */
static void make_input(pst *s, gm_rec *r)
{
    memset(r, 0, sizeof *r);
    if (s->script) {
        *r = s->script[s->made];
        r->stream = 0;
        r->op = s->made++;
        r->delay = 0;
        return;
    }
    r->stream = 0;
    r->op = s->made++;
    if (s->gapmode == 1 && gm_rng_below(&s->rng, 3) == 0)
        r->delay = 1 + (int64_t)gm_rng_below(&s->rng, 3);
    if (!s->in_vec)
        plan_vector(s);
    if (s->wpos < s->nw) {
        weight_rec(s, r, s->wa[s->wpos], s->wd[s->wpos]);
        s->wpos++;
        return;
    }
    if (s->profile == 0 && !s->hexw && s->apos > 0 && gm_rng_below(&s->rng, 64) == 0) {
        /* a weight rewritten between two activations of a vector */
        weight_rec(s, r, gm_rng_below(&s->rng, (uint64_t)s->c.rows * (uint64_t)s->d.kpr),
                   gm_rng_next(&s->rng));
        return;
    }
    {
        int64_t v = s->aval[s->apos], col = s->acol[s->apos];
        int last = ++s->apos == s->na;
        r->f[0] = gm_val_from_u64(0);
        r->f[1] = gm_val_from_u64((uint64_t)col);
        r->f[2] = gm_val_from_u64(((uint64_t)v & maskn(s->c.b)) |
                                  (s->d.dw > s->c.b ? gm_rng_next(&s->rng) & maskn(s->d.dw) &
                                                          ~maskn(s->c.b)
                                                    : 0));
        r->f[3] = gm_val_from_u64((uint64_t)last);
        if (col < s->c.cols)
            s->xg[col] = v;
        if (last) { /* the vector is complete: its outputs; the next starts from zeros */
            gm_val *y = malloc((size_t)s->c.rows * sizeof *y);
            int i;
            if (y) {
                gm_lstm_pe_eval(&s->gold, s->xg, y);
                for (i = 0; i < s->c.rows; i++)
                    push_y(s, y[i]);
                free(y);
            }
            memset(s->xg, 0, (size_t)s->c.cols * sizeof *s->xg);
            s->in_vec = 0;
            s->vecs++;
        }
    }
}

/* ---------------------------------------------------------------- cycle model */

static void push_rec(pst *s, const gm_rec *r)
{
    if (s->qn < QCAP) {
        s->q[(s->qh + s->qn) % QCAP] = *r;
        s->qn++;
    }
}

/* The active words of the current row: column (j / K) * N + index inside the matrix and
 * holding a non-zero activation. */
static void row_start(pst *s)
{
    int j, kpr = s->d.kpr;
    s->nact = 0;
    s->pos = 0;
    for (j = 0; j < kpr; j++) {
        uint64_t w = s->wm[(size_t)s->row * (size_t)kpr + (size_t)j];
        int col = (j / s->c.k) * s->c.n + (int)((w >> (s->d.ew + 1)) & maskn(s->d.iw));
        if (col < s->c.cols && s->xm[col] != 0)
            s->act[s->nact++] = j;
    }
}

/* DBUF: the load bank becomes the compute bank and its vector starts; the load bank
 * starts from zeros. */
static void vec_go(pst *s)
{
    size_t n = (size_t)s->c.cols * sizeof *s->xm;
    memcpy(s->xm, s->xl, n);
    memset(s->xl, 0, n);
    s->full = 0;
    s->run = 1;
    s->row = 0;
    row_start(s);
}

static void out_transfer(pst *s, int64_t e)
{
    gm_rec r;
    memset(&r, 0, sizeof r);
    r.stream = 1;
    r.op = s->out_n;
    r.delay = s->hold_next;
    r.cycle = s->fval_edge;
    r.cycle2 = e;
    if (s->out_edge && s->out_n < s->nout_max)
        s->out_edge[s->out_n] = s->fval_edge;
    if (s->yn > 0) {
        r.f[0] = s->yq[s->yh];
        s->yh = (s->yh + 1) % s->ycap;
        s->yn--;
    } else {
        r.f[0].lo = r.f[0].hi = UINT64_MAX; /* the models disagree: the check fails */
        r.f[0] = gm_val_mask(r.f[0], s->c.acc);
    }
    push_rec(s, &r);
    s->d_prev = e;
    s->out_n++;
    s->hold_next = 0;
    if (s->holdmode == 1 && gm_rng_below(&s->rng, 4) == 0)
        s->hold_next = 1 + (int64_t)gm_rng_below(&s->rng, 4);
    else if (s->holdmode == 2 && gm_rng_below(&s->rng, 2) == 0)
        s->hold_next = 1 + (int64_t)gm_rng_below(&s->rng, 8);
}

static void in_accept(pst *s, int64_t e)
{
    s->in.cycle = s->in.cycle2 = e;
    if (s->in_edge)
        s->in_edge[s->in.op] = e;
    push_rec(s, &s->in);
    s->a_prev = e;
    s->have_in = 0;
    if (s->made < s->nvec || s->in_vec) {
        make_input(s, &s->in);
        s->have_in = 1;
    }
}

/* One clock cycle: the decisions before edge e, then the edge. */
static void step(pst *s)
{
    int64_t e = s->e;
    int out_ready = e >= s->d_prev + 1 + s->hold_next;
    int stall = s->s1v && s->s1last && s->yv && !out_ready;
    int issue = s->run && !stall;
    int single = s->nact - s->pos <= 1;
    int lastrow = s->row == s->c.rows - 1;
    int in_valid = s->have_in && e >= s->a_prev + 1 + s->in.delay;
    int accept = in_valid && (s->c.dbuf ? !s->full && !(s->run && s->in.f[0].lo) : !s->run);
    int xfer = s->yv && out_ready;
    int s2done = s->s1v && !stall;

    if (xfer)
        out_transfer(s, e);
    if (s2done && s->s1last)
        s->fval_edge = e + 1;
    s->yv = (s2done && s->s1last) || (s->yv && !out_ready);
    if (issue) {
        s->s1v = 1;
        s->s1last = single;
        if (single) { /* the row's last issue */
            if (lastrow) { /* the vector is done: the next starts from zeros */
                s->run = 0;
                memset(s->xm, 0, (size_t)s->c.cols * sizeof *s->xm);
                if (s->full) /* DBUF: the waiting vector starts in this edge */
                    vec_go(s);
            } else {
                s->row++;
                row_start(s);
            }
        } else {
            s->pos++;
        }
    } else if (!stall) {
        s->s1v = 0;
    }
    if (accept) {
        uint64_t d = s->in.f[2].lo;
        if (s->in.f[0].lo) {
            uint64_t addr = s->in.f[1].lo;
            if (addr < (uint64_t)s->c.rows * (uint64_t)s->d.kpr)
                s->wm[addr] = d & maskn(s->d.ww);
        } else {
            uint64_t col = s->in.f[1].lo;
            if (col < (uint64_t)s->c.cols)
                (s->c.dbuf ? s->xl : s->xm)[col] = sext(d, s->c.b);
            if (s->in.f[3].lo) { /* the vector's last activation */
                if (!s->c.dbuf) {
                    s->run = 1;
                    s->row = 0;
                    row_start(s);
                } else if (!s->run) { /* idle, or its last issue was in this edge */
                    vec_go(s);
                } else {
                    s->full = 1;
                }
            }
        }
        in_accept(s, e);
    }
    s->e++;
}

static void pe_free(pst *s)
{
    if (!s)
        return;
    gm_lstm_pe_free(&s->gold);
    free(s->hexw);
    free(s->wa);
    free(s->wd);
    free(s->xv);
    free(s->cbit);
    free(s->cused);
    free(s->acol);
    free(s->aval);
    free(s->xg);
    free(s->yq);
    free(s->wm);
    free(s->xm);
    free(s->xl);
    free(s->act);
    free(s);
}

static pst *pe_new(const gm_lstm_pe_cfg *c, char *err, size_t errn)
{
    pst *s = calloc(1, sizeof *s);
    size_t nwords;
    int i;
    if (!s) {
        snprintf(err, errn, "out of memory");
        return NULL;
    }
    s->c = *c;
    if (gm_lstm_pe_check(c, err, errn)) {
        free(s);
        return NULL;
    }
    gm_lstm_pe_dims_of(c, &s->d);
    nwords = (size_t)c->rows * (size_t)s->d.kpr;
    s->ycap = 4 * c->rows + 16; /* DBUF: a vector computing, one waiting, one planned */
    s->wa = calloc(nwords + 8, sizeof *s->wa);
    s->wd = calloc(nwords + 8, sizeof *s->wd);
    s->xv = calloc((size_t)c->cols, sizeof *s->xv);
    s->cbit = calloc((size_t)c->cols, sizeof *s->cbit);
    s->cused = calloc((size_t)c->cols, 1);
    for (i = 0; s->cbit && i < c->cols; i++)
        s->cbit[i] = i % c->b; /* the columns start at different bits */
    s->acol = calloc(2 * (size_t)c->cols + 2, sizeof *s->acol);
    s->aval = calloc(2 * (size_t)c->cols + 2, sizeof *s->aval);
    s->xg = calloc((size_t)c->cols, sizeof *s->xg);
    s->yq = calloc((size_t)s->ycap, sizeof *s->yq);
    s->wm = calloc(nwords, sizeof *s->wm);
    s->xm = calloc((size_t)c->cols, sizeof *s->xm);
    s->xl = calloc((size_t)c->cols, sizeof *s->xl);
    s->act = calloc((size_t)s->d.kpr, sizeof *s->act);
    if (!s->wa || !s->wd || !s->xv || !s->cbit || !s->cused || !s->acol || !s->aval || !s->xg || !s->yq || !s->wm || !s->xm || !s->xl || !s->act ||
        gm_lstm_pe_init(&s->gold, c)) {
        snprintf(err, errn, "out of memory");
        pe_free(s);
        return NULL;
    }
    s->a_prev = -1;
    s->d_prev = -1;
    return s;
}

/* hex:FILE -- a weight memory image as `dnngen compress` writes it (W.hex, U.hex): one
 * word a line in hex, "//" comment lines; exactly ROWS * KPR words, each within the word
 * width. At most 80 bytes a word are read, so a device or a huge file cannot hang or
 * exhaust the reader. */
static int read_hex(pst *s, const char *path, char *err, size_t errn)
{
    size_t nwords = (size_t)s->c.rows * (size_t)s->d.kpr, got = 0, line = 0, len, cap;
    char *text = NULL, *p;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errn, "hex profile: cannot read '%.200s' (legal: a weight image of "
                            "dnngen compress)",
                 path);
        return -1;
    }
    cap = nwords * 80 + 4096;
    text = malloc(cap + 1);
    s->hexw = calloc(nwords, sizeof *s->hexw);
    if (!text || !s->hexw) {
        snprintf(err, errn, "out of memory");
        goto error;
    }
    len = fread(text, 1, cap + 1, f);
    if (len > cap) {
        snprintf(err, errn, "hex profile: '%.200s' is larger than %zu bytes (legal: exactly "
                            "ROWS*KPR = %zu words)",
                 path, cap, nwords);
        goto error;
    }
    text[len] = '\0';
    for (p = text; p < text + len;) {
        char *eol = memchr(p, '\n', (size_t)(text + len - p)), *end, *q;
        uint64_t v;
        if (!eol)
            eol = text + len;
        *eol = '\0';
        line++;
        q = p;
        p = eol + 1;
        while (*q == ' ' || *q == '\t')
            q++;
        if (q == eol || (*q == '\r' && q + 1 == eol) || (q[0] == '/' && q[1] == '/'))
            continue;
        v = strtoull(q, &end, 16);
        while (*end == ' ' || *end == '\t' || *end == '\r')
            end++;
        if (end == q || end != eol || *q == '-' || *q == '+' || v > maskn(s->d.ww)) {
            snprintf(err, errn, "hex profile: '%.200s' line %zu is not a %d-bit hex word "
                                "(legal: words of 0..%llx)",
                     path, line, s->d.ww, (unsigned long long)maskn(s->d.ww));
            goto error;
        }
        if (got == nwords) {
            got++;
            break;
        }
        s->hexw[got++] = v;
    }
    if (got != nwords) {
        snprintf(err, errn, "hex profile: '%.200s' holds %s%zu words (legal: exactly ROWS*KPR "
                            "= %zu)",
                 path, got > nwords ? "more than " : "", got > nwords ? nwords : got, nwords);
        goto error;
    }
    free(text);
    fclose(f);
    return 0;
error:
    free(text);
    fclose(f);
    free(s->hexw);
    s->hexw = NULL;
    return -1;
}

static void *pe_open(const char *block, const gm_param *ps, int np, uint64_t seed, int64_t nvec,
                     const char *profile, gm_stream *st, int *ns, char *err, size_t errn)
{
    gm_lstm_pe_cfg c;
    pst *s;
    int prof = 0, corner = 0;
    double asp = 0.0;
    const char *hex = NULL;
    (void)block;
    if (gm_param_known(ps, np, pe_params, err, errn))
        return NULL;
    c.rows = (int)gm_param_get(ps, np, "ROWS", 8);
    c.cols = (int)gm_param_get(ps, np, "COLS", 64);
    c.n = (int)gm_param_get(ps, np, "N", 16);
    c.k = (int)gm_param_get(ps, np, "K", 2);
    c.em = (int)gm_param_get(ps, np, "EM", 0);
    c.ef = (int)gm_param_get(ps, np, "EF", 7);
    c.b = (int)gm_param_get(ps, np, "B", 16);
    c.acc = (int)gm_param_get(ps, np, "ACC", 32);
    c.dbuf = (int)gm_param_get(ps, np, "DBUF", 0);
    if (nvec < 0) {
        snprintf(err, errn, "vector count %lld is negative", (long long)nvec);
        return NULL;
    }
    if (profile == NULL || strcmp(profile, "mixed") == 0) {
        prof = 0;
    } else if (strncmp(profile, "sparse:", 7) == 0) {
        char *end;
        prof = 1;
        asp = strtod(profile + 7, &end);
        if (end == profile + 7 || *end != '\0' || !(asp >= 0 && asp <= 1)) {
            snprintf(err, errn, "bad profile '%.60s' (legal: mixed, sparse:P with P the "
                                "probability of a zero activation, 0..1)",
                     profile);
            return NULL;
        }
    } else if (strncmp(profile, "corner:", 7) == 0) {
        static const char *const corners[] = { "zero", "saturate", "groups", "bits" };
        for (corner = 0; corner < 4; corner++)
            if (strcmp(profile + 7, corners[corner]) == 0)
                break;
        if (corner == 4) {
            snprintf(err, errn, "unknown profile '%.60s' (legal: corner:zero, corner:saturate, "
                                "corner:groups, corner:bits)",
                     profile);
            return NULL;
        }
        corner++;
    } else if (strncmp(profile, "hex:", 4) == 0) {
        hex = profile + 4;
    } else {
        snprintf(err, errn, "unknown profile '%.60s' (legal: mixed, sparse:P, corner:zero, "
                            "corner:saturate, corner:groups, corner:bits, hex:FILE)",
                 profile);
        return NULL;
    }
    s = pe_new(&c, err, errn);
    if (!s)
        return NULL;
    s->profile = prof;
    s->asp = asp;
    s->corner = corner;
    if (hex && read_hex(s, hex, err, errn)) {
        pe_free(s);
        return NULL;
    }
    gm_rng_seed(&s->rng, seed);
    s->nvec = nvec;
    memset(st, 0, sizeof *st * 2);
    st[0].name = "in";
    st[0].is_input = 1;
    st[0].nf = 4;
    st[0].f[0].name = "load";
    st[0].f[0].width = 1;
    st[0].f[1].name = "addr";
    st[0].f[1].width = s->d.aw;
    st[0].f[2].name = "d";
    st[0].f[2].width = s->d.dw;
    st[0].f[3].name = "last";
    st[0].f[3].width = 1;
    st[1].name = "out";
    st[1].nf = 1;
    st[1].f[0].name = "y";
    st[1].f[0].width = c.acc;
    *ns = 2;
    if (nvec > 0) {
        make_input(s, &s->in);
        s->have_in = 1;
    }
    return s;
}

static int pe_next(void *vs, gm_rec *r)
{
    pst *s = vs;
    int64_t idle = 0;
    while (s->qn == 0) {
        if (!(s->have_in || s->run || s->s1v || s->yv))
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

static void pe_describe(void *vs, const gm_rec *in, char *buf, size_t n)
{
    pst *s = vs;
    if (in->f[0].lo) {
        uint64_t addr = in->f[1].lo, w = in->f[2].lo & maskn(s->d.ww);
        int idx, sgn, code;
        gm_lstm_unpack(w, s->d.iw, s->d.ew, &idx, &sgn, &code);
        if (addr >= (uint64_t)s->c.rows * (uint64_t)s->d.kpr)
            snprintf(buf, n, "weight write to address %llu (past the memory: ignored)",
                     (unsigned long long)addr);
        else
            snprintf(buf, n, "weight write: address %llu (row %llu, word %llu) = 0x%llx "
                             "(index %d, sign %d, code %d)",
                     (unsigned long long)addr, (unsigned long long)(addr / (uint64_t)s->d.kpr),
                     (unsigned long long)(addr % (uint64_t)s->d.kpr), (unsigned long long)w, idx,
                     sgn, code);
    } else {
        snprintf(buf, n, "activation x[%llu] = %lld%s (record %lld)",
                 (unsigned long long)in->f[1].lo, (long long)sext(in->f[2].lo, s->c.b),
                 in->f[3].lo ? ", last of the vector" : "", (long long)in->op);
    }
}

static void pe_close(void *vs)
{
    pe_free(vs);
}

const gm_family gm_lstm_pe_family = { pe_blocks, pe_open, pe_next, pe_describe, pe_close };

/* ---------------------------------------------------------------- script mode */

int gm_lstm_pe_script_run(const gm_lstm_pe_cfg *c, const gm_rec *in, int64_t n,
                          int64_t *in_edge, int64_t *out_edge, int64_t nout_max, int64_t *nout)
{
    char err[256];
    pst *s;
    gm_rec r;
    if (n <= 0 || !in || !in_edge)
        return -1;
    s = pe_new(c, err, sizeof err);
    if (!s)
        return -1;
    s->profile = 1;
    s->script = in;
    s->nvec = n;
    s->in_edge = in_edge;
    s->out_edge = out_edge;
    s->nout_max = out_edge ? nout_max : 0;
    make_input(s, &s->in);
    s->have_in = 1;
    while (pe_next(s, &r))
        ;
    if (nout)
        *nout = s->out_n;
    pe_free(s);
    return 0;
}
