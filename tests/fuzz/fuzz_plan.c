/*
 * fuzz_plan.c -- libFuzzer harness for regression plans (`dnngen regress PLAN`,
 * dnn_plan_parse): any bytes either give a one-line error or a plan whose every job points
 * at a checked configuration, within the documented limits. Sizes a plan asks for (10^9
 * seeds, a million configs) must be refused before anything that large is allocated.
 */
#include <stdint.h>
#include <string.h>

#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dnn_plan p;
    char err[DNN_ERRLEN];
    int i;
    err[0] = '\0';
    if (dnn_plan_parse((const char *)data, size, "fuzz.json", NULL, &p, err, sizeof err)) {
        dnn_oneline(err); /* what dnn_fail prints */
        if (!err[0] || strchr(err, '\n') || p.njobs || p.jobs)
            __builtin_trap(); /* an error is one non-empty line and leaves nothing behind */
        return 0;
    }
    if (p.njobs <= 0 || p.njobs > DNN_PLAN_MAX_JOBS || p.ncfgs <= 0 ||
        p.ncfgs > DNN_PLAN_MAX_CONFIGS)
        __builtin_trap();
    for (i = 0; i < p.ncfgs; i++) {
        if (p.cfgs[i].d.blk->check(&p.cfgs[i].d, err, sizeof err) || !p.cfgs[i].d.top[0] ||
            !p.cfgs[i].label[0])
            __builtin_trap();
    }
    for (i = 0; i < p.njobs; i++) {
        const dnn_plan_job *j = &p.jobs[i];
        if (j->cfg < 0 || j->cfg >= p.ncfgs || j->sim < 0 || j->sim > 2 || j->vectors < 1 ||
            j->timeout < 1 || j->timeout > DNN_PLAN_MAX_TIMEOUT ||
            (j->coverage && j->sim != 0) || (j->sim == 1 && j->vectors > 10000000))
            __builtin_trap();
    }
    dnn_plan_free(&p);
    return 0;
}
