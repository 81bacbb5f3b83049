/*
 * fuzz_profile.c -- libFuzzer harness for the stimulus generator's inputs: --profile
 * strings, vector counts and golden parameter sets (pamac, mac_parallel, fofir, fpap_array,
 * lstm_pe, lstm_layer, fcu, fcu_reconf, fcu_pu, fcu_cp).
 * The first bytes choose the block and parameters (any values, legal or not), the rest is
 * the profile string; an accepted generator must produce records whose fields fit their
 * widths.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gm_stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gm_param ps[12];
    char err[256], *prof;
    gm_gen *g;
    gm_rec r;
    int n = 0, k;
    if (size < 7)
        return 0;
    ps[n].name = "N"; ps[n++].value = (int8_t)data[1];
    ps[n].name = "ACC"; ps[n++].value = (int16_t)(data[2] | data[3] << 8) % 300;
    ps[n].name = "SIGNED_A"; ps[n++].value = data[4] & 1;
    ps[n].name = "PREC"; ps[n++].value = (data[4] >> 1) & 1;
    if (!(data[0] & 1)) {
        ps[n].name = "DECOMP"; ps[n++].value = (int8_t)data[5] % 5;
        ps[n].name = "APPROX"; ps[n++].value = (data[4] >> 2) & 1;
    }
    prof = malloc(size - 6 + 1);
    if (!prof)
        return 0;
    memcpy(prof, data + 6, size - 6);
    prof[size - 6] = '\0';
    if (data[0] & 4) { /* fofir: K, XW, HW, ACC, SIGNED_X, DECOMP, APPROX, PREC */
        n = 0;
        ps[n].name = "K"; ps[n++].value = (int8_t)data[1] % 20;
        ps[n].name = "XW"; ps[n++].value = (int8_t)data[2] % 40;
        ps[n].name = "HW"; ps[n++].value = (int8_t)data[3] % 40;
        ps[n].name = "ACC"; ps[n++].value = (int8_t)data[5] % 140;
        ps[n].name = "APPROX"; ps[n++].value = (data[4] >> 2) & 1;
        ps[n].name = "PREC"; ps[n++].value = (data[4] >> 1) & 1;
    }
    if (data[0] & 8) { /* fpap_array: small arrays (the layer: profile reads files: not here) */
        n = 0;
        ps[n].name = "R"; ps[n++].value = (int8_t)data[1] % 4;
        ps[n].name = "C"; ps[n++].value = (int8_t)data[2] % 5;
        ps[n].name = "G"; ps[n++].value = (int8_t)data[3] % 4;
        ps[n].name = "K"; ps[n++].value = (int8_t)data[5] % 5;
        ps[n].name = "WMAX"; ps[n++].value = (data[5] % 5) + (data[4] % 9) - 1;
        ps[n].name = "DECOMP"; ps[n++].value = (data[4] >> 4) % 4;
        if (strncmp(prof, "layer:", 6) == 0)
            prof[0] = 'x';
    }
    if ((data[0] & 0x30) == 0x30) { /* lstm_pe: small matrices (hex: reads files: not here) */
        n = 0;
        ps[n].name = "ROWS"; ps[n++].value = (int8_t)data[1] % 5;
        ps[n].name = "COLS"; ps[n++].value = (int8_t)data[2] % 40;
        ps[n].name = "N"; ps[n++].value = (int8_t)data[3] % 20;
        ps[n].name = "K"; ps[n++].value = (int8_t)data[5] % 9;
        ps[n].name = "EF"; ps[n++].value = (data[4] >> 2) % 12;
        ps[n].name = "B"; ps[n++].value = 1 + (data[4] >> 4) * 2;
        ps[n].name = "ACC"; ps[n++].value = 20 + (data[5] >> 3);
        if (strncmp(prof, "hex:", 4) == 0)
            prof[0] = 'x';
    }
    if ((data[0] & 0x30) == 0x20) { /* lstm_layer: small layers, any values (mixed, sparse:P) */
        n = 0;
        ps[n].name = "I"; ps[n++].value = (int8_t)data[1] % 12;
        ps[n].name = "H"; ps[n++].value = (int8_t)data[2] % 10;
        ps[n].name = "N"; ps[n++].value = (int8_t)data[3] % 10;
        ps[n].name = "K"; ps[n++].value = (int8_t)data[5] % 5;
        ps[n].name = "P"; ps[n++].value = (data[4] >> 4) % 5;
        ps[n].name = "BATCH"; ps[n++].value = data[4] % 3;
        ps[n].name = "STEPS"; ps[n++].value = 1 + (data[4] >> 2) % 3;
        ps[n].name = "B"; ps[n++].value = 6 + (data[5] >> 3) % 28;
        ps[n].name = "F"; ps[n++].value = 4 + (data[5] >> 5);
        ps[n].name = "TQ"; ps[n++].value = (int8_t)data[3] * 7;
    }
    if ((data[0] & 0xc0) == 0xc0) { /* fcu / fcu_reconf: any widths, legal or not */
        n = 0;
        ps[n].name = "L"; ps[n++].value = (int8_t)data[1] % 12;
        ps[n].name = "XW"; ps[n++].value = (int8_t)data[2] % 30;
        ps[n].name = "HW"; ps[n++].value = (int8_t)data[3] % 30;
        ps[n].name = "OW"; ps[n++].value = (int8_t)data[5] % 70;
        ps[n].name = "PIPE"; ps[n++].value = (data[4] >> 4) % 4;
        if (data[4] & 1) { /* fcu_pu */
            ps[0].name = "K";
            ps[n].name = "BIAS"; ps[n++].value = (data[4] >> 1) & 1;
            ps[n].name = "RELU"; ps[n++].value = (data[4] >> 2) & 1;
            if (data[0] & 1) { /* fcu_cp */
                ps[n].name = "P"; ps[n++].value = (int8_t)data[3] % 12;
                ps[n].name = "POOL"; ps[n++].value = (data[4] >> 3) & 1;
            }
        }
    }
    g = gm_gen_open((data[0] & 0xc0) == 0xc0
                        ? ((data[4] & 1) ? ((data[0] & 1) ? "fcu_cp" : "fcu_pu")
                                        : (data[0] & 1) ? "fcu_reconf" : "fcu")
                    : (data[0] & 0x30) == 0x30 ? "lstm_pe"
                    : (data[0] & 0x30) == 0x20 ? "lstm_layer"
                    : (data[0] & 8)   ? "fpap_array"
                    : (data[0] & 4) ? "fofir"
                    : (data[0] & 1) ? "mac_parallel"
                                    : "pamac",
                    ps, n, data[4], 40, (data[0] & 2) ? NULL : prof, err, sizeof err);
    if (g) {
        while (gm_gen_next(g, &r)) {
            const gm_stream *st = gm_gen_stream(g, r.stream);
            for (k = 0; k < st->nf; k++)
                if (!gm_val_eq(gm_val_mask(r.f[k], st->f[k].width), r.f[k]))
                    __builtin_trap(); /* a field wider than its port */
        }
        gm_gen_close(g);
    }
    free(prof);
    return 0;
}
