/*
 * tb_gen.c -- see tb_gen.h. The Icarus bench implements the same checks as
 * verif/tb_check.h (accept edge, first-valid edge, every payload bit, valid stability),
 * reading the records that the golden library wrote instead of calling it: Icarus has no
 * DPI here, and a file also lets a user rerun a bench without dnngen.
 */
#include <stdio.h>
#include <string.h>

#include "tb_gen.h"

static const char *vl_type(int w)
{
    return w <= 8 ? "CData" : w <= 16 ? "SData" : w <= 32 ? "IData" : "QData";
}

static void glue_set(sbuf *o, int systemc, const char *port, int w, const char *val)
{
    if (systemc) {
        if (w == 1)
            sb_printf(o, "        g->%s.write((%s.lo & 1u) != 0);\n", port, val);
        else if (w <= 32)
            sb_printf(o, "        g->%s.write((uint32_t)%s.lo);\n", port, val);
        else if (w <= 64)
            sb_printf(o, "        g->%s.write((uint64_t)%s.lo);\n", port, val);
        else
            sb_printf(o,
                      "        { sc_bv<%d> b_; b_.range(63, 0) = (uint64)%s.lo; b_.range(%d, 64) "
                      "= (uint64)%s.hi; g->%s.write(b_); }\n",
                      w, val, w - 1, val, port);
    } else {
        if (w <= 64)
            sb_printf(o, "        g->%s = (%s)%s.lo;\n", port, vl_type(w), val);
        else {
            int k;
            for (k = 0; k < (w + 31) / 32; k++)
                sb_printf(o, "        g->%s[%d] = (IData)(%s.%s >> %d);\n", port, k, val,
                          k < 2 ? "lo" : "hi", (k % 2) * 32);
        }
    }
}

static void glue_get(sbuf *o, int systemc, const char *port, int w, const char *dst)
{
    if (systemc) {
        if (w <= 64)
            sb_printf(o, "        %s = gm_val_from_u64((uint64_t)g->%s.read());\n", dst, port);
        else
            sb_printf(o,
                      "        { sc_bv<%d> b_ = g->%s.read(); %s.lo = b_.range(63, 0).to_uint64(); "
                      "%s.hi = b_.range(%d, 64).to_uint64(); }\n",
                      w, port, dst, dst, w - 1);
    } else {
        if (w <= 64)
            sb_printf(o, "        %s = gm_val_from_u64((uint64_t)g->%s);\n", dst, port);
        else {
            int k;
            sb_printf(o, "        %s.lo = 0; %s.hi = 0;\n", dst, dst);
            for (k = 0; k < (w + 31) / 32; k++)
                sb_printf(o, "        %s.%s |= (uint64_t)g->%s[%d] << %d;\n", dst,
                          k < 2 ? "lo" : "hi", port, k, (k % 2) * 32);
        }
    }
}

