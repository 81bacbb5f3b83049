/*
 * fcu.c -- descriptors of the fast-FIR convolution units: `fcu` (an L-parallel L-tap FFA,
 * or its direct-form baseline with ALG=direct) and `fcu_reconf` (two 3-parallel FCUs or one
 * 5-parallel FCU on one set of 15 multipliers, chosen per row at run time).
 *
 * Unlike the other blocks most of the Verilog here is computed, not written: the FFA
 * (golden/gm_ffa.c builds it and checks it is exact) gives the products and the pre- and
 * post-addition networks, and this file prints them as Verilog into the template's
 * @{DATAPATH} and @{WSUM} slots. Widths: samples, pre-added operands and weight sums are
 * sized for their exact range; products are exact; every post-addition signal is OW bits,
 * which is exact because the outputs are a polynomial with integer coefficients of the
 * inputs: computed modulo 2^OW at every step they equal the true outputs modulo 2^OW, and
 * OW = 0 picks the width that holds every true output (docs/fcu.md, "bit growth").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "gm_common.h"
#include "gm_fcu.h"
#include "gm_ffa.h"

static const char *const fcu_alg_names[] = { "ffa", "direct", NULL };

static const dnn_pdesc fcu_params[] = {
    { "L", "l", DNN_P_INT, 3, 2, 9, NULL,
      "block length = taps: L outputs of an L-tap FIR per cycle (prime L: interval products; "
      "4 = 2x2, 6 = 2x3, 8 = 2x2x2, 9 = 3x3 nest)" },
    { "XW", "xw", DNN_P_INT, 8, 2, 24, NULL, "sample width (two's complement)" },
    { "HW", "hw", DNN_P_INT, 8, 2, 24, NULL, "coefficient width (two's complement)" },
    { "OW", "ow", DNN_P_INT, 0, 0, 64, NULL,
      "output width: 0 = exact (holds every output), 2..64 wraps modulo 2^OW" },
    { "PIPE", "p", DNN_P_INT, 1, 0, 2, NULL,
      "register stages before the output register: 0 none, 1 after the products, 2 also "
      "after the pre-additions (latency PIPE+1)" },
    { "ALG", "alg", DNN_P_ENUM, 0, 0, 1, fcu_alg_names,
      "ffa: fast FIR algorithm; direct: L*L multipliers, same ports and timing (baseline and "
      "formal reference)" },
};

static const char *const fcu_faults[] = { "post", "delay", "ready", NULL };

/* ---------------------------------------------------------------- helpers */

static int bits_for(int64_t lo, int64_t hi) /* signed width holding [lo, hi] */
{
    int w = 1;
    while (w < 63 && (lo < -(INT64_C(1) << (w - 1)) || hi > (INT64_C(1) << (w - 1)) - 1))
        w++;
    return w;
}

/* Exact width of sum_k c_k v_k with every v_k in [-2^(w-1), 2^(w-1)-1]. */
static int form_width(const int64_t *c, int n, int w)
{
    int64_t lo = 0, hi = 0, mn = -(INT64_C(1) << (w - 1)), mx = (INT64_C(1) << (w - 1)) - 1;
    int k;
    for (k = 0; k < n; k++) {
        if (c[k] > 0) {
            lo += c[k] * mn;
            hi += c[k] * mx;
        } else if (c[k] < 0) {
            lo += c[k] * mx;
            hi += c[k] * mn;
        }
    }
    return bits_for(lo, hi);
}

/* A signal of width `from` as `to` bits: sign-extended or truncated (Verilator -Wall wants
 * every operand of an addition at the width of the result). */
static void ext(sbuf *b, const char *sig, int from, int to)
{
    if (from == to)
        sb_puts(b, sig);
    else if (from < to)
        sb_printf(b, "{{%d{%s[%d]}}, %s}", to - from, sig, from - 1, sig);
    else
        sb_printf(b, "%s[%d:0]", sig, to - 1);
}

