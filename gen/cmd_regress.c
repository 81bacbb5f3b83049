/*
 * cmd_regress.c -- `dnngen regress PLAN`: run a regression plan (plan.h, docs/nightly.md)
 * as parallel `dnngen verify` jobs and write JUnit XML, a Markdown summary, a self-contained
 * HTML report, results.json and merged Verilator coverage (lcov).
 *
 * Each job is a child process of this binary (/proc/self/exe verify ...) in its own session,
 * its output in DIR/jobs/NNNNN/log.txt. A job that crashes, hangs past its time limit or is
 * killed is a failed job with its reason; the run carries on. Killing a job means killing its
 * whole session: `verify` starts the simulator in a process group of its own (so that its own
 * --timeout can kill it), which a kill of the job's group alone would leave running. Before a
 * finished job is reaped (waitid WNOWAIT keeps its pid, hence its session id, reserved) the
 * rest of its session is killed, so no simulator outlives its job.
 *
 * The reports are written together at the end through dnn_write_files: a disk that fills up
 * or an output directory that disappears gives one clear error and no partial report. The
 * output directory is probed before the first job starts, so an unwritable one costs nothing.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"
#include "jobs.h"
#include "plan.h"
#include "slurm.h"

static const char regress_help[] =
    "usage: dnngen regress PLAN.json [-o DIR] [-j N] [--seed S] [--reseed N] [--timeout SEC]\n"
    "                      [--reruns N] [--dry-run] [--task I --tasks K] [--merge]\n"
    "                      [--slurm | --slurm-script FILE] [--tasks K | --chunk N]\n"
    "                      [--slurm-no-wait] [--slurm-partition P] [--slurm-time MIN]\n"
    "  Runs every job of the plan (blocks x configs x simulators x seeds, docs/nightly.md)\n"
    "  as a 'dnngen verify' process, N at a time, each with its time limit; a crash or hang\n"
    "  fails that job only. Writes DIR/junit.xml, summary.md, report.html, results.json and,\n"
    "  for coverage jobs, coverage.info (lcov); job logs and waveforms under DIR/jobs/.\n"
    "  -o DIR        output directory (default regress-out)\n"
    "  -j N          parallel jobs (default: the number of cores)\n"
    "  --seed S      base seed of every run (a nightly passes a new one each night)\n"
    "  --reseed N    seeds per run: S, S+1, ..., S+N-1 (overrides the plan's reseed)\n"
    "  --timeout SEC time limit of every job (overrides the plan's timeout)\n"
    "  --reruns N    failing jobs re-run with --waves (default 10; 0: none)\n"
    "  --dry-run     print the jobs' commands and exit\n"
    "  --task I --tasks K  run only chunk I (0..K-1) of the jobs; results into\n"
    "                DIR/tasks/task-IIII.json, no report (docs/slurm.md)\n"
    "  --merge       the reports from every task's results in DIR/tasks/ (same options)\n"
    "  --slurm       run as a Slurm job array (sbatch), wait, merge; -j: jobs per task\n"
    "  --slurm-script FILE  only write the batch script (and prepare DIR)\n"
    "  --tasks K     array size (default: one task per 25 jobs, at most 1000)\n"
    "  --chunk N     jobs per array task instead of --tasks\n"
    "  --slurm-no-wait      print the job id and exit 0; merge later with --merge\n"
    "  --slurm-partition P, --slurm-time MIN  partition and time limit per task\n"
    "  Exit status: 0 all jobs passed, 1 a job failed, 2 bad plan or output directory,\n"
    "  3 the run itself failed (interrupted, reports not writable).\n";

enum { T_PENDING, T_RUNNING, T_DONE };

typedef struct jres {
    char type[12];    /* pass, mismatch, crash, timeout, tool, error */
    char reason[600];
    long long checked, mism, cycles;
    double secs;
    int has_fst, has_cov;
} jres;

typedef struct task {
    int job, rerun, state, killed;
    pid_t pid;
    double t0;
} task;

typedef struct rctx {
    const dnn_plan *p;
    const char *plan_path, *out, *self;
    int nj;
    jres *res, *rerun;
    char **repro;
    int *ran_rerun;
    char git[128], tver[3][160], started[64], host[128];
    double wall;
    dnn_rtask *tk; /* merged from task files: the tasks that wrote one (ntk of ktasks) */
    int ntk, ktasks;
} rctx;

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static const char *sim_name(int s)
{
    return dnn_plan_sims[s];
}

static char *job_dir(const rctx *c, int j)
{
    return dnn_printf("%s/jobs/%05d", c->out, j);
}

/* ---- processes ------------------------------------------------------------------------- */

static void free_argv(char **a)
{
    int i;
    for (i = 0; a && a[i]; i++)
        free(a[i]);
    free(a);
}

static char **job_argv(const rctx *c, int j, int rerun, const char *dir)
{
    const dnn_plan_job *jb = &c->p->jobs[j];
    const dnn_design *d = &c->p->cfgs[jb->cfg].d;
    char **a = calloc((size_t)(2 * DNN_MAX_PARAMS + 32), sizeof *a);
    int n = 0, i;
    if (!a)
        return NULL;
    a[n++] = dnn_strdup(c->self);
    a[n++] = dnn_strdup("verify");
    a[n++] = dnn_strdup(d->blk->name);
    for (i = 0; i < d->blk->nparams; i++) {
        char v[64];
        dnn_param_format(d->blk, i, d->pv[i], v, sizeof v);
        a[n++] = dnn_strdup("-p");
        a[n++] = dnn_printf("%s=%s", d->blk->params[i].name, v);
    }
    if (d->fault[0]) {
        a[n++] = dnn_strdup("--inject-fault");
        a[n++] = dnn_strdup(d->fault);
    }
    a[n++] = dnn_strdup("--sim");
    a[n++] = dnn_strdup(sim_name(jb->sim));
    a[n++] = dnn_strdup("--seed");
    a[n++] = dnn_printf("%llu", (unsigned long long)jb->seed);
    a[n++] = dnn_strdup("--vectors");
    a[n++] = dnn_printf("%lld", (long long)jb->vectors);
    /* verify's own limit bounds the simulator even if we are killed; a margin later than
     * ours, so that the job's limit is the one that normally fires */
    a[n++] = dnn_strdup("--timeout");
    a[n++] = dnn_printf("%d", jb->timeout + 10);
    if (jb->profile) {
        a[n++] = dnn_strdup("--profile");
        a[n++] = dnn_strdup(jb->profile);
    }
    a[n++] = dnn_strdup("--artifacts");
    a[n++] = dnn_strdup(dir);
    if (jb->coverage && !rerun)
        a[n++] = dnn_strdup("--coverage");
    if (rerun)
        a[n++] = dnn_strdup("--waves");
    if (jb->test_sim) {
        a[n++] = dnn_strdup("--test-sim");
        a[n++] = dnn_strdup(jb->test_sim == DNN_TS_CRASH ? "crash"
                            : jb->test_sim == DNN_TS_HANG ? "hang"
                                                          : "abort");
    }
    for (i = 0; i < n; i++)
        if (!a[i]) {
            free_argv(a);
            return NULL;
        }
    return a;
}

/* The reproduce command a user pastes: the canonical verify command of the job. */
static char *job_repro(const rctx *c, int j)
{
    const dnn_plan_job *jb = &c->p->jobs[j];
    sbuf b;
    sb_init(&b);
    dnn_design_command(&c->p->cfgs[jb->cfg].d, "verify", &b);
    sb_printf(&b, " --sim %s --seed %llu --vectors %lld", sim_name(jb->sim),
              (unsigned long long)jb->seed, (long long)jb->vectors);
    if (jb->profile) {
        sb_puts(&b, " --profile ");
        sb_shell_word(&b, jb->profile);
    }
    if (jb->test_sim)
        sb_printf(&b, " --test-sim %s", jb->test_sim == DNN_TS_CRASH  ? "crash"
                                        : jb->test_sim == DNN_TS_HANG ? "hang"
                                                                      : "abort");
    return b.s;
}

static pid_t start_job(const rctx *c, task *t)
{
    char *dir = job_dir(c, t->job), *log = NULL, **argv = NULL, err[DNN_ERRLEN];
    pid_t pid = -1;
    if (!dir)
        return -1;
    log = dnn_printf("%s/%s", dir, t->rerun ? "rerun.log" : "log.txt");
    if (!log || dnn_mkdirs(dir, err, sizeof err))
        goto out;
    if (!t->rerun) { /* stale artifacts of an earlier run must not be reported as ours */
        char *f = dnn_printf("%s/coverage.dat", dir);
        if (f)
            unlink(f);
        free(f);
    }
    {
        static const char *const stale[] = { "waves.fst", "built", NULL };
        int k;
        for (k = 0; stale[k]; k++) {
            char *f = dnn_printf("%s/%s", dir, stale[k]);
            if (f)
                unlink(f);
            free(f);
        }
    }
    argv = job_argv(c, t->job, t->rerun, dir);
    if (!argv)
        goto out;
    pid = dnn_job_fork(log, 1, 1);
    if (pid == 0) {
        execv(c->self, argv);
        _exit(127);
    }
out:
    free_argv(argv);
    free(log);
    free(dir);
    return pid;
}

/* ---- results --------------------------------------------------------------------------- */

static void line_of(const char *s, char *out, size_t n)
{
    size_t k = strcspn(s, "\n");
    if (k >= n)
        k = n - 1;
    memcpy(out, s, k);
    out[k] = '\0';
    dnn_oneline(out);
}

