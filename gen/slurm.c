/*
 * slurm.c -- Slurm job arrays for `dnngen regress` and `dnngen sweep` (see slurm.h,
 * docs/slurm.md): chunks, the batch script, the Slurm clients, regress task files.
 *
 * The clients are run through the shell with their output captured: sbatch's one line
 * (--parsable: "ID" or "ID;CLUSTER"), squeue's one state per array task. squeue is asked
 * with -t all so that finished tasks still show (while slurmctld keeps them, MinJobAge); a
 * job that has left its memory altogether is "Invalid job id", which means done too.
 */
#define _GNU_SOURCE
#include "slurm.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "jobs.h"
#include "plan.h"

void dnn_chunk(int n, int k, int i, int *lo, int *hi)
{
    *lo = (int)((int64_t)i * n / k);
    *hi = (int)((int64_t)(i + 1) * n / k);
}

char *dnn_slurm_script(const dnn_slurm_req *r)
{
    sbuf b;
    long min = (r->time_s + 59) / 60;
    const char *p;
    sb_init(&b);
    if (min < 1)
        min = 1;
    sb_puts(&b, "#!/bin/bash\n");
    sb_printf(&b, "#SBATCH --job-name=%s\n", r->job_name);
    sb_printf(&b, "#SBATCH --array=0-%d\n", r->tasks - 1);
    sb_printf(&b, "#SBATCH --cpus-per-task=%d\n", r->cpus);
    sb_printf(&b, "#SBATCH --time=%ld-%02ld:%02ld:00\n", min / 1440, min / 60 % 24, min % 60);
    if (r->partition)
        sb_printf(&b, "#SBATCH --partition=%s\n", r->partition);
    /* sbatch reads #SBATCH lines unquoted: paths with spaces are refused by the caller */
    sb_printf(&b, "#SBATCH --output=%s/task-%%a.out\n", r->outdir);
    sb_printf(&b, "#SBATCH --chdir=%s\n", r->chdir);
    sb_printf(&b, "# Written by dnngen %s (docs/slurm.md).\n", DNN_VERSION);
    for (p = r->comment; p && *p;) {
        size_t k = strcspn(p, "\n");
        sb_printf(&b, "# %.*s\n", (int)k, p);
        p += k + (p[k] == '\n');
    }
    sb_printf(&b, "set -u\nexec %s\n", r->command);
    return b.oom ? (sb_free(&b), NULL) : b.s;
}

/* Run a shell command, its output (stdout and stderr) into out. Returns its exit status,
 * or -1 when it could not run. */
static int capture(const char *cmd, char *out, size_t n)
{
    FILE *f = popen(cmd, "r");
    size_t got = 0, k;
    int st;
    out[0] = '\0';
    if (!f)
        return -1;
    while (got + 1 < n && (k = fread(out + got, 1, n - 1 - got, f)) > 0)
        got += k;
    out[got] = '\0';
    {
        char sink[4096]; /* drain the rest: the client must not die of SIGPIPE */
        while (fread(sink, 1, sizeof sink, f) > 0)
            ;
    }
    st = pclose(f);
    return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int dnn_slurm_path_ok(const char *p)
{
    return p[0] == '/' && strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789_./+,=:@-") == strlen(p);
}

int dnn_slurm_check(const char *who, char *err, size_t n)
{
    if (dnn_run("command -v sbatch >/dev/null 2>&1 && command -v squeue >/dev/null 2>&1",
                NULL, 0) != 0) {
        snprintf(err, n, "%s: --slurm needs sbatch and squeue on PATH (legal: a machine with "
                         "the Slurm client, e.g. Debian's slurm-client; or --slurm-script FILE "
                         "to only write the batch script)",
                 who);
        return DNN_EUSAGE;
    }
    return 0;
}

int dnn_slurm_submit(const char *script, char *id, size_t idn, char *err, size_t n)
{
    sbuf c;
    char out[2048];
    int st;
    size_t k;
    sb_init(&c);
    sb_puts(&c, "sbatch --parsable ");
    sb_shell_word(&c, script);
    sb_puts(&c, " 2>&1");
    if (c.oom) {
        snprintf(err, n, "out of memory");
        return DNN_ETOOL;
    }
    st = capture(c.s, out, sizeof out);
    sb_free(&c);
    k = strspn(out, "0123456789");
    if (st != 0 || k == 0 || (out[k] && out[k] != ';' && out[k] != '\n')) {
        dnn_utf8_clean(out);
        out[strcspn(out, "\n")] = '\0';
        snprintf(err, n, "sbatch failed (exit %d): %.600s", st, out[0] ? out : "no output");
        dnn_oneline(err);
        return DNN_ETOOL;
    }
    snprintf(id, idn, "%.*s", (int)k, out);
    return 0;
}

static void nap_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
    nanosleep(&ts, NULL);
}

