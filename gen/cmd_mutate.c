/*
 * cmd_mutate.c -- `dnngen mutate BLOCK`: mutation scoring of a block's tests, MCY style
 * (docs/mutation.md). The block is generated, Yosys `mutate -list N -seed S` picks N single-bit
 * mutations of its top module (sub-blocks are read as black boxes and copied unchanged: they
 * are scored as blocks of their own), and each mutant is written as Verilog with a filelist
 * and co-simulated by `dnngen verify --rtl`: exit 1 kills it, exit 0 lets it survive, anything
 * else is a tool error. A survivor is then checked for equivalence with the original, in steps
 * (write_equiv): the mutated cell alone, induction on matching state, the mutated cell never
 * active in a reachable state, the sequential miter (ABC dprove), localization.
 *
 * The miter is not Yosys' `miter -equiv`, which compares every output bit on every cycle: it
 * compares what the checker observes (verif/tb_check.h), after the reset cycle: each valid,
 * each ready while its valid is high (an accept), each payload while its valid is high. A
 * mutant that only changes a payload nobody may read is equivalent, not a hole in the tests.
 * Both copies start from the same state (every flop zero, as `sat -set-init-zero`), the reset
 * is applied in the first cycle only, as in the benches. Every x is made 0 and every flop
 * given its zero initial value before any optimization: Yosys treats an x as "don't care"
 * and may resolve it differently in the two copies (fcu: a mutant that never loads a weight
 * register was "proven" equivalent while its x initial value was optimized away). ABC, not `sat -seq N`: sat on a
 * 20-cycle pamac miter ran out of a 60 s budget where dprove proves the same mutants
 * equivalent (unbounded) in 2-4 s.
 *
 * The unmutated design goes through the same Yosys round trip as the mutants (the baseline):
 * it must pass verify, and its miter against itself must be proven, or no verdict would mean
 * anything (exit 3). The first killed mutant is checked for equivalence too: the miter must be
 * able to say "different" (reported as cross_check).
 *
 * Jobs run as regress's do (jobs.h): children of this binary in sessions of their own, killed
 * with their session at the time limit. verify caches every build in <root>/build/cache; the
 * mutants would fill the shared cache with builds nobody reuses, and two runs over the same
 * mutants would race on the same cache entries. So the jobs get a private root
 * (DIR/.root: links to the project's directories, a build/cache of its own) through
 * DNNGEN_ROOT, each mutant's build is removed when its job ends and the root at the end.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
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

#define MUT_MAX_COUNT 10000
#define MUT_REPORT "mutate.json"
#define MUT_MAX_PROF 8 /* --profile given at most this many times */
#define MUT_MARK ".dnngen-mutate"

static const char mutate_help[] =
    "usage: dnngen mutate BLOCK [-p NAME=VALUE]... [-c CONFIG.json] [--count N] [--seed S]\n"
    "                     [-o DIR] [-j N] [--timeout SEC] [--sim icarus|verilator|systemc]\n"
    "                     [--vectors N] [--verify-seed S] [--profile P]...\n"
    "                     [--equiv-timeout SEC] [--min-score X] [--equiv-all]\n"
    "  Mutation scoring (docs/mutation.md): Yosys 'mutate -list N' makes N single-bit mutants\n"
    "  of the block's generated top module; each is co-simulated with 'dnngen verify --rtl'\n"
    "  (a mismatch kills it); a survivor is checked for equivalence with the original on\n"
    "  what the checker observes, under the block's host obligations (Yosys miters; the\n"
    "  mutated cell alone, induction on matching state, the mutated cell never active in a\n"
    "  reachable state (ABC pdr), ABC dprove, then localization with ABC scorr and pdr).\n"
    "  Prints killed, equivalent, survived and errors, the score\n"
    "  killed/(mutants-equivalent) and every survivor; writes DIR/mutate.json and each\n"
    "  mutant's files under DIR/mutants/.\n"
    "  --count N          mutants (default 20; 1..10000)\n"
    "  --seed S           Yosys mutate seed (default 1)\n"
    "  -o DIR             output directory (default mutate-out): new, empty or an earlier\n"
    "                     mutate run's\n"
    "  -j N               jobs at a time (default: the number of cores)\n"
    "  --timeout SEC      time limit of each mutant's verify, build included (default 600)\n"
    "  --sim S            simulator of the mutants (default icarus: no per-mutant C++ build)\n"
    "  --vectors N        operations per verify (default 1000, verify's default)\n"
    "  --verify-seed S    stimulus seed (default 1)\n"
    "  --profile P        stimulus profile (verify --profile); repeatable (up to 8): the\n"
    "                     block's test suite, e.g. its random profile then its directed\n"
    "                     ones: a mutant the first run lets pass runs the next, and so on;\n"
    "                     it is killed when any run catches it\n"
    "  --equiv-timeout SEC  time limit of each equivalence check, Yosys and ABC (default\n"
    "                     300); a check that reaches it is undecided: the mutant survives\n"
    "  --min-score X      exit 1 when the score is below X (0..1, default 0: report only)\n"
    "  --equiv-all        check every killed mutant for equivalence too (by default only the\n"
    "                     first, to show the check can tell): a killed mutant proven\n"
    "                     equivalent is reported as inconsistent\n"
    "  Exit status: 0 score >= min-score, 1 below, 2 bad input (nothing run), 3 tool failure\n"
    "  (Yosys failed, the unmutated design does not pass, interrupted, report not written).\n";

/* outcomes */
enum { O_PENDING, O_KILLED, O_EQUIV, O_SURVIVED, O_ERROR };
static const char *const outcome_names[] = { "pending", "killed", "equivalent", "survived",
                                             "error" };
/* equivalence verdicts */
enum { E_NOTRUN, E_PROVEN, E_DIFFERENT, E_UNDECIDED, E_FAILED, E_IDENTICAL };
static const char *const eq_names[] = { "not run", "proven", "different", "undecided",
                                        "failed", "identical" };

typedef struct mutant {
    int id;          /* 1..n; 0 is the baseline */
    char *line;      /* the `mutate ...` command from mutate -list, NULL for the baseline */
    char mode[16], cell[256], port[32], wire[256];
    int portbit, ctrlbit, wirebit;
    int nsrc;
    char src[4][160];
    char *desc;      /* what the mutation changes, and where */
    char dir[32];    /* relative to DIR: mutants/00007 or base */
    uint64_t hash;   /* of the mutant's Verilog as Yosys wrote it */
    int dup_of;      /* same Verilog as mutant k (0: none; -1: as the original) */
    int vstatus;     /* verify: exit status, -1 timed out, -2 signal, -3 not started */
    int vprof;       /* the profile (index into --profile) of the last verify run */
    char vreason[400];
    double vsecs;
    int eq, eq_frame, cross;
    char eqdetail[300];
    double esecs;
    int outcome;
} mutant;

enum { K_VERIFY, K_EQUIV };
enum { T_PENDING, T_RUNNING, T_DONE };
typedef struct mtask {
    int kind, m, state, killed;
    int pi; /* verify: the profile's index */
    pid_t pid;
    double t0;
} mtask;

typedef struct mctx {
    dnn_design d;
    dnn_render r;
    const char *out; /* as the user gave it (reproduce commands) */
    char outabs[4096], self[4096], root[4400];
    const char *sim, *profile; /* profile: profiles[0] */
    const char *profiles[MUT_MAX_PROF];
    int nprof;
    int64_t count, seed, par, timeout, nvec, vseed, eqt;
    double min_score;
    int n;          /* mutants; m[0] is the baseline */
    int equiv_all;  /* --equiv-all: check the killed mutants too */
    mutant *m;
    mtask *t;
    int nt, cap;
    char topfile[300];
    int nsub;
    const char *subs[DNN_MAX_FILES];
    char **srclines; /* lines of the top's generated Verilog, for the descriptions */
    int nsrclines;
    char yosys_ver[160], abc_ver[160];
} mctx;

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

/* ---- files ------------------------------------------------------------------------------ */

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st;
    (void)flag;
    (void)f;
    remove(p);
    return 0;
}

static void rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *outpath(const mctx *c, const char *rel)
{
    return dnn_printf("%s/%s", c->out, rel);
}

static int write_text(const char *dir, const char *name, const char *text, char *err, size_t n)
{
    outfile f = { name, text, strlen(text) };
    return dnn_write_files(dir, &f, 1, err, n);
}

/* DIR must be new, empty, or hold an earlier mutate run (its marker): the run clears its own
 * subdirectories, and must never clear those of a directory that is not its own. */
static int check_outdir(const char *dir, char *err, size_t n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int other = 0, mine = 0;
    if (!d)
        return 0; /* new (or unreadable: the probe says so) */
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (strcmp(e->d_name, MUT_MARK) == 0)
            mine = 1;
        else
            other = 1;
    }
    closedir(d);
    if (other && !mine) {
        snprintf(err, n, "mutate: output directory '%.200s' is not empty and holds no earlier "
                         "mutate run (legal: a new or empty directory, or one written by "
                         "dnngen mutate)",
                 dir);
        return DNN_EUSAGE;
    }
    return 0;
}

/* The private root of the jobs: a link to every entry of the project root but build/, and a
 * build/ of our own with the cache (and a link to the plain golden library verify falls back
 * on when the running dnngen's is sanitized). */
static int make_root(mctx *c, char *err, size_t n)
{
    const char *root = dnn_root();
    DIR *d;
    struct dirent *e;
    char *p;
    rm_tree(c->root);
    p = dnn_printf("%s/build/cache", c->root);
    if (!p || dnn_mkdirs(p, err, n)) {
        free(p);
        return DNN_ETOOL;
    }
    free(p);
    d = opendir(root);
    if (!d) {
        snprintf(err, n, "cannot read the project directory '%s': %s", root, strerror(errno));
        return DNN_ETOOL;
    }
    while ((e = readdir(d))) {
        char *src, *dst;
        int bad;
        if (e->d_name[0] == '.' || strcmp(e->d_name, "build") == 0)
            continue;
        src = dnn_printf("%s/%s", root, e->d_name);
        dst = dnn_printf("%s/%s", c->root, e->d_name);
        bad = !src || !dst || (symlink(src, dst) != 0 && errno != EEXIST);
        free(src);
        free(dst);
        if (bad) {
            closedir(d);
            snprintf(err, n, "cannot link the project into '%.300s': %s", c->root, strerror(errno));
            return DNN_ETOOL;
        }
    }
    closedir(d);
    {
        char *src = dnn_printf("%s/build/libdnngolden.a", root);
        char *dst = dnn_printf("%s/build/libdnngolden.a", c->root);
        if (src && dst && dnn_file_exists(src))
            (void)symlink(src, dst);
        free(src);
        free(dst);
    }
    return 0;
}

/* ---- mutations -------------------------------------------------------------------------- */

/* Characters a `mutate` line may hold to go into a Yosys script as it is: ';' would end the
 * command and '#' start a comment. Yosys writes these lines from our own generated Verilog,
 * so this is a guard, not a parser of user input. */
static int safe_line(const char *s)
{
    for (; *s; s++)
        if (*s == ';' || *s == '#' || *s == '"' || (unsigned char)*s < 0x20)
            return 0;
    return 1;
}

static void parse_mutation(mutant *m)
{
    char *copy = dnn_strdup(m->line), *save = NULL, *tok;
    m->portbit = m->ctrlbit = m->wirebit = -1;
    if (!copy)
        return;
    for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char *v;
        if (tok[0] != '-')
            continue;
        v = strtok_r(NULL, " ", &save);
        if (!v)
            break;
        if (strcmp(tok, "-mode") == 0)
            snprintf(m->mode, sizeof m->mode, "%s", v);
        else if (strcmp(tok, "-cell") == 0)
            snprintf(m->cell, sizeof m->cell, "%s", v);
        else if (strcmp(tok, "-port") == 0)
            snprintf(m->port, sizeof m->port, "%s", v);
        else if (strcmp(tok, "-wire") == 0)
            snprintf(m->wire, sizeof m->wire, "%s", v);
        else if (strcmp(tok, "-portbit") == 0)
            m->portbit = atoi(v);
        else if (strcmp(tok, "-ctrlbit") == 0)
            m->ctrlbit = atoi(v);
        else if (strcmp(tok, "-wirebit") == 0)
            m->wirebit = atoi(v);
        else if (strcmp(tok, "-src") == 0 && m->nsrc < 4)
            snprintf(m->src[m->nsrc++], sizeof m->src[0], "%s", v);
    }
    free(copy);
}

/* "$add$dnn_x.v:150$51" -> "$add", "$procmux$2381" -> "$procmux" */
static void cell_type(const char *cell, char *out, size_t n)
{
    const char *e = cell[0] == '$' ? strchr(cell + 1, '$') : NULL;
    size_t k = e ? (size_t)(e - cell) : strlen(cell);
    if (k >= n)
        k = n - 1;
    memcpy(out, cell, k);
    out[k] = '\0';
}

