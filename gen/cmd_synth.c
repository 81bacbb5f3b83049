/*
 * cmd_synth.c -- `dnngen synth`: generate the design, run scripts/synth.sh (Yosys mapped
 * to a liberty, OpenSTA timing) and print its figures. The flow itself lives in the script
 * so that a user can rerun it by hand on the files it leaves in the work directory.
 */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"

static const char synth_help[] =
    "usage: dnngen synth BLOCK [-p NAME=VALUE]... [-c CONFIG.json] [--liberty FILE]\n"
    "                    [--period NS] [--json] [-o DIR]\n"
    "  Synthesizes the design with Yosys mapped to a liberty (default: the open osu018\n"
    "  library; a user's own .lib is accepted), times it with OpenSTA, and prints cells,\n"
    "  area (um^2), critical path (ns), fmax (MHz), flops and multipliers ($mul cells).\n"
    "  Fails (exit 1) if a latch is inferred.\n"
    "  --liberty FILE  liberty to map to (default /usr/share/qflow/tech/osu018/osu018_stdcells.lib)\n"
    "  --period NS     clock period for timing (default 10)\n"
    "  --json          one JSON object on stdout\n"
    "  -o DIR          work directory: netlist, logs, scripts (default build/synth/<top>)\n";

int cmd_synth(int argc, char **argv)
{
    dnn_design d;
    dnn_render r;
    const char *liberty = NULL, *period = NULL, *outdir = NULL;
    char err[DNN_ERRLEN], dir[4096], outp[4200];
    int json = 0, rc;
    sbuf cmd;
    char *text = NULL;
    size_t len;
    cJSON *res = NULL;
    const dnn_opt opts[] = { { "--liberty", &liberty, NULL, 0 }, { "--period", &period, NULL, 0 },
                             { "--json", NULL, &json, 0 },        { "-o", &outdir, NULL, 0 },
                             { NULL, NULL, NULL, 0 } };
    rc = dnn_parse_cmd(argc, argv, "synth", synth_help, opts, &d);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (liberty && access(liberty, R_OK) != 0)
        return dnn_fail(DNN_EUSAGE, "synth: cannot read liberty '%.200s'", liberty);
    if (period) {
        char *end;
        double p = strtod(period, &end);
        if (end == period || *end || !(p > 0.001 && p < 1e6))
            return dnn_fail(DNN_EUSAGE, "synth: bad --period '%.60s' (legal: 0.001..1e6 ns)",
                            period);
    }
    rc = dnn_render_design(&d, &r, err, sizeof err);
    if (rc) {
        dnn_render_free(&r);
        return dnn_fail(rc, "%s", err);
    }
    if (outdir)
        snprintf(dir, sizeof dir, "%s", outdir);
    else
        snprintf(dir, sizeof dir, "%s/build/synth/%s", dnn_root(), d.top);
    rc = dnn_write_files(dir, r.files, r.nfiles, err, sizeof err);
    if (rc) {
        dnn_render_free(&r);
        return dnn_fail(rc, "synth: %s", err);
    }
    sb_init(&cmd);
    sb_printf(&cmd, "bash %s/scripts/synth.sh --json --filelist ", dnn_root());
    sb_shell_word(&cmd, dir);
    sb_printf(&cmd, "/%s.f --top %s --out ", d.top, d.top);
    sb_shell_word(&cmd, dir);
    if (liberty) {
        sb_puts(&cmd, " --liberty ");
        sb_shell_word(&cmd, liberty);
    }
    if (period)
        sb_printf(&cmd, " --period %s", period);
    snprintf(outp, sizeof outp, "%s/result.json", dir);
    sb_puts(&cmd, " > ");
    sb_shell_word(&cmd, outp);
    unlink(outp);
    rc = dnn_run(cmd.s, NULL, 0);
    sb_free(&cmd);
    dnn_render_free(&r);
    if (rc == 1)
        return dnn_fail(DNN_EVERIFY, "synth: latch inferred in %s (see %s/yosys.log)", d.top, dir);
    if (rc == 2)
        return dnn_fail(DNN_EUSAGE, "synth: bad input to the synthesis flow (see above)");
    if (rc != 0)
        return dnn_fail(DNN_ETOOL, "synth: synthesis flow failed (exit %d); logs in %s", rc, dir);
    if (dnn_read_file(outp, 1 << 20, &text, &len, err, sizeof err) ||
        !(res = cJSON_ParseWithLength(text, len))) {
        free(text);
        return dnn_fail(DNN_ETOOL, "synth: no result from the synthesis flow in %s", outp);
    }
    { /* a filelist for gate-level co-simulation: dnngen verify --rtl <it> --sim icarus */
        char fl[4400];
        FILE *f;
        snprintf(fl, sizeof fl, "%s/%s_net.f", dir, d.top);
        f = fopen(fl, "w");
        if (f) {
            fprintf(f, "%s_net.v\n%s\n", d.top,
                    liberty ? "# add the Verilog models of your liberty's cells here"
                            : "/usr/share/qflow/tech/osu018/osu018_stdcells.v");
            fclose(f);
        }
    }
    if (json) {
        cJSON *cp = cJSON_Duplicate(res, 1);
        char *s;
        cJSON_AddStringToObject(cp, "block", d.blk->name);
        cJSON_AddStringToObject(cp, "workdir", dir);
        s = cJSON_PrintUnformatted(cp);
        printf("%s\n", s ? s : "{}");
        free(s);
        cJSON_Delete(cp);
    } else {
        const char *keys[] = { "cells", "area_um2", "critical_path_ns", "fmax_mhz", "flops",
                               "multipliers", "adders", "adders_data", "slack_ns",
                               "period_ns" };
        size_t k;
        cJSON *lib = cJSON_GetObjectItemCaseSensitive(res, "liberty");
        printf("synth %s (%s)\n", d.top, cJSON_IsString(lib) ? lib->valuestring : "?");
        for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            cJSON *v = cJSON_GetObjectItemCaseSensitive(res, keys[k]);
            if (cJSON_IsNumber(v))
                printf("  %-17s %g\n", keys[k], v->valuedouble);
        }
        printf("  workdir           %s\n", dir);
    }
    cJSON_Delete(res);
    free(text);
    return 0;
}