void dnn_tb_glue(const dnn_design *d, const dnn_render *r, int sc, sbuf *o)
{
    const char *G = sc ? "TbSignals" : "TB_TOP_CLASS";
    int i, k;
    sb_printf(o, "// tb_dut.h for %s (%s), written by dnngen verify.\n#pragma once\n", d->top,
              sc ? "SystemC" : "Verilator C++");
    sb_printf(o, "#include \"V%s.h\"\n#include \"gm_stream.h\"\n#define TB_TOP_CLASS V%s\n",
              d->top, d->top);
    sb_printf(o, "static const char *const TB_BLOCK = \"%s\";\n", d->blk->name);
    sb_printf(o, "static const gm_param TB_PARAMS[] = {");
    for (i = 0; i < d->blk->nparams; i++)
        sb_printf(o, "%s{ \"%s\", %lld }", i ? ", " : " ", d->blk->params[i].name,
                  (long long)d->pv[i]);
    sb_printf(o, " };\nstatic const int TB_NPARAMS = %d;\n", d->blk->nparams);
    if (sc) {
        sb_puts(o, "struct TbSignals {\n    sc_signal<bool> clk, rst_n;\n");
        for (i = 0; i < r->nstreams; i++) {
            const gm_stream *s = &r->streams[i];
            sb_printf(o, "    sc_signal<bool> %s_valid, %s_ready;\n", s->name, s->name);
            for (k = 0; k < s->nf; k++) {
                int w = s->f[k].width;
                if (w == 1)
                    sb_printf(o, "    sc_signal<bool> %s_%s;\n", s->name, s->f[k].name);
                else if (w <= 32)
                    sb_printf(o, "    sc_signal<uint32_t> %s_%s;\n", s->name, s->f[k].name);
                else if (w <= 64)
                    sb_printf(o, "    sc_signal<uint64_t> %s_%s;\n", s->name, s->f[k].name);
                else
                    sb_printf(o, "    sc_signal<sc_bv<%d> > %s_%s;\n", w, s->name, s->f[k].name);
            }
        }
        sb_puts(o, "    void bind(TB_TOP_CLASS *m) {\n        m->clk(clk);\n        m->rst_n(rst_n);\n");
        for (i = 0; i < r->nstreams; i++) {
            const gm_stream *s = &r->streams[i];
            sb_printf(o, "        m->%s_valid(%s_valid);\n        m->%s_ready(%s_ready);\n",
                      s->name, s->name, s->name, s->name);
            for (k = 0; k < s->nf; k++)
                sb_printf(o, "        m->%s_%s(%s_%s);\n", s->name, s->f[k].name, s->name,
                          s->f[k].name);
        }
        sb_puts(o, "    }\n};\n");
    }
    /* idle: all valids low, all readies low */
    sb_printf(o, "static inline void tb_idle(%s *g) {\n", G);
    for (i = 0; i < r->nstreams; i++) {
        const gm_stream *s = &r->streams[i];
        if (sc)
            sb_printf(o, "    g->%s_%s.write(false);\n", s->name, s->is_input ? "valid" : "ready");
        else
            sb_printf(o, "    g->%s_%s = 0;\n", s->name, s->is_input ? "valid" : "ready");
    }
    sb_puts(o, "}\n");
#define SWITCH_BEGIN(ret, name, args)                                                          \
    sb_printf(o, "static inline %s %s(%s *g, int s%s) {\n    switch (s) {\n", ret, name, G, args)
    /* valid / ready */
    SWITCH_BEGIN("void", "tb_set_valid", ", bool v");
    for (i = 0; i < r->nstreams; i++)
        if (r->streams[i].is_input)
            sb_printf(o, sc ? "    case %d: g->%s_valid.write(v); break;\n"
                            : "    case %d: g->%s_valid = v ? 1 : 0; break;\n",
                      i, r->streams[i].name);
    sb_puts(o, "    default: break;\n    }\n}\n");
    SWITCH_BEGIN("void", "tb_set_ready", ", bool v");
    for (i = 0; i < r->nstreams; i++)
        if (!r->streams[i].is_input)
            sb_printf(o, sc ? "    case %d: g->%s_ready.write(v); break;\n"
                            : "    case %d: g->%s_ready = v ? 1 : 0; break;\n",
                      i, r->streams[i].name);
    sb_puts(o, "    default: break;\n    }\n}\n");
    SWITCH_BEGIN("bool", "tb_get_ready", "");
    for (i = 0; i < r->nstreams; i++)
        if (r->streams[i].is_input)
            sb_printf(o, sc ? "    case %d: return g->%s_ready.read();\n"
                            : "    case %d: return g->%s_ready != 0;\n",
                      i, r->streams[i].name);
    sb_puts(o, "    default: return false;\n    }\n}\n");
    SWITCH_BEGIN("bool", "tb_get_valid", "");
    for (i = 0; i < r->nstreams; i++)
        if (!r->streams[i].is_input)
            sb_printf(o, sc ? "    case %d: return g->%s_valid.read();\n"
                            : "    case %d: return g->%s_valid != 0;\n",
                      i, r->streams[i].name);
    sb_puts(o, "    default: return false;\n    }\n}\n");
    SWITCH_BEGIN("void", "tb_set_fields", ", const gm_val *f");
    for (i = 0; i < r->nstreams; i++) {
        const gm_stream *s = &r->streams[i];
        if (!s->is_input)
            continue;
        sb_printf(o, "    case %d:\n", i);
        for (k = 0; k < s->nf; k++) {
            char port[96], val[16];
            snprintf(port, sizeof port, "%s_%s", s->name, s->f[k].name);
            snprintf(val, sizeof val, "f[%d]", k);
            glue_set(o, sc, port, s->f[k].width, val);
        }
        sb_puts(o, "        break;\n");
    }
    sb_puts(o, "    default: break;\n    }\n}\n");
    SWITCH_BEGIN("void", "tb_get_fields", ", gm_val *f");
    for (i = 0; i < r->nstreams; i++) {
        const gm_stream *s = &r->streams[i];
        if (s->is_input)
            continue;
        sb_printf(o, "    case %d:\n", i);
        for (k = 0; k < s->nf; k++) {
            char port[96], dst[16];
            snprintf(port, sizeof port, "%s_%s", s->name, s->f[k].name);
            snprintf(dst, sizeof dst, "f[%d]", k);
            glue_get(o, sc, port, s->f[k].width, dst);
        }
        sb_puts(o, "        break;\n");
    }
    sb_puts(o, "    default: break;\n    }\n}\n");
#undef SWITCH_BEGIN
}

