/*
 * cmd_sweep.c -- `dnngen sweep SPEC`: a design-space sweep (sweep.h, docs/sweep.md). Every
 * point of the spec is generated, linted, verified briefly, synthesized (Yosys + OpenSTA),
 * simulated on the workload for its cycles and estimated for power; the figures go into an
 * SQLite database, from which the CSV export, the Pareto fronts, their gnuplot plots and the
 * HTML report are made.
 *
 * Each point runs in a worker: a child of this process in a session of its own (jobs.h),
 * running the steps as `dnngen gen/verify/synth`, `verilator --lint-only` and `sta`
 * commands, with its files in DIR/points/<hash>/ and its result in result.json there. Only
 * this process writes the database, one transaction per finished point, so a point is in
 * the database completely or not at all: a sweep killed with kill -9 loses only the points
 * that were running, and a rerun runs exactly those (the key of a point is its block, every
 * parameter, the workload, the liberty with a hash of its text, the clock target and the
 * verify settings; the key is the table's primary key). A worker whose parent dies kills its
 * own session and exits, and a rerun's worker waits for the point's lock file before it
 * clears the point's directory, so no orphan of a killed sweep writes into a rerun's files.
 *
 * A worker that crashes or outlives the point's time limit is killed with its session and
 * the point is recorded as failed with the reason; the sweep carries on. A database that
 * cannot be written (disk full, a file-size limit) stops the sweep with one line and exit 3;
 * SQLite's journal keeps the database as it was before the failed transaction.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"
#include "jobs.h"
#include "slurm.h"
#include "sweep.h"

static const char sweep_help[] =
    "usage: dnngen sweep SPEC.json [-o DIR] [-j N] [--csv FILE] [--pareto X,Y]\n"
    "                    [--timeout SEC] [--retry-failed] [--dry-run]\n"
    "                    [--task I --tasks K] [--merge] [--slurm | --slurm-script FILE]\n"
    "                    [--tasks K | --chunk N] [--slurm-no-wait] [--slurm-partition P]\n"
    "                    [--slurm-time MIN]\n"
    "  Runs every point of a design-space sweep (docs/sweep.md): generate, lint, a short\n"
    "  verify, synthesis (Yosys + OpenSTA), the workload's cycles by simulation and a power\n"
    "  estimate. Results go to DIR/sweep.db (SQLite); a rerun skips the points recorded\n"
    "  there, so a killed sweep resumes. Writes DIR/report.html with the Pareto front (area\n"
    "  vs throughput) plotted by gnuplot to DIR/pareto.png and pareto.svg.\n"
    "  -o DIR          output directory (default sweep-out)\n"
    "  -j N            points at a time (default: the number of cores)\n"
    "  --csv FILE      also export the points as CSV\n"
    "  --pareto X,Y    a second front and plot over two figures (see docs/sweep.md): area_um2,\n"
    "                  cells, flops, fmax_mhz, critical_path_ns, cycles, cycles_per_op,\n"
    "                  throughput_mops, throughput_per_mm2, power_mw, energy_pj_per_op\n"
    "  --timeout SEC   time limit of every point (overrides the spec's timeout)\n"
    "  --retry-failed  run the points recorded as failed again\n"
    "  --dry-run       print every point's commands and the point count, run nothing\n"
    "  --task I --tasks K  run only the points whose index % K is I, into the database;\n"
    "                  no report (docs/slurm.md); several tasks may share DIR\n"
    "  --merge         run nothing: the report (and CSV) from what the database holds\n"
    "  --slurm         run as a Slurm job array (sbatch), wait, write the report;\n"
    "                  -j: points at a time per task (default 1)\n"
    "  --slurm-script FILE  only write the batch script\n"
    "  --tasks K       array size (default: one task per 4 points, at most 1000)\n"
    "  --chunk N       points per array task instead of --tasks\n"
    "  --slurm-no-wait print the job id and exit 0; the report later with --merge\n"
    "  --slurm-partition P, --slurm-time MIN  partition and time limit per task\n"
    "  Exit status: 0 every point passed, 1 a point failed, 2 bad spec, option or output\n"
    "  directory (nothing run), 3 the sweep itself failed (interrupted, database or report\n"
    "  not writable).\n";

#define DEFAULT_LIBERTY "/usr/share/qflow/tech/osu018/osu018_stdcells.lib"
#define MAXMET 16
#define NEXTRA 4

enum { T_PENDING, T_RUNNING, T_DONE };

/* Columns besides the metrics, numbers too (docs/sweep.md). */
static const char *const extra_cols[NEXTRA] = { "slack_ns", "multipliers", "ops",
                                                "verify_checked" };

typedef struct prow {
    int have, ok;
    char stage[32], reason[600];
    double m[MAXMET], x[NEXTRA], seconds;
    char *command;
} prow;

typedef struct spoint {
    const dnn_sweep_point *sp;
    char *key, *dir;
    char hash[17];
    char layer[4200], profile[8500];
    int todo, state, killed;
    pid_t pid;
    double t0;
    prow r;
} spoint;

typedef struct sctx {
    const dnn_sweep *s;
    const char *out, *spec_path;
    char outabs[4096], self[4096], liberty[4096], layer[4096], order[4096], wldesc[8400];
    spoint *pts;
    int np, nmet, lockfd, timeout;
    pid_t parent;
    sqlite3 *db;
} sctx;

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void nap(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
    nanosleep(&ts, NULL);
}

/* ---- point setup ------------------------------------------------------------------------- */

static uint64_t hash_stream(uint64_t h, const char *path)
{
    FILE *f = fopen(path, "rb");
    char buf[65536];
    size_t k;
    if (!f)
        return h;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0)
        h = dnn_hash(h, buf, k);
    fclose(f);
    return h;
}

/* A path of the spec, relative to the spec's directory, made absolute and checked. */
static int spec_file(const char *spec_path, const char *given, const char *what, char *out,
                     size_t n, char *err, size_t en)
{
    char joined[4200], *abs;
    if (given[0] == '/') {
        snprintf(joined, sizeof joined, "%s", given);
    } else {
        const char *sl = strrchr(spec_path, '/');
        if (sl)
            snprintf(joined, sizeof joined, "%.*s/%s", (int)(sl - spec_path), spec_path, given);
        else
            snprintf(joined, sizeof joined, "%s", given);
    }
    abs = realpath(joined, NULL);
    if (!abs || access(abs, R_OK) != 0) {
        snprintf(err, en, "sweep: cannot read %s '%.300s' (legal: a readable file; relative "
                          "paths are relative to the spec)",
                 what, joined);
        free(abs);
        return DNN_EUSAGE;
    }
    snprintf(out, n, "%s", abs);
    free(abs);
    return 0;
}

static void wl_describe(const sctx *c, char *out, size_t n)
{
    const dnn_sweep_wl *wl = &c->s->wl;
    if (wl->kind == DNN_WL_PROFILE)
        snprintf(out, n, "profile %s, %lld operations", wl->profile[0] ? wl->profile : "mixed",
                 (long long)wl->vectors);
    else if (wl->kind == DNN_WL_SPARSITY && !wl->has_act)
        snprintf(out, n, "sparsity %g, %lld operations", wl->sparsity, (long long)wl->vectors);
    else if (wl->kind == DNN_WL_SPARSITY)
        snprintf(out, n, "sparsity %g act_sparsity %g, %lld operations", wl->sparsity,
                 wl->act_sparsity, (long long)wl->vectors);
    else if (wl->kind == DNN_WL_LAYER)
        snprintf(out, n, "layer %s%s%s", c->layer, c->order[0] ? " order " : "", c->order);
    else
        snprintf(out, n, "random layer %lldx%lldx%lldx%lld (CIN, COUT, H, W), sparsity %g, "
                         "act_sparsity %g",
                 (long long)wl->shape[0], (long long)wl->shape[1], (long long)wl->shape[2],
                 (long long)wl->shape[3], wl->sparsity, wl->act_sparsity);
}

/* The point's key: everything its figures depend on (docs/sweep.md). */
static char *point_key(const sctx *c, const dnn_sweep_point *sp, uint64_t libhash,
                       uint64_t wlhash)
{
    const dnn_sweep *s = c->s;
    sbuf b;
    int i;
    sb_init(&b);
    sb_puts(&b, s->blk->name);
    for (i = 0; i < s->blk->nparams; i++) {
        char v[64];
        dnn_param_format(s->blk, i, sp->d.pv[i], v, sizeof v);
        sb_printf(&b, " %s=%s", s->blk->params[i].name, v);
    }
    sb_printf(&b, "|%s#%016llx|%s#%016llx|period=%.6g|activity=%.6g|verify=%lld|seed=%llu",
              c->wldesc, (unsigned long long)wlhash, c->liberty, (unsigned long long)libhash,
              s->period_ns, s->activity, (long long)s->verify_vectors,
              (unsigned long long)s->seed);
    if (sp->test_sim)
        sb_printf(&b, "|test_sim=%s", dnn_sweep_ts_names[sp->test_sim]);
    return b.oom ? (sb_free(&b), NULL) : b.s;
}

/* `dnngen SUB BLOCK -p ...` with the running executable's path. */
static void self_cmd(const sctx *c, const dnn_design *d, const char *sub, sbuf *b)
{
    sbuf t;
    sb_init(&t);
    dnn_design_command(d, sub, &t);
    sb_shell_word(b, c->self);
    sb_puts(b, t.s ? t.s + strlen("dnngen") : "");
    sb_free(&t);
}

enum { ST_GEN, ST_LINT, ST_VERIFY, ST_SYNTH, ST_LAYER, ST_WORKLOAD, ST_POWER, NSTEPS };
static const char *const step_names[NSTEPS] = { "gen",      "lint",     "verify", "synth",
                                                "layer",    "workload", "power" };

/* The shell command of each step of point p (NULL: the step does not apply). */
static void point_steps(const sctx *c, const spoint *p, char *cmds[NSTEPS])
{
    const dnn_sweep *s = c->s;
    const dnn_design *d = &p->sp->d;
    sbuf b;
    int k;
    for (k = 0; k < NSTEPS; k++) {
        sb_init(&b);
        switch (k) {
        case ST_GEN:
            self_cmd(c, d, "gen", &b);
            sb_puts(&b, " -o ");
            sb_shell_word(&b, p->dir);
            sb_puts(&b, "/rtl");
            break;
        case ST_LINT:
            sb_puts(&b, "cd ");
            sb_shell_word(&b, p->dir);
            sb_printf(&b, "/rtl && verilator --lint-only -Wall --top-module %s -f %s.f", d->top,
                      d->top);
            break;
        case ST_VERIFY:
            self_cmd(c, d, "verify", &b);
            sb_printf(&b, " --vectors %lld --seed %llu", (long long)s->verify_vectors,
                      (unsigned long long)s->seed);
            if (p->sp->test_sim >= DNN_STS_CRASH && p->sp->test_sim <= DNN_STS_ABORT)
                sb_printf(&b, " --test-sim %s", dnn_sweep_ts_names[p->sp->test_sim]);
            break;
        case ST_SYNTH:
            self_cmd(c, d, "synth", &b);
            sb_printf(&b, " --period %.6g --liberty ", s->period_ns);
            sb_shell_word(&b, c->liberty);
            sb_puts(&b, " --json -o ");
            sb_shell_word(&b, p->dir);
            sb_puts(&b, "/synth");
            break;
        case ST_LAYER:
            if (s->wl.kind != DNN_WL_SHAPE) {
                sb_free(&b);
                cmds[k] = NULL;
                continue;
            }
            sb_shell_word(&b, c->self);
            sb_printf(&b, " layer --random %lld,%lld,%lld,%lld,%lld,%.6g,%.6g --seed %llu "
                          "--xw %lld --hw %lld%s -o ",
                      (long long)s->wl.shape[0], (long long)s->wl.shape[1],
                      (long long)s->wl.shape[2], (long long)s->wl.shape[3],
                      (long long)dnn_param(d, "K"), s->wl.sparsity, s->wl.act_sparsity,
                      (unsigned long long)s->seed, (long long)dnn_param(d, "XW"),
                      (long long)dnn_param(d, "HW"), dnn_param(d, "SIGNED_X") ? "" : " --unsigned");
            sb_shell_word(&b, p->layer);
            break;
        case ST_WORKLOAD:
            self_cmd(c, d, "verify", &b);
            if (p->profile[0]) {
                sb_puts(&b, " --profile ");
                sb_shell_word(&b, p->profile);
            }
            sb_printf(&b, " --vectors %lld --seed %llu", (long long)s->wl.vectors,
                      (unsigned long long)s->seed);
            break;
        default: /* ST_POWER: power.tcl is written by the worker (power_script) */
            sb_puts(&b, "cd ");
            sb_shell_word(&b, p->dir);
            sb_puts(&b, "/synth && sta -no_splash -exit power.tcl");
            break;
        }
        cmds[k] = b.oom ? (sb_free(&b), NULL) : b.s;
    }
}

