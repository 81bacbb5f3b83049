/*
 * fuzz_params.c -- libFuzzer harness for the design options of every subcommand
 * (-p NAME=VALUE, --prefix, --inject-fault): the input is split at newlines into argv words.
 * A set that is accepted must give a legal module name and render.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "design.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1), *argv[64];
    int argc = 0, b, i;
    size_t k;
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    argv[argc++] = buf;
    for (k = 0; k < size && argc < 64; k++)
        if (buf[k] == '\n') {
            buf[k] = '\0';
            argv[argc++] = buf + k + 1;
        }
    for (b = 0; dnn_blocks[b]; b++) {
        dnn_design d;
        dnn_dopts o;
        dnn_render r;
        char err[DNN_ERRLEN];
        int rc = 0;
        dnn_design_defaults(&d, dnn_blocks[b]);
        memset(&o, 0, sizeof o);
        i = 0;
        while (i < argc) {
            rc = dnn_dopt(argc, argv, &i, &o, &d, err, sizeof err);
            if (rc < 0)
                break;
            if (rc == 0)
                i++; /* not a design option: the subcommand would reject it */
        }
        if (rc < 0 || dnn_dopts_apply(&o, &d, err, sizeof err))
            continue;
        for (k = 0; d.top[k]; k++)
            if (!isalnum((unsigned char)d.top[k]) && d.top[k] != '_')
                __builtin_trap(); /* module names must be Verilog identifiers */
        if (dnn_render_design(&d, &r, err, sizeof err) == 0 && r.nfiles < 5)
            __builtin_trap();
        dnn_render_free(&r);
    }
    free(buf);
    return 0;
}