/* The source line a -src tag "file.v:L.C-L.C" points at, trimmed, at most 110 bytes. */
static void src_text(const mctx *c, const char *src, int *line, char *out, size_t n)
{
    const char *colon = strrchr(src, ':');
    const char *s;
    size_t k;
    out[0] = '\0';
    if (strncmp(src, "design/", 7) == 0) /* Yosys read the files from DIR/design/ */
        src += 7;
    *line = colon ? atoi(colon + 1) : 0;
    if (*line < 1 || *line > c->nsrclines || strncmp(src, c->topfile, strlen(c->topfile)) != 0)
        return;
    for (s = c->srclines[*line - 1]; *s == ' ' || *s == '\t'; s++)
        ;
    k = strlen(s);
    if (k > 110) {
        snprintf(out, n, "%.107s...", s);
        return;
    }
    snprintf(out, n, "%s", s);
}

static void describe(const mctx *c, mutant *m)
{
    char ty[64], what[200], text[160] = "";
    const char *src;
    int line = 0;
    sbuf b;
    cell_type(m->cell, ty, sizeof ty);
    if (strcmp(m->mode, "inv") == 0)
        snprintf(what, sizeof what, "inverted");
    else if (strcmp(m->mode, "const0") == 0)
        snprintf(what, sizeof what, "forced to 0");
    else if (strcmp(m->mode, "const1") == 0)
        snprintf(what, sizeof what, "forced to 1");
    else if (strcmp(m->mode, "cnot0") == 0)
        snprintf(what, sizeof what, "inverted when %s[%d] is 0", m->port, m->ctrlbit);
    else if (strcmp(m->mode, "cnot1") == 0)
        snprintf(what, sizeof what, "inverted when %s[%d] is 1", m->port, m->ctrlbit);
    else
        snprintf(what, sizeof what, "mode %s", m->mode);
    /* with -wire, the first -src is the wire's declaration, the next the cell's statement */
    src = m->nsrc > 1 && m->wire[0] ? m->src[1] : m->nsrc ? m->src[0] : "";
    src_text(c, src, &line, text, sizeof text);
    sb_init(&b);
    sb_printf(&b, "%s %s[%d]", ty, m->port, m->portbit);
    if (m->wire[0])
        sb_printf(&b, " (%s[%d])", m->wire, m->wirebit);
    sb_printf(&b, " %s", what);
    if (line)
        sb_printf(&b, "; line %d: %s", line, text);
    free(m->desc);
    m->desc = b.s ? b.s : dnn_strdup("?");
    dnn_oneline(m->desc);
}

/* ---- Yosys: the list of mutations and the mutants ------------------------------------- */

static void yosys_read(const mctx *c, sbuf *s)
{
    int k;
    for (k = 0; k < c->nsub; k++)
        sb_printf(s, "read_verilog -lib design/%s\n", c->subs[k]);
    sb_printf(s, "read_verilog design/%s\nhierarchy -top %s\nproc\nopt_clean\n", c->topfile,
              c->d.top);
}

static int run_yosys(const mctx *c, const char *script, const char *what, char *err, size_t n)
{
    char *cmd, *log;
    sbuf q;
    int rc;
    sb_init(&q);
    sb_shell_word(&q, c->outabs);
    cmd = dnn_printf("cd %s && yosys -q -l work/%s.log -s work/%s.ys >/dev/null 2>&1", q.s, what,
                     what);
    log = dnn_printf("%s/work/%s.log", c->outabs, what);
    sb_free(&q);
    if (!cmd || !log) {
        free(cmd);
        free(log);
        snprintf(err, n, "out of memory");
        return DNN_ETOOL;
    }
    {
        char *p = dnn_printf("%s/work/%s.ys", c->outabs, what), dir[4200];
        snprintf(dir, sizeof dir, "%s/work", c->outabs);
        rc = p ? write_text(dir, strrchr(p, '/') + 1, script, err, n) : DNN_ETOOL;
        free(p);
        if (rc) {
            free(cmd);
            free(log);
            return DNN_ETOOL;
        }
    }
    rc = dnn_run(cmd, NULL, (int)c->timeout);
    if (rc != 0) {
        char *tail = dnn_read_tail(log, 4096), *e = tail ? strstr(tail, "ERROR:") : NULL;
        char line[300] = "";
        if (e) {
            snprintf(line, sizeof line, "%.*s", (int)strcspn(e, "\n"), e);
            dnn_oneline(line);
        }
        snprintf(err, n, "yosys (%s) %s%s%s; log: %s/work/%s.log", what,
                 rc == 128 + SIGKILL ? "timed out" : "failed", line[0] ? ": " : "", line, c->out,
                 what);
        free(tail);
    }
    free(cmd);
    free(log);
    return rc ? DNN_ETOOL : 0;
}

static int list_mutations(mctx *c, char *err, size_t n)
{
    sbuf s;
    char *path, *text = NULL, *p, *save = NULL;
    size_t len;
    int rc;
    sb_init(&s);
    yosys_read(c, &s);
    sb_printf(&s, "mutate -list %lld -seed %lld -o work/mutations.txt\n", (long long)c->count,
              (long long)c->seed);
    rc = s.oom ? DNN_ETOOL : run_yosys(c, s.s, "list", err, n);
    sb_free(&s);
    if (rc)
        return rc;
    path = outpath(c, "work/mutations.txt");
    rc = path ? dnn_read_file(path, 64u << 20, &text, &len, err, n) : DNN_ETOOL;
    free(path);
    if (rc)
        return DNN_ETOOL;
    c->m = calloc((size_t)c->count + 1, sizeof *c->m);
    if (!c->m) {
        free(text);
        snprintf(err, n, "out of memory");
        return DNN_ETOOL;
    }
    snprintf(c->m[0].dir, sizeof c->m[0].dir, "base");
    c->n = 0;
    for (p = strtok_r(text, "\n", &save); p && c->n < c->count; p = strtok_r(NULL, "\n", &save)) {
        mutant *m;
        if (strncmp(p, "mutate ", 7) != 0)
            continue;
        m = &c->m[++c->n];
        m->id = c->n;
        m->line = dnn_strdup(p);
        snprintf(m->dir, sizeof m->dir, "mutants/%05d", m->id);
        if (!m->line) {
            free(text);
            snprintf(err, n, "out of memory");
            return DNN_ETOOL;
        }
        parse_mutation(m);
        describe(c, m);
    }
    free(text);
    if (c->n == 0) {
        snprintf(err, n, "yosys mutate listed no mutation of %s; log: %s/work/list.log", c->d.top,
                 c->out);
        return DNN_ETOOL;
    }
    return 0;
}

/* Write base/ and every mutants/NNNNN/: the Verilog Yosys writes, the sub-blocks' files
 * copied unchanged, and the filelist. A mutant whose Verilog equals an earlier one's (or the
 * original's) is not simulated again: it shares that verdict. */
static int write_mutants(mctx *c, char *err, size_t n)
{
    sbuf s;
    int i, k, rc = 0;
    sb_init(&s);
    yosys_read(c, &s);
    sb_puts(&s, "design -save dnn_orig\n");
    for (i = 0; i <= c->n; i++) {
        mutant *m = &c->m[i];
        char *dir = outpath(c, m->dir);
        if (!dir || dnn_mkdirs(dir, err, n)) {
            free(dir);
            sb_free(&s);
            return DNN_ETOOL;
        }
        free(dir);
        if (m->line && !safe_line(m->line)) {
            m->outcome = O_ERROR;
            snprintf(m->vreason, sizeof m->vreason, "mutation line holds ';', '#' or '\"': not "
                                                    "applied");
            continue;
        }
        if (i > 0)
            sb_printf(&s, "design -load dnn_orig\n%s\n", m->line);
        sb_printf(&s, "write_verilog -noattr %s/%s.v\n", m->dir, c->d.top);
    }
    rc = s.oom ? DNN_ETOOL : run_yosys(c, s.s, "mutants", err, n);
    sb_free(&s);
    if (rc)
        return rc;
    for (i = 0; i <= c->n && !rc; i++) {
        mutant *m = &c->m[i];
        char *dir = outpath(c, m->dir), *vpath = NULL, *text = NULL;
        size_t len = 0;
        sbuf fl, hdr;
        outfile of[DNN_MAX_FILES + 2];
        int nof = 0;
        if (!dir || m->outcome == O_ERROR) {
            free(dir);
            continue;
        }
        vpath = dnn_printf("%s/%s.v", dir, c->d.top);
        if (!vpath || dnn_read_file(vpath, 256u << 20, &text, &len, err, n)) {
            free(dir);
            free(vpath);
            return DNN_ETOOL;
        }
        m->hash = dnn_hash(DNN_HASH_INIT, text, len);
        for (k = 0; k < i; k++)
            if (c->m[k].hash == m->hash && c->m[k].outcome != O_ERROR) {
                m->dup_of = k == 0 ? -1 : k;
                break;
            }
        sb_init(&fl);
        sb_init(&hdr);
        sb_printf(&fl, "# dnngen mutate: %s of %s (docs/mutation.md)\n",
                  i ? "a mutant" : "the unmutated design after the same Yosys round trip",
                  c->d.top);
        if (i) {
            sb_printf(&hdr, "// dnngen mutate: mutant %d of %s: %s\n// %s\n", m->id, c->d.top,
                      m->line, m->desc);
            sb_putn(&hdr, text, len);
        }
        for (k = 0; k < c->nsub; k++) {
            int f;
            for (f = 0; f < c->r.nfiles; f++)
                if (strcmp(c->r.files[f].name, c->subs[k]) == 0)
                    of[nof++] = c->r.files[f];
            sb_printf(&fl, "%s\n", c->subs[k]);
        }
        sb_printf(&fl, "%s.v\n", c->d.top);
        if (i) {
            char *vn = dnn_printf("%s.v", c->d.top);
            of[nof++] = (outfile){ vn, hdr.s, hdr.len };
        }
        {
            char *fn = dnn_printf("%s.f", c->d.top);
            of[nof++] = (outfile){ fn, fl.s, fl.len };
        }
        if (fl.oom || hdr.oom || !of[nof - 1].name || (i && !of[nof - 2].name)) {
            snprintf(err, n, "out of memory");
            rc = DNN_ETOOL;
        } else {
            rc = dnn_write_files(dir, of, nof, err, n) ? DNN_ETOOL : 0;
        }
        free((char *)of[nof - 1].name);
        if (i)
            free((char *)of[nof - 2].name);
        sb_free(&fl);
        sb_free(&hdr);
        free(text);
        free(vpath);
        free(dir);
    }
    return rc;
}

/* ---- the equivalence miter -------------------------------------------------------------- */

static void port_decl(sbuf *b, const char *dir, int w, const char *pre, const char *name,
                      const char *field)
{
    if (w > 1)
        sb_printf(b, "  %s [%d:0] %s%s_%s", dir, w - 1, pre, name, field);
    else
        sb_printf(b, "  %s %s%s_%s", dir, pre, name, field);
}

/* Is input field k of stream st under the block's contract? Then its expression is in buf. */
static int has_contract(const mctx *c, const gm_stream *st, int k, char *buf, size_t n)
{
    return st->is_input && c->d.blk->contract &&
           c->d.blk->contract(&c->d, st->name, st->f[k].name, st->f[k].width, buf, n);
}

/* The host's obligations (dnn_block.contract): each input field under one becomes a wire
 * k_STREAM_FIELD, equal to the field when they hold and a legal value otherwise, fed to both
 * sides alike. Returns how many fields are constrained. */
static int contract_wires(const mctx *c, sbuf *b)
{
    int s, k, nc = 0;
    char e[1024];
    for (s = 0; s < c->r.nstreams; s++) {
        const gm_stream *st = &c->r.streams[s];
        for (k = 0; k < st->nf; k++)
            if (has_contract(c, st, k, e, sizeof e)) {
                if (!nc)
                    sb_puts(b, "  // the host's obligations (docs): out of them an input is "
                               "mapped to a legal value\n");
                port_decl(b, "wire", st->f[k].width, "k_", st->name, st->f[k].name);
                sb_printf(b, " = %s;\n", e);
                nc++;
            }
    }
    return nc;
}

/* The name a side's instance is connected to for an input field: k_... under a contract. */
static const char *input_pre(const mctx *c, const gm_stream *st, int k)
{
    char e[1024];
    return has_contract(c, st, k, e, sizeof e) ? "k_" : "";
}