static char *joined_command(char *cmds[NSTEPS])
{
    sbuf b;
    int k;
    sb_init(&b);
    for (k = 0; k < NSTEPS; k++)
        if (cmds[k])
            sb_printf(&b, "%s%s", b.len ? " && " : "", cmds[k]);
    return b.oom ? (sb_free(&b), NULL) : b.s;
}

static void free_steps(char *cmds[NSTEPS])
{
    int k;
    for (k = 0; k < NSTEPS; k++)
        free(cmds[k]);
}

/* ---- the worker (a forked child; ends with _exit) ------------------------------------------ */

static void orphan_check(const sctx *c)
{
    if (getppid() != c->parent) { /* the sweep died (kill -9): take our steps down, go */
        dnn_kill_session(getsid(0));
        fflush(stdout);
        _exit(137);
    }
}

/* Run one step: stdout to outp, stderr to errp; its own process group in our session.
 * Returns the exit status, 128+signal, or -1 when it could not start. */
static int step_run(const sctx *c, const char *cmd, const char *outp, const char *errp)
{
    pid_t pid = fork();
    int status = 0;
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fo, fe;
        setpgid(0, 0);
        fo = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        fe = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fo < 0 || fe < 0)
            _exit(126);
        dup2(fo, 1);
        dup2(fe, 2);
        close(fo);
        close(fe);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            return -1;
        orphan_check(c);
        nap(20);
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

/* A failing step's reason: what the tool said (dnngen's error line, Verilator's first
 * warning, the synthesis script's message, or its last line) and how it ended. */
static void step_reason(const char *stage, const char *outp, const char *errp, int st, char *out,
                        size_t n)
{
    char *t = dnn_read_tail(errp, 65536), *o = NULL, *p, *pick = NULL, line[480] = "";
    const char *src;
    if (t && !t[strspn(t, " \t\r\n")]) {
        free(t);
        t = NULL;
    }
    if (!t)
        t = o = dnn_read_tail(outp, 65536);
    src = t ? t : "";
    for (p = (char *)src; (p = strstr(p, "dnngen: ")); p++)
        if (p == src || p[-1] == '\n')
            pick = p + 8;
    if (!pick && st >= 128) /* the shell's "Aborted" and the like say no more than the status */
        pick = (char *)"";
    if (!pick)
        for (p = (char *)src; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
            if (strncmp(p, "%Error", 6) == 0 || strncmp(p, "%Warning", 8) == 0 ||
                strncmp(p, "synth: ", 7) == 0) {
                pick = p;
                break;
            }
    if (!pick) { /* the last non-empty line */
        size_t len = strlen(src);
        while (len > 0 && (src[len - 1] == '\n' || src[len - 1] == '\r' || src[len - 1] == ' '))
            len--;
        while (len > 0 && src[len - 1] != '\n')
            len--;
        pick = (char *)src + len;
    }
    if (strncmp(pick, stage, strlen(stage)) == 0 && strncmp(pick + strlen(stage), ": ", 2) == 0)
        pick += strlen(stage) + 2; /* "verify: verify: ..." says it twice */
    snprintf(line, sizeof line, "%.*s", (int)strcspn(pick, "\n"), pick);
    if (st >= 128)
        snprintf(out, n, "%s%skilled by signal %d (%s)", line, line[0] ? "; " : "", st - 128,
                 strsignal(st - 128));
    else
        snprintf(out, n, "%s%s(exit %d)", line, line[0] ? " " : "", st);
    dnn_utf8_clean(out);
    dnn_oneline(out);
    free(t);
    (void)o;
}

static int parse_result_line(const char *path, long long *checked, long long *cycles)
{
    char *t = dnn_read_tail(path, 1u << 20), *p, *q;
    int ok = 0;
    if (t && (p = strstr(t, "RESULT ")) && (q = strstr(p, "checked=")))
        ok = sscanf(q, "checked=%lld mismatches=%*d cycles=%lld", checked, cycles) == 2;
    free(t);
    return ok ? 0 : -1;
}

static void worker_result(const sctx *c, const spoint *p, cJSON *res, const char *status,
                          const char *stage, const char *reason, const char *command, double t0)
    __attribute__((noreturn));
static void worker_result(const sctx *c, const spoint *p, cJSON *res, const char *status,
                          const char *stage, const char *reason, const char *command, double t0)
{
    char *txt, err[DNN_ERRLEN];
    outfile f;
    cJSON_AddStringToObject(res, "status", status);
    cJSON_AddStringToObject(res, "stage", stage);
    cJSON_AddStringToObject(res, "reason", reason);
    cJSON_AddStringToObject(res, "command", command ? command : "");
    cJSON_AddNumberToObject(res, "seconds", dnn_now() - t0);
    txt = cJSON_Print(res);
    if (!txt) {
        printf("sweep worker: out of memory writing the result\n");
        fflush(stdout);
        _exit(3);
    }
    f.name = "result.json";
    f.data = txt;
    f.len = strlen(txt);
    if (dnn_write_files(p->dir, &f, 1, err, sizeof err)) {
        printf("sweep worker: %s\n", err);
        fflush(stdout);
        _exit(3);
    }
    printf("%s%s%s\n", status, reason[0] ? ": " : "", reason);
    fflush(stdout);
    (void)c;
    _exit(0);
}

static void set_stage(const spoint *p, const char *stage)
{
    char *f = dnn_printf("%s/stage", p->dir);
    FILE *fp = f ? fopen(f, "w") : NULL;
    if (fp) {
        fputs(stage, fp);
        fclose(fp);
    }
    free(f);
}

/* Power at the clock target with the given input activity: OpenSTA's report_power. */
static int power_script(const sctx *c, const spoint *p)
{
    char *path = dnn_printf("%s/synth/power.tcl", p->dir);
    FILE *f = path ? fopen(path, "w") : NULL;
    int rc = f ? 0 : -1;
    if (f) {
        fprintf(f, "# generated by dnngen sweep: power at the clock target, input activity %g\n"
                   "read_liberty cells.lib\nread_verilog %s_net.v\nlink_design %s\n"
                   "if {[llength [get_ports -quiet clk]] > 0} {\n"
                   "    create_clock -name clk -period %.6g [get_ports clk]\n"
                   "} else {\n    create_clock -name clk -period %.6g\n}\n"
                   "set_power_activity -input -activity %g\nreport_power\n",
                c->s->activity, p->sp->d.top, p->sp->d.top, c->s->period_ns, c->s->period_ns,
                c->s->activity);
        rc = fclose(f) == 0 ? 0 : -1;
    }
    free(path);
    return rc;
}

static void worker(const sctx *c, const spoint *p) __attribute__((noreturn));
static void worker(const sctx *c, const spoint *p)
{
    const dnn_sweep *s = c->s;
    char *cmds[NSTEPS], *command, *lock, reason[700], outp[4400], errp[4400];
    cJSON *res = cJSON_CreateObject();
    double t0 = dnn_now(), fmax = NAN, area = NAN, cpo = NAN, watts = NAN;
    int k, fd;
    setenv("DNNGEN_QUIET", "1", 1);
    if (c->lockfd >= 0)
        close(c->lockfd);
    orphan_check(c);
    /* An orphan of a killed sweep may still hold this point's lock: wait for it. */
    lock = dnn_printf("%s.lock", p->dir);
    fd = lock ? open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644) : -1;
    if (fd < 0)
        _exit(125);
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        orphan_check(c);
        nap(50);
    }
    {
        sbuf rm;
        sb_init(&rm);
        sb_puts(&rm, "rm -rf ");
        sb_shell_word(&rm, p->dir);
        if (rm.oom || dnn_run(rm.s, NULL, 0) != 0 || mkdir(p->dir, 0755) != 0)
            _exit(125);
        sb_free(&rm);
    }
    { /* the log starts only now: the directory was cleared */
        char *log = dnn_printf("%s/log.txt", p->dir);
        int lf = log ? open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
        free(log);
        if (lf < 0)
            _exit(126);
        dup2(lf, 1);
        dup2(lf, 2);
        close(lf);
    }
    point_steps(c, p, cmds);
    command = joined_command(cmds);
    if (!res || !command) {
        printf("sweep worker: out of memory\n");
        fflush(stdout);
        _exit(3);
    }
    printf("sweep point %s: %s %s\n", p->hash, s->blk->name, p->sp->label);
    for (k = 0; k < NSTEPS; k++) {
        int st;
        double ts = dnn_now();
        if (!cmds[k])
            continue;
        if (k == ST_POWER && power_script(c, p) != 0)
            continue;
        set_stage(p, step_names[k]);
        if (k == ST_SYNTH && p->sp->test_sim == DNN_STS_WORKER) {
            printf("test_sim worker: the worker kills itself\n");
            fflush(stdout);
            kill(getpid(), SIGKILL);
        }
        snprintf(outp, sizeof outp, "%s/%s.out", p->dir, step_names[k]);
        snprintf(errp, sizeof errp, "%s/%s.err", p->dir, step_names[k]);
        printf("$ %s\n", cmds[k]);
        fflush(stdout);
        st = step_run(c, cmds[k], outp, errp);
        printf("  [%s: exit %d, %.1f s]\n", step_names[k], st, dnn_now() - ts);
        fflush(stdout);
        if (st != 0 && k == ST_POWER) /* the estimate is optional: no power, no failure */
            continue;
        if (st != 0) {
            char why[600];
            step_reason(step_names[k], outp, errp, st, why, sizeof why);
            snprintf(reason, sizeof reason, "%s: %s", step_names[k], why);
            worker_result(c, p, res, "failed", step_names[k], reason, command, t0);
        }
        if (k == ST_VERIFY || k == ST_WORKLOAD) {
            long long checked = 0, cycles = 0;
            if (parse_result_line(outp, &checked, &cycles) || checked <= 0) {
                snprintf(reason, sizeof reason, "%s: no RESULT line with checked vectors",
                         step_names[k]);
                worker_result(c, p, res, "failed", step_names[k], reason, command, t0);
            }
            if (k == ST_VERIFY) {
                cJSON_AddNumberToObject(res, "verify_checked", (double)checked);
            } else {
                cpo = (double)cycles / (double)checked;
                cJSON_AddNumberToObject(res, "ops", (double)checked);
                cJSON_AddNumberToObject(res, "cycles", (double)cycles);
                cJSON_AddNumberToObject(res, "cycles_per_op", cpo);
                cJSON_AddNumberToObject(res, "throughput_mops", fmax / cpo);
                cJSON_AddNumberToObject(res, "throughput_per_mm2", fmax / cpo / (area / 1e6));
            }
        } else if (k == ST_SYNTH) {
            static const char *const keys[] = { "area_um2", "cells", "flops", "fmax_mhz",
                                                "critical_path_ns", "slack_ns", "multipliers",
                                                NULL };
            char *txt = dnn_read_tail(outp, 1u << 20);
            cJSON *j = txt ? cJSON_Parse(txt) : NULL;
            int i, bad = !j;
            for (i = 0; keys[i] && !bad; i++) {
                cJSON *v = cJSON_GetObjectItemCaseSensitive(j, keys[i]);
                if (!cJSON_IsNumber(v))
                    bad = 1;
                else
                    cJSON_AddNumberToObject(res, keys[i], v->valuedouble);
            }
            if (!bad) {
                area = cJSON_GetObjectItemCaseSensitive(j, "area_um2")->valuedouble;
                fmax = cJSON_GetObjectItemCaseSensitive(j, "fmax_mhz")->valuedouble;
                bad = !(area > 0) || !(fmax > 0);
            }
            cJSON_Delete(j);
            free(txt);
            if (bad) {
                snprintf(reason, sizeof reason, "synth: no area and fmax in its JSON output");
                worker_result(c, p, res, "failed", "synth", reason, command, t0);
            }
        } else if (k == ST_POWER) {
            char *txt = dnn_read_tail(outp, 1u << 20), *q;
            double a, b, cc, tot;
            for (q = txt; q && (q = strstr(q, "\nTotal")); q++)
                if (sscanf(q + 6, " %lf %lf %lf %lf", &a, &b, &cc, &tot) == 4 && tot > 0)
                    watts = tot;
            free(txt);
        }
    }
    if (!isnan(watts) && !isnan(cpo)) {
        cJSON_AddNumberToObject(res, "power_mw", watts * 1e3);
        cJSON_AddNumberToObject(res, "energy_pj_per_op", watts * s->period_ns * cpo * 1e3);
    }
    free_steps(cmds);
    worker_result(c, p, res, "ok", "done", "", command, t0);
}