int dnn_slurm_wait(const char *id, int tasks, volatile sig_atomic_t *stop, char *err, size_t n)
{
    char cmd[160], out[1 << 16];
    int fails = 0, last_pend = -1, last_run = -1, last_done = -1;
    snprintf(cmd, sizeof cmd, "squeue -h -j %s -t all -o %%T 2>&1", id);
    for (;;) {
        int st, pend = 0, run = 0, done = 0, other = 0;
        char *p;
        if (*stop) {
            snprintf(cmd, sizeof cmd, "scancel %s >/dev/null 2>&1", id);
            (void)dnn_run(cmd, NULL, 0);
            return -1;
        }
        st = capture(cmd, out, sizeof out);
        if (st != 0 && strstr(out, "Invalid job id")) /* purged: every task long finished */
            return 0;
        if (st != 0) {
            if (++fails >= 30) {
                dnn_utf8_clean(out);
                out[strcspn(out, "\n")] = '\0';
                snprintf(err, n, "squeue failed 30 times in a row for job %s (exit %d): %.400s",
                         id, st, out);
                dnn_oneline(err);
                return DNN_ETOOL;
            }
        } else {
            fails = 0;
            for (p = out; *p; p += strcspn(p, "\n"), p += *p == '\n') {
                size_t k = strcspn(p, "\n");
                if (!k)
                    continue;
                if (!strncmp(p, "PENDING", k) || !strncmp(p, "REQUEUED", k) ||
                    !strncmp(p, "CONFIGURING", k) || !strncmp(p, "RESV_DEL_HOLD", k) ||
                    !strncmp(p, "REQUEUE_HOLD", k) || !strncmp(p, "REQUEUE_FED", k))
                    pend++;
                else if (!strncmp(p, "RUNNING", k) || !strncmp(p, "COMPLETING", k) ||
                         !strncmp(p, "SUSPENDED", k) || !strncmp(p, "STOPPED", k) ||
                         !strncmp(p, "SIGNALING", k) || !strncmp(p, "STAGE_OUT", k) ||
                         !strncmp(p, "RESIZING", k))
                    run++;
                else if (!strncmp(p, "COMPLETED", k))
                    done++;
                else
                    other++; /* FAILED, CANCELLED, TIMEOUT, NODE_FAIL, ...: ended */
            }
            /* a pending array is one line for all its tasks: count them as K - the rest */
            if (pend && pend + run + done + other < tasks)
                pend = tasks - run - done - other;
            if (pend != last_pend || run != last_run || done + other != last_done) {
                printf("slurm: job %s: %d pending, %d running, %d ended%s\n", id, pend, run,
                       done + other, other ? " (some not COMPLETED: see the task files)" : "");
                fflush(stdout);
                last_pend = pend;
                last_run = run;
                last_done = done + other;
            }
            if (!pend && !run)
                return 0;
        }
        {
            int k;
            for (k = 0; k < 20 && !*stop; k++)
                nap_ms(100);
        }
    }
}

void dnn_slurm_getenv(dnn_slurm_env *e)
{
    const char *v;
    memset(e, 0, sizeof *e);
    if ((v = getenv("SLURM_JOB_ID")))
        snprintf(e->job, sizeof e->job, "%.31s", v);
    if ((v = getenv("SLURM_ARRAY_JOB_ID")))
        snprintf(e->array_job, sizeof e->array_job, "%.31s", v);
    if ((v = getenv("SLURM_ARRAY_TASK_ID")))
        snprintf(e->array_task, sizeof e->array_task, "%.31s", v);
    dnn_oneline(e->job);
    dnn_oneline(e->array_job);
    dnn_oneline(e->array_task);
}

/* ---- task files ------------------------------------------------------------------------- */

static const char *const rtypes[] = { "pass", "mismatch", "crash", "timeout", "tool", "error",
                                      NULL };

static int known_type(const char *s)
{
    int k;
    for (k = 0; rtypes[k]; k++)
        if (strcmp(s, rtypes[k]) == 0)
            return 1;
    return 0;
}

void dnn_rtask_free(dnn_rtask *t)
{
    free(t->res);
    memset(t, 0, sizeof *t);
}

