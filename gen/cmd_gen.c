/*
 * cmd_gen.c -- `dnngen list`, `dnngen gen` and `dnngen golden`, plus the helpers the other
 * subcommands share (block lookup, counts, the vectors file).
 *
 * The vectors file (docs/vectors.md) is line-oriented text so that an Icarus bench can read
 * it with $fgets/$sscanf and a person can read it in a pager: '#' lines are comments, then
 * one record per line: stream op delay cycle cycle2 followed by the stream's fields in hex.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"

int dnn_fail(int rc, const char *fmt, ...)
{
    va_list ap;
    char msg[2 * DNN_ERRLEN];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dnn_oneline(msg);
    fprintf(stderr, "dnngen: %s\n", msg);
    return rc;
}

int dnn_parse_count(const char *opt, const char *v, int64_t max, int64_t *out)
{
    char *end;
    long long x;
    errno = 0;
    x = strtoll(v, &end, 10);
    if (errno || end == v || *end || x < 0 || x > max)
        return dnn_fail(DNN_EUSAGE, "bad value '%.60s' for %s (legal: 0..%lld)", v, opt,
                        (long long)max);
    *out = x;
    return 0;
}

static void block_names(char *buf, size_t n)
{
    size_t used = 0;
    int i;
    buf[0] = '\0';
    for (i = 0; dnn_blocks[i]; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "",
                                 dnn_blocks[i]->name);
}

const dnn_block *dnn_take_block(int argc, char **argv, int *i, const char *sub)
{
    const dnn_block *b;
    char names[512];
    block_names(names, sizeof names);
    if (*i >= argc || argv[*i][0] == '-') {
        dnn_fail(DNN_EUSAGE, "%s: missing BLOCK (legal: %s)", sub, names);
        return NULL;
    }
    b = dnn_block_find(argv[*i]);
    if (!b) {
        dnn_fail(DNN_EUSAGE, "unknown block '%.60s' (legal: %s)", argv[*i], names);
        return NULL;
    }
    (*i)++;
    return b;
}

int dnn_parse_cmd(int argc, char **argv, const char *sub, const char *help, const dnn_opt *opts,
                  dnn_design *d)
{
    dnn_dopts o;
    const dnn_block *b;
    char err[DNN_ERRLEN], legal[512];
    int i = 1, rc, k;
    size_t used;
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(help, stdout);
        return -1;
    }
    b = dnn_take_block(argc, argv, &i, sub);
    if (!b)
        return DNN_EUSAGE;
    dnn_design_defaults(d, b);
    memset(&o, 0, sizeof o);
    used = (size_t)snprintf(legal, sizeof legal, "-p, -c, --prefix, --inject-fault");
    for (k = 0; opts[k].name; k++)
        used += (size_t)snprintf(legal + used, sizeof legal - used, ", %s", opts[k].name);
    while (i < argc) {
        rc = dnn_dopt(argc, argv, &i, &o, d, err, sizeof err);
        if (rc < 0)
            return dnn_fail(DNN_EUSAGE, "%s", err);
        if (rc)
            continue;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(help, stdout);
            return -1;
        }
        for (k = 0; opts[k].name; k++)
            if (strcmp(argv[i], opts[k].name) == 0)
                break;
        if (!opts[k].name)
            return dnn_fail(DNN_EUSAGE, "%s: unknown option '%.60s' (legal: %s)", sub, argv[i],
                            legal);
        if (opts[k].value) {
            if (i + 1 >= argc)
                return dnn_fail(DNN_EUSAGE, "%s: option %s needs a value", sub, argv[i]);
            if (opts[k].repeat > 0) {
                int j = 0;
                while (j < opts[k].repeat && opts[k].value[j])
                    j++;
                if (j == opts[k].repeat)
                    return dnn_fail(DNN_EUSAGE,
                                    "%s: option %s given more than %d times (legal: 1 to %d)",
                                    sub, argv[i], opts[k].repeat, opts[k].repeat);
                opts[k].value[j] = argv[i + 1];
            } else {
                *opts[k].value = argv[i + 1];
            }
            i += 2;
        } else {
            *opts[k].flag = 1;
            i++;
        }
    }
    if (dnn_dopts_apply(&o, d, err, sizeof err))
        return dnn_fail(DNN_EUSAGE, "%s", err);
    return 0;
}

static void list_block(const dnn_block *b)
{
    int i;
    printf("%s: %s\n", b->name, b->summary);
    for (i = 0; i < b->nparams; i++) {
        char def[64], legal[256];
        dnn_param_format(b, i, b->params[i].def, def, sizeof def);
        dnn_param_legal(b, i, legal, sizeof legal);
        printf("  %-10s default %-6s legal %-16s %s\n", b->params[i].name, def, legal,
               b->params[i].doc);
    }
    printf("  timing: %s\n  doc: %s\n", b->timing, b->doc);
}

int cmd_list(int argc, char **argv)
{
    int i = 1;
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: dnngen list [BLOCK]\n  Without BLOCK: every block with a one-line "
               "summary. With BLOCK: its parameters\n  (default, legal values, doc) and "
               "timing contract.\n");
        return 0;
    }
    if (argc > 2)
        return dnn_fail(DNN_EUSAGE, "list: too many arguments (usage: dnngen list [BLOCK])");
    if (argc == 2) {
        const dnn_block *b = dnn_take_block(argc, argv, &i, "list");
        if (!b)
            return DNN_EUSAGE;
        list_block(b);
        return 0;
    }
    for (i = 0; dnn_blocks[i]; i++)
        printf("%-14s %s\n", dnn_blocks[i]->name, dnn_blocks[i]->summary);
    return 0;
}

static const char gen_help[] =
    "usage: dnngen gen BLOCK [-p NAME=VALUE]... [-c CONFIG.json] [-o DIR] [--prefix P]\n"
    "  Writes DIR/<top>.v, <top>.f (filelist), manifest.json, <top>_params.h and <top>.sdc.\n"
    "  -p NAME=VALUE   set a parameter (see 'dnngen list BLOCK'); repeatable\n"
    "  -c CONFIG.json  {\"block\": \"pamac\", \"params\": {\"N\": 16}, \"prefix\": \"x_\"};\n"
    "                  -p options override it\n"
    "  -o DIR          output directory (default: out); created if missing\n"
    "  --prefix P      module name prefix (default dnn_)\n"
    "  --inject-fault K  test only: emit a variant with fault K (see docs/pamac.md)\n"
    "  Output is deterministic and atomic: identical inputs give identical bytes, and\n"
    "  an error or a kill leaves no partial file.\n";

int cmd_gen(int argc, char **argv)
{
    dnn_design d;
    dnn_render r;
    const char *outdir = "out";
    char err[DNN_ERRLEN];
    int rc, k;
    const dnn_opt opts[] = { { "-o", &outdir, NULL, 0 }, { NULL, NULL, NULL, 0 } };
    rc = dnn_parse_cmd(argc, argv, "gen", gen_help, opts, &d);
    if (rc)
        return rc < 0 ? 0 : rc;
    rc = dnn_render_design(&d, &r, err, sizeof err);
    if (rc) {
        dnn_render_free(&r);
        return dnn_fail(rc, "%s", err);
    }
    rc = dnn_write_files(outdir, r.files, r.nfiles, err, sizeof err);
    if (rc) {
        dnn_render_free(&r);
        return dnn_fail(rc, "%s", err);
    }
    for (k = 0; k < r.nfiles; k++)
        printf("%s/%s\n", outdir, r.files[k].name);
    dnn_render_free(&r);
    return 0;
}

int dnn_write_vectors(const dnn_design *d, uint64_t seed, int64_t nvec, const char *profile,
                      const char *path, char *err, size_t n)
{
    gm_param ps[DNN_MAX_PARAMS];
    int np = dnn_design_gparams(d, ps), s, k, rc;
    gm_gen *g = gm_gen_open(d->blk->name, ps, np, seed, nvec, profile, err, n);
    gm_rec r;
    sbuf b, cmd;
    int64_t nrec = 0;
    const char *dir;
    char *dcopy, *slash;
    outfile f;
    if (!g)
        return DNN_EUSAGE;
    sb_init(&b);
    sb_init(&cmd);
    dnn_design_command(d, "golden", &cmd);
    sb_printf(&b, "# dnngen vectors 1\n# block %s top %s\n", d->blk->name, d->top);
    sb_printf(&b, "# command: %s --vectors %lld --seed %llu%s%s\n", cmd.s, (long long)nvec,
              (unsigned long long)seed, profile ? " --profile " : "", profile ? profile : "");
    sb_printf(&b, "# seed %llu vectors %lld profile %s\n", (unsigned long long)seed,
              (long long)nvec, profile ? profile : "mixed");
    for (s = 0; s < gm_gen_nstreams(g); s++) {
        const gm_stream *st = gm_gen_stream(g, s);
        sb_printf(&b, "# stream %d %s %s fields", s, st->name, st->is_input ? "input" : "output");
        for (k = 0; k < st->nf; k++)
            sb_printf(&b, " %s:%d", st->f[k].name, st->f[k].width);
        sb_puts(&b, "\n");
    }
    sb_puts(&b, "# record: stream op delay cycle cycle2 fields(hex)...\n");
    while (gm_gen_next(g, &r)) {
        const gm_stream *st = gm_gen_stream(g, r.stream);
        sb_printf(&b, "%d %lld %lld %lld %lld", r.stream, (long long)r.op, (long long)r.delay,
                  (long long)r.cycle, (long long)r.cycle2);
        for (k = 0; k < st->nf; k++) {
            char hx[40];
            gm_val_hex(hx, r.f[k], st->f[k].width);
            sb_printf(&b, " %s", hx);
        }
        sb_puts(&b, "\n");
        nrec++;
        if (b.oom)
            break;
    }
    sb_printf(&b, "# end %lld records\n", (long long)nrec);
    gm_gen_close(g);
    sb_free(&cmd);
    if (b.oom) {
        sb_free(&b);
        snprintf(err, n, "out of memory writing vectors");
        return DNN_ETOOL;
    }
    dcopy = dnn_strdup(path);
    slash = dcopy ? strrchr(dcopy, '/') : NULL;
    if (slash) {
        *slash = '\0';
        dir = dcopy[0] ? dcopy : "/";
        f.name = slash + 1;
    } else {
        dir = ".";
        f.name = path;
    }
    f.data = b.s;
    f.len = b.len;
    if (!f.name[0]) {
        snprintf(err, n, "output '%s' names a directory, not a file", path);
        rc = DNN_EUSAGE;
    } else {
        rc = dnn_write_files(dir, &f, 1, err, n);
    }
    free(dcopy);
    sb_free(&b);
    return rc;
}

static const char golden_help[] =
    "usage: dnngen golden BLOCK [-p NAME=VALUE]... [-c CONFIG.json] --vectors N --seed S\n"
    "                     [--profile P] -o FILE\n"
    "  Writes stimulus, expected results and expected handshake edges from the golden\n"
    "  model in the text format of docs/vectors.md (read by the Icarus benches).\n"
    "  --profile P  mixed (default: directed corners, then random with stalls), uniform,\n"
    "               or terms:p0,p1,... (essential-term distribution of the decomposed operand)\n";

int cmd_golden(int argc, char **argv)
{
    dnn_design d;
    const char *out = NULL, *profile = NULL, *vs = NULL, *ss = NULL;
    char err[DNN_ERRLEN];
    int64_t nvec = -1, seed = 1;
    int rc;
    const dnn_opt opts[] = { { "-o", &out, NULL, 0 },
                             { "--vectors", &vs, NULL, 0 },
                             { "--seed", &ss, NULL, 0 },
                             { "--profile", &profile, NULL, 0 },
                             { NULL, NULL, NULL, 0 } };
    rc = dnn_parse_cmd(argc, argv, "golden", golden_help, opts, &d);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (vs && dnn_parse_count("--vectors", vs, DNN_MAX_VECTORS, &nvec))
        return DNN_EUSAGE;
    if (ss && dnn_parse_count("--seed", ss, INT64_MAX, &seed))
        return DNN_EUSAGE;
    if (!out)
        return dnn_fail(DNN_EUSAGE, "golden: missing -o FILE");
    if (nvec < 0)
        return dnn_fail(DNN_EUSAGE, "golden: missing --vectors N (legal: 0..%lld)",
                        (long long)DNN_MAX_VECTORS);
    if (nvec > 10000000)
        return dnn_fail(DNN_EUSAGE, "golden: --vectors %lld too large for a file (legal: "
                                    "0..10000000; verify runs more in-process)",
                        (long long)nvec);
    rc = dnn_write_vectors(&d, (uint64_t)seed, nvec, profile, out, err, sizeof err);
    if (rc)
        return dnn_fail(rc, "%s", err);
    return 0;
}
