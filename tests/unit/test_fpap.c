/*
 * test_fpap.c -- the FPAP array's models agree with each other:
 *   - the co-simulation stream (gm_fpap_gen.c, profile layer:FILE) ends at the edge
 *     gm_fpap_predict(exact) computes, for random layers and random channel orders;
 *   - with non-zero activations and weight decomposition the weights-only estimate is
 *     exact; with zero activations it is an upper bound;
 *   - every output of the stream is the direct convolution (gm_layer_conv), in the
 *     documented order.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gm_fpap.h"
#include "gm_stream.h"

static long pass, fail;

#define CHECK(c, ...)                                                                          \
    do {                                                                                       \
        if (c)                                                                                 \
            pass++;                                                                            \
        else {                                                                                 \
            fail++;                                                                            \
            if (fail < 20) {                                                                   \
                printf("FAIL %s:%d: ", __FILE__, __LINE__);                                    \
                printf(__VA_ARGS__);                                                           \
                printf("\n");                                                                  \
            }                                                                                  \
        }                                                                                      \
    } while (0)

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

int main(void)
{
    gm_rng rng;
    int it;
    char dir[] = "/tmp/test_fpap.XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    gm_rng_seed(&rng, 12345);
    for (it = 0; it < 60; it++) {
        gm_fpap_cfg a;
        gm_layer L;
        char err[256], lpath[256], opath[256], prof[600], *js;
        int R = 1 + (int)gm_rng_below(&rng, 3), C = 1 + (int)gm_rng_below(&rng, 4);
        int G = 1 + (int)gm_rng_below(&rng, 3), K = 1 + (int)gm_rng_below(&rng, 4);
        int W = K + (int)gm_rng_below(&rng, 8), dense = it % 2 == 0;
        int cin = 1 + (int)gm_rng_below(&rng, 5), cout = 1 + (int)gm_rng_below(&rng, 9);
        int h = K + (int)gm_rng_below(&rng, 5), i, *order;
        int decomp = dense ? GM_DECOMP_WD : (int)gm_rng_below(&rng, 3);
        gm_param ps[10];
        gm_gen *g;
        gm_rec r;
        int64_t last = -1, pred, est, nout = 0, o_y = 0;
        memset(&a, 0, sizeof a);
        a.r = R;
        a.c = C;
        a.g = G;
        a.wmax = W + 2;
        a.pe.k = K;
        a.pe.xw = 6;
        a.pe.hw = 7;
        a.pe.signed_x = 1;
        a.pe.mac.n = 7;
        a.pe.mac.acc = 24;
        a.pe.mac.signed_a = 1;
        a.pe.mac.decomp = decomp;
        if (gm_layer_random(&L, cin, cout, h, W, K, 6, 7, 1, dense ? 0.3 : 0.6, 0.2, dense ? 0.0 : 0.5,
                            gm_rng_next(&rng), err, sizeof err)) {
            printf("FAIL random layer: %s\n", err);
            return 1;
        }
        order = malloc((size_t)cout * sizeof *order);
        for (i = 0; i < cout; i++)
            order[i] = i;
        for (i = cout - 1; i > 0; i--) {
            int j = (int)gm_rng_below(&rng, (uint64_t)i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        snprintf(lpath, sizeof lpath, "%s/layer%d.json", dir, it);
        snprintf(opath, sizeof opath, "%s/order%d.txt", dir, it);
        js = gm_layer_to_json(&L);
        write_text(lpath, js);
        free(js);
        {
            FILE *f = fopen(opath, "w");
            for (i = 0; i < cout; i++)
                fprintf(f, "%d\n", order[i]);
            fclose(f);
        }
        snprintf(prof, sizeof prof, "layer:%s,order=%s", lpath, opath);
        i = 0;
        ps[i].name = "R"; ps[i++].value = R;
        ps[i].name = "C"; ps[i++].value = C;
        ps[i].name = "G"; ps[i++].value = G;
        ps[i].name = "K"; ps[i++].value = K;
        ps[i].name = "WMAX"; ps[i++].value = W + 2;
        ps[i].name = "XW"; ps[i++].value = 6;
        ps[i].name = "HW"; ps[i++].value = 7;
        ps[i].name = "ACC"; ps[i++].value = 24;
        ps[i].name = "DECOMP"; ps[i++].value = decomp;
        g = gm_gen_open("fpap_array", ps, i, 1, 0, prof, err, sizeof err);
        CHECK(g != NULL, "open: %s", err);
        if (!g)
            goto next;
        {
            /* outputs in the documented order: pass, block, PE row, column, n */
            int p = 0, b = 0, rr = 0, c = 0, n = 0, hout = h - K + 1, wout = W - K + 1;
            while (gm_gen_next(g, &r)) {
                if (r.stream != 1)
                    continue;
                {
                    int o = order[p * C + c], y = b * R + rr;
                    gm_val want = gm_layer_conv(&L, 24, o, y, n);
                    CHECK(gm_val_eq(want, r.f[0]), "it %d output %lld (o %d y %d x %d)", it,
                          (long long)nout, o, y, n);
                }
                nout++;
                last = r.cycle2;
                if (++n == wout) {
                    int cact = cout - p * C < C ? cout - p * C : C;
                    int ract = hout - b * R < R ? hout - b * R : R;
                    n = 0;
                    if (++c == cact) {
                        c = 0;
                        if (++rr == ract) {
                            rr = 0;
                            if (++b == gm_fpap_blocks(&a, &L)) {
                                b = 0;
                                p++;
                            }
                        }
                    }
                }
            }
            o_y = (int64_t)cout * hout * wout;
        }
        gm_gen_close(g);
        CHECK(nout == o_y, "it %d: %lld outputs, want %lld", it, (long long)nout, (long long)o_y);
        pred = gm_fpap_predict(&a, &L, order, 1, NULL);
        CHECK(pred == last + 1, "it %d: stream ends at edge %lld, predict(exact) %lld", it,
              (long long)(last + 1), (long long)pred);
        est = gm_fpap_predict(&a, &L, order, 0, NULL);
        if (dense)
            CHECK(est == pred, "it %d dense: estimate %lld, exact %lld", it, (long long)est,
                  (long long)pred);
        else if (decomp == GM_DECOMP_WD)
            CHECK(est >= pred, "it %d sparse: estimate %lld < exact %lld", it, (long long)est,
                  (long long)pred);
    next:
        remove(lpath);
        remove(opath);
        free(order);
        gm_layer_free(&L);
    }
    rmdir(dir);
    printf("test_fpap: %ld passed, %ld failed\n", pass, fail);
    return fail != 0;
}