/* ---- the database ------------------------------------------------------------------------ */

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS points (\n"
    "  key TEXT PRIMARY KEY NOT NULL,\n"
    "  sweep TEXT NOT NULL, block TEXT NOT NULL, label TEXT NOT NULL, params TEXT NOT NULL,\n"
    "  params_json TEXT NOT NULL, top TEXT NOT NULL, workload TEXT NOT NULL,\n"
    "  liberty TEXT NOT NULL, period_ns REAL NOT NULL,\n"
    "  status TEXT NOT NULL CHECK (status IN ('ok', 'failed')), stage TEXT NOT NULL,\n"
    "  reason TEXT NOT NULL,\n"
    "  area_um2 REAL, cells INTEGER, flops INTEGER, fmax_mhz REAL, critical_path_ns REAL,\n"
    "  cycles INTEGER, cycles_per_op REAL, throughput_mops REAL, throughput_per_mm2 REAL,\n"
    "  power_mw REAL, energy_pj_per_op REAL,\n"
    "  slack_ns REAL, multipliers INTEGER, ops INTEGER, verify_checked INTEGER,\n"
    "  seconds REAL NOT NULL, command TEXT NOT NULL, dir TEXT NOT NULL, finished TEXT NOT NULL\n"
    ");\n"
    "PRAGMA user_version = 1;\n";

static int db_rc_exit(int rc)
{
    rc &= 0xff;
    return rc == SQLITE_FULL || rc == SQLITE_IOERR || rc == SQLITE_NOMEM ? DNN_ETOOL
                                                                        : DNN_EUSAGE;
}

static void db_msg(sqlite3 *db, char *out, size_t n)
{
    int se = db ? sqlite3_system_errno(db) : 0, xc = db ? sqlite3_extended_errcode(db) : 0;
    const char *why = se ? strerror(se) : NULL;
    if (!why && (xc == SQLITE_IOERR_WRITE || xc == SQLITE_FULL || xc == SQLITE_IOERR_FSYNC))
        why = "a write failed: disk full or a file-size limit?";
    snprintf(out, n, "%s%s%s%s", db ? sqlite3_errmsg(db) : "out of memory", why ? " (" : "",
             why ? why : "", why ? ")" : "");
}

static int db_open(sctx *c, const char *path, char *err, size_t n)
{
    sqlite3_stmt *st = NULL;
    char m[600];
    int rc = sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
        ver = -1;
    const char *what = "open";
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(c->db, 10000);
        what = "read";
        rc = sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &st, NULL);
        if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            ver = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    if (rc == SQLITE_OK && ver != 0 && ver != 1) {
        snprintf(err, n, "sweep: '%s' is not a dnngen sweep database (user_version %d; legal: "
                         "a database dnngen sweep wrote, or none)",
                 path, ver);
        return DNN_EUSAGE;
    }
    if (rc == SQLITE_OK) {
        what = "check";
        rc = sqlite3_prepare_v2(c->db, "PRAGMA quick_check", -1, &st, NULL);
        if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            const unsigned char *r = sqlite3_column_text(st, 0);
            if (!r || strcmp((const char *)r, "ok") != 0) {
                snprintf(err, n, "sweep: database '%s' is corrupt (%.200s; legal: a sound "
                                 "database, or none)",
                         path, r ? (const char *)r : "?");
                sqlite3_finalize(st);
                return DNN_EUSAGE;
            }
            rc = SQLITE_OK;
        }
        sqlite3_finalize(st);
    }
    if (rc == SQLITE_OK && ver == 0) {
        char *e = NULL;
        what = "create";
        rc = sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, &e);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(c->db, schema, NULL, NULL, &e);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(c->db, "COMMIT", NULL, NULL, &e);
        if (rc != SQLITE_OK)
            sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_free(e);
    }
    if (rc != SQLITE_OK) {
        db_msg(c->db, m, sizeof m);
        snprintf(err, n, "sweep: cannot %s database '%s': %s (legal: %s)", what, path, m,
                 (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT
                     ? "a database dnngen sweep wrote, or none"
                     : "a writable file in a writable directory");
        return db_rc_exit(rc);
    }
    return 0;
}