/* ------------------------------------------------------------------ Icarus bench */

void dnn_tb_icarus(const dnn_design *d, const dnn_render *r, const char *repro, sbuf *o)
{
    int i, k;
    /* records read ahead per stream: a block may need many inputs before its next output
     * (an lstm_pe weight load is ROWS*KPR records); tb_check.h reads as far ahead */
    const int depth = 65536;
    sb_printf(o, "// Self-checking Icarus bench for %s, written by dnngen verify.\n", d->top);
    sb_puts(o, "// Reads +vectors=FILE (docs/vectors.md); same checks as verif/tb_check.h.\n");
    sb_puts(o, "`timescale 1ns/1ps\n`default_nettype none\nmodule tb;\n");
    sb_puts(o, "  reg clk = 1'b0;\n  reg rst_n = 1'b0;\n");
    for (i = 0; i < r->nstreams; i++) {
        const gm_stream *s = &r->streams[i];
        const char *drv = s->is_input ? "reg " : "wire";
        sb_printf(o, "  %s %s_valid;\n  %s %s_ready;\n", s->is_input ? "reg " : "wire", s->name,
                  s->is_input ? "wire" : "reg ", s->name);
        for (k = 0; k < s->nf; k++)
            sb_printf(o, "  %s [%d:0] %s_%s;\n", drv, s->f[k].width - 1, s->name, s->f[k].name);
        /* queue storage */
        sb_printf(o, "  reg [63:0] q%d_op [0:%d];\n  reg [63:0] q%d_dl [0:%d];\n", i, depth - 1, i,
                  depth - 1);
        sb_printf(o, "  reg [63:0] q%d_cy [0:%d];\n", i, depth - 1);
        for (k = 0; k < s->nf; k++)
            sb_printf(o, "  reg [%d:0] q%d_f%d [0:%d];\n", s->f[k].width - 1, i, k, depth - 1);
        sb_printf(o, "  integer q%d_h, q%d_n;\n  reg [63:0] last%d;\n  reg signed [63:0] fv%d;\n", i,
                  i, i, i);
        if (!s->is_input)
            for (k = 0; k < s->nf; k++)
                sb_printf(o, "  reg [%d:0] held%d_%d;\n", s->f[k].width - 1, i, k);
        if (s->is_input)
            for (k = 0; k < s->nf; k++)
                sb_printf(o, "  reg [%d:0] hist%d_f%d [0:63];\n", s->f[k].width - 1, i, k);
    }
    sb_printf(o, "\n  %s dut (\n    .clk(clk),\n    .rst_n(rst_n)", d->top);
    for (i = 0; i < r->nstreams; i++) {
        const gm_stream *s = &r->streams[i];
        sb_printf(o, ",\n    .%s_valid(%s_valid),\n    .%s_ready(%s_ready)", s->name, s->name,
                  s->name, s->name);
        for (k = 0; k < s->nf; k++)
            sb_printf(o, ",\n    .%s_%s(%s_%s)", s->name, s->f[k].name, s->name, s->f[k].name);
    }
    sb_puts(o, "\n  );\n\n");
    sb_printf(o, "  integer fd, c, code, sid, total, e_int;\n"
               "  reg [63:0] op, dl, cy, cy2, e, last_progress, seed, nvec;\n"
               "  reg [127:0] fv [0:%d];\n", GM_MAX_FIELDS - 1);
    sb_puts(o, "  reg eof, stop, reported, ok, v, rdy;\n"
               "  reg [63:0] checked, mismatches, accepted;\n"
               "  reg [1023:0] vfile;\n"
               "  reg [8*1024-1:0] skip;\n"
               "  integer qi;\n"
               "  reg [127:0] junk;\n\n");
    /* read one record into the queues */
    sb_puts(o, "  task read_record;\n    begin\n      c = $fgetc(fd);\n"
               "      while (c == \"#\" || c == 10 || c == 13 || c == 32) begin\n"
               "        if (c == \"#\") code = $fgets(skip, fd);\n"
               "        c = $fgetc(fd);\n      end\n"
               "      if (c < 0) eof = 1'b1;\n      else begin\n"
               "        code = $ungetc(c, fd);\n"
               "        code = $fscanf(fd, \"%d %d %d %d %d\", sid, op, dl, cy, cy2);\n"
               "        if (code != 5) begin\n"
               "          $display(\"FAIL: malformed vectors file (record %0d)\", total);\n"
               "          $finish;\n        end\n");
    for (i = 0; i < r->nstreams; i++) {
        const gm_stream *s = &r->streams[i];
        sb_printf(o, "        if (sid == %d) begin\n", i);
        for (k = 0; k < s->nf; k++)
            sb_printf(o, "          code = $fscanf(fd, \" %%h\", fv[%d]);\n", k);
        sb_printf(o, "          if (q%d_n == %d) begin\n"
                     "            $display(\"FAIL: more than %d records read ahead on stream %s\");\n"
                     "            $finish;\n          end\n",
                  i, depth, depth, s->name);
        sb_printf(o, "          qi = (q%d_h + q%d_n) %% %d;\n", i, i, depth);
        sb_printf(o, "          q%d_op[qi] = op; q%d_dl[qi] = dl; q%d_cy[qi] = (%d ? cy : cy);\n",
                  i, i, i, s->is_input);
        for (k = 0; k < s->nf; k++)
            sb_printf(o, "          q%d_f%d[qi] = fv[%d][%d:0];\n", i, k, k, s->f[k].width - 1);
        sb_printf(o, "          q%d_n = q%d_n + 1;\n        end\n", i, i);
    }
    sb_puts(o, "        total = total + 1;\n      end\n    end\n  endtask\n\n");
    sb_puts(o, "  task repro;\n    begin\n");
    sb_printf(o, "      $display(\"  reproduce: %s --sim icarus --seed %%0d --vectors %%0d\", seed, "
                 "nvec);\n",
              repro);
    sb_puts(o, "    end\n  endtask\n\n");
    sb_puts(o, "  task hdr(input [8*16-1:0] what);\n    begin\n"
               "      if (!reported) $display(\"MISMATCH (%0s) at edge %0d [icarus, seed %0d]\", "
               "what, e, seed);\n"
               "      reported = 1'b1;\n    end\n  endtask\n\n");

    sb_puts(o, "  initial begin\n"
               "    if (!$value$plusargs(\"vectors=%s\", vfile)) begin\n"
               "      $display(\"FAIL: no +vectors=FILE\");\n      $finish;\n    end\n"
               "    if (!$value$plusargs(\"seed=%d\", seed)) seed = 0;\n"
               "    if (!$value$plusargs(\"nvec=%d\", nvec)) nvec = 0;\n"
               "    fd = $fopen(vfile, \"r\");\n"
               "    if (fd == 0) begin\n      $display(\"FAIL: cannot open vectors\");\n"
               "      $finish;\n    end\n"
               "`ifdef TB_WAVES\n    $dumpfile(\"waves.fst\");\n    $dumpvars(0, tb);\n`endif\n"
               "    eof = 1'b0; stop = 1'b0; reported = 1'b0; total = 0;\n"
               "    checked = 0; mismatches = 0; accepted = 0; e = 0; last_progress = 0;\n");
    for (i = 0; i < r->nstreams; i++) {
        const gm_stream *s = &r->streams[i];
        sb_printf(o, "    q%d_h = 0; q%d_n = 0; last%d = 64'hffffffffffffffff; fv%d = -1;\n", i,
                  i, i, i);
        sb_printf(o, "    %s_%s = 1'b0;\n", s->name, s->is_input ? "valid" : "ready");
    }
    sb_puts(o, "    repeat (3) begin #5 clk = 1'b1; #5 clk = 1'b0; end\n"
               "    rst_n = 1'b1;\n    #1;\n"
               "    while (!stop) begin\n");
    /* refill */
    sb_puts(o, "      while (!eof && (");
    for (i = 0; i < r->nstreams; i++)
        sb_printf(o, "%sq%d_n == 0", i ? " || " : "", i);
    sb_puts(o, ")) read_record;\n      if (eof");
    for (i = 0; i < r->nstreams; i++)
        sb_printf(o, " && q%d_n == 0", i);
    sb_puts(o, ") stop = 1'b1;\n      else begin\n");
    /* drive */
    for (i = 0; i < r->nstreams; i++) {
        const gm_stream *s = &r->streams[i];
        if (s->is_input) {
            sb_printf(o, "        v = q%d_n > 0 && e >= last%d + 1 + q%d_dl[q%d_h];\n", i, i, i, i);
            sb_printf(o, "        %s_valid = v;\n", s->name);
            for (k = 0; k < s->nf; k++)
                sb_printf(o, "        %s_%s = v ? q%d_f%d[q%d_h] : {4{$random}};\n", s->name,
                          s->f[k].name, i, k, i);
        } else {
            sb_printf(o, "        %s_ready = q%d_n == 0 || e >= last%d + 1 + q%d_dl[q%d_h];\n",
                      s->name, i, i, i, i);
        }
    }
    sb_puts(o, "        #1;\n");
    /* sample */
    for (i = 0; i < r->nstreams; i++) {
        const gm_stream *s = &r->streams[i];
        if (s->is_input) {
            sb_printf(o, "        if (!stop && q%d_n > 0) begin\n", i);
            sb_printf(o, "          v = e >= last%d + 1 + q%d_dl[q%d_h];\n", i, i, i);
            sb_printf(o, "          if (v && %s_ready) begin\n", s->name);
            sb_printf(o, "            if (e != q%d_cy[q%d_h]) begin\n"
                         "              hdr(\"cycle\");\n"
                         "              $display(\"  stream %s op #%%0d: accepted at edge %%0d, the "
                         "cycle model says edge %%0d\", q%d_op[q%d_h], e, q%d_cy[q%d_h]);\n",
                      i, i, s->name, i, i, i, i);
            for (k = 0; k < s->nf; k++)
                sb_printf(o, "              $display(\"  %s_%s=0x%%h\", q%d_f%d[q%d_h]);\n", s->name,
                          s->f[k].name, i, k, i);
            sb_puts(o, "              repro; mismatches = mismatches + 1; stop = 1'b1;\n"
                       "            end\n");
            sb_printf(o, "            last%d = e;\n", i);
            for (k = 0; k < s->nf; k++)
                sb_printf(o, "            hist%d_f%d[q%d_op[q%d_h] %% 64] = q%d_f%d[q%d_h];\n", i, k,
                          i, i, i, k, i);
            sb_printf(o, "            q%d_h = (q%d_h + 1) %% %d; q%d_n = q%d_n - 1;\n", i, i, depth,
                      i, i);
            sb_puts(o, "            accepted = accepted + 1; last_progress = e;\n");
            sb_printf(o, "          end else if (v && e >= q%d_cy[q%d_h]) begin\n", i, i);
            sb_printf(o, "            hdr(\"cycle\");\n"
                         "            $display(\"  stream %s op #%%0d: not accepted at edge %%0d, "
                         "the cycle model says edge %%0d\", q%d_op[q%d_h], e, q%d_cy[q%d_h]);\n",
                      s->name, i, i, i, i);
            sb_puts(o, "            repro; mismatches = mismatches + 1; stop = 1'b1;\n"
                       "          end\n        end\n");
        } else {
            sb_printf(o, "        if (!stop) begin\n          if (!%s_valid) begin\n", s->name);
            sb_printf(o, "            if (fv%d >= 0) begin\n              hdr(\"protocol\");\n"
                         "              $display(\"  stream %s: valid dropped before the "
                         "transfer\");\n"
                         "              repro; mismatches = mismatches + 1; stop = 1'b1;\n"
                         "            end else if (q%d_n > 0 && e >= q%d_cy[q%d_h]) begin\n"
                         "              hdr(\"cycle\");\n"
                         "              $display(\"  stream %s op #%%0d: valid still low at edge "
                         "%%0d, the cycle model says edge %%0d\", q%d_op[q%d_h], e, q%d_cy[q%d_h]);\n"
                         "              repro; mismatches = mismatches + 1; stop = 1'b1;\n"
                         "            end\n",
                      i, s->name, i, i, i, s->name, i, i, i, i);
            sb_printf(o, "          end else if (q%d_n == 0) begin\n"
                         "            hdr(\"protocol\");\n"
                         "            $display(\"  stream %s: output valid but the golden model "
                         "expects no more transactions\");\n"
                         "            repro; mismatches = mismatches + 1; stop = 1'b1;\n"
                         "          end else begin\n",
                      i, s->name);
            sb_printf(o, "            if (fv%d < 0) begin\n"
                         "              if (e != q%d_cy[q%d_h]) begin\n"
                         "                hdr(\"cycle\");\n"
                         "                $display(\"  stream %s op #%%0d: valid rose at edge %%0d, "
                         "the cycle model says edge %%0d\", q%d_op[q%d_h], e, q%d_cy[q%d_h]);\n"
                         "                repro; mismatches = mismatches + 1; stop = 1'b1;\n"
                         "              end\n              fv%d = e;\n",
                      i, i, i, s->name, i, i, i, i, i);
            for (k = 0; k < s->nf; k++)
                sb_printf(o, "              held%d_%d = %s_%s;\n", i, k, s->name, s->f[k].name);
            sb_puts(o, "            end else begin\n              ok = 1'b1;\n");
            for (k = 0; k < s->nf; k++)
                sb_printf(o, "              if (held%d_%d !== %s_%s) ok = 1'b0;\n", i, k, s->name,
                          s->f[k].name);
            sb_printf(o, "              if (!ok) begin\n                hdr(\"protocol\");\n"
                         "                $display(\"  stream %s: payload changed while valid "
                         "and not ready\");\n"
                         "                repro; mismatches = mismatches + 1; stop = 1'b1;\n"
                         "              end\n            end\n",
                      s->name);
            sb_printf(o, "            rdy = e >= last%d + 1 + q%d_dl[q%d_h];\n"
                         "            if (!stop && rdy) begin\n              ok = 1'b1;\n",
                      i, i, i);
            for (k = 0; k < s->nf; k++)
                sb_printf(o, "              if (%s_%s !== q%d_f%d[q%d_h]) ok = 1'b0;\n", s->name,
                          s->f[k].name, i, k, i);
            sb_puts(o, "              if (!ok) begin\n"
                       "                if (!reported) begin\n"
                       "                  hdr(\"value\");\n");
            sb_printf(o, "                  $display(\"  stream %s op #%%0d\", q%d_op[q%d_h]);\n",
                      s->name, i, i);
            /* operands of the same op number on every input stream */
            {
                int j, kk;
                for (j = 0; j < r->nstreams; j++) {
                    if (!r->streams[j].is_input)
                        continue;
                    for (kk = 0; kk < r->streams[j].nf; kk++)
                        sb_printf(o,
                                  "                  $display(\"  operand %s_%s=0x%%h\", "
                                  "hist%d_f%d[q%d_op[q%d_h] %% 64]);\n",
                                  r->streams[j].name, r->streams[j].f[kk].name, j, kk, i, i);
                }
            }
            for (k = 0; k < s->nf; k++)
                sb_printf(o,
                          "                  $display(\"  expected %s_%s=0x%%h actual 0x%%h\", "
                          "q%d_f%d[q%d_h], %s_%s);\n",
                          s->name, s->f[k].name, i, k, i, s->name, s->f[k].name);
            sb_puts(o, "                  repro;\n                end\n"
                       "                mismatches = mismatches + 1;\n              end\n"
                       "              checked = checked + 1;\n");
            sb_printf(o, "              last%d = e; fv%d = -1; last_progress = e;\n"
                         "              q%d_h = (q%d_h + 1) %% %d; q%d_n = q%d_n - 1;\n"
                         "            end\n          end\n        end\n",
                      i, i, i, i, depth, i, i);
        }
    }
    sb_puts(o, "        if (!stop && e - last_progress > 100000) begin\n"
               "          hdr(\"hang\");\n"
               "          $display(\"  no transfer for 100000 edges\");\n"
               "          repro; mismatches = mismatches + 1; stop = 1'b1;\n        end\n"
               "        if (!stop) begin\n"
               "          #4 clk = 1'b1;\n          #5 clk = 1'b0;\n          e = e + 1;\n"
               "        end\n      end\n    end\n");
    sb_puts(o, "    $display(\"icarus: vectors checked %0d, mismatches %0d, cycles %0d\", checked, "
               "mismatches, e);\n"
               "    $display(\"RESULT sim=icarus checked=%0d mismatches=%0d cycles=%0d\", checked, "
               "mismatches, e);\n"
               "    if (checked == 0) $display(\"FAIL: zero vectors checked\");\n"
               "    $fclose(fd);\n    $finish;\n  end\nendmodule\n`default_nettype wire\n");
}