/* An integer member in [lo, hi]; 0, or -1 (err filled). */
static int get_int(const cJSON *o, const char *key, double lo, double hi, double *v,
                   const char *path, char *err, size_t n)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(x) || !(x->valuedouble >= lo && x->valuedouble <= hi) ||
        x->valuedouble != floor(x->valuedouble)) {
        snprintf(err, n, "task file '%.300s': '%s' missing or out of range (legal: an integer "
                         "%.0f..%.0f)",
                 path, key, lo, hi);
        return -1;
    }
    *v = x->valuedouble;
    return 0;
}

static int get_str(const cJSON *o, const char *key, char *out, size_t on, int required,
                   const char *path, char *err, size_t n)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    out[0] = '\0';
    if (!x && !required)
        return 0;
    if (!cJSON_IsString(x) || strlen(x->valuestring) >= on) {
        snprintf(err, n, "task file '%.300s': '%s' missing or not a string of at most %zu "
                         "bytes",
                 path, key, on - 1);
        return -1;
    }
    snprintf(out, on, "%s", x->valuestring);
    dnn_oneline(out);
    return 0;
}

static int get_num(const cJSON *o, const char *key, double *v, const char *path, char *err,
                   size_t n)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(x) || !isfinite(x->valuedouble) || x->valuedouble < 0) {
        snprintf(err, n, "task file '%.300s': '%s' missing or not a number >= 0", path, key);
        return -1;
    }
    *v = x->valuedouble;
    return 0;
}

int dnn_rtask_parse(const char *text, size_t len, const char *path, dnn_rtask *t, char *err,
                    size_t n)
{
    cJSON *root = cJSON_ParseWithLength(text, len), *arr, *it, *sl;
    double v;
    int lo, hi, i = 0;
    memset(t, 0, sizeof *t);
    if (!root || !cJSON_IsObject(root)) {
        snprintf(err, n, "task file '%.300s' is not a JSON object (legal: a file written by "
                         "dnngen regress --task)",
                 path);
        goto fail;
    }
    if (get_str(root, "fingerprint", t->fingerprint, sizeof t->fingerprint, 1, path, err, n) ||
        strlen(t->fingerprint) != 16 || strspn(t->fingerprint, "0123456789abcdef") != 16) {
        snprintf(err, n, "task file '%.300s': bad 'fingerprint' (legal: 16 hex digits)", path);
        goto fail;
    }
    if (get_int(root, "jobs", 1, DNN_PLAN_MAX_JOBS, &v, path, err, n))
        goto fail;
    t->njobs = (int)v;
    if (get_int(root, "tasks", 1, t->njobs < DNN_SLURM_MAX_TASKS ? t->njobs : DNN_SLURM_MAX_TASKS,
                &v, path, err, n))
        goto fail;
    t->tasks = (int)v;
    if (get_int(root, "task", 0, t->tasks - 1, &v, path, err, n))
        goto fail;
    t->task = (int)v;
    if (get_num(root, "start_time", &t->t_start, path, err, n) ||
        get_num(root, "end_time", &t->t_end, path, err, n) ||
        get_str(root, "host", t->host, sizeof t->host, 1, path, err, n))
        goto fail;
    sl = cJSON_GetObjectItemCaseSensitive(root, "slurm");
    if (sl && !cJSON_IsNull(sl)) {
        if (!cJSON_IsObject(sl)) {
            snprintf(err, n, "task file '%.300s': 'slurm' is not an object or null", path);
            goto fail;
        }
        if (get_str(sl, "job_id", t->slurm.job, sizeof t->slurm.job, 0, path, err, n) ||
            get_str(sl, "array_job_id", t->slurm.array_job, sizeof t->slurm.array_job, 0, path,
                    err, n) ||
            get_str(sl, "array_task_id", t->slurm.array_task, sizeof t->slurm.array_task, 0,
                    path, err, n))
            goto fail;
    }
    dnn_chunk(t->njobs, t->tasks, t->task, &lo, &hi);
    arr = cJSON_GetObjectItemCaseSensitive(root, "results");
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) != hi - lo) {
        snprintf(err, n, "task file '%.300s': 'results' is not an array of the %d jobs of "
                         "chunk %d (legal: jobs %d..%d)",
                 path, hi - lo, t->task, lo, hi - 1);
        goto fail;
    }
    t->res = calloc((size_t)(hi - lo) + 1, sizeof *t->res);
    if (!t->res) {
        snprintf(err, n, "out of memory");
        goto fail;
    }
    cJSON_ArrayForEach(it, arr)
    {
        dnn_rtask_res *r = &t->res[i];
        const cJSON *rr;
        if (!cJSON_IsObject(it) || get_int(it, "id", lo + i, lo + i, &v, path, err, n)) {
            snprintf(err, n, "task file '%.300s': result %d is not an object with \"id\": %d "
                             "(legal: the jobs of the chunk, in order)",
                     path, i, lo + i);
            goto fail;
        }
        r->id = (int)v;
        if (get_str(it, "result", r->type, sizeof r->type, 1, path, err, n) ||
            !known_type(r->type)) {
            snprintf(err, n, "task file '%.300s': job %d: bad 'result' (legal: pass, mismatch, "
                             "crash, timeout, tool, error)",
                     path, r->id);
            goto fail;
        }
        if (get_str(it, "reason", r->reason, sizeof r->reason, 1, path, err, n) ||
            get_int(it, "checked", 0, 9007199254740991.0, &v, path, err, n))
            goto fail;
        r->checked = (long long)v;
        if (get_int(it, "mismatches", 0, 9007199254740991.0, &v, path, err, n))
            goto fail;
        r->mism = (long long)v;
        if (get_int(it, "cycles", 0, 9007199254740991.0, &v, path, err, n))
            goto fail;
        r->cycles = (long long)v;
        if (get_num(it, "seconds", &r->secs, path, err, n))
            goto fail;
        r->has_cov = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "coverage"));
        rr = cJSON_GetObjectItemCaseSensitive(it, "rerun");
        if (rr && !cJSON_IsNull(rr)) {
            if (!cJSON_IsObject(rr) ||
                get_str(rr, "result", r->rr_type, sizeof r->rr_type, 1, path, err, n) ||
                !known_type(r->rr_type)) {
                snprintf(err, n, "task file '%.300s': job %d: bad 'rerun' (legal: null or "
                                 "{\"result\": a result, \"waves\": true/false})",
                         path, r->id);
                goto fail;
            }
            r->rerun = 1;
            r->rr_fst = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rr, "waves"));
        }
        i++;
    }
    t->nres = i;
    cJSON_Delete(root);
    return 0;