static void classify(const rctx *c, const task *t, int status, jres *r)
{
    char *dir = job_dir(c, t->job), *log, *text;
    const char *p, *mm = NULL, *err = NULL;
    int have = 0;
    memset(r, 0, sizeof *r);
    r->secs = dnn_now() - t->t0;
    log = dir ? dnn_printf("%s/%s", dir, t->rerun ? "rerun.log" : "log.txt") : NULL;
    text = log ? dnn_read_tail(log, 1u << 20) : NULL;
    if (text) {
        p = strstr(text, "RESULT ");
        if (p) {
            const char *q = strstr(p, "checked=");
            if (q && sscanf(q, "checked=%lld mismatches=%lld cycles=%lld", &r->checked, &r->mism,
                            &r->cycles) >= 2)
                have = 1;
        }
        mm = strstr(text, "MISMATCH");
        for (p = text; (p = strstr(p, "dnngen: ")); p++)
            if (p == text || p[-1] == '\n')
                err = p + 8;
    }
    if (t->killed) {
        snprintf(r->type, sizeof r->type, "timeout");
        snprintf(r->reason, sizeof r->reason, "killed after %.0f s: time limit %d s exceeded",
                 r->secs, c->p->jobs[t->job].timeout);
    } else if (WIFSIGNALED(status)) {
        snprintf(r->type, sizeof r->type, "crash");
        snprintf(r->reason, sizeof r->reason, "dnngen verify killed by signal %d (%s)",
                 WTERMSIG(status), strsignal(WTERMSIG(status)));
    } else {
        int ec = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        char el[400] = "";
        if (err)
            line_of(err, el, sizeof el);
        if (ec == 0 && have && r->mism == 0 && r->checked > 0) {
            snprintf(r->type, sizeof r->type, "pass");
        } else if (ec == 1) {
            char ml[300] = "";
            snprintf(r->type, sizeof r->type, "mismatch");
            if (mm)
                line_of(mm, ml, sizeof ml);
            if (have && r->checked == 0)
                snprintf(r->reason, sizeof r->reason, "zero vectors checked");
            else
                snprintf(r->reason, sizeof r->reason, "%lld mismatches in %lld vectors%s%s",
                         r->mism, r->checked, ml[0] ? ": " : "", ml);
        } else if (ec == 3) {
            snprintf(r->type, sizeof r->type, "%s",
                     strstr(el, "crashed")     ? "crash"
                     : strstr(el, "timed out") ? "timeout"
                                               : "tool");
            snprintf(r->reason, sizeof r->reason, "%s", el[0] ? el : "tool failure (exit 3)");
        } else if (ec == 126) {
            snprintf(r->type, sizeof r->type, "error");
            snprintf(r->reason, sizeof r->reason, "cannot write the job log %s",
                     log ? log : "");
        } else if (ec == 127) {
            snprintf(r->type, sizeof r->type, "error");
            snprintf(r->reason, sizeof r->reason, "cannot run %s", c->self);
        } else {
            snprintf(r->type, sizeof r->type, "error");
            snprintf(r->reason, sizeof r->reason, "exit status %d%s%s", ec, el[0] ? ": " : "",
                     el);
        }
    }
    dnn_oneline(r->reason);
    if (dir) {
        char *f = dnn_printf("%s/waves.fst", dir);
        struct stat st;
        r->has_fst = f && t->rerun && stat(f, &st) == 0 && st.st_size > 0;
        free(f);
        f = dnn_printf("%s/coverage.dat", dir);
        r->has_cov = f && !t->rerun && stat(f, &st) == 0 && st.st_size > 0;
        free(f);
    }
    free(text);
    free(log);
    free(dir);
}

/* Has the running job t built its model (verify --artifacts writes DIR/built)? */
static int job_built(const rctx *c, const task *t)
{
    char *f = dnn_printf("%s/jobs/%05d/built", c->out, t->job);
    int ok = f && dnn_file_exists(f);
    free(f);
    return ok;
}

/* Run tasks njobs at a time. A job waits while another job of the same build (config,
 * simulator, coverage, waves) is running and that one has neither built its model nor
 * finished: the first one builds the model into the cache, the others then reuse it
 * instead of compiling it again. */
static int run_tasks(rctx *c, task *ts, int nt, int par, const char *phase)
{
    int running = 0, done = 0, failed = 0, i, nkeys = c->p->ncfgs * 12;
    char *warm = calloc((size_t)nkeys, 1);
    int *busy = calloc((size_t)nkeys, sizeof *busy);
    double t0 = dnn_now();
    int tty = isatty(1);
    if (!warm || !busy) {
        free(warm);
        free(busy);
        return dnn_fail(DNN_ETOOL, "regress: out of memory");
    }
#define KEY(t)                                                                                 \
    (((c->p->jobs[(t)->job].cfg * 3 + c->p->jobs[(t)->job].sim) * 2 +                          \
      (c->p->jobs[(t)->job].coverage && !(t)->rerun)) *                                        \
         2 +                                                                                   \
     (t)->rerun)
    while (done < nt) {
        int reaped = 0;
        if (g_stop)
            break;
        for (i = 0; i < nt; i++)
            if (ts[i].state == T_RUNNING && !warm[KEY(&ts[i])] && job_built(c, &ts[i]))
                warm[KEY(&ts[i])] = 1;
        for (i = 0; i < nt && running < par; i++) {
            task *t = &ts[i];
            int k = KEY(t);
            if (t->state != T_PENDING || (!warm[k] && busy[k]))
                continue;
            t->t0 = dnn_now();
            t->pid = start_job(c, t);
            if (t->pid < 0) {
                jres *r = t->rerun ? &c->rerun[t->job] : &c->res[t->job];
                memset(r, 0, sizeof *r);
                snprintf(r->type, sizeof r->type, "error");
                snprintf(r->reason, sizeof r->reason, "cannot start the job (fork or job "
                                                      "directory failed: %s)",
                         strerror(errno));
                t->state = T_DONE;
                done++;
                failed++;
                warm[k] = 1;
                continue;
            }
            t->state = T_RUNNING;
            busy[k]++;
            running++;
        }
        for (;;) {
            int status = 0;
            pid_t pid = dnn_job_reap(&status); /* the rest of its session killed first */
            if (pid <= 0)
                break;
            {
                task *t = NULL;
                for (i = 0; i < nt; i++)
                    if (ts[i].state == T_RUNNING && ts[i].pid == pid)
                        t = &ts[i];
                if (!t)
                    continue;
                {
                    jres *r = t->rerun ? &c->rerun[t->job] : &c->res[t->job];
                    char el[32], eta[32];
                    const dnn_plan_job *jb = &c->p->jobs[t->job];
                    classify(c, t, status, r);
                    t->state = T_DONE;
                    busy[KEY(t)]--;
                    warm[KEY(t)] = 1;
                    running--;
                    done++;
                    reaped = 1;
                    if (strcmp(r->type, "pass") != 0)
                        failed++;
                    dnn_fmt_dur(dnn_now() - t0, el, sizeof el);
                    dnn_fmt_dur((dnn_now() - t0) / done * (nt - done), eta, sizeof eta);
                    printf("%s[%*d/%d] %-8s %s %s %s seed=%llu %.1fs | failed %d | %s elapsed, "
                           "ETA %s%s\n",
                           tty ? "\r\033[K" : "", (int)snprintf(NULL, 0, "%d", nt), done, nt,
                           strcmp(r->type, "pass") == 0 ? "PASS" : r->type,
                           c->p->cfgs[jb->cfg].d.blk->name, c->p->cfgs[jb->cfg].label,
                           sim_name(jb->sim), (unsigned long long)jb->seed, r->secs, failed, el,
                           eta, phase);
                    if (strcmp(r->type, "pass") != 0)
                        printf("    %s\n", r->reason);
                    fflush(stdout);
                }
            }
        }
        for (i = 0; i < nt; i++) {
            task *t = &ts[i];
            if (t->state == T_RUNNING && !t->killed &&
                dnn_now() - t->t0 > c->p->jobs[t->job].timeout) {
                t->killed = 1;
                dnn_job_kill(t->pid);
            }
        }
        if (!reaped) {
            struct timespec tsl = { 0, 50000000 };
            nanosleep(&tsl, NULL);
        }
    }
#undef KEY
    if (g_stop) { /* interrupted: take every running job down with us */
        for (i = 0; i < nt; i++)
            if (ts[i].state == T_RUNNING) {
                int st;
                dnn_job_kill(ts[i].pid);
                waitpid(ts[i].pid, &st, 0);
            }
    }
    free(warm);
    free(busy);
    return g_stop ? DNN_ETOOL : 0;
}

/* ---- coverage ---------------------------------------------------------------------------- */

typedef struct covsum {
    long long line_hit, line_all, tog_hit, tog_all;
    int files;
} covsum;

/* Count the points of a verilator_coverage .dat by kind (line and branch: "line"). */
static void cov_count(const char *path, covsum *s)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    if (!f)
        return;
    while (getline(&line, &cap, f) > 0) {
        char *pg, *q;
        long long cnt;
        if (strncmp(line, "C '", 3) != 0 || !(pg = strstr(line, "\001page\002v_")))
            continue;
        q = strrchr(line, '\'');
        if (!q || sscanf(q + 1, "%lld", &cnt) != 1)
            continue;
        pg += 8; /* past "\001page\002v_" */
        if (strncmp(pg, "toggle", 6) == 0) {
            s->tog_all++;
            s->tog_hit += cnt > 0;
        } else if (strncmp(pg, "line", 4) == 0 || strncmp(pg, "branch", 6) == 0) {
            s->line_all++;
            s->line_hit += cnt > 0;
        }
    }
    free(line);
    fclose(f);
}

/* Strip the ".tmp.<pid>" of the private build directory from source paths: the build was
 * renamed to its cache name once complete, and that is where the sources are now. */
static void fix_sf_paths(char *s)
{
    char *p = s;
    while ((p = strstr(p, ".tmp."))) {
        char *e = p + 5;
        while (*e >= '0' && *e <= '9')
            e++;
        if (e > p + 5 && *e == '/')
            memmove(p, e, strlen(e) + 1);
        else
            p++;
    }
}

static int merge_block(const rctx *c, const dnn_block *b, const char *tmp, const char *dst,
                       covsum *s)
{
    int j, inchunk = 0, rc = 0;
    sbuf cmd;
    char *log = dnn_printf("%s/merge.log", tmp);
    sb_init(&cmd);
    for (j = 0; j <= c->nj; j++) {
        int last = j == c->nj;
        if (!last) {
            char *f;
            if (c->p->cfgs[c->p->jobs[j].cfg].d.blk != b || !c->res[j].has_cov)
                continue;
            f = dnn_printf("%s/jobs/%05d/coverage.dat", c->out, j);
            if (!inchunk) {
                sb_puts(&cmd, "verilator_coverage --write ");
                sb_shell_word(&cmd, dst);
                sb_puts(&cmd, ".new");
                if (s->files) {
                    sb_puts(&cmd, " ");
                    sb_shell_word(&cmd, dst);
                }
            }
            sb_puts(&cmd, " ");
            sb_shell_word(&cmd, f ? f : "");
            free(f);
            inchunk++;
            s->files++;
        }
        if (inchunk && (last || inchunk >= 400)) {
            char *nw = dnn_printf("%s.new", dst);
            if (cmd.oom || !nw || dnn_run(cmd.s, log, 0) != 0 || rename(nw, dst) != 0)
                rc = -1;
            free(nw);
            sb_free(&cmd);
            sb_init(&cmd);
            inchunk = 0;
            if (rc)
                break;
        }
    }
    sb_free(&cmd);
    free(log);
    if (!rc && s->files)
        cov_count(dst, s);
    return rc;
}

