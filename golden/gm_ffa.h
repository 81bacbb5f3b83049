/*
 * gm_ffa.h -- the fast FIR algorithm (FFA) as algebra: a bilinear algorithm for the linear
 * convolution of two length-L blocks, and the adder networks that evaluate it.
 *
 * An L-parallel, L-tap FFA computes the block coefficients c_m = sum_{j+k=m} h_j x_k
 * (m = 0..2L-2) of one input block with P products
 *     M_p = (sum_j U[p][j] h_j) * (sum_k V[p][k] x_k),   c_m = sum_p C[m][p] M_p,
 * and outputs Y_i = c_i + z^-1 c_{i+L} (i < L-1), Y_{L-1} = c_{L-1}: z^-1 is the previous
 * block of the same row. For a prime L the products are the L(L+1)/2 contiguous-interval
 * products M(i,j) = (h_i+..+h_j)(x_i+..+x_j) (cross terms h_i x_j + h_j x_i = M(i,j) -
 * M(i+1,j) - M(i,j-1) + M(i+1,j-1)); a composite L = L1*L2 nests the L1 algorithm over
 * polyphase components of the L2 one (4 = 2x2: 9 products, 6 = 2x3: 18, 9 = 3x3: 36).
 * gm_ffa_build checks the result is exact (sum_p C[m][p] U[p][j] V[p][k] == [j+k == m] for
 * every j, k, m) before returning it, so no construction error can reach the RTL.
 *
 * The networks are found by common-subexpression elimination (greedy: the pair of terms
 * that occurs most often becomes a node). For the post-additions a pair of delayed terms
 * z^-1 a +/- z^-1 b is the same pattern as a +/- b: its node is computed once and its
 * delayed copy is a register, not an adder. Coefficients of magnitude 2^s are shifts (free);
 * others are expanded in canonical signed digits. This reproduces the published 3-parallel
 * FCU (6 products, 10 adders) and needs 31 adders for L = 5 and 57 for L = 7 (published:
 * 31 and 58). The generator (gen/fcu.c) emits Verilog from these networks; the golden
 * value model of the FCU is the direct FIR (gm_fcu.h), not this.
 */
#ifndef GM_FFA_H
#define GM_FFA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GM_FFA_MAXL 9
#define GM_FFA_MAXP 45            /* L(L+1)/2 for the interval algorithm, at most 45 */
#define GM_FFA_MAXN 512           /* symbols of a network: inputs plus created nodes */
#define GM_FFA_DLY 4096           /* symbol + GM_FFA_DLY: its value one block earlier */

typedef struct gm_ffa_alg {
    int l, p;                                 /* block length, products */
    int8_t u[GM_FFA_MAXP][GM_FFA_MAXL];       /* weight pre-addition (0/1 after nesting) */
    int8_t v[GM_FFA_MAXP][GM_FFA_MAXL];       /* data pre-addition */
    int c[2 * GM_FFA_MAXL - 1][GM_FFA_MAXP];  /* post-addition: block coefficients */
} gm_ffa_alg;

/* A term of an expression: coef * symbol; symbol < GM_FFA_DLY is a current value,
 * symbol >= GM_FFA_DLY the delayed (previous block) value of symbol - GM_FFA_DLY. */
typedef struct gm_ffa_term {
    int sym;
    int coef;
} gm_ffa_term;

#define GM_FFA_MAXT 128

typedef struct gm_ffa_expr {
    int n;
    gm_ffa_term t[GM_FFA_MAXT];
} gm_ffa_expr;

/* A node: sym = a + sign * b (a, b symbols, possibly delayed). */
typedef struct gm_ffa_node {
    int sym, a, b, sign;
} gm_ffa_node;

/* An adder network: nin input symbols (0..nin-1), nodes in evaluation order, and nout
 * output expressions over inputs and nodes. */
typedef struct gm_ffa_net {
    int nin, nnode, nout;
    gm_ffa_node node[GM_FFA_MAXN];
    gm_ffa_expr out[GM_FFA_MAXP];
} gm_ffa_net;

/* Build the algorithm for L = 2..9; 0, or -1 with a message (bad L or not exact). */
int gm_ffa_build(int l, gm_ffa_alg *a, char *err, size_t n);
/* The data pre-addition network: inputs x_0..x_{L-1}, outputs the P operands V x. */
int gm_ffa_pre_net(const gm_ffa_alg *a, gm_ffa_net *net, char *err, size_t n);
/* The post-addition network: inputs M_0..M_{P-1} (and their delayed values), outputs
 * Y_0..Y_{L-1}. */
int gm_ffa_post_net(const gm_ffa_alg *a, gm_ffa_net *net, char *err, size_t n);
/* Adders the network needs: one per node plus (terms - 1) per output, a term being a
 * canonical-signed-digit of a coefficient, plus one negation for an output with no
 * positive term. */
int gm_ffa_net_adders(const gm_ffa_net *net);
/* Non-zero digits of |c| in canonical signed-digit form. */
int gm_ffa_csd_digits(int64_t c);
/* Evaluate a network (wrapping int64 arithmetic: exact while the values fit):
 * in[i] the current inputs, din[i] their values one block earlier; out[] the outputs. */
void gm_ffa_net_eval(const gm_ffa_net *net, const int64_t *in, const int64_t *din, int64_t *out);

#ifdef __cplusplus
}
#endif
#endif
