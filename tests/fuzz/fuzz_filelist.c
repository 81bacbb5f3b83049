/*
 * fuzz_filelist.c -- libFuzzer harness for filelists (`verify --rtl F`): every path handed
 * on must be one non-empty line, and parsing must never read past the input.
 */
#include <stdint.h>
#include <string.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check(void *ctx, const char *path)
{
    (void)ctx;
    if (!path[0] || strchr(path, '\n'))
        __builtin_trap();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int count;
    (void)dnn_filelist_parse((const char *)data, size, "/tmp/dir", check, NULL, &count);
    return 0;
}