/* miter.v: gold and gate side by side, 'bad' high when the checker could tell them apart. */
static void miter_verilog(const mctx *c, const mutant *m, sbuf *b)
{
    int s, k, g, first = 1;
    sb_printf(b, "// dnngen mutate: equivalence miter of %s, %s, against the original.\n",
              c->d.top, m->id ? "a mutant" : "the unmutated design");
    sb_puts(b, "// bad: after the reset cycle, a valid differs, or a ready while its valid is "
               "high,\n// or a payload while its valid is high (what verif/tb_check.h "
               "observes).\n");
    sb_puts(b, "`default_nettype none\nmodule dnn_mutate_miter (\n  input wire clk,\n");
    for (s = 0; s < c->r.nstreams; s++) {
        const gm_stream *st = &c->r.streams[s];
        if (st->is_input) {
            sb_printf(b, "  input wire %s_valid,\n", st->name);
            for (k = 0; k < st->nf; k++) {
                port_decl(b, "input wire", st->f[k].width, "", st->name, st->f[k].name);
                sb_puts(b, ",\n");
            }
        } else {
            sb_printf(b, "  input wire %s_ready,\n", st->name);
        }
    }
    sb_puts(b, "  output wire bad\n);\n  reg rst_q = 1'b0;\n  always @(posedge clk) rst_q <= "
               "1'b1;\n");
    for (g = 0; g < 2; g++) {
        const char *pre = g ? "m_" : "g_";
        for (s = 0; s < c->r.nstreams; s++) {
            const gm_stream *st = &c->r.streams[s];
            if (st->is_input) {
                sb_printf(b, "  wire %s%s_ready;\n", pre, st->name);
            } else {
                sb_printf(b, "  wire %s%s_valid;\n", pre, st->name);
                for (k = 0; k < st->nf; k++) {
                    port_decl(b, "wire", st->f[k].width, pre, st->name, st->f[k].name);
                    sb_puts(b, ";\n");
                }
            }
        }
    }
    contract_wires(c, b);
    for (g = 0; g < 2; g++) {
        const char *pre = g ? "m_" : "g_";
        sb_printf(b, "  dnn_mutate_%s u_%s (.clk(clk), .rst_n(rst_q)", g ? "gate" : "gold",
                  g ? "gate" : "gold");
        for (s = 0; s < c->r.nstreams; s++) {
            const gm_stream *st = &c->r.streams[s];
            const char *ip = st->is_input ? "" : pre, *op = st->is_input ? pre : "";
            sb_printf(b, ",\n    .%s_valid(%s%s_valid), .%s_ready(%s%s_ready)", st->name, ip,
                      st->name, st->name, op, st->name);
            for (k = 0; k < st->nf; k++)
                sb_printf(b, ", .%s_%s(%s%s_%s)", st->name, st->f[k].name,
                          st->is_input ? input_pre(c, st, k) : ip, st->name, st->f[k].name);
        }
        sb_puts(b, ");\n");
    }
    sb_puts(b, "  assign bad = rst_q & (1'b0");
    for (s = 0; s < c->r.nstreams; s++) {
        const gm_stream *st = &c->r.streams[s];
        if (st->is_input) {
            sb_printf(b, "\n    | (%s_valid & (g_%s_ready != m_%s_ready))", st->name, st->name,
                      st->name);
        } else {
            sb_printf(b, "\n    | (g_%s_valid != m_%s_valid)", st->name, st->name);
            for (k = 0; k < st->nf; k++)
                sb_printf(b, "\n    | (g_%s_valid & (g_%s_%s != m_%s_%s))", st->name, st->name,
                          st->f[k].name, st->name, st->f[k].name);
        }
        first = 0;
    }
    (void)first;
    sb_puts(b, ");\nendmodule\n`default_nettype wire\n");
}

/* wrap.v: dnn_mutate_gold and dnn_mutate_gate, each the design (dnn_mutate_*_dut) behind the
 * reset the benches give (one cycle, then never again) with its outputs as the checker sees
 * them: a valid after reset, a ready while its valid is high, a payload while its valid is
 * high (0 otherwise). For the induction check, which compares the two with `miter -equiv`. */
static void wrap_verilog(const mctx *c, sbuf *b)
{
    int g, s, k;
    sb_puts(b, "// dnngen mutate: the design as the checker observes it (docs/mutation.md).\n"
               "`default_nettype none\n");
    for (g = 0; g < 2; g++) {
        const char *side = g ? "gate" : "gold";
        sb_printf(b, "module dnn_mutate_%s (\n  input wire clk", side);
        for (s = 0; s < c->r.nstreams; s++) {
            const gm_stream *st = &c->r.streams[s];
            const char *in = st->is_input ? "input wire" : "output wire";
            if (st->is_input) {
                sb_printf(b, ",\n  input wire %s_valid,\n  output wire o_%s_ready", st->name,
                          st->name);
                for (k = 0; k < st->nf; k++) {
                    sb_puts(b, ",\n");
                    port_decl(b, in, st->f[k].width, "", st->name, st->f[k].name);
                }
            } else {
                sb_printf(b, ",\n  input wire %s_ready,\n  output wire o_%s_valid", st->name,
                          st->name);
                for (k = 0; k < st->nf; k++) {
                    sb_puts(b, ",\n");
                    port_decl(b, in, st->f[k].width, "o_", st->name, st->f[k].name);
                }
            }
        }
        sb_puts(b, "\n);\n  reg rst_q = 1'b0;\n  always @(posedge clk) rst_q <= 1'b1;\n");
        for (s = 0; s < c->r.nstreams; s++) {
            const gm_stream *st = &c->r.streams[s];
            if (st->is_input) {
                sb_printf(b, "  wire %s_ready;\n  assign o_%s_ready = rst_q & %s_valid & %s_ready;\n",
                          st->name, st->name, st->name, st->name);
            } else {
                sb_printf(b, "  wire %s_valid;\n  assign o_%s_valid = rst_q & %s_valid;\n",
                          st->name, st->name, st->name);
                for (k = 0; k < st->nf; k++) {
                    port_decl(b, "wire", st->f[k].width, "", st->name, st->f[k].name);
                    sb_printf(b, ";\n  assign o_%s_%s = (rst_q & %s_valid) ? %s_%s : %d'd0;\n",
                              st->name, st->f[k].name, st->name, st->name, st->f[k].name,
                              st->f[k].width);
                }
            }
        }
        contract_wires(c, b);
        sb_printf(b, "  dnn_mutate_%s_dut u_dut (.clk(clk), .rst_n(rst_q)", side);
        for (s = 0; s < c->r.nstreams; s++) {
            const gm_stream *st = &c->r.streams[s];
            sb_printf(b, ",\n    .%s_valid(%s_valid), .%s_ready(%s_ready)", st->name, st->name,
                      st->name, st->name);
            for (k = 0; k < st->nf; k++)
                sb_printf(b, ", .%s_%s(%s%s_%s)", st->name, st->f[k].name,
                          input_pre(c, st, k), st->name, st->f[k].name);
        }
        sb_puts(b, ");\nendmodule\n");
    }
    sb_puts(b, "`default_nettype wire\n");
}

#define NLOC 5
#define FF_PORTS "$dff,$adff,$dffe,$adffe,$sdff,$sdffe,$sdffce"
#define FF_TYPES "t:$dff t:$adff t:$dffe t:$adffe t:$sdff t:$sdffe t:$sdffce %u %u %u %u %u %u"
/* The start of the scripts of steps 2 and 4: the design as listed, then the sub-blocks'
 * bodies (the top's cell names are given already), flattened, so their flops can be kept
 * too; the mutated cell selected (dnn_m; exactly one when `one`) and the flops (dnn_ff). */
static void flat_prologue(const mctx *c, const mutant *m, const char *pre, int one, sbuf *b)
{
    char pat[sizeof m->cell];
    size_t i;
    int k;
    /* the cell's name as a selection pattern: '/' would split it, '[' ']' '*' '?' match */
    for (i = 0; m->cell[i] && i + 1 < sizeof pat; i++)
        pat[i] = strchr("/[]*?\\ ", m->cell[i]) ? '?' : m->cell[i];
    pat[i] = '\0';
    sb_puts(b, pre);
    for (k = 0; k < c->nsub; k++)
        sb_printf(b, "read_verilog -overwrite design/%s\n", c->subs[k]);
    sb_printf(b, "hierarchy -top %s\nproc -noopt\nflatten\n", c->d.top);
    sb_printf(b, "select -set dnn_m c:%s\n%s", pat, one ? "select -assert-count 1 @dnn_m\n" : "");
    sb_puts(b, "select -set dnn_ff " FF_TYPES "\n");
}

/* Step 4 of the equivalence check (localization): the script of level `lvl`. On the design
 * as listed (before the copies; flattened, the top's cell names unchanged), the flops to keep
 * are selected: level 0 those the mutated
 * cell reaches through logic; level 1 adds those read by the outputs these reach and by every
 * valid output (the checker's masks); level 2 adds those the next states of level 1's
 * additions read; and the wrappers' reset flop, always. They are marked (dnn_keep), so both
 * copies keep them as flops; every other
 * flop is cut as in step 1 (its output an input shared by both sides, its next state compared).
 * If the outputs and the cut next states can never differ in this machine from the zero
 * state (ABC pdr), they never differ in the real one: the cut flops are equal as long as
 * the compared next states are, and the kept ones evolve as in the abstraction.
 * Levels 3 and 4 (tried first: small) keep level 0's flops and those the mutated cell reads
 * through logic (4: and those their next states read): a mutant that writes a register
 * early, before a write that always follows, differs only while the write is pending, which
 * the flops that enable the write (kept, so equal on both sides) tell. */
static void loc_script(const mctx *c, const mutant *m, const char *pre, const char *mline, int lvl,
                       sbuf *b)
{
    if (!m->line)
        return;
    flat_prologue(c, m, pre, 0, b);
    sb_puts(b, "select -set dnn_d0 @dnn_m %co*:-$dff,$adff,$dffe,$adffe,$sdff,$sdffe,$sdffce[Q] "
               "@dnn_ff %i\n");
    sb_puts(b, "select -set dnn_d @dnn_d0\n");
    if (lvl >= 3) {
        sb_puts(b, "select -set dnn_d @dnn_m %ci*:-" FF_PORTS "[D,CLK,ARST,EN,SRST] @dnn_ff %i "
                   "@dnn_m @dnn_ff %i %u @dnn_d0 %u\n");
        if (lvl >= 4)
            sb_puts(b, "select -set dnn_d @dnn_d %ci1:+" FF_PORTS "[D,EN,SRST,ARST] %ci*:-" FF_PORTS
                       "[D,CLK,ARST,EN,SRST] @dnn_ff %i @dnn_d %u\n");
    } else if (lvl >= 1) {
        sb_puts(b, "select -set dnn_q0 @dnn_d0 %co1:+$dff,$adff,$dffe,$adffe,$sdff,$sdffe,$sdffce"
                   "[Q] w:* %i\n");
        sb_puts(b, "select -set dnn_o @dnn_q0 %co*:-$dff,$adff,$dffe,$adffe,$sdff,$sdffe,$sdffce"
                   "[Q] o:* %i o:*valid %u\n");
        sb_puts(b, "select -set dnn_d @dnn_o %ci*:-$dff,$adff,$dffe,$adffe,$sdff,$sdffe,$sdffce"
                   "[D,CLK,ARST,EN,SRST] @dnn_ff %i @dnn_d0 %u\n");
    }
    if (lvl == 2) {
        sb_puts(b, "select -set dnn_x @dnn_d @dnn_d0 %d\n");
        sb_puts(b, "select -set dnn_d @dnn_x %ci1:+$dff,$adff,$dffe,$adffe,$sdff,$sdffe,$sdffce"
                   "[D,EN,SRST,ARST] %ci*:-$dff,$adff,$dffe,$adffe,$sdff,$sdffe,$sdffce"
                   "[D,CLK,ARST,EN,SRST] @dnn_ff %i @dnn_d %u\n");
    }
    sb_puts(b, "select -assert-min 1 @dnn_d0\n");
    sb_puts(b, "setattr -set dnn_keep 1 @dnn_d %co1:+$dff,$adff,$dffe,$adffe,$sdff,$sdffe,$sdffce"
               "[Q] w:* %i @dnn_d %u\n");
    sb_printf(b, "copy %s dnn_mutate_gold_dut\ncopy %s dnn_mutate_gate_dut\ndelete %s\n%s\n",
              c->d.top, c->d.top, c->d.top, mline ? mline : "");
    sb_printf(b, "read_verilog %s/wrap.v\nsetattr -mod -unset top\nproc\nflatten\n"
                 "setundef -zero -undriven\nasync2sync\ndffunmap\nopt_clean\n"
                 "setattr -set dnn_keep 1 dnn_mutate_gold/w:rst_q %%ci1 dnn_mutate_gate/w:rst_q "
                 "%%ci1\nautoname\n"
                 "expose -dff -evert-dff dnn_mutate_gold/* dnn_mutate_gold/a:dnn_keep %%d "
                 "dnn_mutate_gate/* dnn_mutate_gate/a:dnn_keep %%d\n"
                 "miter -equiv -flatten dnn_mutate_gold dnn_mutate_gate dnn_mutate_comb\n"
                 "hierarchy -top dnn_mutate_comb\nopt\ntechmap\nopt -fast\ndffunmap\n"
                 "setundef -zero -undriven\nzinit -all\naigmap\nwrite_aiger -zinit %s/loc.aig\n",
              m->dir, m->dir);
}

#define NREACH 3
/* Step 2 of the equivalence check (the mutated cell never active), stage 1: equiv-reach.ys.
 * On the design as listed (flattened, the top's cell names unchanged) the flops of the
 * reachable-state abstraction are marked, level by level: level 0 keeps the flops the mutated
 * cell reads through logic (and the cell itself when it is a flop), level L + 1 adds those
 * the next states of level L's flops read (attribute dnn_rkL). The mutated cell's output
 * wires are marked (dnn_cut) and given public names, so both copies name them alike. Then
 * the two copies and the mutation as in step 1, a third copy of the original wrapper (the
 * reference, dnn_mutate_ref, sequential), and in the two copies the cell's outputs cut
 * (expose -cut: the cell drives an output, its readers read an input) and every flop cut:
 * their miter compares the cell's outputs (everything else is the same logic of the same
 * inputs on both sides). reach-top.v puts the reference and that miter side by side on the
 * same inputs; equiv.sh then drives the miter's state inputs and cut inputs from the
 * reference's wires of the same names (reach-in.txt lists them) and cuts the reference's
 * flops outside each level. If ABC pdr proves the miter's output never rises, the mutated cell
 * computes what the original does in every state the original can reach (over-approximated:
 * the cut flops are free); by induction over the cycles the mutant then runs exactly as the
 * original does. */