/* "+ a", "- (a << k)" ... for coefficient c (canonical signed digits) on signal sig. */
static void emit_coef_term(sbuf *b, int64_t c, const char *sig, int from, int to, int *firstp)
{
    uint64_t v = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
    int neg = c < 0, sh = 0;
    while (v) {
        if (v & 1u) {
            int dneg = (v & 2u) != 0; /* ..11: digit -1 and a carry */
            int sgn = neg ^ dneg;
            if (dneg)
                v += 1u;
            else
                v -= 1u;
            if (*firstp)
                sb_puts(b, sgn ? "-" : "");
            else
                sb_puts(b, sgn ? " - " : " + ");
            if (sh) {
                sb_puts(b, "(");
                ext(b, sig, from, to);
                sb_printf(b, " << %d)", sh);
            } else {
                ext(b, sig, from, to);
            }
            *firstp = 0;
        }
        v >>= 1;
        sh++;
    }
}

/* ---------------------------------------------------------------- one FFA unit */

/* The signals of one FFA unit inside the module; names carry a prefix so the
 * reconfigurable unit can hold three of them. */
typedef struct unit {
    const char *pfx; /* "", "a_", "b_", "f_" */
    int l, xoff;     /* taps, first sample index */
    int woff;        /* first coefficient index */
    int poff;        /* first multiplier used */
    gm_ffa_alg alg;
    gm_ffa_net pre, post;
    int prew[GM_FFA_MAXN]; /* width of each pre-network symbol */
    int opw[GM_FFA_MAXP], wsw[GM_FFA_MAXP];
} unit;

static int unit_build(unit *u, int xw, int hw, char *err, size_t n)
{
    static int64_t form[GM_FFA_MAXN][GM_FFA_MAXL];
    int p, k, i;
    if (gm_ffa_build(u->l, &u->alg, err, n) || gm_ffa_pre_net(&u->alg, &u->pre, err, n) ||
        gm_ffa_post_net(&u->alg, &u->post, err, n))
        return -1;
    memset(form, 0, sizeof form);
    for (k = 0; k < u->pre.nin; k++) {
        form[k][k] = 1;
        u->prew[k] = xw;
    }
    for (i = 0; i < u->pre.nnode; i++) {
        const gm_ffa_node *nd = &u->pre.node[i];
        for (k = 0; k < u->l; k++)
            form[nd->sym][k] = form[nd->a][k] + nd->sign * form[nd->b][k];
        u->prew[nd->sym] = form_width(form[nd->sym], u->l, xw);
    }
    for (p = 0; p < u->alg.p; p++) {
        int64_t cv[GM_FFA_MAXL], cu[GM_FFA_MAXL];
        for (k = 0; k < u->l; k++) {
            cv[k] = u->alg.v[p][k];
            cu[k] = u->alg.u[p][k];
        }
        u->opw[p] = form_width(cv, u->l, xw);
        u->wsw[p] = form_width(cu, u->l, hw);
    }
    return 0;
}

static void pre_sym(const unit *u, int sym, char *buf, size_t n)
{
    if (sym < u->pre.nin)
        snprintf(buf, n, "x_%d", u->xoff + sym);
    else
        snprintf(buf, n, "%sxn_%d", u->pfx, sym);
}

/* Data pre-additions: nodes, then one operand wire per product. */
static void emit_pre(sbuf *b, const unit *u)
{
    int i, p;
    for (i = 0; i < u->pre.nnode; i++) {
        const gm_ffa_node *nd = &u->pre.node[i];
        char a[32], c[32];
        int w = u->prew[nd->sym];
        pre_sym(u, nd->a, a, sizeof a);
        pre_sym(u, nd->b, c, sizeof c);
        sb_printf(b, "  wire signed [%d:0] %sxn_%d = ", w - 1, u->pfx, nd->sym);
        ext(b, a, u->prew[nd->a], w);
        sb_puts(b, nd->sign > 0 ? " + " : " - ");
        ext(b, c, u->prew[nd->b], w);
        sb_puts(b, ";\n");
    }
    for (p = 0; p < u->alg.p; p++) {
        const gm_ffa_expr *e = &u->pre.out[p];
        int first = 1;
        sb_printf(b, "  wire signed [%d:0] %sxo_%d = ", u->opw[p] - 1, u->pfx, p);
        for (i = 0; i < 2 * e->n; i++) { /* positive terms first: no negation cell */
            char s[32];
            const gm_ffa_term *t = &e->t[i % e->n];
            if ((t->coef > 0) != (i < e->n))
                continue;
            pre_sym(u, t->sym, s, sizeof s);
            emit_coef_term(b, t->coef, s, u->prew[t->sym], u->opw[p], &first);
        }
        sb_puts(b, ";\n");
    }
}

/* Post-network symbol and its width: a product (at stage C), a node (OW bits), or the
 * delayed value of one (OW bits, zero at a row start). */