/* Merge each block's coverage.dat files, then all of them into one lcov tracefile. */
static char *merge_coverage(const rctx *c, covsum *sums, char *note, size_t nn)
{
    char *tmp = dnn_printf("%s/.coverage.tmp.%ld", c->out, (long)getpid()), err[DNN_ERRLEN];
    char *info = NULL, *text = NULL;
    sbuf all;
    int b, any = 0;
    note[0] = '\0';
    for (b = 0; b < c->nj; b++)
        any |= c->res[b].has_cov;
    if (!any || !tmp) {
        free(tmp);
        return NULL;
    }
    if (dnn_run("command -v verilator_coverage >/dev/null 2>&1", NULL, 0) != 0) {
        snprintf(note, nn, "verilator_coverage not found: coverage not merged");
        free(tmp);
        return NULL;
    }
    if (dnn_mkdirs(tmp, err, sizeof err)) {
        snprintf(note, nn, "coverage not merged: %.400s", err);
        free(tmp);
        return NULL;
    }
    sb_init(&all);
    sb_puts(&all, "verilator_coverage --write-info ");
    info = dnn_printf("%s/coverage.info", tmp);
    sb_shell_word(&all, info ? info : "");
    for (b = 0; dnn_blocks[b]; b++) {
        char *dst = dnn_printf("%s/%s.dat", tmp, dnn_blocks[b]->name);
        if (!dst)
            continue;
        if (merge_block(c, dnn_blocks[b], tmp, dst, &sums[b]) != 0)
            snprintf(note, nn, "verilator_coverage failed merging %s (log in %s)",
                     dnn_blocks[b]->name, tmp);
        else if (sums[b].files) {
            sb_puts(&all, " ");
            sb_shell_word(&all, dst);
        }
        free(dst);
    }
    if (!note[0]) {
        char *log = dnn_printf("%s/merge.log", tmp);
        size_t len;
        if (all.oom || dnn_run(all.s, log, 0) != 0 ||
            dnn_read_file(info, 256u << 20, &text, &len, err, sizeof err) != 0) {
            snprintf(note, nn, "verilator_coverage --write-info failed (log in %s)", tmp);
            text = NULL;
        } else {
            fix_sf_paths(text);
        }
        free(log);
    }
    if (!note[0]) {
        char *rm = dnn_printf("rm -rf '%s'", tmp);
        if (rm)
            (void)dnn_run(rm, NULL, 0);
        free(rm);
    }
    sb_free(&all);
    free(info);
    free(tmp);
    return text;
}

/* ---- reports ----------------------------------------------------------------------------- */

static int is_pass(const jres *r)
{
    return strcmp(r->type, "pass") == 0;
}

static int is_error(const jres *r) /* JUnit <error>: the job could not give a verdict */
{
    return !is_pass(r) && strcmp(r->type, "mismatch") != 0;
}

static char *log_tail(const rctx *c, int j, int lines)
{
    char *path = dnn_printf("%s/jobs/%05d/log.txt", c->out, j), *t, *p;
    int nl = 0;
    if (!path)
        return NULL;
    t = dnn_read_tail(path, 16384);
    free(path);
    if (!t)
        return NULL;
    p = t + strlen(t);
    while (p > t && nl <= lines)
        if (*--p == '\n')
            nl++;
    if (p != t)
        memmove(t, p + 1, strlen(p + 1) + 1);
    dnn_utf8_clean(t);
    return t;
}

typedef struct agg {
    int jobs, pass;
    double secs;
} agg;

