/*
 * cmd_verify.c -- `dnngen verify`: generate (or take --rtl), build a simulator, co-simulate
 * against the golden model, print the summary; exit 0 pass, 1 mismatch, 2 bad input,
 * 3 tool failure.
 *
 * Builds are cached under build/cache/<sim>-<hash>, the hash covering everything that
 * goes into the build (RTL text, harness sources, generated glue, golden library, tool
 * version, options); a build is made in a private directory and renamed into place when
 * complete, so concurrent or interrupted runs never see half a build.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "tb_gen.h"

static const char verify_help[] =
    "usage: dnngen verify BLOCK [-p NAME=VALUE]... [-c CONFIG.json]\n"
    "                     [--sim verilator|icarus|systemc] [--vectors N] [--seed S]\n"
    "                     [--profile P] [--waves] [--rtl FILELIST] [--timeout SEC]\n"
    "                     [--coverage] [--artifacts DIR]\n"
    "  Co-simulates the block's RTL against the golden model: every output bit and the edge\n"
    "  of every handshake (docs/vectors.md). Prints vectors checked, mismatches and cycles;\n"
    "  on the first mismatch the edge, operands, expected and actual values and a command\n"
    "  that reproduces it.\n"
    "  --sim        verilator (default), icarus (vectors file), systemc (Verilator --sc)\n"
    "  --vectors N  operations to check (default 1000)\n"
    "  --seed S     stimulus seed (default 1)\n"
    "  --profile P  mixed (default), uniform, terms:p0,p1,...\n"
    "  --waves      dump an FST waveform (waves.fst) into the build directory\n"
    "  --coverage   Verilator line and toggle coverage into coverage.dat (--sim verilator;\n"
    "               a coverage build is cached apart from the plain one)\n"
    "  --artifacts DIR  write waves.fst and coverage.dat into DIR instead, and an empty\n"
    "               DIR/built once the model is built (dnngen regress waits for it)\n"
    "  --rtl F      verify the Verilog listed in filelist F (a hand-edited copy or a netlist)\n"
    "               instead of generating; its top module must be the design's top name\n"
    "  --inject-fault K  test only: verify a generated variant with fault K\n"
    "  --test-sim crash|hang|abort  test only: instead of simulating, crash (SIGSEGV) or\n"
    "               hang (sleep), or abort dnngen itself; for the regression runner's tests\n";

typedef struct fl_ctx {
    sbuf *files;
    uint64_t *h;
    char *err;
    size_t n;
} fl_ctx;

static int fl_add(void *vc, const char *full)
{
    fl_ctx *c = vc;
    char *content = NULL, *abs;
    size_t clen;
    if (dnn_read_file(full, 256u << 20, &content, &clen, c->err, c->n))
        return DNN_EUSAGE;
    *c->h = dnn_hash(*c->h, content, clen);
    free(content);
    sb_puts(c->files, " ");
    abs = realpath(full, NULL); /* the build runs in another directory */
    sb_shell_word(c->files, abs ? abs : full);
    free(abs);
    return 0;
}

static int read_filelist(const char *path, sbuf *files, uint64_t *h, char *err, size_t n)
{
    char *text = NULL, *dir;
    size_t len;
    int count = 0, rc;
    fl_ctx c = { files, h, err, n };
    if (dnn_read_file(path, 1 << 20, &text, &len, err, n))
        return DNN_EUSAGE;
    dir = dnn_strdup(path);
    if (dir && strrchr(dir, '/'))
        *strrchr(dir, '/') = '\0';
    else {
        free(dir);
        dir = dnn_strdup(".");
    }
    rc = dir ? dnn_filelist_parse(text, len, dir, fl_add, &c, &count) : DNN_ETOOL;
    free(text);
    free(dir);
    if (rc == -1) {
        snprintf(err, n, "filelist '%s' has a line longer than 4095 bytes or a NUL byte", path);
        return DNN_EUSAGE;
    }
    if (rc)
        return rc;
    if (!count) {
        snprintf(err, n, "filelist '%s' names no Verilog file", path);
        return DNN_EUSAGE;
    }
    return 0;
}

static uint64_t hash_file(uint64_t h, const char *path)
{
    char *t = NULL, err[256];
    size_t len = 0;
    if (dnn_read_file(path, 512u << 20, &t, &len, err, sizeof err) == 0) {
        h = dnn_hash(h, t, len);
        free(t);
    } else {
        h = dnn_hash(h, path, strlen(path));
    }
    return h;
}