static int post_sym(const unit *u, const int *mcw, int ow, int sym, char *buf, size_t n)
{
    int d = sym >= GM_FFA_DLY, s = d ? sym - GM_FFA_DLY : sym;
    if (d) {
        snprintf(buf, n, "dq_%s%d", u->pfx, s);
        return ow;
    }
    if (s < u->post.nin) {
        snprintf(buf, n, "mc_%d", u->poff + s);
        return mcw[u->poff + s];
    }
    snprintf(buf, n, "%spn_%d", u->pfx, s);
    return ow;
}

static void delayed_used(const unit *u, unsigned char *used)
{
    int i, o;
    memset(used, 0, GM_FFA_MAXN);
    for (i = 0; i < u->post.nnode; i++) {
        if (u->post.node[i].a >= GM_FFA_DLY)
            used[u->post.node[i].a - GM_FFA_DLY] = 1;
        if (u->post.node[i].b >= GM_FFA_DLY)
            used[u->post.node[i].b - GM_FFA_DLY] = 1;
    }
    for (o = 0; o < u->post.nout; o++)
        for (i = 0; i < u->post.out[o].n; i++)
            if (u->post.out[o].t[i].sym >= GM_FFA_DLY)
                used[u->post.out[o].t[i].sym - GM_FFA_DLY] = 1;
}

/* Post-additions and the block-delay registers; outputs y_<pfx>i. fault: 1 flips the sign
 * of the first node, 2 leaves the delayed values ungated at a row start. */
static void emit_post(sbuf *b, const unit *u, const int *mcw, int ow, int fault)
{
    unsigned char used[GM_FFA_MAXN];
    int i, o, s;
    char a[40], c[40];
    delayed_used(u, used);
    for (s = 0; s < GM_FFA_MAXN; s++) {
        if (!used[s])
            continue;
        sb_printf(b, "  reg  signed [%d:0] d_%s%d;\n", ow - 1, u->pfx, s);
        if (fault == 2)
            sb_printf(b, "  wire signed [%d:0] dq_%s%d = d_%s%d;\n", ow - 1, u->pfx, s, u->pfx, s);
        else
            sb_printf(b, "  wire signed [%d:0] dq_%s%d = fc ? %d'sd0 : d_%s%d;\n", ow - 1,
                      u->pfx, s, ow, u->pfx, s);
    }
    for (i = 0; i < u->post.nnode; i++) {
        const gm_ffa_node *nd = &u->post.node[i];
        int sg = nd->sign, wa, wb;
        if (fault == 1 && i == 0)
            sg = -sg;
        wa = post_sym(u, mcw, ow, nd->a, a, sizeof a);
        wb = post_sym(u, mcw, ow, nd->b, c, sizeof c);
        sb_printf(b, "  wire signed [%d:0] %spn_%d = ", ow - 1, u->pfx, nd->sym);
        ext(b, a, wa, ow);
        sb_puts(b, sg > 0 ? " + " : " - ");
        ext(b, c, wb, ow);
        sb_puts(b, ";\n");
    }
    for (o = 0; o < u->post.nout; o++) {
        const gm_ffa_expr *e = &u->post.out[o];
        int first = 1;
        sb_printf(b, "  wire signed [%d:0] y_%s%d = ", ow - 1, u->pfx, o);
        for (i = 0; i < 2 * e->n; i++) { /* positive terms first: no negation cell */
            const gm_ffa_term *t = &e->t[i % e->n];
            int w;
            if ((t->coef > 0) != (i < e->n))
                continue;
            w = post_sym(u, mcw, ow, t->sym, a, sizeof a);
            emit_coef_term(b, t->coef, a, w, ow, &first);
        }
        if (first)
            sb_printf(b, "%d'sd0", ow);
        sb_puts(b, ";\n");
    }
    /* the delay registers take this block's values when it reaches the output register */
    sb_puts(b, "  always @(posedge clk)\n    if (adv && vc) begin\n");
    for (s = 0; s < GM_FFA_MAXN; s++) {
        if (!used[s])
            continue;
        if (s < u->post.nin) {
            char m[32];
            snprintf(m, sizeof m, "mc_%d", u->poff + s);
            sb_printf(b, "      d_%s%d <= ", u->pfx, s);
            ext(b, m, mcw[u->poff + s], ow);
            sb_puts(b, ";\n");
        } else {
            sb_printf(b, "      d_%s%d <= %spn_%d;\n", u->pfx, s, u->pfx, s);
        }
    }
    sb_puts(b, "    end\n");
}