static void reach_script(const mctx *c, const mutant *m, const char *pre, const char *mline,
                         sbuf *b)
{
    int l;
    if (!m->line)
        return;
    flat_prologue(c, m, pre, 1, b);
    /* a flop mutated on its D, EN or reset would differ in its next state, not in its output:
     * only a mutation of its Q is a change of what the cell drives */
    if (strcmp(m->port, "Q") != 0)
        sb_puts(b, "select -assert-none @dnn_m @dnn_ff %i\n");
    sb_puts(b, "select -set dnn_k @dnn_m %ci*:-" FF_PORTS "[D,CLK,ARST,EN,SRST] @dnn_ff %i "
               "@dnn_m @dnn_ff %i %u\n");
    for (l = 0; l < NREACH; l++) {
        if (l)
            sb_puts(b, "select -set dnn_k @dnn_k %ci1:+" FF_PORTS "[D,EN,SRST,ARST] %ci*:-"
                       FF_PORTS "[D,CLK,ARST,EN,SRST] @dnn_ff %i @dnn_k %u\n");
        sb_printf(b, "setattr -set dnn_rk%d 1 @dnn_k %%co1:+" FF_PORTS "[Q] w:* %%i @dnn_k %%u\n",
                  l);
    }
    sb_puts(b, "select -set dnn_cw @dnn_m %co1 w:* %i\nselect -assert-min 1 @dnn_cw\n"
               "setattr -set dnn_cut 1 @dnn_cw\nrename -enumerate -pattern dnn_cut_% @dnn_cw\n");
    sb_printf(b, "copy %s dnn_mutate_gold_dut\ncopy %s dnn_mutate_gate_dut\ndelete %s\n%s\n",
              c->d.top, c->d.top, c->d.top, mline ? mline : "");
    sb_printf(b, "read_verilog %s/wrap.v\nsetattr -mod -unset top\nproc\nflatten\n"
                 "setundef -zero -undriven\nasync2sync\ndffunmap\nopt_clean\nautoname\n"
                 "copy dnn_mutate_gold dnn_mutate_ref\n",
              m->dir);
    for (l = 0; l < NREACH; l++)
        sb_printf(b, "setattr -set dnn_rk%d 1 dnn_mutate_ref/w:rst_q %%ci1\n", l);
    sb_printf(b, "select -assert-min 1 dnn_mutate_gold/a:dnn_cut\n"
                 "expose -dff -evert-dff dnn_mutate_gold dnn_mutate_gate\n"
                 "expose -cut dnn_mutate_gold/a:dnn_cut dnn_mutate_gate/a:dnn_cut\n"
                 "delete -port dnn_mutate_gold/o:* dnn_mutate_gold/a:dnn_cut %%d\n"
                 "delete -port dnn_mutate_gate/o:* dnn_mutate_gate/a:dnn_cut %%d\n"
                 "select -assert-min 1 dnn_mutate_gold/o:*\nselect -assert-min 1 dnn_mutate_gate/o:*\n"
                 "opt_clean\n"
                 "miter -equiv -flatten dnn_mutate_gold dnn_mutate_gate dnn_mutate_comb\n"
                 "select -assert-none dnn_mutate_comb/t:$dff dnn_mutate_comb/t:$dffe "
                 "dnn_mutate_comb/t:$adff dnn_mutate_comb/t:$adffe dnn_mutate_comb/t:$sdff "
                 "dnn_mutate_comb/t:$sdffe dnn_mutate_comb/t:$sdffce dnn_mutate_comb/t:$ff\n"
                 "tee -q -o %s/reach-in.txt select -list dnn_mutate_comb/i:*\n"
                 "read_verilog %s/reach-top.v\nhierarchy -top dnn_reach\nflatten\n"
                 "write_rtlil %s/reach.il\n",
              m->dir, m->dir, m->dir);
}

/* reach-top.v: the reference and the cut miter on the same inputs (step 2). */
static void reach_top(const mctx *c, sbuf *b)
{
    int s, k, pass;
    sb_puts(b, "// dnngen mutate: the reference and the mutated cell's miter (docs/mutation.md).\n"
               "`default_nettype none\nmodule dnn_reach (\n  input wire clk");
    for (s = 0; s < c->r.nstreams; s++) {
        const gm_stream *st = &c->r.streams[s];
        if (st->is_input) {
            sb_printf(b, ",\n  input wire %s_valid", st->name);
            for (k = 0; k < st->nf; k++) {
                sb_puts(b, ",\n");
                port_decl(b, "input wire", st->f[k].width, "", st->name, st->f[k].name);
            }
        } else {
            sb_printf(b, ",\n  input wire %s_ready", st->name);
        }
    }
    sb_puts(b, ",\n  output wire trigger\n);\n");
    for (pass = 0; pass < 2; pass++) {
        const char *pre = pass ? "in_" : "";
        sb_printf(b, pass ? "  dnn_mutate_comb c (.in_clk(clk)" : "  dnn_mutate_ref r (.clk(clk)");
        for (s = 0; s < c->r.nstreams; s++) {
            const gm_stream *st = &c->r.streams[s];
            if (st->is_input) {
                sb_printf(b, ", .%s%s_valid(%s_valid)", pre, st->name, st->name);
                for (k = 0; k < st->nf; k++)
                    sb_printf(b, ", .%s%s_%s(%s_%s)", pre, st->name, st->f[k].name, st->name,
                              st->f[k].name);
            } else {
                sb_printf(b, ", .%s%s_ready(%s_ready)", pre, st->name, st->name);
            }
        }
        sb_puts(b, pass ? ", .trigger(trigger));\n" : ");\n");
    }
    sb_puts(b, "endmodule\n`default_nettype wire\n");
}

/* The script of step 1 after the reading: the two copies, the mutation,
 * the wrappers, the flops cut, the combinational miter written to DIR/aig. */
static void comb_body(const mctx *c, const mutant *m, const char *mline, const char *aig,
                      sbuf *b)
{
    int k;
    sb_printf(b, "copy %s dnn_mutate_gold_dut\ncopy %s dnn_mutate_gate_dut\ndelete %s\n%s\n",
              c->d.top, c->d.top, c->d.top, mline ? mline : "");
    for (k = 0; k < c->nsub; k++)
        sb_printf(b, "read_verilog -overwrite design/%s\n", c->subs[k]);
    sb_printf(b, "read_verilog %s/wrap.v\nsetattr -mod -unset top\nproc\nflatten\n"
                   "setundef -zero -undriven\nasync2sync\n"
                   "dffunmap\nopt_clean\nautoname\n"
                   "expose -dff -evert-dff dnn_mutate_gold dnn_mutate_gate\n"

                   "miter -equiv -flatten dnn_mutate_gold dnn_mutate_gate dnn_mutate_comb\n"
                   "hierarchy -top dnn_mutate_comb\nopt\n"
                   "select -assert-none t:$dff t:$dffe t:$adff t:$adffe t:$sdff t:$sdffe "
                   "t:$sdffce t:$aldff t:$aldffe t:$dffsr t:$dffsre t:$ff t:$dlatch "
                   "t:$adlatch t:$dlatchsr\n"
                   "techmap\nopt -fast\n"
                   "setundef -zero -undriven\naigmap\nwrite_aiger %s/%s\n",
              m->dir, m->dir, aig);
}

/* The mutant's files for the equivalence check; `sh equiv.sh` reproduces it.
 *
 * 0. The mutated cell alone (equiv-cell.ys): the cell is moved into a module of its own
 *    (submod), the original and the mutated copy of that module go into a combinational
 *    miter, every input free. If ABC proves it, the mutated cell computes the same outputs
 *    as the original for every input value, so the mutant is equivalent. A mutation that is
 *    harmless for every value of the cell's own inputs (lstm_layer #56: `a >= 4096` with a
 *    low bit of `a` inverted when bit 12 is 0) is proven in a second; inside the whole
 *    design (step 1) ABC's SAT sweeping gave up on it. A flop cell makes the step
 *    inapplicable (the select after the miter).
 * 1. Induction on matching state (equiv-comb.ys). The original and the mutant are built in
 *    one Yosys session from the same netlist the mutations were listed on (two copies, the
 *    mutation applied to one), so every flip-flop has the same name in both. Each flop is cut
 *    (expose -evert-dff: its output becomes an input shared by both sides, its next state an
 *    output) and `miter -equiv` compares the observed outputs and every next state. If ABC
 *    proves that miter (iprove), then whenever the two states match, the outputs and the next
 *    states match; both start from the same state, so they match forever: equivalent. Cheap,
 *    and it sees through logic that defeats sequential engines (a mutation ahead of a
 *    multiplier that does not change its operands). A flop without a partner of the same
 *    name makes the miter fail: the step is then skipped, never wrong.
 * 2. Otherwise the sequential miter (equiv.ys, miter.v) of the original and the mutant as
 *    written, proven or refuted by ABC dprove (a counterexample is a real difference). */