static uint64_t hash_cmd(uint64_t h, const char *cmd)
{
    FILE *p = popen(cmd, "r");
    char buf[256];
    size_t k;
    if (!p)
        return h;
    while ((k = fread(buf, 1, sizeof buf, p)) > 0)
        h = dnn_hash(h, buf, k);
    pclose(p);
    return h;
}

static int have_tool(const char *t)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", t);
    return dnn_run(cmd, NULL, 0) == 0;
}

/* --artifacts: tell a waiting regression runner that this build is in the cache now */
static void mark_built(const char *art, const char *artdir)
{
    char p[4200];
    FILE *f;
    if (!art)
        return;
    snprintf(p, sizeof p, "%s/built", artdir);
    f = fopen(p, "w");
    if (f)
        fclose(f);
}

static int print_file(const char *path, int tail_lines)
{
    char *t = NULL, err[256];
    size_t len;
    if (dnn_read_file(path, 64u << 20, &t, &len, err, sizeof err))
        return -1;
    if (tail_lines > 0) {
        size_t i = len;
        int nl = 0;
        while (i > 0 && nl <= tail_lines)
            if (t[--i] == '\n')
                nl++;
        fwrite(t + i, 1, len - i, stdout);
    } else {
        fwrite(t, 1, len, stdout);
    }
    fflush(stdout);
    free(t);
    return 0;
}

/* 1 when a static library holds sanitizer calls (built with -fsanitize): the harness
 * is linked without the sanitizer runtime, so such a library cannot go into it. */
static int sanitized_lib(const char *path)
{
    static const char *const marks[] = { "__asan_", "__ubsan_" };
    char *t = NULL, err[256];
    size_t len = 0, i, k;
    int found = 0;
    if (dnn_read_file(path, 256u << 20, &t, &len, err, sizeof err))
        return 0;
    for (k = 0; k < 2 && !found; k++) {
        size_t ml = strlen(marks[k]);
        for (i = 0; i + ml <= len && !found; i++)
            found = memcmp(t + i, marks[k], ml) == 0;
    }
    free(t);
    return found;
}

/* The golden library the harness links: the one built next to the running dnngen
 * (make B=DIR puts both in DIR), so a build in another directory verifies against its own
 * golden models. <root>/build/libdnngolden.a when there is none beside the binary, or when
 * that one is sanitized (make test-sanitize: the harness keeps the plain library). */
static void golden_lib(const char *root, char *buf, size_t n)
{
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len > 0) {
        char *slash;
        self[len] = '\0';
        slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, n, "%s/libdnngolden.a", self);
            if (dnn_file_exists(buf) && !sanitized_lib(buf))
                return;
        }
    }
    snprintf(buf, n, "%s/build/libdnngolden.a", root);
}

/* Parse "RESULT ... checked=N mismatches=M" from a log. */
static int parse_result(const char *path, long long *checked, long long *mism)
{
    char *t = NULL, err[256], *p;
    size_t len;
    if (dnn_read_file(path, 64u << 20, &t, &len, err, sizeof err))
        return -1;
    p = strstr(t, "RESULT ");
    if (!p || sscanf(strstr(p, "checked="), "checked=%lld mismatches=%lld", checked, mism) != 2) {
        free(t);
        return -1;
    }
    free(t);
    return 0;
}