/* ---------------------------------------------------------------- the module body */

typedef struct fcu_cfg {
    int reconf, l, xw, hw, ow, pipe, direct, iw;
    int fault; /* 0 none, 1 post, 2 delay, 3 ready */
    int nmul, pre_adds, post_adds, wadds, dregs;
} fcu_cfg;

static void cfg_of(const dnn_design *d, fcu_cfg *c)
{
    gm_fcu_cfg g;
    memset(c, 0, sizeof *c);
    memset(&g, 0, sizeof g);
    c->reconf = strcmp(d->blk->name, "fcu_reconf") == 0;
    c->l = c->reconf ? 6 : (int)dnn_param(d, "L");
    c->xw = (int)dnn_param(d, "XW");
    c->hw = (int)dnn_param(d, "HW");
    c->pipe = (int)dnn_param(d, "PIPE");
    c->direct = c->reconf ? 0 : (int)dnn_param(d, "ALG") == 1;
    g.l = c->l;
    g.xw = c->xw;
    g.hw = c->hw;
    g.ow = (int)dnn_param(d, "OW");
    g.reconf = c->reconf;
    c->ow = gm_fcu_out_width(&g);
    c->iw = gm_clog2((uint64_t)c->l);
    c->fault = strcmp(d->fault, "post") == 0    ? 1
               : strcmp(d->fault, "delay") == 0 ? 2
               : strcmp(d->fault, "ready") == 0 ? 3
                                                : 0;
}

static int fcu_check(const dnn_design *d, char *err, size_t n)
{
    if (dnn_param(d, "OW") == 1) {
        snprintf(err, n, "%s: OW=1 is too narrow (legal: 0 = exact, or 2..64)", d->blk->name);
        return DNN_EUSAGE;
    }
    return 0;
}

/* A pipeline register (loaded whenever the pipeline advances) or a plain alias. */
static void emit_stage(sbuf *b, const char *dst, int w, int on)
{
    if (on)
        sb_printf(b, "  reg  signed [%d:0] %s;\n", w - 1, dst);
    else
        sb_printf(b, "  wire signed [%d:0] %s;\n", w - 1, dst);
}

static void emit_stage_load(sbuf *b, const char *dst, const char *src, int on)
{
    if (on)
        sb_printf(b, "  always @(posedge clk) if (adv) %s <= %s;\n", dst, src);
    else
        sb_printf(b, "  assign %s = %s;\n", dst, src);
}

/* Coefficient registers and the weight sums, written at a coefficient write from the new
 * values (so a block accepted right after a write already uses them). */
static void emit_weights(sbuf *b, const fcu_cfg *c, unit *const *units, int nunits)
{
    int k, i, p;
    for (k = 0; k < c->l; k++) {
        sb_printf(b, "  reg  signed [%d:0] h_%d;\n", c->hw - 1, k);
        sb_printf(b, "  wire signed [%d:0] hn_%d = (ld && in_idx == %d'd%d) ? in_w : h_%d;\n",
                  c->hw - 1, k, c->iw, k, k);
    }
    for (i = 0; i < nunits; i++)
        for (p = 0; p < units[i]->alg.p; p++)
            sb_printf(b, "  reg  signed [%d:0] ws_%s%d;\n", units[i]->wsw[p] - 1,
                      units[i]->pfx, p);
    sb_puts(b, "  always @(posedge clk)\n    if (ld) begin\n");
    for (k = 0; k < c->l; k++)
        sb_printf(b, "      h_%d <= hn_%d;\n", k, k);
    for (i = 0; i < nunits; i++) {
        const unit *u = units[i];
        for (p = 0; p < u->alg.p; p++) {
            int first = 1;
            sb_printf(b, "      ws_%s%d <= ", u->pfx, p);
            for (k = 0; k < u->l; k++)
                if (u->alg.u[p][k]) {
                    char s[40];
                    snprintf(s, sizeof s, "hn_%d", u->woff + k);
                    emit_coef_term(b, u->alg.u[p][k], s, c->hw, u->wsw[p], &first);
                }
            sb_puts(b, ";\n");
        }
    }
    sb_puts(b, "    end\n");
}

