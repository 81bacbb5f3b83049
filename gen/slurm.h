/*
 * slurm.h -- running a regression plan or a sweep as a Slurm job array (docs/slurm.md):
 * the chunk of jobs an array task runs, the batch script, sbatch/squeue/scancel, and the
 * per-task result file of `dnngen regress --task I --tasks K` with its parser.
 *
 * Slurm is driven through its command-line clients (sbatch --parsable, squeue, scancel),
 * the interface every site has; nothing links against libslurm. What a task did is read
 * back from the files it wrote (a results file, or the sweep database), never from Slurm's
 * accounting, which many clusters (and the test's single-node one) do not keep: a task that
 * died without writing them is reported as such, whatever Slurm thinks of it.
 *
 * The task file parser is a pure function of the text so that a libFuzzer harness
 * (tests/fuzz/fuzz_rtask.c) can drive it; counts are bounded before anything is allocated.
 */
#ifndef DNN_SLURM_H
#define DNN_SLURM_H

#include <signal.h>
#include <stdint.h>

#include "util.h"

#define DNN_SLURM_MAX_TASKS 1000 /* Slurm's default MaxArraySize is 1001: indices 0..1000 */

/* Jobs [*lo, *hi) of n that array task i of k runs: contiguous, sizes differ by at most one,
 * every job in exactly one chunk. */
void dnn_chunk(int n, int k, int i, int *lo, int *hi);

/* What the batch script asks Slurm for. */
typedef struct dnn_slurm_req {
    const char *job_name;  /* [A-Za-z0-9_.-] */
    int tasks;             /* array size K: --array=0-(K-1) */
    int cpus;              /* --cpus-per-task */
    long time_s;           /* --time, rounded up to minutes */
    const char *partition; /* NULL: the cluster's default */
    const char *outdir;    /* absolute; Slurm's output of task i: OUTDIR/task-i.out */
    const char *chdir;     /* absolute working directory of the tasks */
    const char *comment;   /* lines for people, each written as "# line" */
    const char *command;   /* the shell command of a task; $SLURM_ARRAY_TASK_ID is i */
} dnn_slurm_req;

/* The sbatch script (malloc'd), or NULL when out of memory. */
char *dnn_slurm_script(const dnn_slurm_req *r);

/* Can path (absolute) go into an #SBATCH line? sbatch reads them unquoted and expands %
 * patterns in --output: only A-Za-z0-9_./+,=:@- are allowed. */
int dnn_slurm_path_ok(const char *path);

/* Is sbatch (and squeue) on PATH? 0, or DNN_EUSAGE with a one-line message for `who`. */
int dnn_slurm_check(const char *who, char *err, size_t n);

/* sbatch --parsable SCRIPT; the job id into id. 0, or DNN_ETOOL with sbatch's message. */
int dnn_slurm_submit(const char *script, char *id, size_t idn, char *err, size_t n);

/* Poll squeue every 2 s until no task of job id is pending or running; a line for people
 * whenever the counts change. Returns 0, DNN_ETOOL when squeue keeps failing (err filled),
 * or -1 when *stop was set (the job is cancelled with scancel then). */
int dnn_slurm_wait(const char *id, int tasks, volatile sig_atomic_t *stop, char *err, size_t n);

/* The Slurm ids of the running process ("" outside Slurm). */
typedef struct dnn_slurm_env {
    char job[32], array_job[32], array_task[32];
} dnn_slurm_env;
void dnn_slurm_getenv(dnn_slurm_env *e);

/* ---- regress task files: DIR/tasks/task-IIII.json ---------------------------------------- */

typedef struct dnn_rtask_res {
    int id;               /* job index in the plan */
    char type[12];        /* pass, mismatch, crash, timeout, tool, error */
    char reason[600];
    long long checked, mism, cycles;
    double secs;
    int has_cov;          /* DIR/jobs/NNNNN/coverage.dat written */
    int rerun;            /* re-run with waves */
    char rr_type[12];     /* its result */
    int rr_fst;           /* it wrote waves.fst */
} dnn_rtask_res;

typedef struct dnn_rtask {
    char fingerprint[17]; /* of the expanded plan and its options (16 hex digits) */
    int njobs, task, tasks, nres;
    double t_start, t_end; /* Unix time */
    char host[128];
    dnn_slurm_env slurm;
    dnn_rtask_res *res;
} dnn_rtask;

/* Parse a task file. Returns 0, or DNN_EUSAGE with a one-line message; *t is freeable either
 * way. Checks: njobs 1..50000, 0 <= task < tasks <= DNN_SLURM_MAX_TASKS, tasks <= njobs,
 * exactly the jobs of chunk task (dnn_chunk), in order, each result type known. */
int dnn_rtask_parse(const char *text, size_t len, const char *path, dnn_rtask *t, char *err,
                    size_t n);
void dnn_rtask_free(dnn_rtask *t);

/* The file's text (malloc'd, JSON), or NULL when out of memory. */
char *dnn_rtask_format(const dnn_rtask *t);

#endif
