/*
 * fuzz_sweep.c -- libFuzzer harness for design-space sweep specs (`dnngen sweep SPEC`,
 * dnn_sweep_parse): any bytes either give a one-line error that leaves nothing allocated,
 * or a spec whose every point is a checked, named design within the documented limits, and
 * whose workload profile the golden generator accepts. Sizes a spec asks for (10^9 points,
 * ranges to 1e300) must be refused before anything that large is allocated.
 *
 * The same bytes, read as small integers, also drive the Pareto front: no point on it is
 * dominated, and every point off it is dominated by one on it.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "design.h"
#include "sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_pareto(const uint8_t *data, size_t size)
{
    double x[64], y[64];
    unsigned char on[64];
    int n = (int)(size / 2 < 64 ? size / 2 : 64), i, j;
    for (i = 0; i < n; i++) {
        x[i] = data[2 * i] == 255 ? NAN : (double)(data[2 * i] % 16);
        y[i] = (double)(data[2 * i + 1] % 16);
    }
    dnn_pareto(x, y, n, on);
    for (i = 0; i < n; i++) {
        int by_any = 0, by_front = 0;
        for (j = 0; j < n; j++)
            if (j != i && !isnan(x[j]) && !isnan(x[i]) && x[j] <= x[i] && y[j] <= y[i] &&
                (x[j] < x[i] || y[j] < y[i])) {
                by_any = 1;
                by_front |= on[j];
            }
        if (on[i] && (by_any || isnan(x[i])))
            __builtin_trap();
        if (!on[i] && !isnan(x[i]) && !by_front)
            __builtin_trap(); /* off the front, yet no point on the front beats it */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dnn_sweep s;
    char err[DNN_ERRLEN], prof[8500];
    int i;
    check_pareto(data, size);
    err[0] = '\0';
    if (dnn_sweep_parse((const char *)data, size, "fuzz.json", &s, err, sizeof err)) {
        dnn_oneline(err); /* what dnn_fail prints */
        if (!err[0] || strchr(err, '\n') || s.npoints || s.pts)
            __builtin_trap(); /* an error is one non-empty line and leaves nothing behind */
        return 0;
    }
    if (s.npoints <= 0 || s.npoints > DNN_SWEEP_MAX_POINTS || !s.blk ||
        s.ncombos != s.npoints + s.nskipped || s.timeout < 1 ||
        s.timeout > DNN_SWEEP_MAX_TIMEOUT || !(s.period_ns > 0) || !(s.activity > 0) ||
        s.verify_vectors < 1 || s.wl.vectors < 1 || s.wl.kind < DNN_WL_PROFILE ||
        s.wl.kind > DNN_WL_SHAPE)
        __builtin_trap();
    for (i = 0; i < s.npoints; i++) {
        const dnn_sweep_point *p = &s.pts[i];
        if (p->d.blk != s.blk || p->d.blk->check(&p->d, err, sizeof err) || !p->d.top[0] ||
            !p->label[0] || p->test_sim < DNN_STS_NONE || p->test_sim > DNN_STS_WORKER)
            __builtin_trap();
        if (dnn_sweep_profile(&s, &p->d, "/nonexistent/layer.json", "", prof, sizeof prof))
            __builtin_trap();
        /* a profile made from a sparsity is one the golden generator takes (files aside) */
        if (i < 4 && s.wl.kind == DNN_WL_SPARSITY) {
            gm_param ps[DNN_MAX_PARAMS];
            int np = dnn_design_gparams(&p->d, ps);
            gm_gen *g = gm_gen_open(s.blk->name, ps, np, 1, 10, prof, err, sizeof err);
            if (!g)
                __builtin_trap();
            gm_gen_close(g);
        }
    }
    dnn_sweep_free(&s);
    return 0;
}