static int emit_ffa(sbuf *b, fcu_cfg *c, char *err, size_t n)
{
    unit *u[3] = { NULL, NULL, NULL };
    int nu = c->reconf ? 3 : 1, i, p, rc = -1, mcw[GM_FFA_MAXP];
    for (i = 0; i < nu; i++) {
        u[i] = calloc(1, sizeof *u[i]);
        if (!u[i]) {
            snprintf(err, n, "out of memory");
            goto out;
        }
    }
    u[0]->pfx = "";
    u[0]->l = c->l;
    if (c->reconf) { /* f_: 5-parallel on multipliers 0..14; a_, b_: 3-parallel on 0..11 */
        u[0]->pfx = "f_";
        u[0]->l = 5;
        u[1]->pfx = "a_";
        u[1]->l = 3;
        u[2]->pfx = "b_";
        u[2]->l = 3;
        u[2]->xoff = u[2]->woff = 3;
        u[2]->poff = 6;
    }
    for (i = 0; i < nu; i++) {
        if (unit_build(u[i], c->xw, c->hw, err, n))
            goto out;
        c->pre_adds += gm_ffa_net_adders(&u[i]->pre);
        c->post_adds += gm_ffa_net_adders(&u[i]->post);
        for (p = 0; p < u[i]->alg.p; p++) {
            int k, t = 0;
            for (k = 0; k < u[i]->l; k++)
                t += u[i]->alg.u[p][k] != 0;
            c->wadds += t - 1;
        }
    }
    c->nmul = u[0]->alg.p;
    emit_weights(b, c, u, nu);
    sb_puts(b, "\n  // ------------------------------------------------ pre-additions (stage A)\n");
    for (i = 0; i < nu; i++)
        emit_pre(b, u[i]);
    sb_puts(b, "\n  // ------------------------------------------------ products (stage B)\n");
    for (p = 0; p < c->nmul; p++) {
        const unit *t = !c->reconf ? NULL : p < 6 ? u[1] : p < 12 ? u[2] : NULL;
        int tp = p < 6 ? p : p - 6, xwp = u[0]->opw[p], wwp = u[0]->wsw[p], trunc;
        char nm[48];
        if (t) {
            xwp = xwp > t->opw[tp] ? xwp : t->opw[tp];
            wwp = wwp > t->wsw[tp] ? wwp : t->wsw[tp];
        }
        mcw[p] = xwp + wwp;
        snprintf(nm, sizeof nm, "xb_%d", p);
        /* an operand wider than OW: its top bits are dropped on purpose (products modulo
         * 2^OW), which Verilator's -Wall reports as unused bits */
        trunc = mcw[p] > c->ow && (xwp > c->ow || wwp > c->ow);
        if (trunc)
            sb_puts(b, "  /* verilator lint_off UNUSEDSIGNAL */\n");
        emit_stage(b, nm, xwp, c->pipe == 2);
        if (!c->reconf) {
            sb_printf(b, c->pipe == 2 ? "  always @(posedge clk) if (adv) xb_%d <= xo_%d;\n"
                                      : "  assign xb_%d = xo_%d;\n", p, p);
            sb_printf(b, "  wire signed [%d:0] wb_%d = ws_%d;\n", wwp - 1, p, p);
        } else {
            char f[32], g[32];
            snprintf(f, sizeof f, "f_xo_%d", p);
            sb_printf(b, c->pipe == 2 ? "  always @(posedge clk) if (adv) xb_%d <= md_a ? "
                                      : "  assign xb_%d = md_a ? ", p);
            ext(b, f, u[0]->opw[p], xwp);
            sb_puts(b, " : ");
            if (t) {
                snprintf(g, sizeof g, "%sxo_%d", t->pfx, tp);
                ext(b, g, t->opw[tp], xwp);
            } else {
                sb_printf(b, "%d'sd0", xwp);
            }
            sb_puts(b, ";\n");
            sb_printf(b, "  wire signed [%d:0] wb_%d = ", wwp - 1, p);
            snprintf(f, sizeof f, "ws_f_%d", p);
            if (t) {
                sb_puts(b, "md_b ? ");
                ext(b, f, u[0]->wsw[p], wwp);
                sb_puts(b, " : ");
                snprintf(g, sizeof g, "ws_%s%d", t->pfx, tp);
                ext(b, g, t->wsw[tp], wwp);
            } else {
                ext(b, f, u[0]->wsw[p], wwp);
            }
            sb_puts(b, ";\n");
        }
        if (mcw[p] > c->ow) { /* only the low OW bits matter: the products modulo 2^OW */
            char xs[40], wsn[40];
            mcw[p] = c->ow;
            snprintf(xs, sizeof xs, "xb_%d", p);
            snprintf(wsn, sizeof wsn, "wb_%d", p);
            sb_printf(b, "  wire signed [%d:0] m_%d = $signed(", mcw[p] - 1, p);
            ext(b, xs, xwp, mcw[p]);
            sb_puts(b, ") * $signed(");
            ext(b, wsn, wwp, mcw[p]);
            sb_puts(b, ");\n");
        } else {
            sb_printf(b, "  wire signed [%d:0] m_%d = xb_%d * wb_%d;\n", mcw[p] - 1, p, p, p);
        }
        if (trunc)
            sb_puts(b, "  /* verilator lint_on UNUSEDSIGNAL */\n");
        snprintf(nm, sizeof nm, "mc_%d", p);
        emit_stage(b, nm, mcw[p], c->pipe >= 1);
        sb_printf(b, c->pipe >= 1 ? "  always @(posedge clk) if (adv) mc_%d <= m_%d;\n"
                                  : "  assign mc_%d = m_%d;\n", p, p);
    }
    sb_puts(b, "\n  // ------------------------------------------------ post-additions (stage C)\n");
    for (i = 0; i < nu; i++) {
        unsigned char used[GM_FFA_MAXN];
        int s;
        emit_post(b, u[i], mcw, c->ow, c->fault == 1 || c->fault == 2 ? c->fault : 0);
        delayed_used(u[i], used);
        for (s = 0; s < GM_FFA_MAXN; s++)
            c->dregs += used[s];
    }
    rc = 0;
out:
    for (i = 0; i < nu; i++)
        free(u[i]);
    return rc;
}

