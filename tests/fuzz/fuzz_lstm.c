/*
 * fuzz_lstm.c -- libFuzzer harness for float LSTM model files (gm_lstm_parse): any text
 * gives a one-line error or a model that compresses at (16,2) with every group full.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gm_lstm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gm_lstm_float m;
    gm_lstm_comp z;
    gm_lstm_cfg c = { 16, 2, 0, 7 };
    char err[256];
    if (gm_lstm_parse(&m, (const char *)data, size, err, sizeof err) == 0) {
        if ((size_t)m.in * (size_t)m.hid < 100000) {
            if (gm_lstm_compress(&m, &c, &z, err, sizeof err) != 0)
                __builtin_trap();
            if (z.w.kept_per_row != 2 * (m.in / 16) + (m.in % 16 >= 2 ? 2 : m.in % 16))
                __builtin_trap();
            gm_lstm_comp_free(&z);
        }
        gm_lstm_float_free(&m);
    } else if (strchr(err, '\n')) {
        __builtin_trap();
    }
    return 0;
}
