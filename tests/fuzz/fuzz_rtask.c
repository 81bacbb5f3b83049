/*
 * fuzz_rtask.c -- libFuzzer harness for regress task files (`dnngen regress --merge` reads
 * DIR/tasks/task-IIII.json, dnn_rtask_parse): any bytes either give a one-line error and an
 * empty result, or a task whose results are exactly the jobs of its chunk, in order, each
 * with a known result; formatting it again and parsing that gives the same task.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slurm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const types[] = { "pass", "mismatch", "crash", "timeout", "tool", "error",
                                     NULL };

static int known(const char *s)
{
    int k;
    for (k = 0; types[k]; k++)
        if (strcmp(s, types[k]) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dnn_rtask t, u;
    char err[DNN_ERRLEN], *txt;
    int i, lo, hi;
    err[0] = '\0';
    if (dnn_rtask_parse((const char *)data, size, "fuzz.json", &t, err, sizeof err)) {
        if (!err[0] || strchr(err, '\n') || t.res || t.nres)
            __builtin_trap(); /* an error is one non-empty line and leaves nothing behind */
        return 0;
    }
    if (t.njobs < 1 || t.tasks < 1 || t.tasks > t.njobs || t.tasks > DNN_SLURM_MAX_TASKS ||
        t.task < 0 || t.task >= t.tasks)
        __builtin_trap();
    dnn_chunk(t.njobs, t.tasks, t.task, &lo, &hi);
    if (t.nres != hi - lo || lo < 0 || hi > t.njobs)
        __builtin_trap();
    for (i = 0; i < t.nres; i++)
        if (t.res[i].id != lo + i || !known(t.res[i].type) ||
            (t.res[i].rerun && !known(t.res[i].rr_type)))
            __builtin_trap();
    txt = dnn_rtask_format(&t);
    if (txt) {
        if (dnn_rtask_parse(txt, strlen(txt), "again.json", &u, err, sizeof err) ||
            u.nres != t.nres || u.task != t.task || u.tasks != t.tasks ||
            strcmp(u.fingerprint, t.fingerprint) != 0)
            __builtin_trap(); /* what we write we read back */
        for (i = 0; i < u.nres; i++)
            if (strcmp(u.res[i].type, t.res[i].type) != 0 ||
                strcmp(u.res[i].reason, t.res[i].reason) != 0 ||
                u.res[i].checked != t.res[i].checked || u.res[i].rerun != t.res[i].rerun)
                __builtin_trap();
        dnn_rtask_free(&u);
        free(txt);
    }
    dnn_rtask_free(&t);
    return 0;
}