static void junit(const rctx *c, sbuf *x)
{
    int b, j;
    int tot = c->nj, fails = 0, errs = 0;
    for (j = 0; j < c->nj; j++) {
        fails += strcmp(c->res[j].type, "mismatch") == 0;
        errs += is_error(&c->res[j]);
    }
    sb_puts(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb_printf(x, "<testsuites name=\"dnngen regress ");
    sb_esc(x, c->p->name);
    sb_printf(x, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">\n", tot, fails,
              errs, c->wall);
    for (b = 0; dnn_blocks[b]; b++) {
        int n = 0, f = 0, e = 0;
        double t = 0;
        for (j = 0; j < c->nj; j++)
            if (c->p->cfgs[c->p->jobs[j].cfg].d.blk == dnn_blocks[b]) {
                n++;
                f += strcmp(c->res[j].type, "mismatch") == 0;
                e += is_error(&c->res[j]);
                t += c->res[j].secs;
            }
        if (!n)
            continue;
        sb_printf(x, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
                     "skipped=\"0\" time=\"%.3f\" timestamp=\"%s\" hostname=\"",
                  dnn_blocks[b]->name, n, f, e, t, c->started);
        sb_esc(x, c->host);
        sb_puts(x, "\">\n    <properties>\n");
        sb_puts(x, "      <property name=\"git_revision\" value=\"");
        sb_esc(x, c->git);
        sb_printf(x, "\"/>\n      <property name=\"dnngen\" value=\"%s\"/>\n", DNN_VERSION);
        sb_puts(x, "      <property name=\"plan\" value=\"");
        sb_esc(x, c->plan_path);
        sb_puts(x, "\"/>\n");
        for (j = 0; j < 3; j++) {
            sb_printf(x, "      <property name=\"%s_version\" value=\"", sim_name(j));
            sb_esc(x, c->tver[j]);
            sb_puts(x, "\"/>\n");
        }
        sb_puts(x, "    </properties>\n");
        for (j = 0; j < c->nj; j++) {
            const dnn_plan_job *jb = &c->p->jobs[j];
            const dnn_plan_cfg *cf = &c->p->cfgs[jb->cfg];
            const jres *r = &c->res[j];
            sbuf params;
            if (cf->d.blk != dnn_blocks[b])
                continue;
            sb_init(&params);
            dnn_design_command(&cf->d, "verify", &params);
            sb_puts(x, "    <testcase classname=\"");
            sb_printf(x, "%s.%s\" name=\"", dnn_blocks[b]->name, sim_name(jb->sim));
            sb_esc(x, cf->label);
            sb_printf(x, " %s seed=%llu\" time=\"%.3f\">\n", sim_name(jb->sim),
                      (unsigned long long)jb->seed, r->secs);
            sb_printf(x, "      <properties>\n        <property name=\"seed\" value=\"%llu\"/>\n",
                      (unsigned long long)jb->seed);
            sb_puts(x, "        <property name=\"parameters\" value=\"");
            /* "dnngen verify BLOCK -p ..." without the command words */
            sb_esc(x, params.s + strlen("dnngen verify ") + strlen(dnn_blocks[b]->name) + 1);
            sb_printf(x, "\"/>\n        <property name=\"simulator\" value=\"%s\"/>\n",
                      sim_name(jb->sim));
            sb_printf(x, "        <property name=\"vectors\" value=\"%lld\"/>\n",
                      (long long)jb->vectors);
            sb_puts(x, "        <property name=\"reproduce\" value=\"");
            sb_esc(x, c->repro[j]);
            sb_printf(x, "\"/>\n        <property name=\"log\" value=\"jobs/%05d/log.txt\"/>\n",
                      j);
            if (c->ran_rerun[j] && c->rerun[j].has_fst)
                sb_printf(x, "        <property name=\"waves\" value=\"jobs/%05d/waves.fst\"/>\n",
                          j);
            sb_puts(x, "      </properties>\n");
            if (!is_pass(r)) {
                char *tail = log_tail(c, j, 30);
                sb_printf(x, "      <%s type=\"%s\" message=\"", is_error(r) ? "error" : "failure",
                          r->type);
                sb_esc(x, r->reason);
                sb_puts(x, "\">");
                sb_esc(x, tail ? tail : "");
                sb_printf(x, "</%s>\n", is_error(r) ? "error" : "failure");
                free(tail);
            }
            sb_puts(x, "    </testcase>\n");
            sb_free(&params);
        }
        sb_puts(x, "  </testsuite>\n");
    }
    sb_puts(x, "</testsuites>\n");
}

static void pct(char *buf, size_t n, long long a, long long b)
{
    if (b > 0)
        snprintf(buf, n, "%.1f%%", 100.0 * (double)a / (double)b);
    else
        snprintf(buf, n, "n/a");
}

typedef struct stats {
    int total, pass, fail, bytype[6];
    agg blk[32];
    covsum cov[32];
    int has_cov;
    char covnote[512];
} stats;

static const char *const types[] = { "mismatch", "crash", "timeout", "tool", "error", NULL };

static void gather(const rctx *c, stats *s)
{
    int j, k;
    for (j = 0; j < c->nj; j++) {
        const jres *r = &c->res[j];
        int b;
        for (b = 0; dnn_blocks[b] && b < 32; b++)
            if (dnn_blocks[b] == c->p->cfgs[c->p->jobs[j].cfg].d.blk)
                break;
        s->total++;
        if (b < 32) {
            s->blk[b].jobs++;
            s->blk[b].secs += r->secs;
        }
        if (is_pass(r)) {
            s->pass++;
            if (b < 32)
                s->blk[b].pass++;
        } else {
            s->fail++;
            for (k = 0; types[k]; k++)
                if (strcmp(types[k], r->type) == 0)
                    s->bytype[k]++;
        }
    }
}

static void failure_kinds(const stats *s, sbuf *b)
{
    int k, first = 1;
    for (k = 0; types[k]; k++)
        if (s->bytype[k]) {
            sb_printf(b, "%s%d %s", first ? "" : ", ", s->bytype[k], types[k]);
            first = 0;
        }
}

/* Per (block, config): jobs, passes, simulators, time. */
static void config_rows(const rctx *c, int cfg, int *jobs, int *pass, double *secs, char *sims,
                        size_t n)
{
    int j, seen[3] = { 0, 0, 0 }, k;
    size_t used = 0;
    *jobs = *pass = 0;
    *secs = 0;
    for (j = 0; j < c->nj; j++)
        if (c->p->jobs[j].cfg == cfg) {
            (*jobs)++;
            *pass += is_pass(&c->res[j]);
            *secs += c->res[j].secs;
            seen[c->p->jobs[j].sim] = 1;
        }
    sims[0] = '\0';
    for (k = 0; k < 3; k++)
        if (seen[k])
            used += (size_t)snprintf(sims + used, used < n ? n - used : 0, "%s%s",
                                     used ? ", " : "", sim_name(k));
}

static void rerun_text(const rctx *c, int j, sbuf *b, int html)
{
    const jres *r = &c->rerun[j];
    const dnn_plan_job *jb = &c->p->jobs[j];
    if (!c->ran_rerun[j]) {
        sb_puts(b, "not re-run (--reruns limit)");
        return;
    }
    sb_printf(b, "re-run with waves: %s", is_pass(r) ? "passed (flaky?)" : r->type);
    if (r->has_fst) {
        if (html)
            sb_printf(b, "; waveform <a href=\"jobs/%05d/waves.fst\">jobs/%05d/waves.fst</a>", j,
                      j);
        else
            sb_printf(b, "; waveform jobs/%05d/waves.fst", j);
    } else if (jb->sim == 2) {
        sb_puts(b, "; no waveform (the SystemC harness dumps none)");
    } else {
        sb_puts(b, "; no waveform written");
    }
}

/* "ran as K array tasks (Slurm job 12) on vm: 2 of 2 wrote results" */
static void tasks_line(const rctx *c, sbuf *b)
{
    int k;
    sb_printf(b, "ran as %d task%s", c->ktasks, c->ktasks == 1 ? "" : "s");
    for (k = 0; k < c->ntk; k++)
        if (c->tk[k].slurm.array_job[0]) {
            sb_printf(b, " of Slurm job array %s", c->tk[k].slurm.array_job);
            break;
        }
    sb_printf(b, ": %d of %d wrote results, on ", c->ntk, c->ktasks);
    for (k = 0; k < c->ntk; k++) {
        int i, seen = 0;
        for (i = 0; i < k; i++)
            seen |= strcmp(c->tk[i].host, c->tk[k].host) == 0;
        if (!seen)
            sb_printf(b, "%s%s", k ? ", " : "", c->tk[k].host);
    }
}

static void summary_md(const rctx *c, const stats *s, sbuf *m)
{
    int b, j, nf = 0;
    char rate[32], wall[32];
    sbuf kinds;
    sb_init(&kinds);
    failure_kinds(s, &kinds);
    pct(rate, sizeof rate, s->pass, s->total);
    dnn_fmt_dur(c->wall, wall, sizeof wall);
    sb_printf(m, "# dnngen regression `%s`: %s\n\n", c->p->name, s->fail ? "FAIL" : "PASS");
    sb_printf(m, "**%d of %d jobs passed (%s)**, %d failed%s%s%s\n\n", s->pass, s->total, rate,
              s->fail, s->fail ? " (" : "", s->fail ? kinds.s : "", s->fail ? ")" : "");
    sb_printf(m, "- plan: `%s`, git %s, dnngen %s\n", c->plan_path, c->git, DNN_VERSION);
    sb_printf(m, "- started %s on %s, wall time %s, %.1f jobs/min\n", c->started, c->host, wall,
              c->wall > 0 ? 60.0 * s->total / c->wall : 0.0);
    sb_printf(m, "- tools: %s; %s; SystemC %s\n", c->tver[0], c->tver[1], c->tver[2]);
    if (c->ktasks) {
        sbuf tl;
        sb_init(&tl);
        tasks_line(c, &tl);
        sb_printf(m, "- %s\n", tl.s ? tl.s : "");
        sb_free(&tl);
    }
    sb_puts(m, "\n");
    sb_puts(m, "## Blocks\n\n| block | jobs | passed | failed | pass rate | job time | line "
               "coverage | toggle coverage |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (b = 0; dnn_blocks[b] && b < 32; b++) {
        char r2[32], t[32], lc[64], tc[64];
        if (!s->blk[b].jobs)
            continue;
        pct(r2, sizeof r2, s->blk[b].pass, s->blk[b].jobs);
        dnn_fmt_dur(s->blk[b].secs, t, sizeof t);
        pct(lc, sizeof lc, s->cov[b].line_hit, s->cov[b].line_all);
        pct(tc, sizeof tc, s->cov[b].tog_hit, s->cov[b].tog_all);
        sb_printf(m, "| %s | %d | %d | %d | %s | %s | %s | %s |\n", dnn_blocks[b]->name,
                  s->blk[b].jobs, s->blk[b].pass, s->blk[b].jobs - s->blk[b].pass, r2, t, lc, tc);
    }
    if (s->has_cov)
        sb_puts(m, "\nCoverage: Verilator line (with branch) and toggle points of the "
                   "verilator jobs, merged per block; lcov tracefile `coverage.info`.\n");
    if (s->covnote[0])
        sb_printf(m, "\nCoverage: %s\n", s->covnote);
    sb_puts(m, "\n## Configurations\n\n| block | config | simulators | jobs | passed | pass "
               "rate | mean job time |\n|---|---|---|---:|---:|---:|---:|\n");
    for (j = 0; j < c->p->ncfgs; j++) {
        int jobs, pass;
        double secs;
        char sims[64], r2[32];
        config_rows(c, j, &jobs, &pass, &secs, sims, sizeof sims);
        if (!jobs)
            continue;
        pct(r2, sizeof r2, pass, jobs);
        sb_printf(m, "| %s | %s | %s | %d | %d | %s | %.1f s |\n", c->p->cfgs[j].d.blk->name,
                  c->p->cfgs[j].label, sims, jobs, pass, r2, secs / jobs);
    }
    sb_puts(m, "\n## Failures\n\n");
    for (j = 0; j < c->nj; j++) {
        const jres *r = &c->res[j];
        const dnn_plan_job *jb = &c->p->jobs[j];
        if (is_pass(r))
            continue;
        nf++;
        sb_printf(m, "%d. **%s %s, %s, seed %llu: %s** -- %s\n", nf,
                  c->p->cfgs[jb->cfg].d.blk->name, c->p->cfgs[jb->cfg].label, sim_name(jb->sim),
                  (unsigned long long)jb->seed, r->type, r->reason);
        sb_printf(m, "   ```\n   %s\n   ```\n   log jobs/%05d/log.txt; ", c->repro[j], j);
        rerun_text(c, j, m, 0);
        sb_puts(m, "\n");
    }
    if (!nf)
        sb_puts(m, "None.\n");
    sb_free(&kinds);
}

static const char css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
    "text-align:left}th{background:#eee}td.n{text-align:right}.pass{color:#060}.fail{color:"
    "#b00;font-weight:bold}tr.fail td{background:#fee}pre{background:#f6f6f6;padding:6px;"
    "white-space:pre-wrap;user-select:all}.bar{display:inline-block;height:10px;background:"
    "#4a4}.bg{display:inline-block;width:100px;height:10px;background:#e66;vertical-align:"
    "middle}h1 .fail,h1 .pass{font-size:80%}";

/* Recount the job table in the browser: the test of the report reads both back. */
static const char script[] =
    "(function(){var rows=document.querySelectorAll('#jobs tbody tr'),p=0,f=0,i;"
    "for(i=0;i<rows.length;i++){if(rows[i].getAttribute('data-status')==='pass')p++;else f++;}"
    "document.getElementById('check').textContent='browser count: '+rows.length+' jobs, '+p+"
    "' passed, '+f+' failed';var cb=document.getElementById('onlyfail');cb.onchange=function()"
    "{for(var k=0;k<rows.length;k++)rows[k].style.display=cb.checked&&rows[k].getAttribute("
    "'data-status')==='pass'?'none':'';};})();";

static void bar(sbuf *h, int pass, int jobs)
{
    sb_printf(h, "<span class=\"bg\"><span class=\"bar\" style=\"width:%dpx\"></span></span>",
              jobs ? (int)(100.0 * pass / jobs) : 0);
}

static void report_html(const rctx *c, const stats *s, sbuf *h)
{
    int b, j, nf = 0;
    char rate[32], wall[32];
    sbuf kinds;
    sb_init(&kinds);
    failure_kinds(s, &kinds);
    pct(rate, sizeof rate, s->pass, s->total);
    dnn_fmt_dur(c->wall, wall, sizeof wall);
    sb_puts(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<title>dnngen regression ");
    sb_esc(h, c->p->name);
    sb_printf(h, "</title><style>%s</style></head><body>\n", css);
    sb_puts(h, "<h1>dnngen regression <code>");
    sb_esc(h, c->p->name);
    sb_printf(h, "</code>: <span id=\"verdict\" class=\"%s\">%s</span></h1>\n",
              s->fail ? "fail" : "pass", s->fail ? "FAIL" : "PASS");
    sb_printf(h, "<p id=\"summary\"><b><span id=\"sum-passed\">%d</span> of <span "
                 "id=\"sum-total\">%d</span> jobs passed (<span id=\"sum-rate\">%s</span>)</b>, "
                 "<span id=\"sum-failed\">%d</span> failed",
              s->pass, s->total, rate, s->fail);
    if (s->fail) {
        sb_puts(h, " (");
        sb_esc(h, kinds.s);
        sb_puts(h, ")");
    }
    sb_puts(h, "</p>\n<p id=\"check\"></p>\n<ul><li>plan <code>");
    sb_esc(h, c->plan_path);
    sb_puts(h, "</code>, git <code>");
    sb_esc(h, c->git);
    sb_printf(h, "</code>, dnngen %s</li><li>started %s on ", DNN_VERSION, c->started);
    sb_esc(h, c->host);
    sb_printf(h, ", wall time %s, %.1f jobs/min</li><li>tools: ", wall,
              c->wall > 0 ? 60.0 * s->total / c->wall : 0.0);
    sb_esc(h, c->tver[0]);
    sb_puts(h, "; ");
    sb_esc(h, c->tver[1]);
    sb_puts(h, "; SystemC ");
    sb_esc(h, c->tver[2]);
    if (c->ktasks) {
        sbuf tl;
        sb_init(&tl);
        tasks_line(c, &tl);
        sb_puts(h, "</li><li id=\"tasks\">");
        sb_esc(h, tl.s);
        sb_free(&tl);
    }
    sb_puts(h, "</li></ul>\n<h2>Blocks</h2>\n<table id=\"blocks\"><thead><tr><th>block</th>"
               "<th>jobs</th><th>passed</th><th>failed</th><th>pass rate</th><th></th>"
               "<th>job time</th><th>line coverage</th><th>toggle coverage</th></tr></thead>"
               "<tbody>\n");
    for (b = 0; dnn_blocks[b] && b < 32; b++) {
        char r2[32], t[32], lc[64], tc[64];
        if (!s->blk[b].jobs)
            continue;
        pct(r2, sizeof r2, s->blk[b].pass, s->blk[b].jobs);
        dnn_fmt_dur(s->blk[b].secs, t, sizeof t);
        pct(lc, sizeof lc, s->cov[b].line_hit, s->cov[b].line_all);
        pct(tc, sizeof tc, s->cov[b].tog_hit, s->cov[b].tog_all);
        sb_printf(h, "<tr class=\"%s\"><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%d"
                     "</td><td class=\"n\">%d</td><td class=\"n\">%s</td><td>",
                  s->blk[b].pass == s->blk[b].jobs ? "pass" : "fail", dnn_blocks[b]->name,
                  s->blk[b].jobs, s->blk[b].pass, s->blk[b].jobs - s->blk[b].pass, r2);
        bar(h, s->blk[b].pass, s->blk[b].jobs);
        sb_printf(h, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s"
                     "</td></tr>\n",
                  t, lc, tc);
    }
    sb_puts(h, "</tbody></table>\n");
    if (s->has_cov)
        sb_puts(h, "<p>Coverage: Verilator line (with branch) and toggle points of the "
                   "verilator jobs, merged per block; lcov tracefile <a href=\"coverage.info\">"
                   "coverage.info</a> (<code>genhtml coverage.info -o cov</code>).</p>\n");
    if (s->covnote[0]) {
        sb_puts(h, "<p>Coverage: ");
        sb_esc(h, s->covnote);
        sb_puts(h, "</p>\n");
    }
    sb_puts(h, "<h2>Failures</h2>\n");
    for (j = 0; j < c->nj; j++) {
        const jres *r = &c->res[j];
        const dnn_plan_job *jb = &c->p->jobs[j];
        if (is_pass(r))
            continue;
        if (!nf)
            sb_puts(h, "<ol id=\"failures\">\n");
        nf++;
        sb_printf(h, "<li><b>%s ", c->p->cfgs[jb->cfg].d.blk->name);
        sb_esc(h, c->p->cfgs[jb->cfg].label);
        sb_printf(h, ", %s, seed %llu: <span class=\"fail\">%s</span></b> &mdash; ",
                  sim_name(jb->sim), (unsigned long long)jb->seed, r->type);
        sb_esc(h, r->reason);
        sb_puts(h, "<pre>");
        sb_esc(h, c->repro[j]);
        sb_printf(h, "</pre><a href=\"jobs/%05d/log.txt\">log</a>; ", j);
        rerun_text(c, j, h, 1);
        sb_puts(h, "</li>\n");
    }
    sb_puts(h, nf ? "</ol>\n" : "<p>None.</p>\n");
    sb_puts(h, "<h2>Configurations</h2>\n<table id=\"configs\"><thead><tr><th>block</th><th>"
               "config</th><th>simulators</th><th>jobs</th><th>passed</th><th>pass rate</th>"
               "<th></th><th>mean job time</th></tr></thead><tbody>\n");
    for (j = 0; j < c->p->ncfgs; j++) {
        int jobs, pass;
        double secs;
        char sims[64], r2[32];
        config_rows(c, j, &jobs, &pass, &secs, sims, sizeof sims);
        if (!jobs)
            continue;
        pct(r2, sizeof r2, pass, jobs);
        sb_printf(h, "<tr class=\"%s\"><td>%s</td><td>", pass == jobs ? "pass" : "fail",
                  c->p->cfgs[j].d.blk->name);
        sb_esc(h, c->p->cfgs[j].label);
        sb_printf(h, "</td><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td "
                     "class=\"n\">%s</td><td>",
                  sims, jobs, pass, r2);
        bar(h, pass, jobs);
        sb_printf(h, "</td><td class=\"n\">%.1f s</td></tr>\n", secs / jobs);
    }
    sb_puts(h, "</tbody></table>\n<h2>Jobs</h2>\n<label><input type=\"checkbox\" id=\"onlyfail\">"
               " failures only</label>\n<table id=\"jobs\"><thead><tr><th>#</th><th>block</th>"
               "<th>config</th><th>simulator</th><th>seed</th><th>result</th><th>checked</th>"
               "<th>cycles</th><th>time</th></tr></thead><tbody>\n");
    for (j = 0; j < c->nj; j++) {
        const jres *r = &c->res[j];
        const dnn_plan_job *jb = &c->p->jobs[j];
        sb_printf(h, "<tr data-status=\"%s\" class=\"%s\"><td><a href=\"jobs/%05d/log.txt\">%d"
                     "</a></td><td>%s</td><td>",
                  is_pass(r) ? "pass" : "fail", is_pass(r) ? "" : "fail", j, j,
                  c->p->cfgs[jb->cfg].d.blk->name);
        sb_esc(h, c->p->cfgs[jb->cfg].label);
        sb_printf(h, "</td><td>%s</td><td class=\"n\">%llu</td><td class=\"%s\">%s</td><td "
                     "class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%.1f s</td>"
                     "</tr>\n",
                  sim_name(jb->sim), (unsigned long long)jb->seed, is_pass(r) ? "pass" : "fail",
                  r->type, r->checked, r->cycles, r->secs);
    }
    sb_printf(h, "</tbody></table>\n<script>%s</script>\n</body></html>\n", script);
    sb_free(&kinds);
}

static char *results_json(const rctx *c, const stats *s)
{
    cJSON *root = cJSON_CreateObject(), *jobs, *blocks, *tools;
    char *txt;
    int j, b;
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "plan", c->plan_path);
    cJSON_AddStringToObject(root, "name", c->p->name);
    cJSON_AddStringToObject(root, "git", c->git);
    cJSON_AddStringToObject(root, "dnngen", DNN_VERSION);
    cJSON_AddStringToObject(root, "started", c->started);
    cJSON_AddNumberToObject(root, "wall_seconds", c->wall);
    cJSON_AddNumberToObject(root, "total", s->total);
    cJSON_AddNumberToObject(root, "passed", s->pass);
    cJSON_AddNumberToObject(root, "failed", s->fail);
    tools = cJSON_AddObjectToObject(root, "tools");
    for (j = 0; j < 3; j++)
        cJSON_AddStringToObject(tools, sim_name(j), c->tver[j]);
    blocks = cJSON_AddObjectToObject(root, "blocks");
    for (b = 0; dnn_blocks[b] && b < 32; b++) {
        cJSON *o;
        if (!s->blk[b].jobs)
            continue;
        o = cJSON_AddObjectToObject(blocks, dnn_blocks[b]->name);
        cJSON_AddNumberToObject(o, "jobs", s->blk[b].jobs);
        cJSON_AddNumberToObject(o, "passed", s->blk[b].pass);
        cJSON_AddNumberToObject(o, "seconds", s->blk[b].secs);
        if (s->cov[b].line_all) {
            cJSON_AddNumberToObject(o, "line_points", (double)s->cov[b].line_all);
            cJSON_AddNumberToObject(o, "line_covered", (double)s->cov[b].line_hit);
            cJSON_AddNumberToObject(o, "toggle_points", (double)s->cov[b].tog_all);
            cJSON_AddNumberToObject(o, "toggle_covered", (double)s->cov[b].tog_hit);
        }
    }
    if (c->ktasks) {
        cJSON *ta = cJSON_AddArrayToObject(root, "tasks");
        for (j = 0; ta && j < c->ntk; j++) {
            const dnn_rtask *t = &c->tk[j];
            cJSON *o = cJSON_CreateObject();
            if (!o)
                break;
            cJSON_AddItemToArray(ta, o);
            cJSON_AddNumberToObject(o, "task", t->task);
            cJSON_AddNumberToObject(o, "tasks", t->tasks);
            cJSON_AddNumberToObject(o, "jobs", t->nres);
            cJSON_AddStringToObject(o, "host", t->host);
            cJSON_AddNumberToObject(o, "seconds", t->t_end - t->t_start);
            cJSON_AddStringToObject(o, "slurm_job_id", t->slurm.job);
            cJSON_AddStringToObject(o, "slurm_array_job_id", t->slurm.array_job);
            cJSON_AddStringToObject(o, "slurm_array_task_id", t->slurm.array_task);
        }
    }
    jobs = cJSON_AddArrayToObject(root, "jobs");
    for (j = 0; j < c->nj; j++) {
        const jres *r = &c->res[j];
        const dnn_plan_job *jb = &c->p->jobs[j];
        cJSON *o = cJSON_CreateObject();
        char dir[32];
        if (!o)
            break;
        cJSON_AddItemToArray(jobs, o);
        snprintf(dir, sizeof dir, "jobs/%05d", j);
        cJSON_AddNumberToObject(o, "id", j);
        cJSON_AddStringToObject(o, "block", c->p->cfgs[jb->cfg].d.blk->name);
        cJSON_AddStringToObject(o, "config", c->p->cfgs[jb->cfg].label);
        cJSON_AddStringToObject(o, "top", c->p->cfgs[jb->cfg].d.top);
        cJSON_AddStringToObject(o, "sim", sim_name(jb->sim));
        cJSON_AddNumberToObject(o, "seed", (double)jb->seed);
        cJSON_AddNumberToObject(o, "vectors", (double)jb->vectors);
        cJSON_AddStringToObject(o, "result", r->type);
        cJSON_AddStringToObject(o, "reason", r->reason);
        cJSON_AddNumberToObject(o, "checked", (double)r->checked);
        cJSON_AddNumberToObject(o, "mismatches", (double)r->mism);
        cJSON_AddNumberToObject(o, "cycles", (double)r->cycles);
        cJSON_AddNumberToObject(o, "seconds", r->secs);
        cJSON_AddStringToObject(o, "dir", dir);
        cJSON_AddStringToObject(o, "reproduce", c->repro[j]);
        if (c->ran_rerun[j]) {
            cJSON_AddStringToObject(o, "rerun_result", c->rerun[j].type);
            if (c->rerun[j].has_fst) {
                char w[48];
                snprintf(w, sizeof w, "jobs/%05d/waves.fst", j);
                cJSON_AddStringToObject(o, "waves", w);
            }
        }
    }
    txt = cJSON_Print(root);
    cJSON_Delete(root);
    return txt;
}

/* ---- tasks: a chunk of the jobs, its results file, and the merge -------------------------- */

/* What a task's results must belong to: every job's reproduce command and coverage flag.
 * A merge with other options (--seed, --reseed) or an edited plan sees another one. */
static void fingerprint(const rctx *c, char out[17])
{
    uint64_t h = DNN_HASH_INIT;
    int j;
    for (j = 0; j < c->nj; j++) {
        unsigned char cov = (unsigned char)c->p->jobs[j].coverage;
        h = dnn_hash(h, c->repro[j], strlen(c->repro[j]) + 1);
        h = dnn_hash(h, &cov, 1);
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static int write_task_file(const rctx *c, int tix, int tasks, int lo, int hi, double t0,
                           char *err, size_t n)
{
    dnn_rtask t;
    char name[32], *dir = dnn_printf("%s/tasks", c->out), *txt;
    int j, rc;
    outfile of;
    memset(&t, 0, sizeof t);
    fingerprint(c, t.fingerprint);
    t.njobs = c->nj;
    t.task = tix;
    t.tasks = tasks;
    { /* Unix time: the merge reports when the run started; t0 is monotonic */
        struct timespec rt;
        clock_gettime(CLOCK_REALTIME, &rt);
        t.t_end = (double)rt.tv_sec + 1e-9 * (double)rt.tv_nsec;
        t.t_start = t.t_end - (dnn_now() - t0);
    }
    snprintf(t.host, sizeof t.host, "%s", c->host);
    dnn_slurm_getenv(&t.slurm);
    t.nres = hi - lo;
    t.res = calloc((size_t)t.nres + 1, sizeof *t.res);
    if (!t.res || !dir) {
        free(t.res);
        free(dir);
        snprintf(err, n, "out of memory");
        return DNN_ETOOL;
    }
    for (j = lo; j < hi; j++) {
        dnn_rtask_res *r = &t.res[j - lo];
        const jres *s = &c->res[j];
        r->id = j;
        snprintf(r->type, sizeof r->type, "%s", s->type);
        snprintf(r->reason, sizeof r->reason, "%s", s->reason);
        r->checked = s->checked;
        r->mism = s->mism;
        r->cycles = s->cycles;
        r->secs = s->secs;
        r->has_cov = s->has_cov;
        r->rerun = c->ran_rerun[j];
        snprintf(r->rr_type, sizeof r->rr_type, "%s", c->rerun[j].type);
        r->rr_fst = c->rerun[j].has_fst;
    }
    txt = dnn_rtask_format(&t);
    snprintf(name, sizeof name, "task-%04d.json", tix);
    of = (outfile){ name, txt, txt ? strlen(txt) : 0 };
    rc = txt ? dnn_write_files(dir, &of, 1, err, n) : (snprintf(err, n, "out of memory"), 1);
    free(txt);
    free(t.res);
    free(dir);
    return rc ? DNN_ETOOL : 0;
}

/* Read DIR/tasks/task-*.json into c->res; jobs of a task that wrote none are errors. */
static int load_tasks(rctx *c, char *err, size_t n)
{
    char fp[17], *dir = dnn_printf("%s/tasks", c->out);
    int k, j, rc = 0;
    double first = 0, last = 0;
    fingerprint(c, fp);
    c->ktasks = 0;
    c->tk = calloc(DNN_SLURM_MAX_TASKS + 1, sizeof *c->tk);
    if (!dir || !c->tk) {
        free(dir);
        snprintf(err, n, "regress: out of memory");
        return DNN_ETOOL;
    }
    for (k = 0; k <= DNN_SLURM_MAX_TASKS && (!c->ktasks || k < c->ktasks); k++) {
        char *path = dnn_printf("%s/task-%04d.json", dir, k), *text = NULL, e2[DNN_ERRLEN];
        size_t len;
        dnn_rtask *t = &c->tk[c->ntk];
        if (!path) {
            rc = DNN_ETOOL;
            snprintf(err, n, "regress: out of memory");
            break;
        }
        if (!dnn_file_exists(path)) {
            free(path);
            continue;
        }
        if (dnn_read_file(path, 64u << 20, &text, &len, e2, sizeof e2) ||
            dnn_rtask_parse(text, len, path, t, e2, sizeof e2)) {
            snprintf(err, n, "regress: %.900s", e2);
            rc = DNN_EUSAGE;
        } else if (strcmp(t->fingerprint, fp) != 0 || t->njobs != c->nj) {
            snprintf(err, n, "regress: task file '%.300s' holds results of another plan or "
                             "other options (legal: --merge with the plan and the --seed, "
                             "--reseed of the run)",
                     path);
            rc = DNN_EUSAGE;
        } else if (t->task != k || (c->ktasks && t->tasks != c->ktasks)) {
            snprintf(err, n, "regress: task file '%.300s' is task %d of %d, not %d of %d "
                             "(legal: the task files of one run; an earlier run's are removed "
                             "when the next is submitted)",
                     path, t->task, t->tasks, k, c->ktasks ? c->ktasks : t->tasks);
            rc = DNN_EUSAGE;
        }
        free(text);
        free(path);
        if (rc) {
            dnn_rtask_free(t);
            break;
        }
        c->ktasks = t->tasks;
        for (j = 0; j < t->nres; j++) {
            const dnn_rtask_res *r = &t->res[j];
            jres *s = &c->res[r->id];
            snprintf(s->type, sizeof s->type, "%s", r->type);
            snprintf(s->reason, sizeof s->reason, "%s", r->reason);
            s->checked = r->checked;
            s->mism = r->mism;
            s->cycles = r->cycles;
            s->secs = r->secs;
            s->has_cov = r->has_cov;
            c->ran_rerun[r->id] = r->rerun;
            if (r->rerun) {
                snprintf(c->rerun[r->id].type, sizeof c->rerun[r->id].type, "%s", r->rr_type);
                c->rerun[r->id].has_fst = r->rr_fst;
            }
        }
        if (!c->ntk || t->t_start < first)
            first = t->t_start;
        if (!c->ntk || t->t_end > last)
            last = t->t_end;
        c->ntk++;
    }
    free(dir);
    if (rc)
        return rc;
    if (!c->ntk) {
        snprintf(err, n, "regress: no task results in '%.300s/tasks' (legal: the output "
                         "directory of a run with --task, --slurm or --slurm-script)",
                 c->out);
        return DNN_EUSAGE;
    }
    for (k = 0; k < c->ktasks; k++) { /* a task that wrote nothing: its jobs failed */
        int lo, hi, have = 0, i;
        for (i = 0; i < c->ntk; i++)
            have |= c->tk[i].task == k;
        if (have)
            continue;
        dnn_chunk(c->nj, c->ktasks, k, &lo, &hi);
        for (j = lo; j < hi; j++) {
            memset(&c->res[j], 0, sizeof c->res[j]);
            snprintf(c->res[j].type, sizeof c->res[j].type, "error");
            snprintf(c->res[j].reason, sizeof c->res[j].reason,
                     "array task %d wrote no results (no tasks/task-%04d.json; its output: "
                     "slurm/task-%d.out)",
                     k, k, k);
        }
    }
    c->wall = last - first;
    {
        time_t ts = (time_t)first;
        struct tm tm;
        gmtime_r(&ts, &tm);
        strftime(c->started, sizeof c->started, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    return 0;
}

/* Remove every file of dir whose name starts with prefix (an earlier run's task results). */
static void remove_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
            char *f = dnn_printf("%s/%s", dir, e->d_name);
            if (f)
                unlink(f);
            free(f);
        }
    closedir(d);
}

static char *abspath(const char *p)
{
    char cwd[4096];
    if (p[0] == '/')
        return dnn_strdup(p);
    if (!getcwd(cwd, sizeof cwd))
        return NULL;
    return strcmp(p, ".") == 0 ? dnn_strdup(cwd) : dnn_printf("%s/%s", cwd, p);
}

/* The reports of c (every job's result in c->res) into c->out; the RESULT line. */
static int finish(rctx *c)
{
    stats st;
    char *covinfo, err[DNN_ERRLEN];
    int rc = 0, k;
    memset(&st, 0, sizeof st);
    gather(c, &st);
    covinfo = merge_coverage(c, st.cov, st.covnote, sizeof st.covnote);
    st.has_cov = covinfo != NULL;
    {
        sbuf x, m, h;
        char *rj = results_json(c, &st);
        outfile of[5];
        int nof = 0;
        sb_init(&x);
        sb_init(&m);
        sb_init(&h);
        junit(c, &x);
        summary_md(c, &st, &m);
        report_html(c, &st, &h);
        if (x.oom || m.oom || h.oom || !rj) {
            rc = dnn_fail(DNN_ETOOL, "regress: out of memory writing the reports");
        } else {
            of[nof++] = (outfile){ "junit.xml", x.s, x.len };
            of[nof++] = (outfile){ "summary.md", m.s, m.len };
            of[nof++] = (outfile){ "report.html", h.s, h.len };
            of[nof++] = (outfile){ "results.json", rj, strlen(rj) };
            if (covinfo)
                of[nof++] = (outfile){ "coverage.info", covinfo, strlen(covinfo) };
            rc = dnn_write_files(c->out, of, nof, err, sizeof err);
            if (rc)
                rc = dnn_fail(DNN_ETOOL, "regress: %s; no report written", err);
        }
        sb_free(&x);
        sb_free(&m);
        sb_free(&h);
        free(rj);
    }
    if (!rc) {
        char wall[32];
        dnn_fmt_dur(c->wall, wall, sizeof wall);
        printf("RESULT regress plan=%s jobs=%d passed=%d failed=%d wall=%s jobs_per_min=%.1f\n",
               c->p->name, st.total, st.pass, st.fail, wall,
               c->wall > 0 ? 60.0 * st.total / c->wall : 0.0);
        if (c->ktasks) {
            sbuf tl;
            sb_init(&tl);
            tasks_line(c, &tl);
            printf("regress: %s\n", tl.s ? tl.s : "");
            sb_free(&tl);
        }
        for (k = 0; dnn_blocks[k] && k < 32; k++)
            if (st.cov[k].line_all)
                printf("coverage %s: line %.1f%% toggle %.1f%%\n", dnn_blocks[k]->name,
                       100.0 * (double)st.cov[k].line_hit / (double)st.cov[k].line_all,
                       st.cov[k].tog_all ? 100.0 * (double)st.cov[k].tog_hit /
                                               (double)st.cov[k].tog_all
                                         : 0.0);
        if (st.covnote[0])
            printf("coverage: %s\n", st.covnote);
        printf("regress: %s; reports in %s/ (summary.md, report.html, junit.xml)\n",
               st.fail ? "FAIL" : "PASS", c->out);
        rc = st.fail ? DNN_EVERIFY : 0;
    }
    free(covinfo);
    return rc;
}

/* Run tasks ts (their .job set) and then re-run at most reruns of the failures with waves. */
static int run_with_reruns(rctx *c, task *ts, int nt, task *ts_re, int par, int64_t reruns)
{
    int i, nre = 0, rc = run_tasks(c, ts, nt, par, "");
    if (rc)
        return rc;
    for (i = 0; i < nt && nre < reruns; i++)
        if (!is_pass(&c->res[ts[i].job])) {
            ts_re[nre].job = ts[i].job;
            ts_re[nre].rerun = 1;
            c->ran_rerun[ts[i].job] = 1;
            nre++;
        }
    if (nre) {
        printf("regress: re-running %d failing job%s with --waves\n", nre, nre > 1 ? "s" : "");
        rc = run_tasks(c, ts_re, nre, par, " (re-run)");
    }
    return rc;
}

/* ---- the command ------------------------------------------------------------------------- */

int cmd_regress(int argc, char **argv)
{
    const char *out = "regress-out", *plan_path = NULL, *js = NULL, *ss = NULL, *rs = NULL,
               *ts = NULL, *rrs = NULL, *tks = NULL, *nks = NULL, *chs = NULL, *sscript = NULL,
               *part = NULL, *stime = NULL;
    int dry = 0, merge = 0, slurm = 0, nowait = 0, i, rc = 0, k;
    int64_t par = 0, reruns = 10, tix = -1, ntasks = 0, chunk = 0, smin = 0;
    dnn_plan_over over = { -1, -1, -1 };
    dnn_plan p;
    char err[DNN_ERRLEN], self[4096], *text = NULL;
    size_t len;
    rctx c;
    task *ts_main = NULL, *ts_re = NULL;
    double t0;
    struct sigaction sa;
    memset(&c, 0, sizeof c);
    memset(&p, 0, sizeof p);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(regress_help, stdout);
            return 0;
        }
        if (strcmp(a, "--dry-run") == 0 || strcmp(a, "--merge") == 0 ||
            strcmp(a, "--slurm") == 0 || strcmp(a, "--slurm-no-wait") == 0) {
            *(a[2] == 'd' ? &dry : a[2] == 'm' ? &merge : a[7] ? &nowait : &slurm) = 1;
            continue;
        }
        slot = strcmp(a, "-o") == 0                  ? &out
               : strcmp(a, "-j") == 0                ? &js
               : strcmp(a, "--seed") == 0            ? &ss
               : strcmp(a, "--reseed") == 0          ? &rs
               : strcmp(a, "--timeout") == 0         ? &ts
               : strcmp(a, "--reruns") == 0          ? &rrs
               : strcmp(a, "--task") == 0            ? &tks
               : strcmp(a, "--tasks") == 0           ? &nks
               : strcmp(a, "--chunk") == 0           ? &chs
               : strcmp(a, "--slurm-script") == 0    ? &sscript
               : strcmp(a, "--slurm-partition") == 0 ? &part
               : strcmp(a, "--slurm-time") == 0      ? &stime
                                                     : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return dnn_fail(DNN_EUSAGE, "regress: option %s needs a value", a);
            *slot = argv[++i];
            continue;
        }
        if (a[0] == '-' || plan_path)
            return dnn_fail(DNN_EUSAGE, "regress: unknown option '%.60s' (legal: -o, -j, --seed, "
                                        "--reseed, --timeout, --reruns, --dry-run, --task, "
                                        "--tasks, --chunk, --merge, --slurm, --slurm-script, "
                                        "--slurm-no-wait, --slurm-partition, --slurm-time)",
                            a);
        plan_path = a;
    }
    if (!plan_path)
        return dnn_fail(DNN_EUSAGE, "regress: missing PLAN.json (usage: dnngen regress PLAN.json "
                                    "[-o DIR] [-j N])");
    if ((js && (dnn_parse_count("-j", js, 1024, &par) || (par == 0 && dnn_fail(DNN_EUSAGE,
                                                                                "bad value '0' "
                                                                                "for -j (legal: "
                                                                                "1..1024)")))) ||
        (ss && dnn_parse_count("--seed", ss, DNN_PLAN_MAX_SEED, &over.seed)) ||
        (rs && dnn_parse_count("--reseed", rs, DNN_PLAN_MAX_RESEED, &over.reseed)) ||
        (ts && dnn_parse_count("--timeout", ts, DNN_PLAN_MAX_TIMEOUT, &over.timeout)) ||
        (rrs && dnn_parse_count("--reruns", rrs, DNN_PLAN_MAX_JOBS, &reruns)) ||
        (tks && dnn_parse_count("--task", tks, DNN_SLURM_MAX_TASKS - 1, &tix)) ||
        (nks && dnn_parse_count("--tasks", nks, DNN_SLURM_MAX_TASKS, &ntasks)) ||
        (chs && dnn_parse_count("--chunk", chs, DNN_PLAN_MAX_JOBS, &chunk)) ||
        (stime && dnn_parse_count("--slurm-time", stime, 525600, &smin)))
        return DNN_EUSAGE;
    if ((rs && over.reseed == 0) || (ts && over.timeout == 0))
        return dnn_fail(DNN_EUSAGE, "bad value '0' for %s (legal: 1..%d)",
                        rs && over.reseed == 0 ? "--reseed" : "--timeout",
                        rs && over.reseed == 0 ? DNN_PLAN_MAX_RESEED : DNN_PLAN_MAX_TIMEOUT);
    if ((nks && ntasks == 0) || (chs && chunk == 0) || (stime && smin == 0))
        return dnn_fail(DNN_EUSAGE, "bad value '0' for %s (legal: 1..%d)",
                        nks && ntasks == 0 ? "--tasks" : chs && chunk == 0 ? "--chunk"
                                                                         : "--slurm-time",
                        nks && ntasks == 0 ? DNN_SLURM_MAX_TASKS
                        : chs && chunk == 0 ? DNN_PLAN_MAX_JOBS
                                            : 525600);
    {
        int sl = slurm || sscript != NULL;
        const char *bad = (tks && !nks)                       ? "--task needs --tasks K"
                          : tks && (sl || merge || dry)        ? "--task runs one chunk; it "
                                                                 "takes no --slurm, "
                                                                 "--slurm-script, --merge or "
                                                                 "--dry-run"
                          : nks && !tks && !sl                 ? "--tasks needs --task I, "
                                                                 "--slurm or --slurm-script"
                          : chs && !sl                         ? "--chunk needs --slurm or "
                                                                 "--slurm-script"
                          : chs && nks                         ? "--chunk and --tasks both "
                                                                 "set the array size: give one"
                          : slurm && sscript                    ? "--slurm and --slurm-script: "
                                                                 "give one"
                          : merge && (sl || dry)               ? "--merge takes no --slurm, "
                                                                 "--slurm-script or --dry-run"
                          : (nowait || part || stime) && !sl   ? "--slurm-no-wait, "
                                                                 "--slurm-partition and "
                                                                 "--slurm-time need --slurm or "
                                                                 "--slurm-script"
                          : nowait && sscript                   ? "--slurm-no-wait needs --slurm"
                                                               : NULL;
        if (bad)
            return dnn_fail(DNN_EUSAGE, "regress: %s (legal: see dnngen regress --help)", bad);
        if (part && (!part[0] || strspn(part, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx"
                                              "yz0123456789_.,-") != strlen(part)))
            return dnn_fail(DNN_EUSAGE, "regress: bad --slurm-partition '%.60s' (legal: "
                                        "partition names of A-Za-z0-9_.- separated by commas)",
                            part);
        if (sl && (!js || slurm)) {
            /* the run's parallelism is the array; -j is what each task runs at once */
        }
        if (sl && !js)
            par = 1;
    }
    if (slurm && dnn_slurm_check("regress", err, sizeof err))
        return dnn_fail(DNN_EUSAGE, "%s", err);
    if (!par) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        par = nc > 0 ? nc : 1;
    }
    if (dnn_read_file(plan_path, 4u << 20, &text, &len, err, sizeof err))
        return dnn_fail(DNN_EUSAGE, "regress: %s", err);
    rc = dnn_plan_parse(text, len, plan_path, &over, &p, err, sizeof err);
    free(text);
    if (rc)
        return dnn_fail(rc, "%s", err);
    if (chunk)
        ntasks = (p.njobs + chunk - 1) / chunk;
    if ((slurm || sscript) && !ntasks)
        ntasks = (p.njobs + 24) / 25;
    if (ntasks > p.njobs || ntasks > DNN_SLURM_MAX_TASKS || tix >= ntasks) {
        rc = dnn_fail(DNN_EUSAGE, "regress: %s %lld for a plan of %d jobs (legal: %s)",
                      tix >= ntasks && ntasks <= p.njobs ? "--task" : "array size",
                      (long long)(tix >= ntasks && ntasks <= p.njobs ? tix : ntasks), p.njobs,
                      tix >= ntasks && ntasks <= p.njobs ? "0..K-1 for --tasks K"
                                                          : "1..the number of jobs, at most "
                                                            "1000 tasks");
        goto out;
    }
    for (i = 0; i < p.njobs; i++) { /* profiles: checked once per config, before any job */
        const dnn_plan_job *jb = &p.jobs[i];
        if (jb->profile && (i == 0 || p.jobs[i - 1].cfg != jb->cfg ||
                            p.jobs[i - 1].profile != jb->profile)) {
            gm_param ps[DNN_MAX_PARAMS];
            int np = dnn_design_gparams(&p.cfgs[jb->cfg].d, ps);
            gm_gen *g = gm_gen_open(p.cfgs[jb->cfg].d.blk->name, ps, np, jb->seed, jb->vectors,
                                    jb->profile, err, sizeof err);
            if (!g) {
                dnn_plan_free(&p);
                return dnn_fail(DNN_EUSAGE, "plan '%s': %s", plan_path, err);
            }
            gm_gen_close(g);
        }
    }
    c.p = &p;
    c.nj = p.njobs;
    c.plan_path = plan_path;
    c.out = out;
    c.repro = calloc((size_t)p.njobs, sizeof *c.repro);
    c.res = calloc((size_t)p.njobs, sizeof *c.res);
    c.rerun = calloc((size_t)p.njobs, sizeof *c.rerun);
    c.ran_rerun = calloc((size_t)p.njobs, sizeof *c.ran_rerun);
    ts_main = calloc((size_t)p.njobs, sizeof *ts_main);
    ts_re = calloc((size_t)p.njobs, sizeof *ts_re);
    if (!c.repro || !c.res || !c.rerun || !c.ran_rerun || !ts_main || !ts_re) {
        rc = dnn_fail(DNN_ETOOL, "regress: out of memory");
        goto out;
    }
    for (i = 0; i < p.njobs; i++)
        if (!(c.repro[i] = job_repro(&c, i))) {
            rc = dnn_fail(DNN_ETOOL, "regress: out of memory");
            goto out;
        }
    if (dry) {
        for (i = 0; i < p.njobs; i++)
            printf("%s\n", c.repro[i]);
        printf("regress: plan %s: %d jobs, %d configs\n", p.name, p.njobs, p.ncfgs);
        goto out;
    }
    {
        ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
        if (sl <= 0) {
            rc = dnn_fail(DNN_ETOOL, "regress: cannot find the dnngen executable");
            goto out;
        }
        self[sl] = '\0';
        c.self = self;
    }
    if (slurm || sscript) { /* before anything is created */
        char *oabs = abspath(out), *cwd = abspath(".");
        int ok = oabs && cwd && dnn_slurm_path_ok(oabs) && dnn_slurm_path_ok(cwd);
        if (!ok)
            rc = dnn_fail(DNN_EUSAGE, "regress: '%.300s' cannot go into a batch script (legal: "
                                      "paths of A-Za-z0-9_./+,=:@-; sbatch reads its options "
                                      "unquoted)",
                          oabs && !dnn_slurm_path_ok(oabs) ? oabs : cwd ? cwd : out);
        free(oabs);
        free(cwd);
        if (!ok)
            goto out;
    }
    if (merge) { /* nothing to merge: refused before the directory is touched */
        char *td = dnn_printf("%s/tasks", out);
        int have = td && dnn_file_exists(td);
        free(td);
        if (!have) {
            rc = dnn_fail(DNN_EUSAGE, "regress: no task results in '%.300s/tasks' (legal: the "
                                      "output directory of a run with --task, --slurm or "
                                      "--slurm-script)",
                          out);
            goto out;
        }
    }
    rc = dnn_probe_dir(out, err, sizeof err);
    if (!rc) {
        char *jd = dnn_printf("%s/jobs", out);
        rc = jd ? dnn_probe_dir(jd, err, sizeof err) : DNN_ETOOL;
        free(jd);
    }
    if (!rc && (slurm || sscript || tix >= 0)) {
        char *td = dnn_printf("%s/tasks", out), *sd = dnn_printf("%s/slurm", out);
        rc = td && sd ? dnn_probe_dir(td, err, sizeof err) : DNN_ETOOL;
        if (!rc && tix < 0)
            rc = dnn_probe_dir(sd, err, sizeof err);
        free(td);
        free(sd);
    }
    if (rc) {
        rc = dnn_fail(rc, "regress: %s", err);
        goto out;
    }
    if (!merge) { /* an earlier run's reports must not pass for this run's if it cannot finish
                   * (a merge replaces them only once the task files are read) */
        static const char *const old[] = { "junit.xml", "summary.md", "report.html",
                                           "results.json", "coverage.info", NULL };
        for (k = 0; old[k]; k++) {
            char *f = dnn_printf("%s/%s", out, old[k]);
            if (f)
                unlink(f);
            free(f);
        }
    }
    {
        sbuf g;
        sb_init(&g);
        sb_puts(&g, "git -C ");
        sb_shell_word(&g, dnn_root());
        sb_puts(&g, " describe --always --dirty 2>/dev/null");
        dnn_cmd_line(g.s ? g.s : "false", c.git, sizeof c.git);
        sb_free(&g);
    }
    dnn_cmd_line("verilator --version 2>/dev/null", c.tver[0], sizeof c.tver[0]);
    dnn_cmd_line("iverilog -V 2>/dev/null | head -1", c.tver[1], sizeof c.tver[1]);
    dnn_cmd_line("dpkg-query -W -f='${Version}' libsystemc-dev 2>/dev/null", c.tver[2],
             sizeof c.tver[2]);
    if (gethostname(c.host, sizeof c.host - 1) != 0)
        snprintf(c.host, sizeof c.host, "unknown");
    {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(c.started, sizeof c.started, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGXFSZ, SIG_IGN); /* a file-size limit is a write error, reported, not a kill */
    if (merge) {
        rc = load_tasks(&c, err, sizeof err);
        rc = rc ? dnn_fail(rc, "%s", err) : finish(&c);
        goto out;
    }
    if (slurm || sscript) {
        char *oabs = abspath(out), *pabs = realpath(plan_path, NULL), *cwd = abspath(".");
        char *sdir = oabs ? dnn_printf("%s/slurm", oabs) : NULL, *tdir = dnn_printf("%s/tasks",
                                                                                     out);
        char *spath = sscript ? abspath(sscript) : sdir ? dnn_printf("%s/regress.sbatch", sdir)
                                                      : NULL;
        sbuf cmd, opts, com;
        char jobid[64] = "", name[96], dbuf[4096];
        long worst = 0;
        int t;
        sb_init(&cmd);
        sb_init(&opts);
        sb_init(&com);
        if (!oabs || !pabs || !cwd || !sdir || !tdir || !spath) {
            rc = dnn_fail(!pabs && oabs && cwd ? DNN_EUSAGE : DNN_ETOOL,
                          "regress: cannot resolve the paths of the run (%s)", strerror(errno));
            goto slurm_out;
        }
        if (!dnn_slurm_path_ok(oabs) || !dnn_slurm_path_ok(cwd)) {
            rc = dnn_fail(DNN_EUSAGE, "regress: '%.300s' cannot go into a batch script (legal: "
                                      "paths of A-Za-z0-9_./+,=:@-; sbatch reads its options "
                                      "unquoted)",
                          dnn_slurm_path_ok(oabs) ? cwd : oabs);
            goto slurm_out;
        }
        /* the time limit: every job of the largest chunk at its limit, and its re-runs */
        for (t = 0; t < ntasks; t++) {
            int lo, hi, j, mx = 0;
            long sum = 0;
            dnn_chunk(p.njobs, (int)ntasks, t, &lo, &hi);
            for (j = lo; j < hi; j++) {
                sum += p.jobs[j].timeout;
                if (p.jobs[j].timeout > mx)
                    mx = p.jobs[j].timeout;
            }
            sum += (long)(reruns < hi - lo ? reruns : hi - lo) * mx;
            if (sum > worst)
                worst = sum;
        }
        worst = worst / par + 300;
        if (ss)
            sb_printf(&opts, " --seed %lld", (long long)over.seed);
        if (rs)
            sb_printf(&opts, " --reseed %lld", (long long)over.reseed);
        if (ts)
            sb_printf(&opts, " --timeout %lld", (long long)over.timeout);
        sb_shell_word(&cmd, self);
        sb_puts(&cmd, " regress ");
        sb_shell_word(&cmd, pabs);
        sb_puts(&cmd, " -o ");
        sb_shell_word(&cmd, oabs);
        sb_printf(&cmd, " -j %lld%s --reruns %lld --task \"$SLURM_ARRAY_TASK_ID\" --tasks %lld",
                  (long long)par, opts.s ? opts.s : "", (long long)reruns, (long long)ntasks);
        sb_printf(&com, "dnngen regress %s: %d jobs in %lld array tasks of %d to %d jobs (task "
                        "i runs jobs [i*%d/%lld, (i+1)*%d/%lld)).\n",
                  p.name, p.njobs, (long long)ntasks, p.njobs / (int)ntasks,
                  (p.njobs + (int)ntasks - 1) / (int)ntasks, p.njobs, (long long)ntasks,
                  p.njobs, (long long)ntasks);
        sb_puts(&com, "Each task writes its results to ");
        sb_puts(&com, oabs);
        sb_puts(&com, "/tasks/task-IIII.json.\nWhen every task has ended, the reports:\n  ");
        sb_shell_word(&com, self);
        sb_puts(&com, " regress ");
        sb_shell_word(&com, pabs);
        sb_puts(&com, " -o ");
        sb_shell_word(&com, oabs);
        sb_printf(&com, "%s --merge", opts.s ? opts.s : "");
        snprintf(name, sizeof name, "dnngen-regress-%s", p.name);
        {
            dnn_slurm_req rq = { name, (int)ntasks, (int)par, smin ? (long)smin * 60 : worst,
                                 part, sdir, cwd, com.s, cmd.s };
            char *body = cmd.oom || com.oom || opts.oom ? NULL : dnn_slurm_script(&rq);
            outfile of;
            const char *fname = strrchr(spath, '/') + 1;
            snprintf(dbuf, sizeof dbuf, "%.*s", (int)(fname - spath - 1), spath);
            if (!dbuf[0])
                snprintf(dbuf, sizeof dbuf, "/");
            if (!body) {
                rc = dnn_fail(DNN_ETOOL, "regress: out of memory");
                goto slurm_out;
            }
            /* an earlier run's task results and Slurm output must not be merged into this */
            remove_prefixed(tdir, "task-");
            remove_prefixed(sdir, "task-");
            of = (outfile){ fname, body, strlen(body) };
            rc = dnn_write_files(dbuf, &of, 1, err, sizeof err);
            free(body);
            if (rc) {
                rc = dnn_fail(DNN_EUSAGE, "regress: %s (legal: a writable --slurm-script path)",
                              err);
                goto slurm_out;
            }
        }
        if (sscript) {
            printf("regress: wrote %s: a Slurm job array of %lld tasks for %d jobs (-j %lld "
                   "per task); submit with: sbatch %s; then merge with --merge\n",
                   spath, (long long)ntasks, p.njobs, (long long)par, spath);
            goto slurm_out;
        }
        if (dnn_slurm_submit(spath, jobid, sizeof jobid, err, sizeof err)) {
            rc = dnn_fail(DNN_ETOOL, "regress: %s", err);
            goto slurm_out;
        }
        printf("regress: plan %s: %d jobs (%d configs) submitted as Slurm job array %s of "
               "%lld tasks, -j %lld each; batch script %s, output in %s\n",
               p.name, p.njobs, p.ncfgs, jobid, (long long)ntasks, (long long)par, spath, out);
        fflush(stdout);
        if (nowait) {
            printf("regress: not waiting; when job %s has ended: dnngen regress %s -o %s%s "
                   "--merge\n",
                   jobid, plan_path, out, opts.s ? opts.s : "");
            goto slurm_out;
        }
        rc = dnn_slurm_wait(jobid, (int)ntasks, &g_stop, err, sizeof err);
        if (rc < 0) {
            rc = dnn_fail(DNN_ETOOL, "regress: interrupted; Slurm job %s cancelled; no report "
                                     "written",
                          jobid);
            goto slurm_out;
        }
        if (rc) {
            rc = dnn_fail(rc, "regress: %s; merge later with --merge", err);
            goto slurm_out;
        }
        rc = load_tasks(&c, err, sizeof err);
        rc = rc ? dnn_fail(rc == DNN_EUSAGE ? DNN_ETOOL : rc, "%s (Slurm output in %s)", err,
                           sdir)
                : finish(&c);
    slurm_out:
        sb_free(&cmd);
        sb_free(&opts);
        sb_free(&com);
        free(oabs);
        free(pabs);
        free(cwd);
        free(sdir);
        free(tdir);
        free(spath);
        goto out;
    }
    if (tix >= 0) {
        int lo, hi;
        char *tf;
        dnn_chunk(p.njobs, (int)ntasks, (int)tix, &lo, &hi);
        tf = dnn_printf("%s/tasks/task-%04d.json", out, (int)tix);
        if (tf)
            unlink(tf); /* a task that cannot finish must not leave an earlier result */
        free(tf);
        printf("regress: plan %s: task %lld of %lld: jobs %d..%d of %d, -j %lld, output in %s\n",
               p.name, (long long)tix, (long long)ntasks, lo, hi - 1, p.njobs, (long long)par,
               out);
        fflush(stdout);
        t0 = dnn_now();
        for (i = lo; i < hi; i++)
            ts_main[i - lo].job = i;
        rc = run_with_reruns(&c, ts_main, hi - lo, ts_re, (int)par, reruns);
        if (rc) {
            rc = dnn_fail(DNN_ETOOL, "regress: interrupted; no task results written");
            goto out;
        }
        rc = write_task_file(&c, (int)tix, (int)ntasks, lo, hi, t0, err, sizeof err);
        if (rc) {
            rc = dnn_fail(rc, "regress: %s; no task results written", err);
            goto out;
        }
        {
            int pass = 0;
            for (i = lo; i < hi; i++)
                pass += is_pass(&c.res[i]);
            printf("RESULT regress-task plan=%s task=%lld tasks=%lld jobs=%d passed=%d "
                   "failed=%d\n",
                   p.name, (long long)tix, (long long)ntasks, hi - lo, pass, hi - lo - pass);
            rc = pass == hi - lo ? 0 : DNN_EVERIFY;
        }
        goto out;
    }
    printf("regress: plan %s: %d jobs (%d configs), -j %lld, output in %s\n", p.name, p.njobs,
           p.ncfgs, (long long)par, out);
    fflush(stdout);
    t0 = dnn_now();
    for (i = 0; i < p.njobs; i++)
        ts_main[i].job = i;
    rc = run_with_reruns(&c, ts_main, p.njobs, ts_re, (int)par, reruns);
    if (rc) {
        rc = dnn_fail(DNN_ETOOL, "regress: interrupted; no report written");
        goto out;
    }
    c.wall = dnn_now() - t0;
    rc = finish(&c);
out:
    if (c.repro)
        for (i = 0; i < p.njobs; i++)
            free(c.repro[i]);
    free(c.repro);
    free(c.res);
    free(c.rerun);
    free(c.ran_rerun);
    free(ts_main);
    free(ts_re);
    if (c.tk)
        for (i = 0; i < c.ntk; i++)
            dnn_rtask_free(&c.tk[i]);
    free(c.tk);
    dnn_plan_free(&p);
    return rc;
}