static int write_equiv(const mctx *c, const mutant *m, char *err, size_t n)
{
    sbuf ys, cs, sh, mv, wv, pre, el, rs, rt, ls[NLOC];
    char *dir = outpath(c, m->dir), *mline = NULL;
    const char *up = m->id ? "../.." : "..";
    outfile of[8 + NLOC];
    int k, rc, oom = 0;
    long long t_ind = c->eqt / 4 > 0 ? c->eqt / 4 : 1, t_pdr = c->eqt / 4 > 0 ? c->eqt / 4 : 1;
    long long t_loc = c->eqt / 6 > 0 ? c->eqt / 6 : 1;
    long long t_loc3 = c->eqt / 4 > 0 ? c->eqt / 4 : 1; /* levels 3, 4: pdr needs more, scorr less */
    long long t_cell = c->eqt / 10 > 0 ? c->eqt / 10 : 1;
    long long t_reach = c->eqt / 10 > 0 ? c->eqt / 10 : 1;
    for (k = 0; k < NLOC; k++)
        sb_init(&ls[k]);
    sb_init(&el);
    sb_init(&rs);
    sb_init(&rt);
    sb_init(&pre);
    sb_init(&ys);
    sb_init(&cs);
    sb_init(&sh);
    sb_init(&mv);
    sb_init(&wv);
    miter_verilog(c, m, &mv);
    wrap_verilog(c, &wv);
    if (m->line) { /* the mutation, applied to the copy */
        char *key = dnn_printf(" -module %s ", c->d.top), *p;
        mline = dnn_strdup(m->line);
        p = key && mline ? strstr(mline, key) : NULL;
        if (p) {
            char *fixed = dnn_printf("%.*s -module dnn_mutate_gate_dut %s", (int)(p - mline),
                                     mline, p + strlen(key));
            free(mline);
            mline = fixed;
        }
        free(key);
    }
    /* the same reading as the list (cell names must match the mutation's), then the copy */
    for (k = 0; k < c->nsub; k++)
        sb_printf(&pre, "read_verilog -lib design/%s\n", c->subs[k]);
    sb_printf(&pre, "read_verilog design/%s\nhierarchy -top %s\nproc\nopt_clean\n", c->topfile,
              c->d.top);
    sb_puts(&cs, pre.s ? pre.s : "");
    for (k = 0; k < NLOC; k++)
        loc_script(c, m, pre.s ? pre.s : "", mline, k, &ls[k]);
    reach_script(c, m, pre.s ? pre.s : "", mline, &rs);
    reach_top(c, &rt);
    /* both sides are copies of the listed module, so their wires have the same names;
     * `autoname` then names the private ones (a flop's output must be public for `expose`)
     * from the names around them, the same way on both sides. (`rename -enumerate` did it
     * in wire order, which the mutation's new wires shift: the flops were paired wrongly,
     * sound but unprovable; lstm_layer #33, a compare made locally equivalent, was
     * undecided.) A flop left unexposed (its output still private) makes the step
     * inapplicable (the select after the miter). */
    if (m->line) { /* step 0: the mutated cell alone, moved into a module of its own */
        char pat[sizeof m->cell];
        char *key = dnn_printf(" -module %s ", c->d.top), *p, *cl = NULL;
        size_t i;
        for (i = 0; m->cell[i] && i + 1 < sizeof pat; i++)
            pat[i] = strchr("/[]*?\\ ", m->cell[i]) ? '?' : m->cell[i];
        pat[i] = '\0';
        p = key ? strstr(m->line, key) : NULL;
        if (p)
            cl = dnn_printf("%.*s -module dnn_mutate_gate %s", (int)(p - m->line), m->line,
                            p + strlen(key));
        free(key);
        if (!cl)
            el.oom = 1;
        sb_puts(&el, pre.s ? pre.s : "");
        sb_printf(&el,
                  "select -set dnn_m c:%s\nselect -assert-count 1 @dnn_m\n"
                  "submod -name dnn_mutate_cell @dnn_m\n"
                  "copy dnn_mutate_cell dnn_mutate_gold\ncopy dnn_mutate_cell dnn_mutate_gate\n"
                  "%s\n"
                  "miter -equiv -flatten dnn_mutate_gold dnn_mutate_gate dnn_mutate_cellmiter\n"
                  "hierarchy -top dnn_mutate_cellmiter\n"
                  "select -assert-none t:$dff t:$dffe t:$adff t:$adffe t:$sdff t:$sdffe "
                  "t:$sdffce t:$aldff t:$aldffe t:$dffsr t:$dffsre t:$ff t:$dlatch "
                  "t:$adlatch t:$dlatchsr\n"
                  "opt\ntechmap\nopt -fast\nsetundef -zero -undriven\naigmap\n"
                  "write_aiger %s/cell.aig\n",
                  pat, cl ? cl : "", m->dir);
        free(cl);
    }
    comb_body(c, m, mline, "comb.aig", &cs);

    for (k = 0; k < c->nsub; k++)
        sb_printf(&ys, "read_verilog %s\n", c->subs[k]);
    sb_printf(&ys,
              "read_verilog %s%s.v\nrename %s dnn_mutate_gold\n"
              "read_verilog %s.v\nrename %s dnn_mutate_gate\n"
              "read_verilog miter.v\nhierarchy -top dnn_mutate_miter\nproc\nflatten\n"
              "setundef -zero -undriven\nopt_clean\nasync2sync\nzinit -all\nopt\nopt_clean\n"
              "techmap\nopt_clean\ndffunmap\n"
              "opt_expr\nopt_merge\nopt_clean\nsetundef -zero -undriven\naigmap\n"
              "write_aiger -zinit miter.aig\n",
              m->id ? "../../base/" : "", c->d.top, c->d.top, c->d.top, c->d.top);
    sb_printf(&sh,
              "#!/bin/sh\n"
              "# dnngen mutate: is %s equivalent to the original? (docs/mutation.md)\n"
              "# 0. the mutated cell alone: equiv-cell.ys (the cell moved into a module of its\n"
              "#    own, original against mutated, every input free), ABC iprove\n"
              "# 1. induction on matching state: equiv-comb.ys (run from the output directory, as\n"
              "#    the mutations were listed: cell names hold the source path), ABC iprove\n"
              "# 2. the mutated cell never active in a reachable state: equiv-reach.ys, ABC pdr\n"
              "# 3. the sequential miter of what the checker observes: equiv.ys, ABC dprove\n"
              "cd \"$(dirname \"$0\")\" || exit 3\n"
              "rm -f cell.aig cell.out comb.aig comb.out miter.aig sm[0-9]*.aig\n"
              "if [ -f equiv-cell.ys ] && (cd %s && yosys -q -l %s/equiv-cell.log -s "
              "%s/equiv-cell.ys >/dev/null 2>&1); then\n"
              "    timeout -s KILL %lld yosys-abc -c 'read_aiger cell.aig; strash; print_stats; "
              "iprove' >cell.out 2>&1\n"
              "    cat cell.out\n"
              "    if grep -q '^UNSATISFIABLE' cell.out; then\n"
              "        echo 'dnngen-equiv: proven on the mutated cell alone'\n"
              "        rm -f cell.aig cell.out\n"
              "        exit 0\n"
              "    fi\n"
              "fi\n"
              "rm -f cell.aig cell.out\n"
              "if (cd %s && yosys -q -l %s/equiv-comb.log -s %s/equiv-comb.ys >/dev/null 2>&1); "
              "then\n"
              "    timeout -s KILL %lld yosys-abc -c 'read_aiger comb.aig; strash; print_stats; "
              "iprove' >comb.out 2>&1\n"
              "    cat comb.out\n"
              "    if grep -q '^UNSATISFIABLE' comb.out; then\n"
              "        echo 'dnngen-equiv: proven by induction on matching state'\n"
              "        rm -f comb.aig comb.out\n"
              "        exit 0\n"
              "    fi\n"
              "else\n"
              "    echo 'dnngen-equiv: induction on matching state not applicable (see "
              "equiv-comb.log)'\n"
              "fi\n"
              "rm -f comb.aig comb.out\n"
              "# 2. the mutated cell never active in a state the original reaches: equiv-reach.ys\n"
              "#    (the reference and the cell's miter), the miter's state and cut inputs driven\n"
              "#    by the reference's wires of the same names (reach-in.txt), at level L the\n"
              "#    reference's flops outside level L cut (free); ABC pdr (docs/mutation.md)\n"
              "rm -f reach.il reach-in.txt reach[0-9].aig reach.out\n"
              "if [ -f equiv-reach.ys ] && (cd %s && yosys -q -l %s/equiv-reach.log -s "
              "%s/equiv-reach.ys >/dev/null 2>&1); then\n"
              "    { echo 'read_rtlil reach.il'; echo 'cd dnn_reach'\n"
              "      sed -n 's/^dnn_mutate_comb\\/in_\\(.*\\)\\.\\([qi]\\)$/connect -nomap -set "
              "\\\\c.in_\\1.\\2 \\\\r.\\1/p' reach-in.txt\n"
              "      echo 'cd'; echo 'design -save dnn_base'\n"
              "      for L in 0 1 2; do\n"
              "          echo 'design -load dnn_base'\n"
              "          echo \"expose -dff -evert-dff -sep _dnn_rk_ dnn_reach/r.* dnn_reach/a:dnn_rk$L %%d\"\n"
              "          echo 'delete -port dnn_reach/o:* dnn_reach/o:trigger %%d'\n"
              "          echo 'opt_clean'; echo 'async2sync'; echo 'dffunmap'\n"
              "          echo 'setundef -zero -undriven'; echo 'opt'; echo 'techmap'; echo 'opt -fast'\n"
              "          echo 'dffunmap'; echo 'setundef -zero -undriven'; echo 'zinit -all'\n"
              "          echo 'aigmap'; echo \"write_aiger -zinit reach$L.aig\"\n"
              "      done; } >equiv-reach2.ys\n"
              "    timeout -s KILL %lld yosys -q -l equiv-reach2.log -s equiv-reach2.ys >/dev/null 2>&1\n"
              "    if [ -f reach0.aig ]; then\n"
              "        for L in 0 1 2; do\n"
              "            [ -f reach$L.aig ] || break\n"
              "            timeout -s KILL %lld yosys-abc -c \"read_aiger reach$L.aig; strash; "
              "print_stats; pdr -T %lld\" >reach.out 2>&1\n"
              "            if grep -q '^Property proved' reach.out; then\n"
              "                echo \"dnngen-equiv: proven on reachable states, level $L, $(grep -o "
              "'lat *= *[0-9]*' reach.out | head -1 | tr -dc 0-9) latches\"\n"
              "                rm -f reach.il reach-in.txt reach[0-9].aig reach.out\n"
              "                exit 0\n"
              "            fi\n"
              "            echo \"dnngen-equiv: reachable states, level $L: no proof\"\n"
              "        done\n"
              "    else\n"
              "        echo 'dnngen-equiv: reachable states: no abstraction (see equiv-reach2.log)'\n"
              "    fi\n"
              "else\n"
              "    echo 'dnngen-equiv: reachable states not applicable (see equiv-reach.log)'\n"
              "fi\n"
              "rm -f reach.il reach-in.txt reach[0-9].aig reach.out\n"
              "yosys -q -l equiv-yosys.log -s equiv.ys >/dev/null || exit 3\n"
              "timeout -s KILL %lld yosys-abc -c 'read_aiger miter.aig; print_stats; dprove -T "
              "%lld' >dprove.out 2>&1\n"
              "cat dprove.out\n"
              "rm -f miter.aig sm[0-9]*.aig\n"
              "if grep -q 'Networks are equivalent\\|was asserted in frame\\|Networks are not "
              "equivalent' dprove.out; then rm -f dprove.out; exit 0; fi\n"
              "rm -f dprove.out\n"
              "# 4. localization: the flops near the mutation kept (level 0: those the mutated cell\n"
              "#    reaches; 1: and those the outputs it reaches read; 2: and those their next\n"
              "#    states read; 3: level 0 and the flops the cell reads; 4: and those their next\n"
              "#    states read), every other flop cut as in step 1; ABC pdr (docs/mutation.md)\n"
              "for L in 3 4 0 1 2; do\n"
              "    T=%lld; [ $L -ge 3 ] && T=%lld\n"
              "    rm -f loc.aig loc.out\n"
              "    (cd %s && yosys -q -l %s/equiv-loc$L.log -s %s/equiv-loc$L.ys >/dev/null 2>&1) "
              "|| continue\n"
              "    timeout -s KILL $((T + 5)) yosys-abc -c \"read_aiger loc.aig; strash; print_stats; "
              "scorr; fraig; pdr -T $T\" >loc.out 2>&1\n"
              "    if grep -q '^Property proved' loc.out; then\n"
              "        echo \"dnngen-equiv: proven by localization, level $L, $(grep -o 'lat *= *[0-9]*' "
              "loc.out | head -1 | tr -dc 0-9) latches\"\n"
              "        rm -f loc.aig loc.out\n"
              "        exit 0\n"
              "    fi\n"
              "    echo \"dnngen-equiv: localization level $L: no proof ($(tail -n 1 loc.out))\"\n"
              "done\n"
              "rm -f loc.aig loc.out\n",
              m->id ? "this mutant" : "the unmutated design", up, m->dir, m->dir, t_cell,
              up, m->dir, m->dir, t_ind,
              up, m->dir, m->dir, 3 * t_reach, t_reach + 5, t_reach,
              t_pdr + 10, t_pdr, t_loc, t_loc3, up, m->dir, m->dir);
    of[0] = (outfile){ "miter.v", mv.s, mv.len };
    of[1] = (outfile){ "equiv.ys", ys.s, ys.len };
    of[2] = (outfile){ "equiv.sh", sh.s, sh.len };
    of[3] = (outfile){ "wrap.v", wv.s, wv.len };
    of[4] = (outfile){ "equiv-comb.ys", cs.s, cs.len };
    for (k = 0; k < NLOC; k++) {
        static const char *const ln[NLOC] = { "equiv-loc0.ys", "equiv-loc1.ys", "equiv-loc2.ys",
                                              "equiv-loc3.ys", "equiv-loc4.ys" };
        of[5 + k] = (outfile){ ln[k], ls[k].s, ls[k].len };
        oom |= ls[k].oom;
    }
    of[5 + NLOC] = (outfile){ "equiv-cell.ys", el.s, el.len };
    of[6 + NLOC] = (outfile){ "equiv-reach.ys", rs.s, rs.len };
    of[7 + NLOC] = (outfile){ "reach-top.v", rt.s, rt.len };
    if (!dir || ys.oom || sh.oom || mv.oom || wv.oom || cs.oom || pre.oom || el.oom || rs.oom || rt.oom || oom ||
        (m->line && !mline)) {
        snprintf(err, n, "out of memory");
        rc = DNN_ETOOL;
    } else {
        rc = dnn_write_files(dir, of, m->line ? 8 + NLOC : 5, err, n) ? DNN_ETOOL : 0;
    }
    for (k = 0; k < NLOC; k++)
        sb_free(&ls[k]);
    sb_free(&el);
    sb_free(&rs);
    sb_free(&rt);
    sb_free(&pre);
    sb_free(&ys);
    sb_free(&cs);
    sb_free(&sh);
    sb_free(&mv);
    sb_free(&wv);
    free(mline);
    free(dir);
    return rc;
}

/* ---- jobs ------------------------------------------------------------------------------- */

static void add_task(mctx *c, int kind, int m)
{
    c->t[c->nt].kind = kind;
    c->t[c->nt].m = m;
    c->t[c->nt].state = T_PENDING;
    c->t[c->nt].pi = 0;
    c->nt++;
}

/* The verify of mutant m with profile pi (the next one after a run it passed). */
static void add_verify(mctx *c, int m, int pi)
{
    add_task(c, K_VERIFY, m);
    c->t[c->nt - 1].pi = pi;
}

static char *verify_repro(const mctx *c, const mutant *m)
{
    sbuf b;
    char *f = dnn_printf("%s/%s/%s.f", c->out, m->dir, c->d.top);
    dnn_design d = c->d;
    d.fault[0] = '\0'; /* an injected fault is in the RTL file already */
    sb_init(&b);
    dnn_design_command(&d, "verify", &b);
    sb_puts(&b, " --rtl ");
    sb_shell_word(&b, f ? f : "?");
    sb_printf(&b, " --sim %s --vectors %lld --seed %lld", c->sim, (long long)c->nvec,
              (long long)c->vseed);
    if (c->nprof > 0) {
        sb_puts(&b, " --profile ");
        sb_shell_word(&b, c->profiles[m->vprof >= 0 && m->vprof < c->nprof ? m->vprof : 0]);
    }
    free(f);
    return b.s;
}

/* verify.log for the first profile, verify-2.log for the second, ... */
static char *verify_log(const mctx *c, const mutant *m, int pi)
{
    return pi > 0 ? dnn_printf("%s/%s/verify-%d.log", c->outabs, m->dir, pi + 1)
                  : dnn_printf("%s/%s/verify.log", c->outabs, m->dir);
}

