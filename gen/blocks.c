/*
 * blocks.c -- the registry. A new block adds its descriptor here.
 */
#include <string.h>

#include "block.h"

extern const dnn_block dnn_block_pamac;
extern const dnn_block dnn_block_mac_parallel;
extern const dnn_block dnn_block_fofir;
extern const dnn_block dnn_block_fpap_array;
extern const dnn_block dnn_block_fir_parallel;
extern const dnn_block dnn_block_lstm_pe;
extern const dnn_block dnn_block_lstm_layer;
extern const dnn_block dnn_block_fcu;
extern const dnn_block dnn_block_fcu_reconf;
extern const dnn_block dnn_block_fcu_pu;
extern const dnn_block dnn_block_fcu_cp;

const dnn_block *const dnn_blocks[] = { &dnn_block_pamac, &dnn_block_mac_parallel,
                                        &dnn_block_fofir, &dnn_block_fir_parallel,
                                        &dnn_block_fpap_array, &dnn_block_fcu,
                                        &dnn_block_fcu_reconf, &dnn_block_fcu_pu, &dnn_block_fcu_cp, &dnn_block_lstm_pe,
                                        &dnn_block_lstm_layer, NULL };

const dnn_block *dnn_block_find(const char *name)
{
    int i;
    for (i = 0; dnn_blocks[i]; i++)
        if (strcmp(dnn_blocks[i]->name, name) == 0)
            return dnn_blocks[i];
    return NULL;
}