static void bind_num(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

static char *params_json(const dnn_design *d)
{
    cJSON *o = cJSON_CreateObject();
    char *t;
    int i;
    if (!o)
        return NULL;
    for (i = 0; i < d->blk->nparams; i++) {
        if (d->blk->params[i].kind == DNN_P_ENUM)
            cJSON_AddStringToObject(o, d->blk->params[i].name,
                                    d->blk->params[i].enums[d->pv[i]]);
        else
            cJSON_AddNumberToObject(o, d->blk->params[i].name, (double)d->pv[i]);
    }
    t = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return t;
}

/* Record a finished point in one transaction; 0, or an SQLite code with err filled. */
static int db_record(sctx *c, const spoint *p, const prow *r, char *err, size_t n)
{
    sbuf sql, prm;
    sqlite3_stmt *st = NULL;
    char fin[64], *pj = params_json(&p->sp->d), *e = NULL;
    int rc, i, k = 1;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(fin, sizeof fin, "%Y-%m-%dT%H:%M:%SZ", &tm);
    sb_init(&sql);
    sb_init(&prm);
    dnn_design_command(&p->sp->d, "gen", &prm);
    sb_puts(&sql, "INSERT INTO points(key, sweep, block, label, params, params_json, top, "
                  "workload, liberty, period_ns, status, stage, reason");
    for (i = 0; i < c->nmet; i++)
        sb_printf(&sql, ", %s", dnn_sweep_metrics[i].name);
    for (i = 0; i < NEXTRA; i++)
        sb_printf(&sql, ", %s", extra_cols[i]);
    sb_puts(&sql, ", seconds, command, dir, finished) VALUES (?");
    for (i = 1; i < 17 + c->nmet + NEXTRA; i++)
        sb_puts(&sql, ", ?");
    sb_puts(&sql, ")");
    rc = sql.oom || prm.oom || !pj ? SQLITE_NOMEM
                                   : sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, &e);
    if (rc == SQLITE_OK) { /* a failed point run again (--retry-failed) replaces its row */
        sqlite3_stmt *del = NULL;
        rc = sqlite3_prepare_v2(c->db, "DELETE FROM points WHERE key = ?", -1, &del, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_text(del, 1, p->key, -1, SQLITE_STATIC);
            rc = sqlite3_step(del) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(c->db);
        }
        sqlite3_finalize(del);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(c->db, sql.s, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, k++, p->key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, c->s->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, c->s->blk->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, p->sp->label, -1, SQLITE_STATIC);
        /* "dnngen gen BLOCK -p ..." without the command words */
        sqlite3_bind_text(st, k++, prm.s + strlen("dnngen gen ") + strlen(c->s->blk->name) + 1,
                          -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, pj, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, p->sp->d.top, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, c->wldesc, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, c->liberty, -1, SQLITE_STATIC);
        sqlite3_bind_double(st, k++, c->s->period_ns);
        sqlite3_bind_text(st, k++, r->ok ? "ok" : "failed", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, r->stage, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, r->reason, -1, SQLITE_STATIC);
        for (i = 0; i < c->nmet; i++)
            bind_num(st, k++, r->m[i]);
        for (i = 0; i < NEXTRA; i++)
            bind_num(st, k++, r->x[i]);
        sqlite3_bind_double(st, k++, r->seconds);
        sqlite3_bind_text(st, k++, r->command ? r->command : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, p->dir, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, fin, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(c->db);
    }
    if (rc != SQLITE_OK) /* now, while the system error is still the one that failed */
        db_msg(c->db, err, n);
    sqlite3_finalize(st);
    if (rc == SQLITE_OK && (rc = sqlite3_exec(c->db, "COMMIT", NULL, NULL, &e)) != SQLITE_OK)
        db_msg(c->db, err, n);
    if (rc != SQLITE_OK) {
        if (c->db && !sqlite3_get_autocommit(c->db))
            sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_free(e);
    sb_free(&sql);
    sb_free(&prm);
    free(pj);
    return rc;
}

/* The recorded row of a point, if any. */
static int db_load(sctx *c, spoint *p, char *err, size_t n)
{
    sbuf sql;
    sqlite3_stmt *st = NULL;
    int rc, i;
    prow *r = &p->r;
    sb_init(&sql);
    sb_puts(&sql, "SELECT status, stage, reason, seconds, command");
    for (i = 0; i < c->nmet; i++)
        sb_printf(&sql, ", %s", dnn_sweep_metrics[i].name);
    for (i = 0; i < NEXTRA; i++)
        sb_printf(&sql, ", %s", extra_cols[i]);
    sb_puts(&sql, " FROM points WHERE key = ?");
    free(r->command);
    memset(r, 0, sizeof *r);
    rc = sql.oom ? SQLITE_NOMEM : sqlite3_prepare_v2(c->db, sql.s, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, p->key, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const char *t;
            r->have = 1;
            t = (const char *)sqlite3_column_text(st, 0);
            r->ok = t && strcmp(t, "ok") == 0;
            t = (const char *)sqlite3_column_text(st, 1);
            snprintf(r->stage, sizeof r->stage, "%s", t ? t : "");
            t = (const char *)sqlite3_column_text(st, 2);
            snprintf(r->reason, sizeof r->reason, "%s", t ? t : "");
            r->seconds = sqlite3_column_double(st, 3);
            t = (const char *)sqlite3_column_text(st, 4);
            r->command = dnn_strdup(t ? t : "");
            for (i = 0; i < c->nmet + NEXTRA; i++) {
                double v = sqlite3_column_type(st, 5 + i) == SQLITE_NULL
                               ? NAN
                               : sqlite3_column_double(st, 5 + i);
                if (i < c->nmet)
                    r->m[i] = v;
                else
                    r->x[i - c->nmet] = v;
            }
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    if (rc != SQLITE_OK) {
        char m[600];
        db_msg(c->db, m, sizeof m);
        snprintf(err, n, "%s", m);
    }
    sqlite3_finalize(st);
    sb_free(&sql);
    return rc;
}

/* ---- the parent's side of a point -------------------------------------------------------- */

static void read_stage(const spoint *p, char *out, size_t n)
{
    char *f = dnn_printf("%s/stage", p->dir), *t = f ? dnn_read_tail(f, 32) : NULL;
    snprintf(out, n, "%s", t && t[0] ? t : "start");
    dnn_oneline(out);
    free(t);
    free(f);
}

/* The row of a finished worker: its result.json, or why there is none. */
static void finish_row(const sctx *c, spoint *p, int status, prow *r)
{
    char *f = dnn_printf("%s/result.json", p->dir), *txt = NULL, err[256], stage[32];
    size_t len;
    cJSON *j = NULL;
    int i;
    free(r->command);
    memset(r, 0, sizeof *r);
    r->have = 1;
    for (i = 0; i < MAXMET; i++)
        r->m[i] = NAN;
    for (i = 0; i < NEXTRA; i++)
        r->x[i] = NAN;
    r->seconds = dnn_now() - p->t0;
    read_stage(p, stage, sizeof stage);
    if (!p->killed && WIFEXITED(status) && WEXITSTATUS(status) == 0 && f &&
        dnn_read_file(f, 4u << 20, &txt, &len, err, sizeof err) == 0)
        j = cJSON_ParseWithLength(txt, len);
    if (j) {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "status");
        r->ok = cJSON_IsString(v) && strcmp(v->valuestring, "ok") == 0;
        v = cJSON_GetObjectItemCaseSensitive(j, "stage");
        snprintf(r->stage, sizeof r->stage, "%s", cJSON_IsString(v) ? v->valuestring : "?");
        v = cJSON_GetObjectItemCaseSensitive(j, "reason");
        snprintf(r->reason, sizeof r->reason, "%s", cJSON_IsString(v) ? v->valuestring : "");
        v = cJSON_GetObjectItemCaseSensitive(j, "command");
        r->command = dnn_strdup(cJSON_IsString(v) ? v->valuestring : "");
        for (i = 0; i < c->nmet + NEXTRA; i++) {
            const char *name = i < c->nmet ? dnn_sweep_metrics[i].name : extra_cols[i - c->nmet];
            v = cJSON_GetObjectItemCaseSensitive(j, name);
            if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
                if (i < c->nmet)
                    r->m[i] = v->valuedouble;
                else
                    r->x[i - c->nmet] = v->valuedouble;
            }
        }
        cJSON_Delete(j);
    } else {
        char *cmds[NSTEPS];
        point_steps(c, p, cmds);
        r->command = joined_command(cmds);
        free_steps(cmds);
        snprintf(r->stage, sizeof r->stage, "%s", stage);
        if (p->killed)
            snprintf(r->reason, sizeof r->reason, "killed after %.0f s: time limit %d s exceeded "
                                                  "(during %s)",
                     r->seconds, c->timeout, stage);
        else if (WIFSIGNALED(status))
            snprintf(r->reason, sizeof r->reason, "sweep worker killed by signal %d (%s) during "
                                                  "%s",
                     WTERMSIG(status), strsignal(WTERMSIG(status)), stage);
        else if (WIFEXITED(status) && WEXITSTATUS(status) == 126)
            snprintf(r->reason, sizeof r->reason, "cannot write the point's log in %s", p->dir);
        else if (WIFEXITED(status) && WEXITSTATUS(status) == 125)
            snprintf(r->reason, sizeof r->reason, "cannot lock or clear the point's directory %s",
                     p->dir);
        else
            snprintf(r->reason, sizeof r->reason, "sweep worker exited with status %d and no "
                                                  "result during %s (log: %s/log.txt)",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1, stage, p->dir);
    }
    dnn_utf8_clean(r->reason);
    dnn_oneline(r->reason);
    free(txt);
    free(f);
}

/* The worker opens its log itself, once it holds the point and has cleared its directory;
 * it is not killed with us (no PDEATHSIG): it notices and kills its own steps (orphan_check). */
static pid_t start_point(const sctx *c, spoint *p)
{
    pid_t pid = dnn_job_fork("/dev/null", 0, 0);
    if (pid == 0)
        worker(c, p);
    return pid;
}

static void fmt_num(double v, char *buf, size_t n)
{
    if (isnan(v))
        snprintf(buf, n, "-");
    else if (fabs(v) >= 1e5 || v == floor(v))
        snprintf(buf, n, "%.0f", v);
    else if (fabs(v) >= 100)
        snprintf(buf, n, "%.1f", v);
    else
        snprintf(buf, n, "%.3g", v);
}

static int met(const char *name)
{
    return dnn_sweep_metric_find(name);
}

static void progress(const sctx *c, const spoint *p, int done, int nt, int failed, double t0)
{
    const prow *r = &p->r;
    char el[32], eta[32];
    dnn_fmt_dur(dnn_now() - t0, el, sizeof el);
    dnn_fmt_dur((dnn_now() - t0) / done * (nt - done), eta, sizeof eta);
    printf("[%*d/%d] %-6s %s %s", (int)snprintf(NULL, 0, "%d", nt), done, nt,
           r->ok ? "ok" : "FAILED", c->s->blk->name, p->sp->label);
    if (r->ok) {
        char a[32], f[32], cy[32], th[32], tp[32], en[32];
        fmt_num(r->m[met("area_um2")], a, sizeof a);
        fmt_num(r->m[met("fmax_mhz")], f, sizeof f);
        fmt_num(r->m[met("cycles_per_op")], cy, sizeof cy);
        fmt_num(r->m[met("throughput_mops")], th, sizeof th);
        fmt_num(r->m[met("throughput_per_mm2")], tp, sizeof tp);
        fmt_num(r->m[met("energy_pj_per_op")], en, sizeof en);
        printf(": %s um2, %s MHz, %s cyc/op, %s Mops/s, %s Mops/s/mm2, %s pJ/op", a, f, cy, th,
               tp, en);
    }
    printf(" (%.1fs) | failed %d | %s elapsed, ETA %s\n", r->seconds, failed, el, eta);
    if (!r->ok)
        printf("    %s\n", r->reason);
    fflush(stdout);
}

/* Run the points to do, par at a time; each finished one is recorded before the next
 * starts in its slot. Returns 0, DNN_ETOOL when interrupted or the database failed. */
static int run_points(sctx *c, int par, int *ran, char *err, size_t n)
{
    int nt = 0, done = 0, failed = 0, running = 0, i, rc = 0;
    double t0 = dnn_now();
    for (i = 0; i < c->np; i++)
        nt += c->pts[i].todo;
    *ran = 0;
    while (done < nt && !g_stop && !rc) {
        int reaped = 0, status = 0;
        pid_t pid;
        for (i = 0; i < c->np && running < par; i++) {
            spoint *p = &c->pts[i];
            if (!p->todo || p->state != T_PENDING)
                continue;
            p->t0 = dnn_now();
            p->pid = start_point(c, p);
            if (p->pid < 0) {
                snprintf(err, n, "sweep: cannot start a worker for %s (%s): %s",
                         p->sp->label, p->dir, strerror(errno));
                rc = DNN_ETOOL;
                break;
            }
            p->state = T_RUNNING;
            running++;
        }
        while (!rc && (pid = dnn_job_reap(&status)) > 0) {
            spoint *p = NULL;
            char m[700];
            for (i = 0; i < c->np; i++)
                if (c->pts[i].state == T_RUNNING && c->pts[i].pid == pid)
                    p = &c->pts[i];
            if (!p)
                continue;
            p->state = T_DONE;
            running--;
            finish_row(c, p, status, &p->r);
            if (db_record(c, p, &p->r, m, sizeof m) != SQLITE_OK) {
                snprintf(err, n, "sweep: cannot record point '%s' in '%s/sweep.db': %s; stopped "
                                 "with %d point%s of this run recorded (rerun to resume)",
                         p->sp->label, c->out, m, *ran, *ran == 1 ? "" : "s");
                rc = DNN_ETOOL;
                break;
            }
            (*ran)++;
            done++;
            reaped = 1;
            failed += !p->r.ok;
            progress(c, p, done, nt, failed, t0);
        }
        for (i = 0; i < c->np; i++) {
            spoint *p = &c->pts[i];
            if (p->state == T_RUNNING && !p->killed && dnn_now() - p->t0 > c->timeout) {
                p->killed = 1;
                dnn_job_kill(p->pid);
            }
        }
        if (!reaped)
            nap(50);
    }
    if (g_stop || rc) { /* take every running worker down with us; they are not recorded */
        for (i = 0; i < c->np; i++)
            if (c->pts[i].state == T_RUNNING) {
                int st;
                dnn_job_kill(c->pts[i].pid);
                waitpid(c->pts[i].pid, &st, 0);
                c->pts[i].state = T_PENDING;
            }
        if (!rc) {
            snprintf(err, n, "sweep: interrupted; %d point%s of this run recorded in '%s/sweep.db' "
                             "(rerun to resume); no report written",
                     *ran, *ran == 1 ? "" : "s", c->out);
            rc = DNN_ETOOL;
        }
    }
    return rc;
}

/* ---- reports ------------------------------------------------------------------------------ */

typedef struct front {
    int mx, my, n;
    int *idx; /* points on the front, by x (better first) */
    unsigned char *on;
} front;

static double oriented(const sctx *c, const spoint *p, int m)
{
    double v = p->r.have && p->r.ok ? p->r.m[m] : NAN;
    (void)c;
    return dnn_sweep_metrics[m].maximize ? -v : v;
}

static int front_make(const sctx *c, int mx, int my, front *f)
{
    double *x = calloc((size_t)c->np + 1, sizeof *x), *y = calloc((size_t)c->np + 1, sizeof *y);
    int i, a, b2;
    f->mx = mx;
    f->my = my;
    f->n = 0;
    f->idx = calloc((size_t)c->np + 1, sizeof *f->idx);
    f->on = calloc((size_t)c->np + 1, 1);
    if (!x || !y || !f->idx || !f->on) {
        free(x);
        free(y);
        return -1;
    }
    for (i = 0; i < c->np; i++) {
        x[i] = oriented(c, &c->pts[i], mx);
        y[i] = oriented(c, &c->pts[i], my);
    }
    dnn_pareto(x, y, c->np, f->on);
    for (i = 0; i < c->np; i++)
        if (f->on[i])
            f->idx[f->n++] = i;
    for (a = 1; a < f->n; a++) /* by x, then y: the order the front is drawn in */
        for (b2 = a; b2 > 0; b2--) {
            int p = f->idx[b2 - 1], q = f->idx[b2];
            if (x[p] < x[q] || (x[p] == x[q] && y[p] <= y[q]))
                break;
            f->idx[b2 - 1] = q;
            f->idx[b2] = p;
        }
    free(x);
    free(y);
    return 0;
}

static void front_free(front *f)
{
    free(f->idx);
    free(f->on);
}

static void csv_field(sbuf *b, const char *s)
{
    if (strpbrk(s, ",\"\n\r")) {
        sb_puts(b, "\"");
        for (; *s; s++) {
            if (*s == '"')
                sb_puts(b, "\"");
            sb_putn(b, s, 1);
        }
        sb_puts(b, "\"");
    } else {
        sb_puts(b, s);
    }
}

static void csv_num(sbuf *b, double v)
{
    if (!isnan(v))
        sb_printf(b, "%.10g", v);
}

static void make_csv(const sctx *c, const front *fa, sbuf *b)
{
    const dnn_block *blk = c->s->blk;
    int i, k;
    sb_puts(b, "block");
    for (k = 0; k < blk->nparams; k++)
        sb_printf(b, ",%s", blk->params[k].name);
    sb_puts(b, ",label,status,stage,reason");
    for (k = 0; k < c->nmet; k++)
        sb_printf(b, ",%s", dnn_sweep_metrics[k].name);
    for (k = 0; k < NEXTRA; k++)
        sb_printf(b, ",%s", extra_cols[k]);
    sb_puts(b, ",pareto_area_throughput,seconds,liberty,period_ns,workload,command\n");
    for (i = 0; i < c->np; i++) {
        const spoint *p = &c->pts[i];
        const prow *r = &p->r;
        sb_puts(b, blk->name);
        for (k = 0; k < blk->nparams; k++) {
            char v[64];
            dnn_param_format(blk, k, p->sp->d.pv[k], v, sizeof v);
            sb_puts(b, ",");
            csv_field(b, v);
        }
        sb_puts(b, ",");
        csv_field(b, p->sp->label);
        sb_printf(b, ",%s,", !r->have ? "missing" : r->ok ? "ok" : "failed");
        csv_field(b, r->stage);
        sb_puts(b, ",");
        csv_field(b, r->reason);
        for (k = 0; k < c->nmet; k++) {
            sb_puts(b, ",");
            csv_num(b, r->have ? r->m[k] : NAN);
        }
        for (k = 0; k < NEXTRA; k++) {
            sb_puts(b, ",");
            csv_num(b, r->have ? r->x[k] : NAN);
        }
        sb_printf(b, ",%d,", fa->on[i] ? 1 : 0);
        csv_num(b, r->have ? r->seconds : NAN);
        sb_puts(b, ",");
        csv_field(b, c->liberty);
        sb_printf(b, ",%.6g,", c->s->period_ns);
        csv_field(b, c->wldesc);
        sb_puts(b, ",");
        csv_field(b, r->command ? r->command : "");
        sb_puts(b, "\n");
    }
}

typedef struct plot {
    char name[96]; /* pareto or pareto-X-Y */
    char *png, *svg;
    size_t png_len, svg_len;
} plot;

/* Plot a front with gnuplot into memory (PNG and SVG), through a private directory. */
static int make_plot(const sctx *c, const front *f, const char *name, plot *pl, char *err,
                     size_t n)
{
    char *tmp = dnn_printf("%s/.plot.tmp.%ld", c->outabs, (long)getpid()), e2[DNN_ERRLEN];
    char *path = NULL, *cmd = NULL;
    const dnn_sweep_metric *mx = &dnn_sweep_metrics[f->mx], *my = &dnn_sweep_metrics[f->my];
    FILE *fp;
    int i, rc = -1;
    memset(pl, 0, sizeof *pl);
    snprintf(pl->name, sizeof pl->name, "%s", name);
    if (!tmp || dnn_mkdirs(tmp, e2, sizeof e2)) {
        snprintf(err, n, "cannot create a plot directory in %.1000s", c->outabs);
        free(tmp);
        return -1;
    }
    path = dnn_printf("%s/all.dat", tmp);
    if (path && (fp = fopen(path, "w"))) {
        for (i = 0; i < c->np; i++) {
            const prow *r = &c->pts[i].r;
            if (r->have && r->ok && !isnan(r->m[f->mx]) && !isnan(r->m[f->my]))
                fprintf(fp, "%.10g %.10g\n", r->m[f->mx], r->m[f->my]);
        }
        fclose(fp);
    }
    free(path);
    path = dnn_printf("%s/front.dat", tmp);
    if (path && (fp = fopen(path, "w"))) {
        for (i = 0; i < f->n; i++) {
            const spoint *p = &c->pts[f->idx[i]];
            fprintf(fp, "%.10g %.10g \"%s\"\n", p->r.m[f->mx], p->r.m[f->my],
                    f->n <= 24 ? p->sp->label : "");
        }
        fclose(fp);
    }
    free(path);
    path = dnn_printf("%s/plot.gp", tmp);
    if (path && (fp = fopen(path, "w"))) {
        fprintf(fp,
                "# generated by dnngen sweep\nset termoption noenhanced\n"
                "set terminal pngcairo size 960,640 font 'sans,10' noenhanced\n"
                "set output 'plot.png'\n"
                "set title '%s (%s): Pareto front, %s vs %s; clock target %.6g ns' noenhanced\n"
                "set xlabel '%s%s' noenhanced\nset ylabel '%s%s' noenhanced\n"
                "set grid\nset key outside right top vertical noenhanced\n"
                "set offsets graph 0.05, graph 0.15, graph 0.1, graph 0.1\n"
                "plot 'all.dat' using 1:2 with points pt 7 ps 0.9 lc rgb '#8c8c8c' title 'design "
                "points', \\\n"
                "     'front.dat' using 1:2 with linespoints pt 7 ps 1.3 lw 2 lc rgb '#c0392b' "
                "title 'Pareto front', \\\n"
                "     'front.dat' using 1:2:3 with labels left offset 0.8,0.6 font ',8' "
                "notitle\n"
                "set terminal svg size 960,640 font 'sans,10' noenhanced\n"
                "set output 'plot.svg'\nreplot\n",
                c->s->name, c->s->blk->name, mx->name, my->name, c->s->period_ns, mx->label,
                mx->maximize ? ", larger is better" : ", smaller is better", my->label,
                my->maximize ? ", larger is better" : ", smaller is better");
        fclose(fp);
    }
    free(path);
    path = NULL;
    {
        sbuf b;
        sb_init(&b);
        sb_puts(&b, "cd ");
        sb_shell_word(&b, tmp);
        sb_puts(&b, " && gnuplot plot.gp");
        cmd = b.s;
    }
    {
        char *log = dnn_printf("%s/gnuplot.log", tmp);
        int st = cmd && log ? dnn_run(cmd, log, 120) : -1;
        char *pp = dnn_printf("%s/plot.png", tmp), *sp = dnn_printf("%s/plot.svg", tmp);
        if (st == 0 && pp && sp &&
            dnn_read_file(pp, 64u << 20, &pl->png, &pl->png_len, e2, sizeof e2) == 0 &&
            dnn_read_file(sp, 64u << 20, &pl->svg, &pl->svg_len, e2, sizeof e2) == 0 &&
            pl->png_len > 0 && pl->svg_len > 0) {
            rc = 0;
        } else {
            char *t = log ? dnn_read_tail(log, 300) : NULL;
            if (t)
                dnn_oneline(t);
            snprintf(err, n, "gnuplot failed (status %d)%s%.200s", st, t && t[0] ? ": " : "",
                     t ? t : "");
            free(t);
        }
        free(pp);
        free(sp);
        free(log);
    }
    free(cmd);
    {
        char *rm = dnn_printf("rm -rf '%s'", tmp);
        if (rm && rc == 0)
            (void)dnn_run(rm, NULL, 0);
        free(rm);
    }
    free(tmp);
    return rc;
}

static void sb_base64(sbuf *b, const char *data, size_t len)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *d = (const unsigned char *)data;
    size_t i;
    for (i = 0; i + 2 < len; i += 3) {
        char q[4] = { al[d[i] >> 2], al[(d[i] & 3) << 4 | d[i + 1] >> 4],
                      al[(d[i + 1] & 15) << 2 | d[i + 2] >> 6], al[d[i + 2] & 63] };
        sb_putn(b, q, 4);
    }
    if (i < len) {
        unsigned v = (unsigned)d[i] << 16 | (i + 1 < len ? (unsigned)d[i + 1] << 8 : 0u);
        char q[4] = { al[v >> 18 & 63], al[v >> 12 & 63], i + 1 < len ? al[v >> 6 & 63] : '=',
                      '=' };
        sb_putn(b, q, 4);
    }
}