static pid_t start_task(const mctx *c, const mtask *t)
{
    const mutant *m = &c->m[t->m];
    char *dir = dnn_printf("%s/%s", c->outabs, m->dir), *log;
    pid_t pid;
    if (!dir)
        return -1;
    log = t->kind == K_VERIFY ? verify_log(c, m, t->pi) : dnn_printf("%s/equiv.log", dir);
    if (!log) {
        free(dir);
        return -1;
    }
    pid = dnn_job_fork(log, 1, 1);
    if (pid == 0) {
        if (t->kind == K_VERIFY) {
            const char *a[2 * DNN_MAX_PARAMS + 24];
            char pv[DNN_MAX_PARAMS][128], fl[4400], vs[32], sd[32], to[32];
            int k = 0, i;
            a[k++] = c->self;
            a[k++] = "verify";
            a[k++] = c->d.blk->name;
            for (i = 0; i < c->d.blk->nparams && i < DNN_MAX_PARAMS; i++) {
                char v[64];
                dnn_param_format(c->d.blk, i, c->d.pv[i], v, sizeof v);
                snprintf(pv[i], sizeof pv[i], "%s=%s", c->d.blk->params[i].name, v);
                a[k++] = "-p";
                a[k++] = pv[i];
            }
            if (strcmp(c->d.prefix, "dnn_") != 0) {
                a[k++] = "--prefix";
                a[k++] = c->d.prefix;
            }
            snprintf(fl, sizeof fl, "%s/%s.f", dir, c->d.top);
            snprintf(vs, sizeof vs, "%lld", (long long)c->nvec);
            snprintf(sd, sizeof sd, "%lld", (long long)c->vseed);
            /* verify's own limit bounds the simulator if we are killed; ours fires first */
            snprintf(to, sizeof to, "%lld", (long long)c->timeout + 10);
            a[k++] = "--rtl";
            a[k++] = fl;
            a[k++] = "--sim";
            a[k++] = c->sim;
            a[k++] = "--vectors";
            a[k++] = vs;
            a[k++] = "--seed";
            a[k++] = sd;
            a[k++] = "--timeout";
            a[k++] = to;
            if (c->nprof > 0) {
                a[k++] = "--profile";
                a[k++] = c->profiles[t->pi];
            }
            a[k] = NULL;
            setenv("DNNGEN_ROOT", c->root, 1);
            unsetenv("DNNGEN_QUIET"); /* its "cached in" line names the build to remove */
            execv(c->self, (char *const *)a);
        } else {
            if (chdir(dir) == 0)
                execl("/bin/sh", "sh", "equiv.sh", (char *)NULL);
        }
        _exit(127);
    }
    free(log);
    free(dir);
    return pid;
}

static void first_line_of(const char *text, const char *mark, char *out, size_t n)
{
    const char *p = text ? strstr(text, mark) : NULL;
    out[0] = '\0';
    if (!p)
        return;
    snprintf(out, n, "%.*s", (int)strcspn(p, "\n"), p);
    dnn_oneline(out);
}

/* The build verify made for this mutant (its log says where) goes: nobody will reuse it. */
static void drop_build(const mctx *c, const char *log)
{
    const char *p = log ? strstr(log, "(cached in ") : NULL;
    char path[4400], want[4500];
    size_t k;
    if (!p)
        return;
    p += 11;
    k = strcspn(p, ")\n");
    if (k == 0 || k >= sizeof path)
        return;
    memcpy(path, p, k);
    path[k] = '\0';
    snprintf(want, sizeof want, "%s/build/cache/", c->root);
    if (strncmp(path, want, strlen(want)) == 0 && !strstr(path + strlen(want), "/") &&
        !strstr(path, ".."))
        rm_tree(path);
}

static void finish_verify(mctx *c, const mtask *t, int status, double secs)
{
    mutant *m = &c->m[t->m];
    char *log = verify_log(c, m, t->pi);
    char *text = log ? dnn_read_tail(log, 1u << 20) : NULL;
    char el[400] = "", *p;
    m->vsecs += secs;
    m->vprof = t->pi;
    for (p = text; p && (p = strstr(p, "dnngen: ")); p++)
        if (p == text || p[-1] == '\n') {
            snprintf(el, sizeof el, "%.*s", (int)strcspn(p + 8, "\n"), p + 8);
            dnn_oneline(el);
        }
    if (t->killed) {
        m->vstatus = -1;
        m->outcome = O_ERROR;
        snprintf(m->vreason, sizeof m->vreason, "timed out: killed after %.0f s (--timeout %lld)",
                 secs, (long long)c->timeout);
    } else if (WIFSIGNALED(status)) {
        m->vstatus = -2;
        m->outcome = O_ERROR;
        snprintf(m->vreason, sizeof m->vreason, "dnngen verify killed by signal %d",
                 WTERMSIG(status));
    } else {
        m->vstatus = WIFEXITED(status) ? WEXITSTATUS(status) : -2;
        if (m->vstatus == 1) {
            m->outcome = O_KILLED;
            first_line_of(text, "MISMATCH", m->vreason, sizeof m->vreason);
            if (!m->vreason[0])
                first_line_of(text, "verify: FAIL", m->vreason, sizeof m->vreason);
        } else if (m->vstatus == 0) {
            m->outcome = O_SURVIVED; /* until the equivalence check says otherwise */
            first_line_of(text, "verify: PASS", m->vreason, sizeof m->vreason);
        } else {
            m->outcome = O_ERROR;
            snprintf(m->vreason, sizeof m->vreason, "verify exit %d%s%.300s", m->vstatus,
                     el[0] ? ": " : "", el);
        }
    }
    drop_build(c, text);
    free(text);
    free(log);
}

static void finish_equiv(mctx *c, const mtask *t, int status, double secs)
{
    mutant *m = &c->m[t->m];
    char *log = dnn_printf("%s/%s/equiv.log", c->outabs, m->dir);
    char *text = log ? dnn_read_tail(log, 1u << 20) : NULL, *p;
    m->esecs = secs;
    m->eq_frame = -1;
    if (t->killed) {
        m->eq = E_UNDECIDED;
        snprintf(m->eqdetail, sizeof m->eqdetail,
                 "killed at the time limit after %.0f s (--equiv-timeout %lld)", secs,
                 (long long)c->eqt);
    } else if (text && strstr(text, "dnngen-equiv: proven on the mutated cell alone")) {
        m->eq = E_PROVEN;
        snprintf(m->eqdetail, sizeof m->eqdetail,
                 "the mutated cell alone: its outputs equal the original's for every value "
                 "of its inputs");
    } else if (text && strstr(text, "dnngen-equiv: proven by induction on matching state")) {
        m->eq = E_PROVEN;
        snprintf(m->eqdetail, sizeof m->eqdetail,
                 "outputs and next states equal whenever the states are (induction)");
    } else if (text && (p = strstr(text, "dnngen-equiv: proven on reachable states, level ")) != NULL) {
        int lv = -1, nk = -1;
        m->eq = E_PROVEN;
        if (sscanf(p, "dnngen-equiv: proven on reachable states, level %d, %d", &lv, &nk) == 2)
            snprintf(m->eqdetail, sizeof m->eqdetail,
                     "the mutated cell never differs in a state the original reaches (level %d: "
                     "%d latches kept, the other flops free; ABC pdr)",
                     lv, nk);
        else
            snprintf(m->eqdetail, sizeof m->eqdetail,
                     "the mutated cell never differs in a state the original reaches (ABC pdr)");
    } else if (text && (p = strstr(text, "dnngen-equiv: proven by localization, level ")) != NULL) {
        int lv = -1, nk = -1;
        m->eq = E_PROVEN;
        if (sscanf(p, "dnngen-equiv: proven by localization, level %d, %d", &lv, &nk) == 2)
            snprintf(m->eqdetail, sizeof m->eqdetail,
                     "proven by localization (level %d: %d latches kept, the other flops cut; "
                     "ABC scorr, pdr)",
                     lv, nk);
        else
            snprintf(m->eqdetail, sizeof m->eqdetail, "proven by localization (ABC pdr)");
    } else if (text && strstr(text, "Networks are equivalent")) {
        m->eq = E_PROVEN;
        snprintf(m->eqdetail, sizeof m->eqdetail, "proven equivalent by ABC dprove");
    } else if (text && ((p = strstr(text, "was asserted in frame ")) ||
                        strstr(text, "Networks are not equivalent"))) {
        m->eq = E_DIFFERENT;
        if (p && sscanf(p, "was asserted in frame %d", &m->eq_frame) == 1)
            snprintf(m->eqdetail, sizeof m->eqdetail,
                     "differs from the original %d cycles after reset", m->eq_frame);
        else
            snprintf(m->eqdetail, sizeof m->eqdetail, "differs from the original");
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char *ylog = dnn_printf("%s/%s/equiv-yosys.log", c->outabs, m->dir);
        char *yt = ylog ? dnn_read_tail(ylog, 1u << 16) : NULL, line[240];
        first_line_of(yt, "ERROR:", line, sizeof line);
        m->eq = E_FAILED;
        snprintf(m->eqdetail, sizeof m->eqdetail, "equivalence check failed (status %d)%s%s",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1, line[0] ? ": " : "", line);
        free(yt);
        free(ylog);
    } else {
        const char *q = text ? strstr(text, "No output failed in ") : NULL;
        int frames = -1;
        if (q && sscanf(q, "No output failed in %d frames", &frames) != 1)
            frames = -1;
        m->eq = E_UNDECIDED;
        if (frames >= 0)
            snprintf(m->eqdetail, sizeof m->eqdetail,
                     "ABC dprove gave up: no difference in the first %d cycles, no proof", frames);
        else
            snprintf(m->eqdetail, sizeof m->eqdetail, "ABC dprove gave up: neither proof nor "
                                                      "difference");
    }
    { /* the miter and the reduced miter dprove leaves when undecided (sm01.aig) */
        static const char *const junk[] = { "miter.aig", "comb.aig", "comb.out", "sm00.aig",
                                             "sm01.aig", "sm02.aig", "loc.aig", "loc.out",
                                             "dprove.out", "reach.il", "reach0.aig",
                                             "reach1.aig", "reach2.aig", "reach.out", NULL };
        int k;
        for (k = 0; junk[k]; k++) {
            char *aig = dnn_printf("%s/%s/%s", c->outabs, m->dir, junk[k]);
            if (aig)
                unlink(aig);
            free(aig);
        }
    }
    if (m->outcome == O_SURVIVED && m->eq == E_PROVEN && t->m > 0)
        m->outcome = O_EQUIV;
    free(text);
    free(log);
}

static int running_count(const mctx *c)
{
    int i, r = 0;
    for (i = 0; i < c->nt; i++)
        r += c->t[i].state == T_RUNNING;
    return r;
}

static void progress(const mctx *c, const mtask *t, int done, int total)
{
    const mutant *m = &c->m[t->m];
    char tag[16];
    if (t->m == 0)
        snprintf(tag, sizeof tag, "baseline");
    else
        snprintf(tag, sizeof tag, "#%05d", m->id);
    if (t->kind == K_VERIFY)
        printf("[%d/%d] %-8s verify %-9s %5.1fs  %s\n", done, total, tag,
               t->m == 0 ? (m->outcome == O_SURVIVED ? "pass" : "FAIL")
                         : outcome_names[m->outcome],
               m->vsecs, m->desc ? m->desc : "");
    else
        printf("[%d/%d] %-8s equiv  %-9s %5.1fs  %s\n", done, total, tag, eq_names[m->eq],
               m->esecs, m->eqdetail);
    fflush(stdout);
}

/* Run every task, par at a time; a verify that lets its mutant survive adds the mutant's
 * equivalence check. The baseline's verify runs first and alone: if the unmutated design
 * does not pass, no mutant's verdict means anything and nothing else is started. */