/* Direct form: y_i = sum_k h_k x[i-k], x[i-k] from the previous block (zero at a row start)
 * when i < k; L*L multipliers, L-1 adders per output, the previous block's samples held. */
static void emit_direct(sbuf *b, fcu_cfg *c)
{
    int L = c->l, i, k, pw = c->xw + c->hw;
    char nm[48];
    for (k = 0; k < L; k++) {
        sb_printf(b, "  reg  signed [%d:0] h_%d;\n", c->hw - 1, k);
        sb_printf(b, "  always @(posedge clk) if (ld && in_idx == %d'd%d) h_%d <= in_w;\n", c->iw,
                  k, k);
    }
    sb_puts(b, "\n  // ------------------------------------------------ the previous block\n");
    for (k = 1; k < L; k++) {
        sb_printf(b, "  reg  signed [%d:0] dx_%d;\n", c->xw - 1, k);
        sb_printf(b, "  always @(posedge clk) if (blk) dx_%d <= x_%d;\n", k, k);
        if (c->fault == 2)
            sb_printf(b, "  wire signed [%d:0] xd_%d = dx_%d;\n", c->xw - 1, k, k);
        else
            sb_printf(b, "  wire signed [%d:0] xd_%d = f0 ? %d'sd0 : dx_%d;\n", c->xw - 1, k,
                      c->xw, k);
    }
    sb_puts(b, "\n  // ------------------------------------------------ operands (stage A)\n");
    for (k = 0; k < L; k++) {
        char src[40];
        snprintf(nm, sizeof nm, "xb_%d", k);
        snprintf(src, sizeof src, "x_%d", k);
        emit_stage(b, nm, c->xw, c->pipe == 2);
        emit_stage_load(b, nm, src, c->pipe == 2);
        if (k > 0) {
            snprintf(nm, sizeof nm, "xbd_%d", k);
            snprintf(src, sizeof src, "xd_%d", k);
            emit_stage(b, nm, c->xw, c->pipe == 2);
            emit_stage_load(b, nm, src, c->pipe == 2);
        }
    }
    sb_puts(b, "\n  // ------------------------------------------------ products (stage B)\n");
    for (i = 0; i < L; i++)
        for (k = 0; k < L; k++) {
            char src[48];
            if (i >= k)
                sb_printf(b, "  wire signed [%d:0] m_%d_%d = xb_%d * h_%d;\n", pw - 1, i, k,
                          i - k, k);
            else
                sb_printf(b, "  wire signed [%d:0] m_%d_%d = xbd_%d * h_%d;\n", pw - 1, i, k,
                          i - k + L, k);
            snprintf(nm, sizeof nm, "mc_%d_%d", i, k);
            snprintf(src, sizeof src, "m_%d_%d", i, k);
            emit_stage(b, nm, pw, c->pipe >= 1);
            emit_stage_load(b, nm, src, c->pipe >= 1);
        }
    sb_puts(b, "\n  // ------------------------------------------------ sums (stage C)\n");
    for (i = 0; i < L; i++) {
        sb_printf(b, "  wire signed [%d:0] y_%d = ", c->ow - 1, i);
        for (k = 0; k < L; k++) {
            if (k)
                sb_puts(b, c->fault == 1 && i == 0 && k == 1 ? " - " : " + ");
            snprintf(nm, sizeof nm, "mc_%d_%d", i, k);
            ext(b, nm, pw, c->ow);
        }
        sb_puts(b, ";\n");
    }
    c->nmul = L * L;
    c->post_adds = L * (L - 1);
    c->dregs = L - 1;
}