int cmd_verify(int argc, char **argv)
{
    dnn_design d;
    dnn_render r;
    const char *sim = "verilator", *profile = NULL, *rtl = NULL;
    char err[DNN_ERRLEN], cache[4096], tmp[4200], path[4400], logp[4400], lib[4200] = "";
    int64_t nvec = 1000, seed = 1, timeout = 0;
    int waves = 0, coverage = 0, rc, vrc;
    uint64_t h = DNN_HASH_INIT;
    sbuf files, glue, cmd, repro, tb;
    const char *root = dnn_root();
    double t0 = dnn_now();
    const char *vs = NULL, *ss = NULL, *ts = NULL, *art = NULL, *test_sim = NULL;
    char artdir[4096];
    const dnn_opt opts[] = { { "--sim", &sim, NULL, 0 },         { "--vectors", &vs, NULL, 0 },
                             { "--seed", &ss, NULL, 0 },         { "--profile", &profile, NULL, 0 },
                             { "--waves", NULL, &waves, 0 },     { "--rtl", &rtl, NULL, 0 },
                             { "--timeout", &ts, NULL, 0 },      { "--coverage", NULL, &coverage, 0 },
                             { "--artifacts", &art, NULL, 0 },   { "--test-sim", &test_sim, NULL, 0 },
                             { NULL, NULL, NULL, 0 } };
    memset(&r, 0, sizeof r);
    rc = dnn_parse_cmd(argc, argv, "verify", verify_help, opts, &d);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (strcmp(sim, "verilator") && strcmp(sim, "icarus") && strcmp(sim, "systemc"))
        return dnn_fail(DNN_EUSAGE, "verify: unknown simulator '%.60s' (legal: verilator, "
                                    "icarus, systemc)",
                        sim);
    if ((vs && dnn_parse_count("--vectors", vs, DNN_MAX_VECTORS, &nvec)) ||
        (ss && dnn_parse_count("--seed", ss, INT64_MAX, &seed)) ||
        (ts && dnn_parse_count("--timeout", ts, 7 * 86400, &timeout)))
        return DNN_EUSAGE;
    if (coverage && strcmp(sim, "verilator") != 0)
        return dnn_fail(DNN_EUSAGE, "verify: --coverage needs --sim verilator (legal: "
                                    "verilator)");
    if (test_sim && strcmp(test_sim, "crash") && strcmp(test_sim, "hang") &&
        strcmp(test_sim, "abort"))
        return dnn_fail(DNN_EUSAGE, "verify: unknown --test-sim '%.60s' (legal: crash, hang, "
                                    "abort)",
                        test_sim);
    if (art) {
        char *abs;
        if (dnn_mkdirs(art, err, sizeof err))
            return dnn_fail(DNN_EUSAGE, "verify: %s", err);
        abs = realpath(art, NULL); /* the simulation runs in another directory */
        snprintf(artdir, sizeof artdir, "%s", abs ? abs : art);
        free(abs);
    }
    if (strcmp(sim, "icarus") == 0 && nvec > 10000000)
        return dnn_fail(DNN_EUSAGE, "verify: --vectors %lld too large for icarus (legal: "
                                    "0..10000000)",
                        (long long)nvec);
    { /* validate the profile before building anything */
        gm_param ps[DNN_MAX_PARAMS];
        int np = dnn_design_gparams(&d, ps);
        gm_gen *g = gm_gen_open(d.blk->name, ps, np, (uint64_t)seed, nvec, profile, err,
                                sizeof err);
        if (!g)
            return dnn_fail(DNN_EUSAGE, "%s", err);
        gm_gen_close(g);
    }
    if (test_sim) { /* test only: a simulation that crashes or hangs, nothing built */
        char tcmd[4400];
        if (strcmp(test_sim, "abort") == 0)
            abort();
        mark_built(art, artdir);
        snprintf(tcmd, sizeof tcmd, "cd '%s' && %s", art ? artdir : ".",
                 strcmp(test_sim, "hang") == 0 ? "exec sleep 100000" : "kill -SEGV $$");
        vrc = dnn_run(tcmd, NULL, (int)timeout);
        return dnn_fail(DNN_ETOOL, "verify: %s simulation %s (status %d)", sim,
                        vrc == 128 + 9 ? "timed out" : "crashed", vrc);
    }
    rc = dnn_render_design(&d, &r, err, sizeof err);
    if (rc) {
        dnn_render_free(&r);
        return dnn_fail(rc, "%s", err);
    }
    sb_init(&files);
    sb_init(&glue);
    sb_init(&cmd);
    sb_init(&repro);
    sb_init(&tb);
    dnn_design_command(&d, "verify", &repro);
    if (rtl) {
        sb_puts(&repro, " --rtl ");
        sb_shell_word(&repro, rtl);
    }
    h = dnn_hash(h, sim, strlen(sim) + 1);
    h = dnn_hash(h, &waves, sizeof waves);
    if (coverage) /* hashed only when on: plain builds keep their cache keys */
        h = dnn_hash(h, "coverage", 8);
    h = dnn_hash(h, DNN_VERSION, sizeof DNN_VERSION);
    if (rtl) {
        rc = read_filelist(rtl, &files, &h, err, sizeof err);
        if (rc) {
            dnn_fail(rc, "verify: %s", err);
            goto out;
        }
    } else {
        int k, nv = dnn_render_nverilog(&r);
        for (k = 0; k < nv; k++)
            h = dnn_hash(h, r.files[k].data, r.files[k].len);
    }
    if (strcmp(sim, "icarus") == 0) {
        if (!have_tool("iverilog") || !have_tool("vvp")) {
            rc = dnn_fail(DNN_ETOOL, "verify: iverilog not found (run scripts/install-deps.sh)");
            goto out;
        }
        dnn_tb_icarus(&d, &r, repro.s, &tb);
        h = dnn_hash(h, tb.s, tb.len);
        h = hash_cmd(h, "iverilog -V 2>&1 | head -1");
    } else {
        if (!have_tool("verilator")) {
            rc = dnn_fail(DNN_ETOOL, "verify: verilator not found (run scripts/install-deps.sh)");
            goto out;
        }
        dnn_tb_glue(&d, &r, strcmp(sim, "systemc") == 0, &glue);
        h = dnn_hash(h, glue.s, glue.len);
        snprintf(path, sizeof path, "%s/verif/tb_check.h", root);
        h = hash_file(h, path);
        snprintf(path, sizeof path, "%s/verif/tb_%s.cpp", root, sim);
        h = hash_file(h, path);
        golden_lib(root, lib, sizeof lib);
        snprintf(path, sizeof path, "%s", lib);
        if (!dnn_file_exists(path)) {
            rc = dnn_fail(DNN_ETOOL, "verify: %s missing (run make)", path);
            goto out;
        }
        h = hash_file(h, path);
        h = hash_cmd(h, "verilator --version 2>&1");
    }

    snprintf(cache, sizeof cache, "%s/build/cache/%s-%016llx", root, sim, (unsigned long long)h);
    if (dnn_mkdirs(cache, err, sizeof err) == 0 && !dnn_file_exists(cache))
        (void)0;
    snprintf(path, sizeof path, "%s/ok", cache);
    if (!dnn_file_exists(path)) {
        outfile of[DNN_MAX_FILES];
        int nof = 0;
        snprintf(tmp, sizeof tmp, "%s.tmp.%ld", cache, (long)getpid());
        if (!rtl) {
            int k, nv = dnn_render_nverilog(&r);
            for (k = 0; k < nv; k++) {
                of[nof].name = r.files[k].name;
                of[nof].data = r.files[k].data;
                of[nof].len = r.files[k].len;
                nof++;
                sb_printf(&files, " %s/%s", tmp, r.files[k].name);
            }
        }
        if (strcmp(sim, "icarus") == 0) {
            of[nof].name = "tb.v";
            of[nof].data = tb.s;
            of[nof].len = tb.len;
        } else {
            of[nof].name = "tb_dut.h";
            of[nof].data = glue.s;
            of[nof].len = glue.len;
        }
        nof++;
        rc = dnn_write_files(tmp, of, nof, err, sizeof err);
        if (rc) {
            dnn_fail(DNN_ETOOL, "verify: %s", err);
            goto out;
        }
        snprintf(logp, sizeof logp, "%s/build.log", tmp);
        if (strcmp(sim, "icarus") == 0) {
            sb_printf(&cmd, "cd '%s' && iverilog -g2005 -Wall -Wno-timescale %s-o sim.vvp -s tb tb.v%s",
                      tmp, waves ? "-DTB_WAVES " : "", files.s);
        } else {
            int sc = strcmp(sim, "systemc") == 0;
            sb_printf(&cmd,
                      "cd '%s' && %sverilator %s --exe --build -O3 -j 2 --top-module %s "
                      "-Mdir obj -o vtb -Wno-fatal -MAKEFLAGS 'OPT_FAST=-O3 OPT_SLOW=-O1' --x-assign fast --x-initial fast %s%s -CFLAGS '-O3 -I%s/golden -I%s/verif -I%s%s' "
                      "-LDFLAGS '%s -lcjson -lm' %s %s/verif/tb_%s.cpp",
                      tmp,
                      sc ? "SYSTEMC_INCLUDE=/usr/include SYSTEMC_LIBDIR=/usr/lib/x86_64-linux-gnu "
                         : "",
                      sc ? "--sc" : "--cc", d.top, rtl ? "-Wno-lint -Wno-style " : "",
                      waves ? (coverage ? "--trace-fst --coverage-line --coverage-toggle "
                                        : "--trace-fst ")
                            : (coverage ? "--coverage-line --coverage-toggle " : ""),
                      root, root, tmp,
                      waves ? (coverage ? " -DTB_WAVES -DTB_COVERAGE" : " -DTB_WAVES")
                            : (coverage ? " -DTB_COVERAGE" : ""),
                      lib, files.s, root, sim);
        }
        {
            FILE *lf = fopen(logp, "w");
            if (lf) {
                fprintf(lf, "$ %s\n", cmd.s);
                fclose(lf);
            }
        }
        if (!getenv("DNNGEN_QUIET"))
            fprintf(stderr, "verify: building %s model of %s (cached in %s)\n", sim, d.top,
                    cache);
        vrc = dnn_run(cmd.s, logp, 0);
        if (vrc != 0) {
            dnn_fail(DNN_ETOOL, "verify: %s build failed (exit %d); log: %s", sim, vrc, logp);
            print_file(logp, 30);
            rc = DNN_ETOOL;
            goto out;
        }
        snprintf(path, sizeof path, "%s/ok", tmp);
        {
            FILE *f = fopen(path, "w");
            if (f)
                fclose(f);
        }
        if (rename(tmp, cache) != 0) {
            /* another run finished the same build first: use its copy */
            char rm[4400];
            snprintf(rm, sizeof rm, "rm -rf '%s'", tmp);
            (void)dnn_run(rm, NULL, 0);
            snprintf(path, sizeof path, "%s/ok", cache);
            if (!dnn_file_exists(path)) {
                rc = dnn_fail(DNN_ETOOL, "verify: cannot install build into %s", cache);
                goto out;
            }
        }
    }

    /* run */
    mark_built(art, artdir);
    sb_free(&cmd);
    sb_init(&cmd);
    snprintf(logp, sizeof logp, "%s/run-%ld.log", cache, (long)getpid());
    unlink(logp);
    if (strcmp(sim, "icarus") == 0) {
        char vec[4400];
        snprintf(vec, sizeof vec, "%s/vectors-%ld.txt", cache, (long)getpid());
        rc = dnn_write_vectors(&d, (uint64_t)seed, nvec, profile, vec, err, sizeof err);
        if (rc) {
            dnn_fail(rc, "verify: %s", err);
            goto out;
        }
        /* run where waves.fst should land: the tb dumps into its working directory */
        sb_printf(&cmd, "cd '%s' && vvp -n '%s/sim.vvp'%s +vectors=%s +seed=%lld +nvec=%lld",
                  art ? artdir : cache, cache, waves ? " -fst" : "", vec, (long long)seed,
                  (long long)nvec);
        vrc = dnn_run(cmd.s, logp, (int)timeout);
        unlink(vec);
    } else {
        sb_printf(&cmd, "cd '%s' && ./obj/vtb --seed %lld --vectors %lld --repro ", cache,
                  (long long)seed, (long long)nvec);
        sb_shell_word(&cmd, repro.s);
        if (profile) {
            sb_puts(&cmd, " --profile ");
            sb_shell_word(&cmd, profile);
        }
        if (waves)
            sb_printf(&cmd, " +waves=%s/waves.fst", art ? artdir : cache);
        if (coverage)
            sb_printf(&cmd, " +coverage=%s/coverage.dat", art ? artdir : cache);
        vrc = dnn_run(cmd.s, logp, (int)timeout);
    }
    print_file(logp, 0);
    {
        long long checked = 0, mism = 0;
        int parsed = parse_result(logp, &checked, &mism) == 0;
        unlink(logp);
        if (vrc >= 128 || vrc < 0) {
            rc = dnn_fail(DNN_ETOOL, "verify: %s simulation %s (status %d)", sim,
                          vrc == 128 + 9 ? "timed out" : "crashed", vrc);
        } else if (!parsed) {
            rc = dnn_fail(DNN_ETOOL, "verify: %s simulation printed no RESULT line (status %d)",
                          sim, vrc);
        } else if (mism > 0 || checked == 0 || vrc == 1) {
            printf("verify: FAIL %s %s (%lld checked, %lld mismatches) in %.1f s\n", d.top, sim,
                   checked, mism, dnn_now() - t0);
            rc = DNN_EVERIFY;
        } else if (vrc != 0) {
            rc = dnn_fail(DNN_ETOOL, "verify: %s simulation exited with status %d", sim, vrc);
        } else {
            printf("verify: PASS %s %s (%lld checked) in %.1f s%s%s\n", d.top, sim, checked,
                   dnn_now() - t0, waves ? "; waves in " : "",
                   waves ? (art ? artdir : cache) : "");
            rc = 0;
        }
    }
out:
    sb_free(&files);
    sb_free(&glue);
    sb_free(&cmd);
    sb_free(&repro);
    sb_free(&tb);
    dnn_render_free(&r);
    return rc;
}