static const char css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
    "text-align:left}th{background:#eee}td.n{text-align:right}.pass{color:#060}.fail{color:"
    "#b00;font-weight:bold}tr.fail td{background:#fee}tr.front td{background:#eef6ff}"
    "pre{background:#f6f6f6;padding:6px;white-space:pre-wrap;word-break:break-all;"
    "user-select:all}img{max-width:100%;border:1px solid #ddd}h1 .fail,h1 .pass{font-size:80%}";

static void html_num(sbuf *h, double v)
{
    char b[32];
    fmt_num(v, b, sizeof b);
    sb_printf(h, "<td class=\"n\">%s</td>", b);
}

static void html_front(const sctx *c, const front *f, const plot *pl, sbuf *h)
{
    /* the two figures of the front first, then these unless they are one of the two */
    static const char *const more[] = { "area_um2", "fmax_mhz", "cycles_per_op",
                                        "throughput_mops", "energy_pj_per_op", NULL };
    const dnn_sweep_metric *mx = &dnn_sweep_metrics[f->mx], *my = &dnn_sweep_metrics[f->my];
    int i, k, cols[8], nc = 0, ok = 0;
    for (i = 0; i < c->np; i++)
        ok += c->pts[i].r.have && c->pts[i].r.ok;
    cols[nc++] = f->mx;
    cols[nc++] = f->my;
    for (k = 0; more[k]; k++)
        if (met(more[k]) != f->mx && met(more[k]) != f->my)
            cols[nc++] = met(more[k]);
    sb_printf(h, "<h2 id=\"front-%s-%s\">Pareto front: %s vs %s</h2>\n", mx->name, my->name,
              mx->label, my->label);
    if (pl && pl->png) {
        sb_printf(h, "<figure><img alt=\"Pareto front, %s vs %s\" src=\"data:image/png;base64,",
                  mx->name, my->name);
        sb_base64(h, pl->png, pl->png_len);
        sb_printf(h, "\"><figcaption>%d completed design points (grey), %d on the front (red): "
                     "no other point has a %s %s and a %s %s, one of them strictly. Also as <a "
                     "href=\"%s.svg\">%s.svg</a> and <a href=\"%s.png\">%s.png</a>."
                     "</figcaption></figure>\n",
                  ok, f->n, mx->maximize ? "higher or equal" : "lower or equal", mx->name,
                  my->maximize ? "higher or equal" : "lower or equal", my->name, pl->name,
                  pl->name, pl->name, pl->name);
    } else {
        sb_puts(h, "<p>No plot (no completed point, or gnuplot failed).</p>\n");
    }
    sb_printf(h, "<table class=\"front\" id=\"table-%s-%s\"><thead><tr><th>point</th>",
              mx->name, my->name);
    for (k = 0; k < nc; k++)
        sb_printf(h, "<th>%s</th>", dnn_sweep_metrics[cols[k]].label);
    sb_puts(h, "</tr></thead><tbody>\n");
    for (i = 0; i < f->n; i++) {
        const spoint *p = &c->pts[f->idx[i]];
        sb_puts(h, "<tr><td>");
        sb_esc(h, p->sp->label);
        sb_puts(h, "</td>");
        for (k = 0; k < nc; k++)
            html_num(h, p->r.m[cols[k]]);
        sb_puts(h, "</tr>\n");
    }
    sb_puts(h, "</tbody></table>\n");
}