/* Stage valid / first (/ mode) registers: vc, fc (and md_a, md_b, md_c) at the stages that
 * use them. */
static void emit_ctrl(sbuf *b, const fcu_cfg *c)
{
    int s;
    for (s = 1; s <= c->pipe; s++) {
        sb_printf(b, "  reg v%d_q;\n", s);
        if (!c->direct)
            sb_printf(b, "  reg f%d_q;\n", s);
        if (c->reconf)
            sb_printf(b, "  reg m%d_q;\n", s);
    }
    if (c->pipe) {
        sb_puts(b, "  always @(posedge clk or negedge rst_n)\n    if (!rst_n) begin\n");
        for (s = 1; s <= c->pipe; s++)
            sb_printf(b, "      v%d_q <= 1'b0;\n", s);
        sb_puts(b, "    end else if (adv) begin\n      v1_q <= blk;\n");
        for (s = 2; s <= c->pipe; s++)
            sb_printf(b, "      v%d_q <= v%d_q;\n", s, s - 1);
        sb_puts(b, "    end\n");
        if (!c->direct) {
            sb_puts(b, "  always @(posedge clk)\n    if (adv) begin\n      f1_q <= f0;\n");
            for (s = 2; s <= c->pipe; s++)
                sb_printf(b, "      f%d_q <= f%d_q;\n", s, s - 1);
        }
        if (c->reconf) {
            sb_puts(b, "      m1_q <= in_mode;\n");
            for (s = 2; s <= c->pipe; s++)
                sb_printf(b, "      m%d_q <= m%d_q;\n", s, s - 1);
        }
        if (!c->direct)
            sb_puts(b, "    end\n");
        sb_printf(b, "  wire vc = v%d_q;\n", c->pipe);
        if (!c->direct)
            sb_printf(b, "  wire fc = f%d_q;\n", c->pipe);
    } else {
        sb_puts(b, "  wire vc = blk;\n");
        if (!c->direct)
            sb_puts(b, "  wire fc = f0;\n");
    }
    if (c->reconf) {
        sb_puts(b, "  wire md_a = in_mode;\n");
        sb_printf(b, "  wire md_b = %s;\n", c->pipe == 2 ? "m1_q" : "in_mode");
        sb_printf(b, "  wire md_c = %s;\n", c->pipe ? (c->pipe == 2 ? "m2_q" : "m1_q") : "in_mode");
    }
}