static int run_all(mctx *c, char *err, size_t n)
{
    int done = 0, i, cross = 0;
    double t0 = dnn_now();
    c->cap = (c->nprof + 2) * (c->n + 1) + 1;
    c->t = calloc((size_t)c->cap, sizeof *c->t);
    if (!c->t) {
        snprintf(err, n, "out of memory");
        return DNN_ETOOL;
    }
    add_task(c, K_VERIFY, 0);
    add_task(c, K_EQUIV, 0);
    for (i = 1; i <= c->n; i++)
        if (c->m[i].outcome == O_PENDING && !c->m[i].dup_of)
            add_task(c, K_VERIFY, i);
    while (!g_stop) {
        int reaped = 0, pending = 0;
        for (i = 0; i < c->nt; i++)
            pending += c->t[i].state != T_DONE;
        if (!pending)
            break;
        for (i = 0; i < c->nt && running_count(c) < c->par; i++) {
            mtask *t = &c->t[i];
            if (t->state != T_PENDING)
                continue;
            if (t->kind == K_VERIFY && t->m > 0 && c->t[0].state != T_DONE)
                break; /* the baseline first */
            if (t->kind == K_EQUIV) {
                char e2[DNN_ERRLEN];
                if (write_equiv(c, &c->m[t->m], e2, sizeof e2)) {
                    c->m[t->m].eq = E_FAILED;
                    snprintf(c->m[t->m].eqdetail, sizeof c->m[t->m].eqdetail, "%.280s", e2);
                    t->state = T_DONE;
                    done++;
                    continue;
                }
            }
            t->t0 = dnn_now();
            t->pid = start_task(c, t);
            if (t->pid < 0) {
                mutant *m = &c->m[t->m];
                if (t->kind == K_VERIFY) {
                    m->outcome = O_ERROR;
                    m->vstatus = -3;
                    snprintf(m->vreason, sizeof m->vreason, "cannot start the job: %s",
                             strerror(errno));
                } else {
                    m->eq = E_FAILED;
                    snprintf(m->eqdetail, sizeof m->eqdetail, "cannot start the job: %s",
                             strerror(errno));
                }
                t->state = T_DONE;
                done++;
                continue;
            }
            t->state = T_RUNNING;
        }
        for (;;) {
            int status = 0;
            pid_t pid = dnn_job_reap(&status);
            mtask *t = NULL;
            if (pid <= 0)
                break;
            for (i = 0; i < c->nt; i++)
                if (c->t[i].state == T_RUNNING && c->t[i].pid == pid)
                    t = &c->t[i];
            if (!t)
                continue;
            t->state = T_DONE;
            done++;
            reaped = 1;
            if (t->kind == K_VERIFY) {
                mutant *m = &c->m[t->m];
                finish_verify(c, t, status, dnn_now() - t->t0);
                if (t->m == 0 && m->outcome != O_SURVIVED) {
                    snprintf(err, n, "mutate: the unmutated design after the Yosys round trip "
                                     "does not pass verify (%s): no mutant can be scored; log: "
                                     "%s/base/verify.log",
                             m->vreason[0] ? m->vreason : outcome_names[m->outcome], c->out);
                    g_stop = 2;
                    break;
                }
                if (m->outcome == O_SURVIVED && t->pi + 1 < c->nprof)
                    add_verify(c, t->m, t->pi + 1); /* the suite's next profile */
                else if (t->m > 0 && m->outcome == O_SURVIVED)
                    add_task(c, K_EQUIV, t->m);
                if (t->m > 0 && m->outcome == O_KILLED && (!cross || c->equiv_all)) {
                    cross = 1; /* the miter must be able to say "different" */
                    m->cross = 1;
                    add_task(c, K_EQUIV, t->m);
                }
            } else {
                finish_equiv(c, t, status, dnn_now() - t->t0);
            }
            progress(c, t, done, c->nt);
        }
        for (i = 0; i < c->nt; i++) {
            mtask *t = &c->t[i];
            double lim = (double)(t->kind == K_EQUIV ? c->eqt : c->timeout);
            if (t->state == T_RUNNING && !t->killed && dnn_now() - t->t0 > lim) {
                t->killed = 1;
                dnn_job_kill(t->pid);
            }
        }
        if (!reaped) {
            struct timespec ts = { 0, 50000000 };
            nanosleep(&ts, NULL);
        }
    }
    if (g_stop) { /* interrupted, or the baseline failed: take every running job down */
        for (i = 0; i < c->nt; i++)
            if (c->t[i].state == T_RUNNING) {
                int st;
                dnn_job_kill(c->t[i].pid);
                waitpid(c->t[i].pid, &st, 0);
            }
        if (g_stop != 2)
            snprintf(err, n, "mutate: interrupted; no report written");
        return DNN_ETOOL;
    }
    (void)t0;
    if (c->m[0].eq != E_PROVEN) {
        snprintf(err, n, "mutate: the equivalence check cannot prove the unmutated design "
                         "equivalent to itself (%s): no equivalence verdict can be trusted; "
                         "see %s/base/equiv.log",
                 c->m[0].eqdetail, c->out);
        return DNN_ETOOL;
    }
    /* duplicates share the verdict of the mutant (or the original) whose Verilog they equal */
    for (i = 1; i <= c->n; i++) {
        mutant *m = &c->m[i];
        if (m->dup_of > 0) {
            const mutant *o = &c->m[m->dup_of];
            m->outcome = o->outcome;
            m->vstatus = o->vstatus;
            m->vprof = o->vprof;
            char why[sizeof m->vreason];
            snprintf(why, sizeof why, "%s", o->vreason);
            snprintf(m->vreason, sizeof m->vreason, "same Verilog as mutant %d: %.340s", o->id,
                     why);
            m->eq = o->cross ? E_NOTRUN : o->eq;
            snprintf(m->eqdetail, sizeof m->eqdetail, "%s", o->cross ? "" : o->eqdetail);
        } else if (m->dup_of < 0) {
            m->outcome = O_EQUIV;
            m->eq = E_IDENTICAL;
            snprintf(m->eqdetail, sizeof m->eqdetail,
                     "Yosys wrote the same Verilog as for the original");
        }
    }
    return 0;
}

/* ---- report ----------------------------------------------------------------------------- */

typedef struct tally {
    int killed, equiv, survived, errors, total, incons;
    double score;
} tally;

static void count(const mctx *c, tally *s)
{
    int i;
    memset(s, 0, sizeof *s);
    for (i = 1; i <= c->n; i++) {
        int o = c->m[i].outcome;
        s->total++;
        s->killed += o == O_KILLED;
        s->equiv += o == O_EQUIV;
        s->survived += o == O_SURVIVED;
        s->errors += o == O_ERROR || o == O_PENDING;
        s->incons += c->m[i].cross && c->m[i].eq == E_PROVEN;
    }
    s->score = s->total > s->equiv ? (double)s->killed / (double)(s->total - s->equiv) : 1.0;
}

static void mutate_command(const mctx *c, sbuf *b)
{
    int i;
    dnn_design_command(&c->d, "mutate", b);
    sb_printf(b, " --count %lld --seed %lld --sim %s --vectors %lld --verify-seed %lld",
              (long long)c->count, (long long)c->seed, c->sim, (long long)c->nvec,
              (long long)c->vseed);
    for (i = 0; i < c->nprof; i++) {
        sb_puts(b, " --profile ");
        sb_shell_word(b, c->profiles[i]);
    }
    sb_printf(b, " --timeout %lld --equiv-timeout %lld%s -o ", (long long)c->timeout,
              (long long)c->eqt, c->equiv_all ? " --equiv-all" : "");
    sb_shell_word(b, c->out);
}

static char *report_json(const mctx *c, const tally *s, double wall)
{
    cJSON *root = cJSON_CreateObject(), *params, *sum, *arr, *base;
    sbuf cmd;
    char *txt;
    int i;
    if (!root)
        return NULL;
    sb_init(&cmd);
    mutate_command(c, &cmd);
    cJSON_AddStringToObject(root, "dnngen", DNN_VERSION);
    cJSON_AddStringToObject(root, "block", c->d.blk->name);
    cJSON_AddStringToObject(root, "top", c->d.top);
    cJSON_AddStringToObject(root, "command", cmd.s ? cmd.s : "");
    params = cJSON_AddObjectToObject(root, "params");
    for (i = 0; i < c->d.blk->nparams; i++) {
        if (c->d.blk->params[i].kind == DNN_P_ENUM)
            cJSON_AddStringToObject(params, c->d.blk->params[i].name,
                                    c->d.blk->params[i].enums[c->d.pv[i]]);
        else
            cJSON_AddNumberToObject(params, c->d.blk->params[i].name, (double)c->d.pv[i]);
    }
    if (c->d.fault[0])
        cJSON_AddStringToObject(root, "injected_fault", c->d.fault);
    cJSON_AddNumberToObject(root, "count", (double)c->count);
    cJSON_AddNumberToObject(root, "seed", (double)c->seed);
    cJSON_AddStringToObject(root, "sim", c->sim);
    cJSON_AddNumberToObject(root, "vectors", (double)c->nvec);
    cJSON_AddNumberToObject(root, "verify_seed", (double)c->vseed);
    if (c->profile)
        cJSON_AddStringToObject(root, "profile", c->profile);
    if (c->nprof > 1) {
        cJSON *pa = cJSON_AddArrayToObject(root, "profiles");
        for (i = 0; i < c->nprof; i++)
            cJSON_AddItemToArray(pa, cJSON_CreateString(c->profiles[i]));
    }
    cJSON_AddNumberToObject(root, "timeout", (double)c->timeout);
    cJSON_AddNumberToObject(root, "equiv_timeout", (double)c->eqt);
    cJSON_AddStringToObject(root, "yosys", c->yosys_ver);
    cJSON_AddNumberToObject(root, "wall_seconds", (double)(long)(wall * 10 + 0.5) / 10);
    sum = cJSON_AddObjectToObject(root, "summary");
    cJSON_AddNumberToObject(sum, "mutants", s->total);
    cJSON_AddNumberToObject(sum, "killed", s->killed);
    cJSON_AddNumberToObject(sum, "equivalent", s->equiv);
    cJSON_AddNumberToObject(sum, "survived", s->survived);
    cJSON_AddNumberToObject(sum, "errors", s->errors);
    cJSON_AddNumberToObject(sum, "inconsistent", s->incons);
    cJSON_AddNumberToObject(sum, "score", s->score);
    cJSON_AddNumberToObject(sum, "min_score", c->min_score);
    cJSON_AddBoolToObject(sum, "pass", s->score >= c->min_score);
    base = cJSON_AddObjectToObject(root, "baseline");
    {
        char *r = verify_repro(c, &c->m[0]);
        cJSON_AddStringToObject(base, "verify", c->m[0].vreason);
        cJSON_AddStringToObject(base, "equivalence", eq_names[c->m[0].eq]);
        cJSON_AddStringToObject(base, "dir", "base");
        cJSON_AddStringToObject(base, "reproduce", r ? r : "");
        free(r);
    }
    arr = cJSON_AddArrayToObject(root, "mutants");
    for (i = 1; i <= c->n; i++) {
        const mutant *m = &c->m[i];
        cJSON *o = cJSON_CreateObject(), *src;
        char *r = verify_repro(c, m), *eqr = NULL;
        int k;
        cJSON_AddNumberToObject(o, "id", m->id);
        cJSON_AddStringToObject(o, "outcome", outcome_names[m->outcome]);
        cJSON_AddStringToObject(o, "mutation", m->line ? m->line : "");
        cJSON_AddStringToObject(o, "description", m->desc ? m->desc : "");
        cJSON_AddStringToObject(o, "mode", m->mode);
        cJSON_AddStringToObject(o, "cell", m->cell);
        cJSON_AddStringToObject(o, "port", m->port);
        cJSON_AddNumberToObject(o, "portbit", m->portbit);
        if (m->wire[0]) {
            cJSON_AddStringToObject(o, "wire", m->wire);
            cJSON_AddNumberToObject(o, "wirebit", m->wirebit);
        }
        if (m->ctrlbit >= 0)
            cJSON_AddNumberToObject(o, "ctrlbit", m->ctrlbit);
        src = cJSON_AddArrayToObject(o, "src");
        for (k = 0; k < m->nsrc; k++)
            cJSON_AddItemToArray(src, cJSON_CreateString(m->src[k]));
        if (m->dup_of)
            cJSON_AddNumberToObject(o, "duplicate_of", m->dup_of < 0 ? 0 : m->dup_of);
        cJSON_AddNumberToObject(o, "verify_status", m->vstatus);
        cJSON_AddStringToObject(o, "verify", m->vreason);
        if (c->nprof > 1)
            cJSON_AddStringToObject(o, "verify_profile", c->profiles[m->vprof]);
        cJSON_AddNumberToObject(o, "verify_seconds", (double)(long)(m->vsecs * 10 + 0.5) / 10);
        cJSON_AddStringToObject(o, "equivalence", eq_names[m->eq]);
        if (m->eq != E_NOTRUN) {
            cJSON_AddStringToObject(o, "equivalence_detail", m->eqdetail);
            if (m->eq_frame >= 0 && m->eq == E_DIFFERENT)
                cJSON_AddNumberToObject(o, "difference_cycle", m->eq_frame);
            cJSON_AddNumberToObject(o, "equivalence_seconds",
                                    (double)(long)(m->esecs * 10 + 0.5) / 10);
        }
        if (m->cross)
            cJSON_AddBoolToObject(o, "cross_check", 1);
        if (m->cross && m->eq == E_PROVEN)
            cJSON_AddBoolToObject(o, "inconsistent", 1);
        cJSON_AddStringToObject(o, "dir", m->dir);
        cJSON_AddStringToObject(o, "reproduce", r ? r : "");
        if (m->eq != E_NOTRUN && m->eq != E_IDENTICAL && !m->dup_of) {
            sbuf e;
            sb_init(&e);
            sb_puts(&e, "sh ");
            {
                char *p = dnn_printf("%s/%s/equiv.sh", c->out, m->dir);
                sb_shell_word(&e, p ? p : "?");
                free(p);
            }
            eqr = e.s;
            cJSON_AddStringToObject(o, "reproduce_equivalence", eqr ? eqr : "");
        }
        free(eqr);
        free(r);
        cJSON_AddItemToArray(arr, o);
    }
    txt = cJSON_Print(root);
    cJSON_Delete(root);
    sb_free(&cmd);
    return txt;
}