fail:
    cJSON_Delete(root);
    dnn_rtask_free(t);
    dnn_oneline(err);
    return DNN_EUSAGE;
}

char *dnn_rtask_format(const dnn_rtask *t)
{
    cJSON *root = cJSON_CreateObject(), *arr, *sl;
    char *txt;
    int i;
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "dnngen", DNN_VERSION);
    cJSON_AddStringToObject(root, "fingerprint", t->fingerprint);
    cJSON_AddNumberToObject(root, "jobs", t->njobs);
    cJSON_AddNumberToObject(root, "task", t->task);
    cJSON_AddNumberToObject(root, "tasks", t->tasks);
    cJSON_AddNumberToObject(root, "start_time", t->t_start);
    cJSON_AddNumberToObject(root, "end_time", t->t_end);
    cJSON_AddStringToObject(root, "host", t->host);
    if (t->slurm.job[0] || t->slurm.array_task[0]) {
        sl = cJSON_AddObjectToObject(root, "slurm");
        cJSON_AddStringToObject(sl, "job_id", t->slurm.job);
        cJSON_AddStringToObject(sl, "array_job_id", t->slurm.array_job);
        cJSON_AddStringToObject(sl, "array_task_id", t->slurm.array_task);
    } else {
        cJSON_AddNullToObject(root, "slurm");
    }
    arr = cJSON_AddArrayToObject(root, "results");
    for (i = 0; arr && i < t->nres; i++) {
        const dnn_rtask_res *r = &t->res[i];
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        cJSON_AddItemToArray(arr, o);
        cJSON_AddNumberToObject(o, "id", r->id);
        cJSON_AddStringToObject(o, "result", r->type);
        cJSON_AddStringToObject(o, "reason", r->reason);
        cJSON_AddNumberToObject(o, "checked", (double)r->checked);
        cJSON_AddNumberToObject(o, "mismatches", (double)r->mism);
        cJSON_AddNumberToObject(o, "cycles", (double)r->cycles);
        cJSON_AddNumberToObject(o, "seconds", r->secs);
        cJSON_AddBoolToObject(o, "coverage", r->has_cov);
        if (r->rerun) {
            cJSON *rr = cJSON_AddObjectToObject(o, "rerun");
            cJSON_AddStringToObject(rr, "result", r->rr_type);
            cJSON_AddBoolToObject(rr, "waves", r->rr_fst);
        } else {
            cJSON_AddNullToObject(o, "rerun");
        }
    }
    txt = cJSON_Print(root);
    cJSON_Delete(root);
    return txt;
}