static int fcu_vars(const dnn_design *d, dnn_tvars *tv, char *err, size_t n)
{
    fcu_cfg c;
    sbuf dp, xp, yp, yr, ctrl;
    int i, rc = 0;
    cfg_of(d, &c);
    sb_init(&dp);
    sb_init(&xp);
    sb_init(&yp);
    sb_init(&yr);
    sb_init(&ctrl);
    for (i = 0; i < c.l; i++) {
        sb_printf(&xp, "  input  wire [%d:0]%*s in_x%d,\n", c.xw - 1, c.xw > 10 ? 11 : 12, "", i);
        sb_printf(&yp, "  output wire [%d:0]%*s out_y%d%s\n", c.ow - 1, c.ow > 10 ? 11 : 12, "",
                  i, i + 1 < c.l ? "," : "");
        sb_printf(&dp, "  wire signed [%d:0] x_%d = in_x%d;\n", c.xw - 1, i, i);
    }
    if (c.direct)
        emit_direct(&dp, &c);
    else if (emit_ffa(&dp, &c, err, n))
        rc = DNN_EUSAGE;
    emit_ctrl(&ctrl, &c);
    for (i = 0; i < c.l; i++) {
        sb_printf(&yr, "  reg [%d:0] yq_%d;\n", c.ow - 1, i);
        sb_printf(&yr, "  assign out_y%d = yq_%d;\n", i, i);
    }
    sb_puts(&yr, "  always @(posedge clk)\n    if (adv && vc) begin\n");
    for (i = 0; i < c.l; i++) {
        if (!c.reconf)
            sb_printf(&yr, "      yq_%d <= y_%d;\n", i, i);
        else if (i < 5)
            sb_printf(&yr, "      yq_%d <= md_c ? y_f_%d : y_%s%d;\n", i, i, i < 3 ? "a_" : "b_",
                      i % 3);
        else
            sb_printf(&yr, "      yq_%d <= md_c ? %d'd0 : y_b_2;\n", i, c.ow);
    }
    sb_puts(&yr, "    end\n");
    tv_set(tv, "BLOCK", d->blk->name);
    tv_setf(tv, "XW", "%d", c.xw);
    tv_setf(tv, "HW", "%d", c.hw);
    tv_setf(tv, "OW", "%d", c.ow);
    tv_setf(tv, "IW", "%d", c.iw);
    tv_setf(tv, "L", "%d", c.l);
    tv_set(tv, "XPORTS", xp.s ? xp.s : "");
    tv_set(tv, "YPORTS", yp.s ? yp.s : "");
    tv_set(tv, "DATAPATH", dp.s ? dp.s : "");
    tv_set(tv, "CTRL", ctrl.s ? ctrl.s : "");
    tv_set(tv, "OUTREGS", yr.s ? yr.s : "");
    tv_setf(tv, "COUNTS",
            "%d multipliers, %d data pre-adders, %d post-adders, %d weight pre-adders (run at "
            "a coefficient write only), %d block-delay registers",
            c.nmul, c.pre_adds, c.post_adds, c.wadds, c.dregs);
    tv_set(tv, "ALGDESC",
           c.reconf ? "reconfigurable FFA: two 3-parallel FCUs or one 5-parallel FCU, per row"
           : c.direct ? "direct form (L*L multipliers), the FFA's baseline"
                      : "fast FIR algorithm (FFA)");
    tv_flag(tv, "RECONF", c.reconf);
    tv_flag(tv, "FAULT_READY", c.fault == 3);
    if (dp.oom || xp.oom || yp.oom || yr.oom || ctrl.oom) {
        snprintf(err, n, "out of memory");
        rc = DNN_ETOOL;
    }
    sb_free(&dp);
    sb_free(&xp);
    sb_free(&yp);
    sb_free(&yr);
    sb_free(&ctrl);
    return rc;
}

const dnn_block dnn_block_fcu = {
    "fcu",
    "fast-FIR convolution unit: L outputs of an L-tap FIR per cycle from the FFA's sub-filter "
    "products (6 for L=3, 15 for L=5, 28 for L=7); ALG=direct is the L*L-multiplier baseline",
    fcu_params,
    6,
    fcu_faults,
    "stall-all pipeline: in_ready = !out_valid || out_ready; a block accepted at edge e is in "
    "the output register PIPE advancing edges later, out_valid from the next edge; one block "
    "per cycle; a coefficient write takes effect at its accept edge and starts a new row "
    "(model: golden/gm_fcu_gen.c)",
    "docs/fcu.md",
    fcu_check,
    fcu_vars,
    "fcu.v",
    NULL,
    NULL,
};

const dnn_block dnn_block_fcu_reconf = {
    "fcu_reconf",
    "reconfigurable FCU: per row, two 3-parallel 3-tap FFAs or one 5-parallel 5-tap FFA on "
    "one set of 15 multipliers",
    fcu_params + 1, /* XW, HW, OW, PIPE */
    4,
    fcu_faults,
    "as fcu: stall-all pipeline, one block per cycle; a mode change, like a coefficient write "
    "or a block marked last, starts a new row (model: golden/gm_fcu_gen.c)",
    "docs/fcu.md",
    fcu_check,
    fcu_vars,
    "fcu.v",
    NULL,
    NULL,
};