static void report_html(const sctx *c, const front *fa, const plot *pa, const front *fu,
                        const plot *pu, const char *note, sbuf *h)
{
    int i, ok = 0, failed = 0, missing = 0, nf = 0;
    char when[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    for (i = 0; i < c->np; i++) {
        ok += c->pts[i].r.have && c->pts[i].r.ok;
        failed += c->pts[i].r.have && !c->pts[i].r.ok;
        missing += !c->pts[i].r.have;
    }
    sb_puts(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<title>dnngen sweep ");
    sb_esc(h, c->s->name);
    sb_printf(h, "</title><style>%s</style></head><body>\n<h1>dnngen sweep <code>", css);
    sb_esc(h, c->s->name);
    sb_printf(h, "</code> (%s): <span id=\"verdict\" class=\"%s\">%s</span></h1>\n",
              c->s->blk->name, failed || missing ? "fail" : "pass",
              failed || missing ? "FAIL" : "PASS");
    sb_printf(h, "<p id=\"summary\"><b><span id=\"sum-ok\">%d</span> of <span id=\"sum-total\">"
                 "%d</span> points completed</b>, <span id=\"sum-failed\">%d</span> failed",
              ok, c->np, failed);
    if (missing)
        sb_printf(h, ", %d not run", missing);
    sb_puts(h, "</p>\n<ul><li>spec <code>");
    sb_esc(h, c->spec_path);
    sb_printf(h, "</code>: %lld combination%s", (long long)c->s->ncombos,
              c->s->ncombos == 1 ? "" : "s");
    if (c->s->nskipped) {
        sb_printf(h, ", %lld rejected by the block's check (e.g. ", (long long)c->s->nskipped);
        sb_esc(h, c->s->skipped);
        sb_puts(h, ")");
    }
    sb_puts(h, "</li><li>liberty <code>");
    sb_esc(h, c->liberty);
    sb_printf(h, "</code>, clock target %.6g ns; power: OpenSTA report_power at the clock "
                 "target, input activity %g</li><li>workload: ",
              c->s->period_ns, c->s->activity);
    sb_esc(h, c->wldesc);
    sb_printf(h, "</li><li>database <a href=\"sweep.db\">sweep.db</a> (SQLite, table "
                 "<code>points</code>); report written %s by dnngen %s</li></ul>\n",
              when, DNN_VERSION);
    if (note && note[0]) {
        sb_puts(h, "<p class=\"fail\">");
        sb_esc(h, note);
        sb_puts(h, "</p>\n");
    }
    html_front(c, fa, pa, h);
    if (fu)
        html_front(c, fu, pu, h);
    sb_puts(h, "<h2>Points</h2>\n<table id=\"points\"><thead><tr><th>#</th><th>point</th>"
               "<th>status</th><th>area (um^2)</th><th>cells</th><th>fmax (MHz)</th>"
               "<th>cycles/op</th><th>Mops/s</th><th>Mops/s per mm^2</th><th>power (mW)</th>"
               "<th>energy/op (pJ)</th><th>time (s)</th></tr></thead><tbody>\n");
    for (i = 0; i < c->np; i++) {
        const spoint *p = &c->pts[i];
        const prow *r = &p->r;
        const char *stt = !r->have ? "not run" : r->ok ? "ok" : "failed";
        sb_printf(h, "<tr data-status=\"%s\" class=\"%s\"><td><a href=\"points/%s/log.txt\">%d"
                     "</a></td><td>",
                  r->have && r->ok ? "ok" : "failed",
                  !(r->have && r->ok) ? "fail" : fa->on[i] ? "front" : "", p->hash, i);
        sb_esc(h, p->sp->label);
        sb_printf(h, "</td><td class=\"%s\">%s</td>", r->have && r->ok ? "pass" : "fail", stt);
        html_num(h, r->m[met("area_um2")]);
        html_num(h, r->m[met("cells")]);
        html_num(h, r->m[met("fmax_mhz")]);
        html_num(h, r->m[met("cycles_per_op")]);
        html_num(h, r->m[met("throughput_mops")]);
        html_num(h, r->m[met("throughput_per_mm2")]);
        html_num(h, r->m[met("power_mw")]);
        html_num(h, r->m[met("energy_pj_per_op")]);
        html_num(h, r->have ? r->seconds : NAN);
        sb_puts(h, "</tr>\n");
    }
    sb_puts(h, "</tbody></table>\n<p>Points on the area vs throughput front are shaded blue. "
               "Throughput = fmax / (workload cycles per operation); energy per operation = "
               "power x clock period x cycles per operation.</p>\n<h2>Failures</h2>\n");
    for (i = 0; i < c->np; i++) {
        const spoint *p = &c->pts[i];
        if (!p->r.have || p->r.ok)
            continue;
        if (!nf++)
            sb_puts(h, "<ol id=\"failures\">\n");
        sb_puts(h, "<li><b>");
        sb_esc(h, p->sp->label);
        sb_puts(h, "</b>, stage ");
        sb_esc(h, p->r.stage);
        sb_puts(h, ": <span class=\"fail\">");
        sb_esc(h, p->r.reason);
        sb_printf(h, "</span> (<a href=\"points/%s/log.txt\">log</a>)</li>\n", p->hash);
    }
    sb_puts(h, nf ? "</ol>\n" : "<p>None.</p>\n");
    sb_puts(h, "<h2>Commands</h2>\n<p>Each point ran these commands, in this order (its files "
               "are in <code>points/&lt;hash&gt;/</code>).</p>\n");
    for (i = 0; i < c->np; i++) {
        const spoint *p = &c->pts[i];
        if (!p->r.have)
            continue;
        sb_printf(h, "<details><summary>%d: ", i);
        sb_esc(h, p->sp->label);
        sb_puts(h, "</summary><pre>");
        sb_esc(h, p->r.command ? p->r.command : "");
        sb_puts(h, "</pre></details>\n");
    }
    sb_puts(h, "</body></html>\n");
}

/* The file part of a path (for dnn_write_files), dir into dbuf. */
static const char *split_path(const char *path, char *dbuf, size_t n)
{
    const char *sl = strrchr(path, '/');
    if (!sl) {
        snprintf(dbuf, n, ".");
        return path;
    }
    snprintf(dbuf, n, "%.*s", (int)(sl - path), path);
    if (!dbuf[0])
        snprintf(dbuf, n, "/");
    return sl + 1;
}

/* ---- Slurm job arrays (docs/slurm.md) --------------------------------------------------- */

/* Record what array task tix of k did in the database's tasks table (created on first use). */
static int task_record(sctx *c, int tix, int k, int ran, int ok, double t0, char *err, size_t n)
{
    static const char tschema[] =
        "CREATE TABLE IF NOT EXISTS tasks (\n"
        "  sweep TEXT NOT NULL, task INTEGER NOT NULL, tasks INTEGER NOT NULL,\n"
        "  host TEXT NOT NULL, slurm_job_id TEXT NOT NULL, slurm_array_job_id TEXT NOT NULL,\n"
        "  slurm_array_task_id TEXT NOT NULL, points INTEGER NOT NULL, ok INTEGER NOT NULL,\n"
        "  seconds REAL NOT NULL, finished TEXT NOT NULL\n"
        ");\n";
    sqlite3_stmt *st = NULL;
    dnn_slurm_env se;
    char host[128], fin[64], *e = NULL, m[600];
    time_t now = time(NULL);
    struct tm tm;
    int rc, k2 = 1;
    dnn_slurm_getenv(&se);
    if (gethostname(host, sizeof host - 1) != 0)
        snprintf(host, sizeof host, "unknown");
    host[sizeof host - 1] = '\0';
    gmtime_r(&now, &tm);
    strftime(fin, sizeof fin, "%Y-%m-%dT%H:%M:%SZ", &tm);
    rc = sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, &e);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(c->db, tschema, NULL, NULL, &e);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(c->db, "INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                       "?)",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, k2++, c->s->name, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, k2++, tix);
        sqlite3_bind_int(st, k2++, k);
        sqlite3_bind_text(st, k2++, host, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k2++, se.job, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k2++, se.array_job, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k2++, se.array_task, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, k2++, ran);
        sqlite3_bind_int(st, k2++, ok);
        sqlite3_bind_double(st, k2++, dnn_now() - t0);
        sqlite3_bind_text(st, k2++, fin, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(c->db);
    }
    if (rc != SQLITE_OK)
        db_msg(c->db, m, sizeof m);
    sqlite3_finalize(st);
    if (rc == SQLITE_OK && (rc = sqlite3_exec(c->db, "COMMIT", NULL, NULL, &e)) != SQLITE_OK)
        db_msg(c->db, m, sizeof m);
    if (rc != SQLITE_OK && !sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_free(e);
    if (rc != SQLITE_OK) {
        snprintf(err, n, "sweep: cannot record task %d in '%s/sweep.db': %s", tix, c->out, m);
        return DNN_ETOOL;
    }
    return 0;
}

/* Write the batch script of the array (DIR/slurm/sweep.sbatch or sscript); with --slurm
 * submit it, and unless nowait wait for it: *waited = 1 and *ran = the points the tasks
 * recorded. Returns 0 or an exit status (the error printed). */
static int slurm_run(sctx *c, int k, int par, int64_t tmo, int retry, const char *sscript,
                     const char *part, int64_t smin, int nowait, int *ran, int *waited)
{
    char *spec = realpath(c->spec_path, NULL), cwd[4096], err[DNN_ERRLEN], jobid[64] = "",
         name[96], dbuf[4096];
    char *sdir = dnn_printf("%s/slurm", c->outabs), *spath = NULL;
    sbuf cmd, opts, com;
    int rc = 0, i, todo = 0;
    long per = (c->np + k - 1) / k;
    *waited = 0;
    *ran = 0;
    sb_init(&cmd);
    sb_init(&opts);
    sb_init(&com);
    if (sscript)
        spath = sscript[0] == '/' || !getcwd(cwd, sizeof cwd) ? dnn_strdup(sscript)
                                                               : dnn_printf("%s/%s", cwd,
                                                                            sscript);
    else
        spath = sdir ? dnn_printf("%s/sweep.sbatch", sdir) : NULL;
    if (!spec || !sdir || !spath || !getcwd(cwd, sizeof cwd)) {
        rc = dnn_fail(DNN_ETOOL, "sweep: cannot resolve the paths of the run (%s)",
                      strerror(errno));
        goto out;
    }
    if (!dnn_slurm_path_ok(c->outabs) || !dnn_slurm_path_ok(cwd)) {
        rc = dnn_fail(DNN_EUSAGE, "sweep: '%.300s' cannot go into a batch script (legal: paths "
                                  "of A-Za-z0-9_./+,=:@-; sbatch reads its options unquoted)",
                      dnn_slurm_path_ok(cwd) ? c->outabs : cwd);
        goto out;
    }
    if ((rc = dnn_probe_dir(sdir, err, sizeof err))) {
        rc = dnn_fail(rc, "sweep: %s", err);
        goto out;
    }
    if (tmo > 0)
        sb_printf(&opts, " --timeout %lld", (long long)tmo);
    if (retry)
        sb_puts(&opts, " --retry-failed");
    sb_shell_word(&cmd, c->self);
    sb_puts(&cmd, " sweep ");
    sb_shell_word(&cmd, spec);
    sb_puts(&cmd, " -o ");
    sb_shell_word(&cmd, c->outabs);
    sb_printf(&cmd, " -j %d%s --task \"$SLURM_ARRAY_TASK_ID\" --tasks %d", par,
              opts.s ? opts.s : "", k);
    sb_printf(&com, "dnngen sweep %s: %d points in %d array tasks (task i runs the points whose "
                    "index %% %d is i),\n",
              c->s->name, c->np, k, k);
    sb_puts(&com, "each recorded in ");
    sb_puts(&com, c->outabs);
    sb_puts(&com, "/sweep.db as it finishes. When every task has ended, the report:\n  ");
    sb_shell_word(&com, c->self);
    sb_puts(&com, " sweep ");
    sb_shell_word(&com, spec);
    sb_puts(&com, " -o ");
    sb_shell_word(&com, c->outabs);
    sb_puts(&com, " --merge");
    snprintf(name, sizeof name, "dnngen-sweep-%s", c->s->name);
    {
        dnn_slurm_req rq = { name, k, par, smin ? (long)smin * 60 : per * c->timeout / par + 300,
                             part, sdir, cwd, com.s, cmd.s };
        char *body = cmd.oom || com.oom || opts.oom ? NULL : dnn_slurm_script(&rq);
        const char *fname = strrchr(spath, '/') + 1;
        outfile of;
        snprintf(dbuf, sizeof dbuf, "%.*s", (int)(fname - spath - 1), spath);
        if (!dbuf[0])
            snprintf(dbuf, sizeof dbuf, "/");
        if (!body) {
            rc = dnn_fail(DNN_ETOOL, "sweep: out of memory");
            goto out;
        }
        of = (outfile){ fname, body, strlen(body) };
        rc = dnn_write_files(dbuf, &of, 1, err, sizeof err);
        free(body);
        if (rc) {
            rc = dnn_fail(DNN_EUSAGE, "sweep: %s (legal: a writable --slurm-script path)", err);
            goto out;
        }
    }
    for (i = 0; i < c->np; i++)
        todo += c->pts[i].todo;
    if (sscript) {
        printf("sweep: wrote %s: a Slurm job array of %d tasks for %d points (%d not recorded "
               "yet), -j %d per task; submit with: sbatch %s; then the report with --merge\n",
               spath, k, c->np, todo, par, spath);
        goto out;
    }
    if (!todo) { /* nothing to submit: on to the report */
        printf("sweep: spec %s: all %d points are recorded in '%s/sweep.db'; nothing to "
               "submit\n",
               c->s->name, c->np, c->out);
        *waited = 1;
        goto out;
    }
    { /* the Slurm output of an earlier array must not pass for this one's */
        char *rm = dnn_printf("rm -f '%s'/task-*.out", sdir);
        if (rm)
            (void)dnn_run(rm, NULL, 0);
        free(rm);
    }
    flock(c->lockfd, LOCK_UN); /* the tasks hold it shared while they run */
    if (dnn_slurm_submit(spath, jobid, sizeof jobid, err, sizeof err)) {
        rc = dnn_fail(DNN_ETOOL, "sweep: %s", err);
        goto out;
    }
    printf("sweep: spec %s: %d points (%d to run) submitted as Slurm job array %s of %d tasks, "
           "-j %d each; batch script %s, output in %s\n",
           c->s->name, c->np, todo, jobid, k, par, spath, c->out);
    fflush(stdout);
    if (nowait) {
        printf("sweep: not waiting; when job %s has ended: dnngen sweep %s -o %s --merge\n",
               jobid, c->spec_path, c->out);
        goto out;
    }
    rc = dnn_slurm_wait(jobid, k, &g_stop, err, sizeof err);
    if (rc < 0) {
        rc = dnn_fail(DNN_ETOOL, "sweep: interrupted; Slurm job %s cancelled; the points its "
                                 "tasks finished are in '%s/sweep.db'; no report written",
                      jobid, c->out);
        goto out;
    }
    if (rc) {
        rc = dnn_fail(rc, "sweep: %s; the report later with --merge", err);
        goto out;
    }
    for (i = 0; i < c->np; i++) {
        spoint *p = &c->pts[i];
        if (!p->todo)
            continue;
        if (db_load(c, p, err, sizeof err) != SQLITE_OK) {
            rc = dnn_fail(DNN_ETOOL, "sweep: cannot read '%s/sweep.db': %s", c->out, err);
            goto out;
        }
        *ran += p->r.have;
    }
    if (*ran < todo)
        printf("sweep: %d of %d points were not recorded by the array's tasks (their output: "
               "%s/task-*.out)\n",
               todo - *ran, todo, sdir);
    *waited = 1;
out:
    sb_free(&cmd);
    sb_free(&opts);
    sb_free(&com);
    free(spec);
    free(sdir);
    free(spath);
    return rc;
}

/* ---- the command ------------------------------------------------------------------------- */

int cmd_sweep(int argc, char **argv)
{
    const char *out = "sweep-out", *spec_path = NULL, *js = NULL, *csv = NULL, *pareto = NULL,
               *ts = NULL, *tks = NULL, *nks = NULL, *chs = NULL, *sscript = NULL, *part = NULL,
               *stime = NULL;
    int dry = 0, retry = 0, i, rc = 0, ran = 0, mx = -1, my = -1, ntodo = 0, ndone = 0;
    int merge = 0, slurm = 0, nowait = 0;
    int64_t par = 0, tmo = -1, tix = -1, ntasks = 0, chunk = 0, smin = 0;
    dnn_sweep s;
    sctx c;
    char err[2 * DNN_ERRLEN], *text = NULL, note[2 * DNN_ERRLEN] = "";
    size_t len;
    double t0 = 0;
    struct sigaction sa;
    front fa, fu;
    plot pa, pu;
    memset(&s, 0, sizeof s);
    memset(&c, 0, sizeof c);
    memset(&fa, 0, sizeof fa);
    memset(&fu, 0, sizeof fu);
    memset(&pa, 0, sizeof pa);
    memset(&pu, 0, sizeof pu);
    c.lockfd = -1;
    while (dnn_sweep_metrics[c.nmet].name)
        c.nmet++;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(sweep_help, stdout);
            return 0;
        }
        if (strcmp(a, "--dry-run") == 0 || strcmp(a, "--retry-failed") == 0 ||
            strcmp(a, "--merge") == 0 || strcmp(a, "--slurm") == 0 ||
            strcmp(a, "--slurm-no-wait") == 0) {
            *(a[2] == 'd' ? &dry : a[2] == 'r' ? &retry : a[2] == 'm' ? &merge
              : a[7] ? &nowait : &slurm) = 1;
            continue;
        }
        slot = strcmp(a, "-o") == 0                  ? &out
               : strcmp(a, "-j") == 0                ? &js
               : strcmp(a, "--csv") == 0             ? &csv
               : strcmp(a, "--pareto") == 0          ? &pareto
               : strcmp(a, "--timeout") == 0         ? &ts
               : strcmp(a, "--task") == 0            ? &tks
               : strcmp(a, "--tasks") == 0           ? &nks
               : strcmp(a, "--chunk") == 0           ? &chs
               : strcmp(a, "--slurm-script") == 0    ? &sscript
               : strcmp(a, "--slurm-partition") == 0 ? &part
               : strcmp(a, "--slurm-time") == 0      ? &stime
                                                     : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return dnn_fail(DNN_EUSAGE, "sweep: option %s needs a value", a);
            *slot = argv[++i];
            continue;
        }
        if (a[0] == '-' || spec_path)
            return dnn_fail(DNN_EUSAGE, "sweep: unknown option '%.60s' (legal: -o, -j, --csv, "
                                        "--pareto, --timeout, --retry-failed, --dry-run, "
                                        "--task, --tasks, --chunk, --merge, --slurm, "
                                        "--slurm-script, --slurm-no-wait, --slurm-partition, "
                                        "--slurm-time)",
                            a);
        spec_path = a;
    }
    if (!spec_path)
        return dnn_fail(DNN_EUSAGE, "sweep: missing SPEC.json (usage: dnngen sweep SPEC.json "
                                    "[-o DIR] [-j N])");
    if ((js && (dnn_parse_count("-j", js, 1024, &par) ||
                (par == 0 && dnn_fail(DNN_EUSAGE, "bad value '0' for -j (legal: 1..1024)")))) ||
        (ts && (dnn_parse_count("--timeout", ts, DNN_SWEEP_MAX_TIMEOUT, &tmo) ||
                (tmo == 0 && dnn_fail(DNN_EUSAGE, "bad value '0' for --timeout (legal: "
                                                  "1..%d)",
                                      DNN_SWEEP_MAX_TIMEOUT)))) ||
        (tks && dnn_parse_count("--task", tks, DNN_SLURM_MAX_TASKS - 1, &tix)) ||
        (nks && dnn_parse_count("--tasks", nks, DNN_SLURM_MAX_TASKS, &ntasks)) ||
        (chs && dnn_parse_count("--chunk", chs, DNN_SWEEP_MAX_POINTS, &chunk)) ||
        (stime && dnn_parse_count("--slurm-time", stime, 525600, &smin)))
        return DNN_EUSAGE;
    if ((nks && ntasks == 0) || (chs && chunk == 0) || (stime && smin == 0))
        return dnn_fail(DNN_EUSAGE, "bad value '0' for %s (legal: 1..%d)",
                        nks && ntasks == 0 ? "--tasks" : chs && chunk == 0 ? "--chunk"
                                                                         : "--slurm-time",
                        nks && ntasks == 0 ? DNN_SLURM_MAX_TASKS
                        : chs && chunk == 0 ? DNN_SWEEP_MAX_POINTS
                                            : 525600);
    {
        int sl = slurm || sscript != NULL;
        const char *bad = (tks && !nks)               ? "--task needs --tasks K"
                          : tks && (sl || merge || dry) ? "--task runs one share of the points; "
                                                        "it takes no --slurm, --slurm-script, "
                                                        "--merge or --dry-run"
                          : nks && !tks && !sl         ? "--tasks needs --task I, --slurm or "
                                                        "--slurm-script"
                          : chs && !sl                 ? "--chunk needs --slurm or "
                                                        "--slurm-script"
                          : chs && nks                 ? "--chunk and --tasks both set the array "
                                                        "size: give one"
                          : slurm && sscript           ? "--slurm and --slurm-script: give one"
                          : merge && (sl || dry || retry) ? "--merge runs nothing: no --slurm, "
                                                           "--slurm-script, --dry-run or "
                                                           "--retry-failed"
                          : (nowait || part || stime) && !sl ? "--slurm-no-wait, "
                                                              "--slurm-partition and "
                                                              "--slurm-time need --slurm or "
                                                              "--slurm-script"
                          : nowait && sscript          ? "--slurm-no-wait needs --slurm"
                          : tks && (csv || pareto)     ? "--task writes no report: --csv and "
                                                        "--pareto go to the --merge"
                                                       : NULL;
        if (bad)
            return dnn_fail(DNN_EUSAGE, "sweep: %s (legal: see dnngen sweep --help)", bad);
        if (part && (!part[0] || strspn(part, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx"
                                              "yz0123456789_.,-") != strlen(part)))
            return dnn_fail(DNN_EUSAGE, "sweep: bad --slurm-partition '%.60s' (legal: "
                                        "partition names of A-Za-z0-9_.- separated by commas)",
                            part);
        if (sl && !js)
            par = 1; /* the array is the parallelism; -j is per task */
    }
    if (slurm) {
        char e2[DNN_ERRLEN];
        if (dnn_slurm_check("sweep", e2, sizeof e2))
            return dnn_fail(DNN_EUSAGE, "%s", e2);
    }
    if (pareto) {
        char a[64], b[64];
        const char *comma = strchr(pareto, ',');
        if (comma && (size_t)(comma - pareto) < sizeof a && strlen(comma + 1) < sizeof b) {
            snprintf(a, sizeof a, "%.*s", (int)(comma - pareto), pareto);
            snprintf(b, sizeof b, "%s", comma + 1);
            mx = dnn_sweep_metric_find(a);
            my = dnn_sweep_metric_find(b);
        }
        if (mx < 0 || my < 0 || mx == my)
            return dnn_fail(DNN_EUSAGE, "sweep: bad --pareto '%.80s' (legal: two different of "
                                        "area_um2, cells, flops, fmax_mhz, critical_path_ns, "
                                        "cycles, cycles_per_op, throughput_mops, "
                                        "throughput_per_mm2, power_mw, energy_pj_per_op)",
                            pareto);
    }
    if (!par) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        par = nc > 0 ? nc : 1;
    }
    if (dnn_read_file(spec_path, DNN_SWEEP_MAX_TEXT, &text, &len, err, sizeof err))
        return dnn_fail(DNN_EUSAGE, "sweep: %s", err);
    rc = dnn_sweep_parse(text, len, spec_path, &s, err, sizeof err);
    free(text);
    if (rc)
        return dnn_fail(rc, "%s", err);
    if (chunk)
        ntasks = (s.npoints + chunk - 1) / chunk;
    if ((slurm || sscript) && !ntasks)
        ntasks = (s.npoints + 3) / 4;
    if (ntasks > s.npoints || ntasks > DNN_SLURM_MAX_TASKS || tix >= ntasks) {
        int badtask = tix >= ntasks && ntasks <= s.npoints;
        rc = dnn_fail(DNN_EUSAGE, "sweep: %s %lld for a spec of %d points (legal: %s)",
                      badtask ? "--task" : "array size", (long long)(badtask ? tix : ntasks),
                      s.npoints, badtask ? "0..K-1 for --tasks K"
                                         : "1..the number of points, at most 1000 tasks");
        goto out;
    }
    c.s = &s;
    c.out = out;
    c.spec_path = spec_path;
    c.np = s.npoints;
    c.timeout = tmo > 0 ? (int)tmo : s.timeout;
    c.parent = getpid();
    {
        ssize_t sl = readlink("/proc/self/exe", c.self, sizeof c.self - 1);
        if (sl <= 0) {
            rc = dnn_fail(DNN_ETOOL, "sweep: cannot find the dnngen executable");
            goto out;
        }
        c.self[sl] = '\0';
    }
    /* files the spec names: checked and made absolute before anything runs */
    if ((rc = spec_file(spec_path, s.liberty[0] ? s.liberty : DEFAULT_LIBERTY, "liberty",
                        c.liberty, sizeof c.liberty, err, sizeof err)) ||
        (s.wl.kind == DNN_WL_LAYER &&
         (rc = spec_file(spec_path, s.wl.layer, "layer file", c.layer, sizeof c.layer, err,
                         sizeof err))) ||
        (s.wl.order[0] && (rc = spec_file(spec_path, s.wl.order, "order file", c.order,
                                          sizeof c.order, err, sizeof err)))) {
        rc = dnn_fail(rc, "%s", err);
        goto out;
    }
    if (out[0] == '/') {
        snprintf(c.outabs, sizeof c.outabs, "%s", out);
    } else {
        char cwd[2048];
        if (!getcwd(cwd, sizeof cwd)) {
            rc = dnn_fail(DNN_ETOOL, "sweep: cannot read the working directory");
            goto out;
        }
        snprintf(c.outabs, sizeof c.outabs, "%s/%s", cwd, out);
    }
    wl_describe(&c, c.wldesc, sizeof c.wldesc);
    c.pts = calloc((size_t)c.np, sizeof *c.pts);
    if (!c.pts) {
        rc = dnn_fail(DNN_ETOOL, "sweep: out of memory");
        goto out;
    }
    {
        uint64_t lh = hash_stream(DNN_HASH_INIT, c.liberty), wh = DNN_HASH_INIT;
        if (c.layer[0])
            wh = hash_stream(wh, c.layer);
        if (c.order[0])
            wh = hash_stream(wh, c.order);
        for (i = 0; i < c.np; i++) {
            spoint *p = &c.pts[i];
            p->sp = &s.pts[i];
            p->key = point_key(&c, p->sp, lh, wh);
            if (!p->key) {
                rc = dnn_fail(DNN_ETOOL, "sweep: out of memory");
                goto out;
            }
            snprintf(p->hash, sizeof p->hash, "%016llx",
                     (unsigned long long)dnn_hash(DNN_HASH_INIT, p->key, strlen(p->key)));
            p->dir = dnn_printf("%s/points/%s", c.outabs, p->hash);
            if (!p->dir) {
                rc = dnn_fail(DNN_ETOOL, "sweep: out of memory");
                goto out;
            }
            snprintf(p->layer, sizeof p->layer, "%s",
                     s.wl.kind == DNN_WL_SHAPE ? "" : c.layer);
            if (s.wl.kind == DNN_WL_SHAPE)
                snprintf(p->layer, sizeof p->layer, "%s/layer.json", p->dir);
            if (dnn_sweep_profile(&s, &p->sp->d, p->layer, c.order, p->profile,
                                  sizeof p->profile)) {
                rc = dnn_fail(DNN_EUSAGE, "sweep: spec '%s': the workload does not fit point %s "
                                          "(legal: a shorter path)",
                              spec_path, p->sp->label);
                goto out;
            }
            /* the profile is checked against the point before anything runs (a random layer
             * is drawn by the point itself) */
            if (s.wl.kind != DNN_WL_SHAPE && (i == 0 || s.wl.kind != DNN_WL_PROFILE)) {
                gm_param ps[DNN_MAX_PARAMS];
                int np = dnn_design_gparams(&p->sp->d, ps);
                gm_gen *g = gm_gen_open(s.blk->name, ps, np, s.seed, s.wl.vectors,
                                        p->profile[0] ? p->profile : NULL, err, sizeof err);
                if (!g) {
                    rc = dnn_fail(DNN_EUSAGE, "sweep: spec '%s': workload (point %s): %s",
                                  spec_path, p->sp->label, err);
                    goto out;
                }
                gm_gen_close(g);
            }
        }
    }
    if (dry) {
        for (i = 0; i < c.np; i++) {
            char *cmds[NSTEPS];
            int k;
            point_steps(&c, &c.pts[i], cmds);
            printf("# point %d: %s %s (%s)\n", i, s.blk->name, c.pts[i].sp->label,
                   c.pts[i].hash);
            for (k = 0; k < NSTEPS; k++)
                if (cmds[k])
                    printf("%s\n", cmds[k]);
            free_steps(cmds);
        }
        printf("sweep: spec %s: %d points of %lld combinations (%lld rejected by the block's "
               "check)\n",
               s.name, c.np, (long long)s.ncombos, (long long)s.nskipped);
        goto out;
    }
    if (slurm || sscript) { /* before anything is created */
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd) || !dnn_slurm_path_ok(cwd) ||
            !dnn_slurm_path_ok(c.outabs)) {
            rc = dnn_fail(DNN_EUSAGE, "sweep: '%.300s' cannot go into a batch script (legal: "
                                      "paths of A-Za-z0-9_./+,=:@-; sbatch reads its options "
                                      "unquoted)",
                          dnn_slurm_path_ok(c.outabs) ? cwd : c.outabs);
            goto out;
        }
    }
    rc = dnn_probe_dir(out, err, sizeof err);
    if (!rc) {
        char *pd = dnn_printf("%s/points", out);
        rc = pd ? dnn_probe_dir(pd, err, sizeof err) : DNN_ETOOL;
        free(pd);
    }
    if (rc) {
        rc = dnn_fail(rc, "sweep: %s", err);
        goto out;
    }
    {
        char *lk = dnn_printf("%s/.sweep.lock", out);
        c.lockfd = lk ? open(lk, O_RDWR | O_CREAT | O_CLOEXEC, 0644) : -1;
        free(lk);
        /* the tasks of an array share the directory (and hold the lock shared); a sweep
         * or a report step holds it alone */
        if (c.lockfd < 0 || flock(c.lockfd, (tix >= 0 ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
            rc = dnn_fail(DNN_EUSAGE, "sweep: another sweep is running in '%s' (legal: one "
                                      "sweep at a time per output directory, or the tasks of "
                                      "one array)",
                          out);
            goto out;
        }
    }
    signal(SIGXFSZ, SIG_IGN); /* a file-size limit is a write error, reported, not a kill */
    {
        char *dbp = dnn_printf("%s/sweep.db", out);
        rc = dbp ? db_open(&c, dbp, err, sizeof err) : DNN_ETOOL;
        free(dbp);
        if (rc) {
            rc = dnn_fail(rc, "%s", err);
            goto out;
        }
        /* the tasks of an array write one database: each point in a transaction of its own
         * (BEGIN IMMEDIATE); a writer waits for another's commit, however many there are */
        if (tix >= 0)
            sqlite3_busy_timeout(c.db, 600000);
    }
    for (i = 0; i < c.np; i++) {
        spoint *p = &c.pts[i];
        if (db_load(&c, p, err, sizeof err) != SQLITE_OK) {
            rc = dnn_fail(DNN_ETOOL, "sweep: cannot read '%s/sweep.db': %s", out, err);
            goto out;
        }
        p->todo = !merge && (!p->r.have || (retry && !p->r.ok)) && (tix < 0 || i % ntasks == tix);
        ntodo += p->todo;
        ndone += !p->todo && (tix < 0 || i % ntasks == tix);
    }
    if (tix < 0) { /* an earlier run's reports must not pass for this run's if it cannot finish */
        static const char *const old[] = { "report.html", "pareto.png", "pareto.svg", NULL };
        int k;
        for (k = 0; old[k]; k++) {
            char *f = dnn_printf("%s/%s", out, old[k]);
            if (f)
                unlink(f);
            free(f);
        }
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    t0 = dnn_now();
    if (slurm || sscript) {
        int waited = 0;
        rc = slurm_run(&c, (int)ntasks, (int)par, tmo, retry, sscript, part, smin, nowait, &ran,
                       &waited);
        if (rc || !waited)
            goto out;
        ntodo = 0; /* the tasks ran the points; on to the report */
        for (i = 0; i < c.np; i++)
            c.pts[i].todo = 0;
        if (flock(c.lockfd, LOCK_EX | LOCK_NB) != 0) {
            rc = dnn_fail(DNN_ETOOL, "sweep: a task of the array still holds '%s/.sweep.lock'; "
                                     "no report written (legal: --merge once it has ended)",
                          out);
            goto out;
        }
    } else {
        if (tix >= 0)
            printf("sweep: spec %s: task %lld of %lld: %d of %d points are this task's",
                   s.name, (long long)tix, (long long)ntasks, ndone + ntodo, c.np);
        else
            printf("sweep: spec %s: %s, %d points", s.name, s.blk->name, c.np);
        if (s.nskipped)
            printf(" (%lld of %lld combinations rejected by the block's check, e.g. %s)",
                   (long long)s.nskipped, (long long)s.ncombos, s.skipped);
        printf("; %d recorded, %d to run, -j %lld, time limit %d s per point, output in %s\n",
               ndone, ntodo, (long long)par, c.timeout, out);
        fflush(stdout);
    }
    if (ntodo) {
        rc = run_points(&c, (int)par, &ran, err, sizeof err);
        if (rc) {
            rc = dnn_fail(rc, "%s", err);
            goto out;
        }
    }
    if (tix >= 0) {
        int ok = 0;
        for (i = 0; i < c.np; i++)
            ok += c.pts[i].todo && c.pts[i].r.have && c.pts[i].r.ok;
        rc = task_record(&c, (int)tix, (int)ntasks, ran, ok, t0, err, sizeof err);
        if (rc) {
            rc = dnn_fail(rc, "%s", err);
            goto out;
        }
        printf("RESULT sweep-task name=%s task=%lld tasks=%lld points=%d ok=%d failed=%d "
               "ran=%d\n",
               s.name, (long long)tix, (long long)ntasks, ntodo, ok, ntodo - ok, ran);
        rc = ok == ntodo ? 0 : DNN_EVERIFY;
        goto out;
    }
    {
        double wall = dnn_now() - t0;
        int ok = 0, failed = 0;
        char wl[32];
        sbuf h, cv;
        outfile of[5];
        int nof = 0;
        for (i = 0; i < c.np; i++) {
            if (db_load(&c, &c.pts[i], err, sizeof err) != SQLITE_OK) {
                rc = dnn_fail(DNN_ETOOL, "sweep: cannot read '%s/sweep.db': %s", out, err);
                goto out;
            }
            ok += c.pts[i].r.have && c.pts[i].r.ok;
            failed += !(c.pts[i].r.have && c.pts[i].r.ok);
        }
        if (front_make(&c, met("area_um2"), met("throughput_mops"), &fa) ||
            (mx >= 0 && front_make(&c, mx, my, &fu))) {
            rc = dnn_fail(DNN_ETOOL, "sweep: out of memory");
            goto out;
        }
        if (ok && make_plot(&c, &fa, "pareto", &pa, err, sizeof err) != 0)
            snprintf(note, sizeof note, "%s", err);
        if (ok && mx >= 0) {
            char nm[96];
            snprintf(nm, sizeof nm, "pareto-%s-%s", dnn_sweep_metrics[mx].name,
                     dnn_sweep_metrics[my].name);
            if (make_plot(&c, &fu, nm, &pu, err, sizeof err) != 0 && !note[0])
                snprintf(note, sizeof note, "%s", err);
        }
        sb_init(&h);
        report_html(&c, &fa, &pa, mx >= 0 ? &fu : NULL, &pu, note, &h);
        if (h.oom) {
            sb_free(&h);
            rc = dnn_fail(DNN_ETOOL, "sweep: out of memory writing the report");
            goto out;
        }
        of[nof++] = (outfile){ "report.html", h.s, h.len };
        if (pa.png) {
            of[nof++] = (outfile){ "pareto.png", pa.png, pa.png_len };
            of[nof++] = (outfile){ "pareto.svg", pa.svg, pa.svg_len };
        }
        {
            char pn1[128], pn2[128];
            if (pu.png) {
                snprintf(pn1, sizeof pn1, "%s.png", pu.name);
                snprintf(pn2, sizeof pn2, "%s.svg", pu.name);
                of[nof++] = (outfile){ pn1, pu.png, pu.png_len };
                of[nof++] = (outfile){ pn2, pu.svg, pu.svg_len };
            }
            rc = dnn_write_files(out, of, nof, err, sizeof err);
        }
        sb_free(&h);
        if (rc) {
            rc = dnn_fail(DNN_ETOOL, "sweep: %s; no report written", err);
            goto out;
        }
        if (csv) {
            char dbuf[4096];
            const char *fname = split_path(csv, dbuf, sizeof dbuf);
            outfile f;
            sb_init(&cv);
            make_csv(&c, &fa, &cv);
            f.name = fname;
            f.data = cv.s;
            f.len = cv.len;
            rc = cv.oom ? DNN_ETOOL : dnn_write_files(dbuf, &f, 1, err, sizeof err);
            sb_free(&cv);
            if (rc) {
                rc = dnn_fail(DNN_ETOOL, "sweep: %s; no CSV written", err);
                goto out;
            }
        }
        dnn_fmt_dur(wall, wl, sizeof wl);
        printf("RESULT sweep name=%s block=%s points=%d ok=%d failed=%d ran=%d wall=%s "
               "points_per_hour=%.1f\n",
               s.name, s.blk->name, c.np, ok, failed, ran, wl,
               wall > 0 && ran ? 3600.0 * ran / wall : 0.0);
        for (i = 0; i < (mx >= 0 ? 2 : 1); i++) {
            const front *f = i ? &fu : &fa;
            int k;
            printf("pareto %s vs %s: %d of %d points:", dnn_sweep_metrics[f->mx].name,
                   dnn_sweep_metrics[f->my].name, f->n, ok);
            for (k = 0; k < f->n; k++) {
                const spoint *p = &c.pts[f->idx[k]];
                char a[32], b[32];
                fmt_num(p->r.m[f->mx], a, sizeof a);
                fmt_num(p->r.m[f->my], b, sizeof b);
                printf("%s %s (%s, %s)", k ? ";" : "", p->sp->label, a, b);
            }
            printf("\n");
        }
        if (note[0]) {
            rc = dnn_fail(DNN_ETOOL, "sweep: %s; report written without the plot", note);
            goto out;
        }
        printf("sweep: %s; report %s/report.html, database %s/sweep.db%s%s\n",
               failed ? "FAIL" : "PASS", out, out, csv ? ", CSV " : "", csv ? csv : "");
        rc = failed ? DNN_EVERIFY : 0;
    }
out:
    if (c.pts)
        for (i = 0; i < c.np; i++) {
            free(c.pts[i].key);
            free(c.pts[i].dir);
            free(c.pts[i].r.command);
        }
    free(c.pts);
    front_free(&fa);
    front_free(&fu);
    free(pa.png);
    free(pa.svg);
    free(pu.png);
    free(pu.svg);
    if (c.db)
        sqlite3_close(c.db);
    if (c.lockfd >= 0)
        close(c.lockfd);
    dnn_sweep_free(&s);
    return rc;
}
