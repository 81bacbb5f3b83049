/*
 * gm_fofir_gen.c -- stimulus, expected outputs and the cycle models of fofir and of its
 * baseline fir_parallel (same records, same values; fir_parallel's model is step_par).
 *
 * Values come from the textbook FIR (gm_fofir.c). Timing comes from a cycle-stepped model
 * of the folded filter's contract (docs/fofir.md), evaluated together with the testbench's
 * gap/stall policy, the same way tb_check.h and the Icarus bench apply it:
 *   - a sample is accepted when the filter is free: no input in flight, or the current
 *     input's last PAMAC operation issues in this cycle (and it does not end the row); a
 *     coefficient write whenever no sample is issuing (the row-end drain included) or in
 *     the cycle the current one's last operation issues;
 *   - an input issues one PAMAC operation per non-zero tap k <= m (lowest k first), back to
 *     back under the PAMAC's own contract (cost max(1, E)); tap 0 starts a new output, any
 *     other tap waits while its partial sum is still owed by an operation or emission in
 *     flight, except the one written back in the same cycle (forwarded);
 *   - an input x[m] with m >= K-1 emits y[m-K+1] when the youngest operation in flight at
 *     its end is written back (or at once when none is in flight: one such emission waits,
 *     and the next can take its place in the cycle it leaves), when the output register
 *     is free; a zero input (or one with no live tap) occupies one cycle;
 *   - after a row's last input, the filter drains and clears its partial sums in one cycle;
 *     the same clear happens after reset, so edge 1 is the first edge that can accept.
 * The model mirrors those rules state for state; the RTL is checked against it every edge.
 */
#include "gm_fofir.h"
#include "gm_stream_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const fofir_blocks[] = { "fofir", "fir_parallel", NULL };
static const char *const fofir_params[] = { "K",      "XW",     "HW",   "ACC", "SIGNED_X",
                                            "DECOMP", "APPROX", "PREC", NULL };

#define OUTQ 64

typedef struct fst {
    gm_fofir_cfg c;
    gm_fofir gold;
    gm_rng rng;
    int64_t nvec, made; /* input records made so far */
    double wsp, asp;    /* weight and activation sparsity (profiles) */
    int profile;        /* 0 mixed, 1 sparse:W,A */
    int iw, pw, kw, dwd, fi_prec, fi_mode, fi_k;
    int64_t row_left;   /* samples left in the current row */
    int walk, walk_tap, walk_step; /* a row whose single live tap moves up by one each
                                   * sample (two coefficient writes before each sample): the
                                   * pattern in which an operation needs the result of the
                                   * one issued just before it */
    int need_coefs;     /* a coefficient set is being loaded: taps left */
    int64_t rpos;       /* samples of the current row so far */
    int hz, hz_t;       /* the hazard pattern's step (0: none) and its tap t, below */
    int stall_boost;    /* output holds left that are long (the hazard pattern's stall) */
    int dz;             /* the direct-emission pattern's step (0: none), below */
    /* records produced, not yet handed out */
    gm_rec q[OUTQ];
    int qh, qn;
    /* expected outputs from the value model, in order */
    gm_val yv[OUTQ];
    int yh, yn;
    /* the record being offered */
    int have_in;
    gm_rec in;
    int64_t in_cost_unused;
    /* ---- cycle model state ---- */
    int64_t e, a_prev, d_prev, hold_next, out_n, in_n, fval_edge;
    uint64_t h[GM_FOFIR_MAX_K];
    unsigned nzh, todo, tapmask_unused;
    int pos, cnt, rowclr, cur, cpos, cemit, clast;
    uint64_t x;
    unsigned prec, mode, kk;
    int fv, ft[2], fe[2], fr[2], pe, pr, yv_o;
    int pm_busy, pm_left, pm_yv;
    int done; /* all input consumed and drained */
    const gm_rec *script; /* script mode (gm_fofir_script_run): the records to offer */
    int par;              /* fir_parallel: the one-sample-per-cycle model (step_par) */
    int pcnt;             /* fir_parallel: samples of the row so far, saturating at K-1 */
} fst;

