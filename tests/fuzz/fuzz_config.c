/*
 * fuzz_config.c -- libFuzzer harness for JSON design configs (-c CONFIG.json): the input is
 * the file's bytes. Every block's parser sees it; a config that parses is rendered in full
 * (template expansion, manifest, header, SDC), so any parameter set a config can reach is
 * exercised through the whole generator. Errors must be one-line messages, never crashes.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "design.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int b;
    for (b = 0; dnn_blocks[b]; b++) {
        dnn_design d;
        dnn_render r;
        char err[DNN_ERRLEN];
        dnn_design_defaults(&d, dnn_blocks[b]);
        err[0] = '\0';
        if (dnn_config_apply_text((const char *)data, size, "fuzz.json", &d, err, sizeof err)) {
            dnn_oneline(err); /* what dnn_fail prints */
            if (!err[0] || strchr(err, '\n'))
                __builtin_trap(); /* an error must be one non-empty line */
            continue;
        }
        if (d.blk->check(&d, err, sizeof err))
            continue;
        dnn_design_name(&d);
        if (dnn_render_design(&d, &r, err, sizeof err) == 0 && r.nfiles < 5)
            __builtin_trap();
        dnn_render_free(&r);
    }
    return 0;
}
