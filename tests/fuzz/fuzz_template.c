/*
 * fuzz_template.c -- libFuzzer harness for the template expander (rtl_templates/ are ours,
 * but a user may point DNNGEN_ROOT at edited templates): any text must expand or fail with
 * a message, never crash or loop.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dnn_tvars tv;
    sbuf out;
    char err[256], *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    tv_init(&tv);
    tv_set(&tv, "N", "16");
    tv_set(&tv, "TOP", "top");
    tv_flag(&tv, "ON", 1);
    tv_flag(&tv, "OFF", 0);
    sb_init(&out);
    (void)dnn_template_expand(text, &tv, &out, err, sizeof err);
    sb_free(&out);
    tv_free(&tv);
    free(text);
    return 0;
}