static uint64_t maskn(int w)
{
    return w >= 64 ? UINT64_MAX : ((UINT64_C(1) << w) - 1u);
}

static double urand(gm_rng *r)
{
    return (double)(gm_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* ---------------------------------------------------------------- stimulus */

static uint64_t rnd_h(fst *s)
{
    uint64_t v;
    if (urand(&s->rng) < s->wsp)
        return 0;
    do
        v = gm_rng_next(&s->rng) & maskn(s->c.hw);
    while (v == 0);
    if (s->profile == 0 && gm_rng_below(&s->rng, 4) == 0) /* few essential terms */
        v &= (gm_rng_next(&s->rng) & gm_rng_next(&s->rng)) | 1u;
    return v;
}

static uint64_t rnd_x(fst *s)
{
    uint64_t v;
    if (urand(&s->rng) < s->asp)
        return 0;
    do
        v = gm_rng_next(&s->rng) & maskn(s->c.xw);
    while (v == 0);
    return v;
}

/* The next input record (a coefficient write or a sample), and its expected outputs. */
static void make_input(fst *s, gm_rec *r)
{
    int K = s->c.k;
    if (s->script) { /* script mode: the caller's records, back to back */
        *r = s->script[s->made];
        r->stream = 0;
        r->op = s->made++;
        r->delay = 0;
        return;
    }
    memset(r, 0, sizeof *r);
    r->stream = 0;
    r->op = s->made++;
    if (s->profile == 0 && gm_rng_below(&s->rng, 3) == 0)
        r->delay = 1 + (int64_t)gm_rng_below(&s->rng, 3);
    if (s->row_left == 0 && s->need_coefs == 0) {
        /* a new row: often a new coefficient set first */
        if (s->made == 1 || s->profile == 1 || gm_rng_below(&s->rng, 2) == 0) {
            if (s->profile == 0) {
                double pick = urand(&s->rng);
                s->wsp = pick < 0.3 ? 0.0 : (pick < 0.8 ? 0.5 : 0.85);
                s->asp = urand(&s->rng) < 0.5 ? 0.0 : 0.4;
            }
            s->need_coefs = K + (s->profile == 0 && gm_rng_below(&s->rng, 8) == 0 ? 1 : 0);
        }
        s->row_left = s->profile == 0 ? 1 + (int64_t)gm_rng_below(&s->rng, (uint64_t)(3 * K + 6))
                                      : 64;
        s->walk = s->profile == 0 && K > 1 && gm_rng_below(&s->rng, 6) == 0;
        s->walk_step = 0;
        s->rpos = 0;
    }
    if (s->hz == 0 && s->profile == 0 && K > 1 && !s->walk && s->need_coefs == 0 &&
        s->rpos >= K - 1 && s->row_left >= 3 && s->nvec - s->made > 2 * K + 8 &&
        gm_rng_below(&s->rng, 12) == 0) {
        /* The hazard pattern (mid-row coefficient writes around three samples A, B, C):
         * only tap K-1 live for A (whose last operation carries an emission), only tap t
         * for B, only tap t+1 for C. C's operation then targets the register of B's,
         * B's is the younger of two in flight when A's emission is held by a long output
         * stall, and C may issue only after B's result is written back. */
        s->hz = 1;
        s->hz_t = (int)gm_rng_below(&s->rng, (uint64_t)(K - 1));
        s->stall_boost = 3;
    }
    if (s->hz > 0 && s->hz != K + 1 && s->hz != K + 4 && s->hz != K + 7) {
        int st = s->hz;
        unsigned idx;
        uint64_t hv = 0;
        if (st <= K)
            idx = (unsigned)(st - 1);
        else if (st == K + 2)
            idx = (unsigned)(K - 1);
        else if (st == K + 5)
            idx = (unsigned)s->hz_t;
        else
            idx = (unsigned)(st == K + 3 ? s->hz_t : s->hz_t + 1);
        if (st == K || st == K + 3 || st == K + 6) {
            do
                hv = gm_rng_next(&s->rng) & maskn(s->c.hw);
            while (hv == 0);
            if (st != K)
                hv = (hv & 3u) ? (hv & 3u) : 1u; /* one essential term: back-to-back issue */
        }
        s->hz++;
        r->f[0] = gm_val_from_u64(1);
        r->f[1] = gm_val_from_u64(idx);
        r->f[2] = gm_val_from_u64(hv);
        gm_fofir_load(&s->gold, idx, hv);
        return;
    }
    if (s->walk && s->need_coefs == 0 && s->row_left > 0 && s->walk_step < 2) {
        /* step 0: clear the live tap; step 1: set the next one */
        unsigned idx = (unsigned)s->walk_tap;
        uint64_t hv = 0;
        if (s->walk_step == 1) {
            s->walk_tap = (s->walk_tap + 1) % K;
            idx = (unsigned)s->walk_tap;
            do
                hv = gm_rng_next(&s->rng) & maskn(s->c.hw);
            while (hv == 0);
            if (gm_rng_below(&s->rng, 2))
                hv &= 3u | (hv & 1u); /* often one essential term: back-to-back issue */
            if (hv == 0)
                hv = 1;
        }
        s->walk_step++;
        r->f[0] = gm_val_from_u64(1);
        r->f[1] = gm_val_from_u64(idx);
        r->f[2] = gm_val_from_u64(hv);
        gm_fofir_load(&s->gold, idx, hv);
        return;
    }
    s->walk_step = 0;
    if (s->need_coefs > 0) {
        unsigned idx = (unsigned)(K + (s->need_coefs > K ? 1 : 0) - s->need_coefs);
        uint64_t hv = rnd_h(s);
        if (s->need_coefs > K) /* an out-of-range index: ignored by both models */
            idx = (unsigned)(K + (int)gm_rng_below(&s->rng, (uint64_t)((1 << s->iw) - K + 1)));
        if (idx >= (1u << s->iw))
            idx = (1u << s->iw) - 1u;
        s->need_coefs--;
        r->f[0] = gm_val_from_u64(1);
        r->f[1] = gm_val_from_u64(idx);
        r->f[2] = gm_val_from_u64(hv);
        r->f[3] = gm_val_from_u64(gm_rng_below(&s->rng, 2)); /* last: ignored on loads */
        gm_fofir_load(&s->gold, idx, hv);
    } else {
        uint64_t xv = rnd_x(s);
        int last;
        if (s->dz == 0 && s->hz == 0 && !s->walk && s->profile == 0 && K > 1 && s->rpos >= K &&
            s->row_left >= 3 && gm_rng_below(&s->rng, 16) == 0) {
            /* The direct-emission pattern: behind long output stalls, a zero sample whose
             * emission has to wait directly (nothing left in flight), then a non-zero sample
             * whose tap-0 result goes to that same register: its write-back must wait until
             * the emission has read the register. */
            s->dz = 2;
            s->stall_boost = 2;
        }
        if (s->dz == 2) {
            xv = 0;
            s->dz = 1;
        } else if (s->dz == 1) {
            while (xv == 0)
                xv = gm_rng_next(&s->rng) & maskn(s->c.xw);
            s->dz = 0;
        }
        if (s->hz > 0) { /* a sample of the hazard pattern: A, B or C, never zero */
            while (xv == 0)
                xv = gm_rng_next(&s->rng) & maskn(s->c.xw);
            s->hz = s->hz == K + 7 ? 0 : s->hz + 1;
        }
        s->rpos++;
        last = --s->row_left == 0 || s->made == s->nvec;
        gm_val y;
        unsigned prec = 0, mode = GM_MODE_AUTO, kk = 0;
        if (s->profile == 0 && s->hz == 0 && s->made > 2 && gm_rng_below(&s->rng, 40) == 0) {
            /* a coefficient change in the middle of a row */
            unsigned idx = (unsigned)gm_rng_below(&s->rng, (uint64_t)K);
            uint64_t hv = rnd_h(s);
            s->row_left++;
            s->rpos--;
            r->f[0] = gm_val_from_u64(1);
            r->f[1] = gm_val_from_u64(idx);
            r->f[2] = gm_val_from_u64(hv);
            gm_fofir_load(&s->gold, idx, hv);
            return;
        }
        if (s->row_left == 0)
            last = 1;
        r->f[0] = gm_val_from_u64(0);
        r->f[1] = gm_val_from_u64(gm_rng_next(&s->rng) & maskn(s->iw)); /* idx: ignored */
        r->f[2] = gm_val_from_u64(xv | (s->dwd > s->c.xw ? (gm_rng_next(&s->rng) & maskn(s->dwd))
                                                             & ~maskn(s->c.xw)
                                                       : 0));
        r->f[3] = gm_val_from_u64((uint64_t)last);
        if (s->fi_prec >= 0) {
            prec = s->profile == 0 ? (unsigned)gm_rng_below(&s->rng, (uint64_t)1 << s->pw) : 0;
            r->f[s->fi_prec] = gm_val_from_u64(prec);
        }
        if (s->fi_mode >= 0) {
            mode = s->profile == 0 ? (unsigned)gm_rng_below(&s->rng, 4) : GM_MODE_AUTO;
            r->f[s->fi_mode] = gm_val_from_u64(mode);
        }
        if (s->fi_k >= 0) {
            kk = s->profile == 0 && gm_rng_below(&s->rng, 2) ? (unsigned)gm_rng_below(&s->rng, (uint64_t)1 << s->kw) : 0;
            r->f[s->fi_k] = gm_val_from_u64(kk);
        }
        if (last)
            s->row_left = 0;
        if (gm_fofir_sample(&s->gold, xv, last, prec, mode, kk, &y)) {
            s->yv[(s->yh + s->yn) % OUTQ] = y;
            s->yn++;
        }
    }
}

/* ---------------------------------------------------------------- cycle model */

static int op_cost(const fst *s, unsigned k)
{
    gm_pamac_op op;
    gm_pamac_res res;
    memset(&op, 0, sizeof op);
    op.a = gm_fofir_xop(&s->c, s->x);
    op.w = gm_fofir_hop(&s->c, s->h[k]);
    op.prec = s->prec;
    op.mode = s->mode;
    op.k = s->kk;
    gm_pamac_eval(&s->c.mac, &op, &res);
    return gm_pamac_cost(&s->c.mac, &res);
}

static void push_rec(fst *s, const gm_rec *r)
{
    s->q[(s->qh + s->qn) % OUTQ] = *r;
    s->qn++;
}

/* The output register is read at edge e: the output record (value from the golden model,
 * first-valid and transfer edges) and the testbench's next stall. */
static void out_transfer(fst *s, int64_t e)
{
    gm_rec r;
    memset(&r, 0, sizeof r);
    r.stream = 1;
    r.op = s->out_n;
    r.delay = s->hold_next;
    r.cycle = s->fval_edge;
    r.cycle2 = e;
    if (s->yn > 0) {
        r.f[0] = s->yv[s->yh];
        s->yh = (s->yh + 1) % OUTQ;
        s->yn--;
    } else {
        r.f[0].lo = r.f[0].hi = UINT64_MAX; /* model disagreement: the check will fail */
    }
    push_rec(s, &r);
    s->d_prev = e;
    s->out_n++;
    if (s->stall_boost > 0) { /* the hazard pattern's long stalls */
        s->stall_boost--;
        s->hold_next = 6 + (int64_t)gm_rng_below(&s->rng, 8);
        return;
    }
    s->hold_next = (s->profile == 0 && gm_rng_below(&s->rng, 4) == 0)
                       ? 1 + (int64_t)gm_rng_below(&s->rng, 4)
                       : 0;
}

/* The offered record is accepted at edge e: its record, and the next one to offer. */
static void in_accept(fst *s, int64_t e)
{
    s->in.cycle = s->in.cycle2 = e;
    push_rec(s, &s->in);
    s->a_prev = e;
    s->in_n++;
    s->have_in = 0;
    if (s->made < s->nvec) {
        make_input(s, &s->in);
        s->have_in = 1;
    }
}

/* One clock cycle: the combinational decisions before edge e, then the edge. */
static void step(fst *s)
{
    int K = s->c.k;
    int64_t e = s->e;
    unsigned todo = s->todo, kone = todo & (~todo + 1u);
    int ksel = 0, single, k0, tgt, y_free, mac_out_ready, pop, em_tag, em_dir, hz;
    int mac_in_valid, mac_in_ready, issue, epos, tail_e, can_tag, can_dir, done0, doneop;
    int finish, in_ready, in_valid, accept, sample, clear, out_ready, pm_last, pm_write;
    int xfer;
    while (ksel < K && !((kone >> ksel) & 1u))
        ksel++;
    if (ksel >= K)
        ksel = 0;
    single = (todo & (todo - 1u)) == 0;
    tgt = ((s->cpos - ksel) % K + K) % K;
    k0 = ksel == 0;
    out_ready = s->out_n < 0 ? 1 : (e >= s->d_prev + 1 + s->hold_next);
    y_free = !s->yv_o || out_ready;
    mac_out_ready = !(s->pe && s->ft[0] == s->pr) && (!s->fe[0] || (y_free && !s->pe));
    pm_last = s->pm_busy && s->pm_left <= 1;
    pm_write = pm_last && (!s->pm_yv || mac_out_ready);
    mac_in_ready = !s->pm_busy || pm_write;
    pop = s->pm_yv && mac_out_ready;
    em_tag = pop && s->fe[0];
    em_dir = s->pe && y_free;
    hz = !k0 && ((s->fv == 2 && (s->ft[1] == tgt || (s->fe[1] && s->fr[1] == tgt))) ||
                 (s->fv != 0 && !pop && (s->ft[0] == tgt || (s->fe[0] && s->fr[0] == tgt))) ||
                 (s->pe && s->pr == tgt));
    mac_in_valid = s->cur && todo != 0 && !hz;
    issue = mac_in_valid && mac_in_ready;
    epos = (s->cpos + 1) % K;
    tail_e = s->fv == 2 ? s->fe[1] : s->fe[0];
    can_tag = s->fv != 0 && !tail_e && !(s->fv == 1 && pop);
    /* a direct emission may follow the one leaving in this cycle */
    can_dir = s->fv == 0 && (!s->pe || em_dir);
    done0 = s->cur && todo == 0 && (!s->cemit || can_tag || can_dir);
    doneop = issue && single;
    finish = done0 || doneop;
    /* a coefficient write is taken whenever no sample is issuing, the row-end drain included,
     * or in the cycle the current one's last operation issues */
    in_ready = s->in.f[0].lo ? (!s->cur || finish) : (!s->rowclr && (!s->cur || (finish && !s->clast)));
    in_valid = s->have_in && e >= s->a_prev + 1 + s->in.delay;
    accept = in_valid && in_ready;
    sample = accept && s->in.f[0].lo == 0;
    clear = s->rowclr && !s->cur && s->fv == 0 && !s->pe;
    xfer = s->yv_o && out_ready;

    /* ---- the edge ---- */
    /* PAMAC */
    {
        int nbusy = issue || (s->pm_busy && !pm_write);
        int nleft = s->pm_left;
        if (issue)
            nleft = op_cost(s, (unsigned)ksel);
        else if (s->pm_busy && !pm_write && nleft > 1)
            nleft--;
        s->pm_yv = pm_write || (s->pm_yv && !mac_out_ready);
        s->pm_busy = nbusy;
        s->pm_left = nleft;
    }
    /* output register and records */
    if (xfer)
        out_transfer(s, e);
    if (em_tag || em_dir)
        s->fval_edge = e + 1;
    s->yv_o = em_tag || em_dir || (s->yv_o && !out_ready);
    /* coefficients (the write is visible from the next cycle) */
    if (accept && !sample) {
        unsigned idx = (unsigned)s->in.f[1].lo;
        if (idx < (unsigned)K) {
            s->h[idx] = s->in.f[2].lo & maskn(s->c.hw);
            if (s->h[idx])
                s->nzh |= 1u << idx;
            else
                s->nzh &= ~(1u << idx);
        }
    }
    /* operation table */
    {
        int nfv = s->fv, ft[2] = { s->ft[0], s->ft[1] }, fe[2] = { s->fe[0], s->fe[1] };
        int fr[2] = { s->fr[0], s->fr[1] };
        if (pop) {
            ft[0] = ft[1];
            fe[0] = fe[1];
            fr[0] = fr[1];
            nfv--;
        }
        if (issue) {
            ft[nfv] = tgt;
            fe[nfv] = doneop && s->cemit;
            fr[nfv] = epos;
            nfv++;
        }
        if (done0 && s->cemit && can_tag) {
            fe[nfv - 1] = 1;
            fr[nfv - 1] = epos;
        }
        s->fv = nfv;
        memcpy(s->ft, ft, sizeof ft);
        memcpy(s->fe, fe, sizeof fe);
        memcpy(s->fr, fr, sizeof fr);
    }
    if (done0 && s->cemit && !can_tag && can_dir) {
        s->pe = 1;
        s->pr = epos;
    } else if (em_dir) {
        s->pe = 0;
    }
    /* row state and the current input */
    s->rowclr = clear ? 0 : (s->rowclr || (finish && s->clast));
    if (issue && !sample)
        s->todo &= ~kone;
    if (sample) {
        unsigned tapok = (s->cnt >= 31) ? 0xffffffffu : ((2u << s->cnt) - 1u);
        uint64_t xv = s->in.f[2].lo & maskn(s->c.xw);
        s->x = xv;
        s->todo = xv ? (s->nzh & tapok & (unsigned)maskn(K)) : 0u;
        s->cpos = s->pos;
        s->cemit = s->cnt == K - 1;
        s->clast = (int)s->in.f[3].lo;
        s->prec = s->fi_prec >= 0 ? (unsigned)s->in.f[s->fi_prec].lo : 0u;
        s->mode = s->fi_mode >= 0 ? (unsigned)s->in.f[s->fi_mode].lo : GM_MODE_AUTO;
        s->kk = s->fi_k >= 0 ? (unsigned)s->in.f[s->fi_k].lo : 0u;
    }
    s->cur = sample || (s->cur && !finish);
    if (clear) {
        s->pos = 0;
        s->cnt = 0;
    } else if (sample) {
        s->pos = (s->pos + 1) % K;
        if (s->cnt != K - 1)
            s->cnt++;
    }
    if (accept)
        in_accept(s, e);
    s->e++;
}

/* fir_parallel (K multipliers): one record per cycle. A record is accepted when the output
 * register is free or is being read in the same cycle; a sample with at least K-1 samples
 * of its row before it loads y[m-K+1] into the output register, visible from the next
 * edge. A row end restarts the count in the same cycle (no clear cycle). */
static void step_par(fst *s)
{
    int64_t e = s->e;
    int out_ready = e >= s->d_prev + 1 + s->hold_next;
    int xfer = s->yv_o && out_ready;
    int in_ready = !s->yv_o || out_ready;
    int in_valid = s->have_in && e >= s->a_prev + 1 + s->in.delay;
    int accept = in_valid && in_ready, emit = 0;
    if (xfer)
        out_transfer(s, e);
    if (accept && s->in.f[0].lo == 0) { /* a sample */
        emit = s->pcnt >= s->c.k - 1;
        if (s->in.f[3].lo)
            s->pcnt = 0;
        else if (s->pcnt < s->c.k - 1)
            s->pcnt++;
    }
    if (emit)
        s->fval_edge = e + 1;
    s->yv_o = emit || (s->yv_o && !xfer);
    if (accept)
        in_accept(s, e);
    s->e++;
}

static void *fofir_open(const char *block, const gm_param *ps, int np, uint64_t seed,
                        int64_t nvec, const char *profile, gm_stream *st, int *ns, char *err,
                        size_t errn)
{
    fst *s;
    int nf = 0;
    if (gm_param_known(ps, np, fofir_params, err, errn))
        return NULL;
    s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errn, "out of memory");
        return NULL;
    }
    s->c.k = (int)gm_param_get(ps, np, "K", 3);
    s->c.xw = (int)gm_param_get(ps, np, "XW", 8);
    s->c.hw = (int)gm_param_get(ps, np, "HW", 8);
    s->c.signed_x = gm_param_get(ps, np, "SIGNED_X", 1) != 0;
    s->c.mac.n = s->c.xw > s->c.hw ? s->c.xw : s->c.hw;
    s->c.mac.acc = (int)gm_param_get(ps, np, "ACC", 24);
    s->c.mac.signed_a = s->c.signed_x;
    s->c.mac.decomp = (int)gm_param_get(ps, np, "DECOMP", GM_DECOMP_BOTH);
    s->c.mac.approx = gm_param_get(ps, np, "APPROX", 0) != 0;
    s->c.mac.prec = gm_param_get(ps, np, "PREC", 0) != 0;
    if (strcmp(block, "fir_parallel") == 0) { /* plain products: no PAMAC options */
        s->par = 1;
        s->c.mac.decomp = GM_DECOMP_WD;
        s->c.mac.approx = 0;
        s->c.mac.prec = 0;
    }
    if (gm_fofir_check(&s->c, err, errn))
        goto error;
    if (nvec < 0) {
        snprintf(err, errn, "vector count %lld is negative", (long long)nvec);
        goto error;
    }
    if (profile == NULL || strcmp(profile, "mixed") == 0) {
        s->profile = 0;
    } else if (strncmp(profile, "sparse:", 7) == 0) {
        char *end;
        s->profile = 1;
        s->wsp = strtod(profile + 7, &end);
        if (*end != ',' || !(s->wsp >= 0 && s->wsp <= 1)) {
            snprintf(err, errn, "bad profile '%.60s' (legal: mixed, sparse:W,A with weight and "
                                "activation sparsity in 0..1)", profile);
            goto error;
        }
        s->asp = strtod(end + 1, &end);
        if (*end != '\0' || !(s->asp >= 0 && s->asp <= 1)) {
            snprintf(err, errn, "bad profile '%.60s' (legal: mixed, sparse:W,A with weight and "
                                "activation sparsity in 0..1)", profile);
            goto error;
        }
    } else {
        snprintf(err, errn, "unknown profile '%.60s' (legal: mixed, sparse:W,A)", profile);
        goto error;
    }
    gm_fofir_init(&s->gold, &s->c);
    gm_rng_seed(&s->rng, seed);
    s->nvec = nvec;
    s->iw = gm_clog2((uint64_t)s->c.k);
    if (s->iw < 1)
        s->iw = 1;
    s->pw = gm_pamac_prec_width(s->c.mac.n);
    s->kw = gm_pamac_k_width(&s->c.mac);
    s->dwd = s->c.mac.n;
    memset(st, 0, sizeof *st * 2);
    st[0].name = "in";
    st[0].is_input = 1;
    st[0].f[nf].name = "load"; st[0].f[nf++].width = 1;
    st[0].f[nf].name = "idx"; st[0].f[nf++].width = s->iw;
    st[0].f[nf].name = "d"; st[0].f[nf++].width = s->dwd;
    st[0].f[nf].name = "last"; st[0].f[nf++].width = 1;
    s->fi_prec = s->fi_mode = s->fi_k = -1;
    if (s->c.mac.prec) {
        s->fi_prec = nf;
        st[0].f[nf].name = "prec"; st[0].f[nf++].width = s->pw;
    }
    if (s->c.mac.decomp == GM_DECOMP_BOTH) {
        s->fi_mode = nf;
        st[0].f[nf].name = "mode"; st[0].f[nf++].width = 2;
    }
    if (s->c.mac.approx) {
        s->fi_k = nf;
        st[0].f[nf].name = "k"; st[0].f[nf++].width = s->kw;
    }
    st[0].nf = nf;
    st[1].name = "out";
    st[1].nf = 1;
    st[1].f[0].name = "y";
    st[1].f[0].width = s->c.mac.acc;
    *ns = 2;
    s->a_prev = -1;
    s->d_prev = -1;
    s->rowclr = 1;
    s->pm_left = 1;
    if (nvec > 0) {
        make_input(s, &s->in);
        s->have_in = 1;
    }
    return s;
error:
    free(s);
    return NULL;
}

