/*
 * test_stride2.c -- stride-2 convolution on stride-1 layers (golden/gm_stride2.c): on random
 * layers (kernels 1..8, odd and even input sizes, signed and unsigned inputs) the phase
 * layer (every allowed sub-kernel size) and the decimated layer give the direct stride-2
 * convolution at every output, computed here by a loop of its own; the check reports a
 * difference when one weight of the phase layer or one input of a phase is changed.
 */
#include <stdio.h>
#include <string.h>

#include "gm_stride2.h"

#include "check.h"

/* the stride-2 output, written here: sum over the window at (2y, 2x) */
static int64_t ref(const gm_layer *L, int o, int y, int x)
{
    int64_t s = 0;
    int ci, kr, kc;
    for (ci = 0; ci < L->cin; ci++)
        for (kr = 0; kr < L->k; kr++)
            for (kc = 0; kc < L->k; kc++)
                s += GM_LAYER_W(L, o, ci, kr, kc) * GM_LAYER_X(L, ci, 2 * y + kr, 2 * x + kc);
    return s;
}

int main(void)
{
    char err[256], what[160];
    int t;
    for (t = 0; t < 60; t++) {
        gm_layer L, P;
        int k = 1 + t % 8, h = k + (t * 7) % 9, w = k + (t * 5) % 10, kp, o, y, x;
        long checked = 0, bad;
        if (gm_layer_random(&L, 1 + t % 3, 1 + t % 4, h, w, k, 8, 8, t % 2, 0.3, 0.0, 0.3,
                            (uint64_t)t + 1, err, sizeof err)) {
            printf("FAIL random layer: %s\n", err);
            return 1;
        }
        snprintf(what, sizeof what, "layer %d: k=%d %dx%d", t, k, h, w);
        check(gm_stride2_oh(&L) == (h - k) / 2 + 1 && gm_stride2_ow(&L) == (w - k) / 2 + 1, what);
        for (o = 0; o < L.cout; o++)
            for (y = 0; y < gm_stride2_oh(&L); y++)
                for (x = 0; x < gm_stride2_ow(&L); x++)
                    check(gm_val_eq(gm_stride2_direct(&L, 64, o, y, x),
                                    gm_val_mask(gm_val_from_i64(ref(&L, o, y, x)), 64)), what);
        bad = gm_stride2_check(&L, &L, GM_S2_DECIMATE, 64, &checked);
        check(bad == 0 && checked == (long)L.cout * gm_stride2_oh(&L) * gm_stride2_ow(&L), what);
        for (kp = (k + 1) / 2; kp <= (k + 1) / 2 + 2; kp++) {
            int i;
            if (gm_stride2_phase(&L, kp, &P, err, sizeof err)) {
                printf("FAIL phase: %s\n", err);
                return 1;
            }
            check(P.cin == 4 * L.cin && P.k == kp && P.h == gm_stride2_oh(&L) + kp - 1, what);
            bad = gm_stride2_check(&L, &P, GM_S2_PHASE, 64, &checked);
            check(bad == 0 && checked > 0, what);
            /* a changed real tap (phase (0,0), channel 0, tap (0,0)) must be seen */
            GM_LAYER_W(&P, 0, 0, 0, 0) += 1;
            {
                int nz = 0; /* caught unless every input that tap reads is zero */
                for (y = 0; y < gm_stride2_oh(&L); y++)
                    for (x = 0; x < gm_stride2_ow(&L); x++)
                        nz |= GM_LAYER_X(&L, 0, 2 * y, 2 * x) != 0;
                check((gm_stride2_check(&L, &P, GM_S2_PHASE, 64, &checked) > 0) == nz,
                      "changed weight caught");
            }
            GM_LAYER_W(&P, 0, 0, 0, 0) -= 1;
            /* a changed input of the last phase that a real tap reads */
            if (k > 1) {
                i = 3 * L.cin;
                GM_LAYER_X(&P, i, 0, 0) += 1;
                check(gm_stride2_check(&L, &P, GM_S2_PHASE, 64, &checked) > 0 ||
                          GM_LAYER_W(&L, 0, 0, 1, 1) == 0, "changed phase input caught");
                GM_LAYER_X(&P, i, 0, 0) -= 1;
            }
            /* the phases in the wrong channel order */
            if (k > 1 && L.cin == 1) {
                gm_layer Q = P;
                int64_t tmp;
                size_t j, plane = (size_t)P.h * (size_t)P.w;
                for (j = 0; j < plane; j++) {
                    tmp = Q.in[j];
                    Q.in[j] = Q.in[plane + j];
                    Q.in[plane + j] = tmp;
                }
                check(gm_stride2_check(&L, &Q, GM_S2_PHASE, 64, &checked) > 0 ||
                          memcmp(Q.in, Q.in + plane, plane * sizeof *Q.in) == 0,
                      "swapped phases caught");
                for (j = 0; j < plane; j++) {
                    tmp = Q.in[j];
                    Q.in[j] = Q.in[plane + j];
                    Q.in[plane + j] = tmp;
                }
            }
            gm_layer_free(&P);
        }
        check(gm_stride2_phase(&L, (k + 1) / 2 - 1, &P, err, sizeof err) == -1 || k < 2,
              "too small a phase kernel refused");
        gm_layer_free(&L);
    }
    return check_done("test_stride2");
}
