/*
 * tb_gen.h -- harness glue written per design by `dnngen verify`: the C++ port accessors
 * for the Verilator and SystemC harnesses (tb_dut.h) and the self-checking Icarus bench.
 * Both are derived from the golden library's stream description, never per block by hand.
 */
#ifndef DNN_TB_GEN_H
#define DNN_TB_GEN_H

#include "design.h"

/* systemc: 0 = Verilator C++ model, 1 = Verilator --sc model */
void dnn_tb_glue(const dnn_design *d, const dnn_render *r, int systemc, sbuf *out);
/* A Verilog-2005 bench reading a vectors file given as +vectors=FILE. */
void dnn_tb_icarus(const dnn_design *d, const dnn_render *r, const char *repro, sbuf *out);

#endif