static void print_summary(const mctx *c, const tally *s)
{
    int i, kind;
    static const int kinds[] = { O_SURVIVED, O_ERROR, O_EQUIV };
    static const char *const heads[] = {
        "survivors (holes in the tests unless the equivalence is undecided)", "errors",
        "equivalent mutants"
    };
    for (kind = 0; kind < 3; kind++) {
        int any = 0;
        for (i = 1; i <= c->n; i++) {
            const mutant *m = &c->m[i];
            char *r;
            if (m->outcome != kinds[kind])
                continue;
            if (!any)
                printf("%s:\n", heads[kind]);
            any = 1;
            printf("  #%05d %s\n         %s\n", m->id, m->desc ? m->desc : "", m->line);
            if (kinds[kind] == O_ERROR) {
                printf("         %s\n", m->vreason);
            } else {
                printf("         equivalence: %s: %s\n", eq_names[m->eq], m->eqdetail);
            }
            if (kinds[kind] != O_EQUIV && (r = verify_repro(c, m))) {
                printf("         reproduce: %s\n", r);
                free(r);
            }
        }
    }
    printf("mutate: killed %d, equivalent %d, survived %d, errors %d of %d mutants; score "
           "%d/%d = %.2f%% (min-score %.2f%%): %s\n",
           s->killed, s->equiv, s->survived, s->errors, s->total, s->killed,
           s->total - s->equiv, 100.0 * s->score, 100.0 * c->min_score,
           s->score >= c->min_score ? "PASS" : "FAIL");
}

/* ---- the command ------------------------------------------------------------------------ */

static int have_tool(const char *t)
{
    char *cmd = dnn_printf("command -v %s >/dev/null 2>&1", t);
    int ok = cmd && dnn_run(cmd, NULL, 0) == 0;
    free(cmd);
    return ok;
}

/* A count option that must be at least 1: dnn_parse_count, with the legal range named right. */
static int pos_count(const char *opt, const char *v, int64_t max, int64_t *out)
{
    char *end;
    long long x;
    errno = 0;
    x = strtoll(v, &end, 10);
    if (errno || end == v || *end || x < 1 || x > max)
        return dnn_fail(DNN_EUSAGE, "bad value '%.60s' for %s (legal: 1..%lld)", v, opt,
                        (long long)max);
    *out = x;
    return 0;
}

static int parse_opts(int argc, char **argv, mctx *c)
{
    const char *cs = NULL, *ss = NULL, *js = NULL, *ts = NULL, *vs = NULL, *vss = NULL,
               *es = NULL, *ms = NULL;
    const dnn_opt opts[] = { { "--count", &cs, NULL, 0 },       { "--seed", &ss, NULL, 0 },
                             { "-o", &c->out, NULL, 0 },         { "-j", &js, NULL, 0 },
                             { "--timeout", &ts, NULL, 0 },      { "--sim", &c->sim, NULL, 0 },
                             { "--vectors", &vs, NULL, 0 },      { "--verify-seed", &vss, NULL, 0 },
                             { "--profile", c->profiles, NULL, MUT_MAX_PROF },
                             { "--equiv-timeout", &es, NULL, 0 }, { "--min-score", &ms, NULL, 0 },
                             { "--equiv-all", NULL, &c->equiv_all, 0 }, { NULL, NULL, NULL, 0 } };
    int rc = dnn_parse_cmd(argc, argv, "mutate", mutate_help, opts, &c->d);
    if (rc)
        return rc;
    if (strcmp(c->sim, "icarus") && strcmp(c->sim, "verilator") && strcmp(c->sim, "systemc"))
        return dnn_fail(DNN_EUSAGE, "mutate: unknown simulator '%.60s' (legal: icarus, "
                                    "verilator, systemc)",
                        c->sim);
    if ((cs && pos_count("--count", cs, MUT_MAX_COUNT, &c->count)) ||
        (ss && dnn_parse_count("--seed", ss, 2147483647, &c->seed)) ||
        (js && pos_count("-j", js, 1024, &c->par)) ||
        (ts && pos_count("--timeout", ts, 86400, &c->timeout)) ||
        (vs && pos_count("--vectors", vs, DNN_MAX_VECTORS, &c->nvec)) ||
        (vss && dnn_parse_count("--verify-seed", vss, INT64_MAX, &c->vseed)) ||
        (es && pos_count("--equiv-timeout", es, 86400, &c->eqt)))
        return DNN_EUSAGE;
    if (strcmp(c->sim, "icarus") == 0 && c->nvec > 10000000)
        return dnn_fail(DNN_EUSAGE, "mutate: --vectors %lld too large for icarus (legal: "
                                    "1..10000000)",
                        (long long)c->nvec);
    if (ms) {
        char *end;
        double x = strtod(ms, &end);
        if (end == ms || *end || !(x >= 0.0 && x <= 1.0))
            return dnn_fail(DNN_EUSAGE, "bad value '%.60s' for --min-score (legal: 0..1, a "
                                        "fraction of the non-equivalent mutants)",
                            ms);
        c->min_score = x;
    }
    if (!c->par) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        c->par = nc > 0 ? nc : 1;
    }
    while (c->nprof < MUT_MAX_PROF && c->profiles[c->nprof])
        c->nprof++;
    c->profile = c->profiles[0];
    { /* the profiles, checked before anything runs */
        gm_param ps[DNN_MAX_PARAMS];
        char err[DNN_ERRLEN];
        int np = dnn_design_gparams(&c->d, ps), k;
        for (k = 0; k < (c->nprof ? c->nprof : 1); k++) {
            gm_gen *g = gm_gen_open(c->d.blk->name, ps, np, (uint64_t)c->vseed, c->nvec,
                                    c->profiles[k], err, sizeof err);
            if (!g)
                return dnn_fail(DNN_EUSAGE, "mutate: %s", err);
            gm_gen_close(g);
        }
    }
    return 0;
}

static int load_source(mctx *c)
{
    int k, nv = dnn_render_nverilog(&c->r), cap = 256;
    const outfile *top;
    const char *p, *end;
    snprintf(c->topfile, sizeof c->topfile, "%s", c->r.files[nv - 1].name);
    c->nsub = nv - 1;
    for (k = 0; k < c->nsub; k++)
        c->subs[k] = c->r.files[k].name;
    top = &c->r.files[nv - 1];
    c->srclines = malloc((size_t)cap * sizeof *c->srclines);
    if (!c->srclines)
        return DNN_ETOOL;
    for (p = top->data, end = top->data + top->len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (c->nsrclines == cap) {
            char **g = realloc(c->srclines, (size_t)cap * 2 * sizeof *g);
            if (!g)
                return DNN_ETOOL;
            c->srclines = g;
            cap *= 2;
        }
        c->srclines[c->nsrclines] = malloc(len + 1);
        if (!c->srclines[c->nsrclines])
            return DNN_ETOOL;
        memcpy(c->srclines[c->nsrclines], p, len);
        c->srclines[c->nsrclines][len] = '\0';
        c->nsrclines++;
        p += len + 1;
    }
    return 0;
}

static void free_ctx(mctx *c)
{
    int i;
    if (c->m)
        for (i = 0; i <= c->n; i++) {
            free(c->m[i].line);
            free(c->m[i].desc);
        }
    free(c->m);
    free(c->t);
    for (i = 0; i < c->nsrclines; i++)
        free(c->srclines[i]);
    free(c->srclines);
    dnn_render_free(&c->r);
}

int cmd_mutate(int argc, char **argv)
{
    mctx c;
    char err[DNN_ERRLEN];
    int rc, i;
    double t0;
    struct sigaction sa;
    tally s;
    memset(&c, 0, sizeof c);
    c.out = "mutate-out";
    c.sim = "icarus";
    c.count = 20;
    c.seed = 1;
    c.timeout = 600;
    c.nvec = 1000;
    c.vseed = 1;
    c.eqt = 300;
    rc = parse_opts(argc, argv, &c);
    if (rc)
        return rc < 0 ? 0 : rc;
    rc = check_outdir(c.out, err, sizeof err);
    if (!rc)
        rc = dnn_probe_dir(c.out, err, sizeof err);
    if (rc)
        return dnn_fail(rc, "%s%s", strncmp(err, "mutate:", 7) ? "mutate: " : "", err);
    if (!have_tool("yosys") || !have_tool("yosys-abc"))
        return dnn_fail(DNN_ETOOL, "mutate: yosys or yosys-abc not found (run "
                                   "scripts/install-deps.sh)");
    if (!have_tool(strcmp(c.sim, "icarus") == 0 ? "iverilog" : "verilator"))
        return dnn_fail(DNN_ETOOL, "mutate: %s not found (run scripts/install-deps.sh)",
                        strcmp(c.sim, "icarus") == 0 ? "iverilog" : "verilator");
    {
        char *abs = realpath(c.out, NULL);
        ssize_t sl = readlink("/proc/self/exe", c.self, sizeof c.self - 1);
        if (!abs || sl <= 0) {
            free(abs);
            return dnn_fail(DNN_ETOOL, "mutate: cannot resolve '%s' or the dnngen executable",
                            c.out);
        }
        c.self[sl] = '\0';
        snprintf(c.outabs, sizeof c.outabs, "%s", abs);
        snprintf(c.root, sizeof c.root, "%s/.root", abs);
        free(abs);
    }
    rc = dnn_render_design(&c.d, &c.r, err, sizeof err);
    if (rc) {
        free_ctx(&c);
        return dnn_fail(rc, "%s", err);
    }
    if (load_source(&c)) {
        free_ctx(&c);
        return dnn_fail(DNN_ETOOL, "mutate: out of memory");
    }
    { /* an earlier run's files must not pass for this run's */
        static const char *const old[] = { MUT_REPORT, "design", "base", "mutants", "work",
                                           ".root", NULL };
        for (i = 0; old[i]; i++) {
            char *p = outpath(&c, old[i]);
            if (p)
                rm_tree(p);
            free(p);
        }
    }
    {
        char mark[4200], wd[4200];
        snprintf(mark, sizeof mark, "%s/" MUT_MARK, c.outabs);
        snprintf(wd, sizeof wd, "%s/work", c.outabs);
        rc = write_text(c.outabs, MUT_MARK, "dnngen mutate output directory (docs/mutation.md)\n",
                        err, sizeof err);
        if (!rc)
            rc = dnn_mkdirs(wd, err, sizeof err);
        if (!rc) {
            char dd[4200];
            snprintf(dd, sizeof dd, "%s/design", c.outabs);
            rc = dnn_write_files(dd, c.r.files, c.r.nfiles, err, sizeof err);
        }
        if (rc) {
            free_ctx(&c);
            return dnn_fail(DNN_ETOOL, "mutate: %s", err);
        }
    }
    dnn_cmd_line("yosys -V 2>/dev/null", c.yosys_ver, sizeof c.yosys_ver);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    t0 = dnn_now();
    printf("mutate: %s (%s), yosys mutate -list %lld -seed %lld, %s %lld vectors, -j %lld, "
           "output in %s\n",
           c.d.blk->name, c.d.top, (long long)c.count, (long long)c.seed, c.sim,
           (long long)c.nvec, (long long)c.par, c.out);
    fflush(stdout);
    rc = list_mutations(&c, err, sizeof err);
    if (!rc)
        rc = write_mutants(&c, err, sizeof err);
    if (!rc)
        rc = make_root(&c, err, sizeof err);
    if (rc) {
        rm_tree(c.root);
        free_ctx(&c);
        return dnn_fail(DNN_ETOOL, "%s%s", strncmp(err, "mutate:", 7) ? "mutate: " : "", err);
    }
    if (c.n < c.count)
        printf("mutate: yosys listed %d mutations (asked for %lld): the design has no more "
               "candidates\n",
               c.n, (long long)c.count);
    rc = run_all(&c, err, sizeof err);
    rm_tree(c.root);
    if (rc) {
        free_ctx(&c);
        return dnn_fail(rc, "%s", err);
    }
    count(&c, &s);
    {
        char *js = report_json(&c, &s, dnn_now() - t0);
        outfile f = { MUT_REPORT, js, js ? strlen(js) : 0 };
        signal(SIGXFSZ, SIG_IGN);
        if (!js)
            snprintf(err, sizeof err, "out of memory");
        rc = js ? dnn_write_files(c.outabs, &f, 1, err, sizeof err) : DNN_ETOOL;
        free(js);
        if (rc) {
            free_ctx(&c);
            return dnn_fail(DNN_ETOOL, "mutate: %s; no report written", err);
        }
    }
    for (i = 1; i <= c.n; i++)
        if (c.m[i].cross && c.m[i].eq == E_PROVEN)
            printf("mutate: inconsistent: mutant %d was killed by simulation but proven "
                   "equivalent (an X in simulation? see docs/mutation.md)\n",
                   c.m[i].id);
    printf("mutate: baseline (the unmutated design through Yosys): verify passed, equivalence "
           "%s\n",
           eq_names[c.m[0].eq]);
    print_summary(&c, &s);
    {
        char wall[32];
        dnn_fmt_dur(dnn_now() - t0, wall, sizeof wall);
        printf("mutate: report %s/%s, mutants in %s/mutants/ (%s)\n", c.out, MUT_REPORT, c.out,
               wall);
    }
    printf("RESULT mutate block=%s mutants=%d killed=%d equivalent=%d survived=%d errors=%d "
           "score=%.4f\n",
           c.d.blk->name, s.total, s.killed, s.equiv, s.survived, s.errors, s.score);
    rc = s.score >= c.min_score ? 0 : DNN_EVERIFY;
    free_ctx(&c);
    return rc;
}