static int fofir_next(void *vs, gm_rec *r)
{
    fst *s = vs;
    int64_t idle = 0;
    while (s->qn == 0) {
        int busy = s->have_in || s->cur || s->fv || s->pe || s->yv_o || s->pm_busy || s->pm_yv;
        if (!busy)
            return 0;
        if (s->par)
            step_par(s);
        else
            step(s);
        if (++idle > 10000000) /* the model itself is stuck: end the run (the check fails) */
            return 0;
    }
    *r = s->q[s->qh];
    s->qh = (s->qh + 1) % OUTQ;
    s->qn--;
    return 1;
}

static void fofir_describe(void *vs, const gm_rec *in, char *buf, size_t n)
{
    fst *s = vs;
    if (in->f[0].lo)
        snprintf(buf, n, "load h[%llu] = 0x%llx", (unsigned long long)in->f[1].lo,
                 (unsigned long long)in->f[2].lo);
    else
        snprintf(buf, n, "sample x = 0x%llx%s (record %lld)",
                 (unsigned long long)(in->f[2].lo & maskn(s->c.xw)),
                 in->f[3].lo ? ", last of row" : "", (long long)in->op);
}

static void fofir_close(void *vs)
{
    free(vs);
}

const gm_family gm_fofir_family = { fofir_blocks, fofir_open, fofir_next, fofir_describe,
                                    fofir_close };

/* ---------------------------------------------------------------- script mode */

int gm_fofir_script_run(const gm_fofir_cfg *c, const gm_rec *in, int64_t n,
                        int64_t *last_in_edge, int64_t *last_out_edge, int64_t *nout)
{
    fst *s;
    gm_rec r;
    int64_t li = -1, lo = -1, no = 0;
    if (n <= 0 || c->k < 1 || c->k > GM_FOFIR_MAX_K)
        return -1;
    s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    s->c = *c;
    s->profile = 1; /* no output stalls */
    s->script = in;
    s->nvec = n;
    s->iw = gm_clog2((uint64_t)c->k);
    if (s->iw < 1)
        s->iw = 1;
    s->fi_prec = s->fi_mode = s->fi_k = -1;
    {
        int nf = 4;
        if (c->mac.prec)
            s->fi_prec = nf++;
        if (c->mac.decomp == GM_DECOMP_BOTH)
            s->fi_mode = nf++;
        if (c->mac.approx)
            s->fi_k = nf++;
    }
    s->a_prev = -1;
    s->d_prev = -1;
    s->rowclr = 0; /* the state after a row clear: edge 0 can accept */
    s->pm_left = 1;
    make_input(s, &s->in);
    s->have_in = 1;
    while (fofir_next(s, &r)) {
        if (r.stream == 0)
            li = r.cycle;
        else {
            lo = r.cycle2;
            no++;
        }
    }
    free(s);
    if (last_in_edge)
        *last_in_edge = li;
    if (last_out_edge)
        *last_out_edge = lo;
    if (nout)
        *nout = no;
    return 0;
}
