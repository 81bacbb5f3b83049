// tb_systemc.cpp -- the SystemC testbench: the Verilator --sc model of the design bound to
// sc_signals, driven from sc_main by the same TbChecker as the C++ harness. The clock is
// toggled by the testbench (two 1 ns half periods) so edges are exactly where the checker
// expects them.
#include <chrono>

#include <systemc.h>

#include "tb_check.h"
#include "tb_dut.h"

struct ScPort {
    TbSignals *sig;
    void settle() { sc_start(1, SC_NS); }
    void edge()
    {
        sig->clk.write(true);
        sc_start(1, SC_NS);
        sig->clk.write(false);
        sc_start(1, SC_NS);
    }
    void reset()
    {
        sig->clk.write(false);
        sig->rst_n.write(false);
        tb_idle(sig);
        for (int i = 0; i < 3; i++) {
            settle();
            edge();
        }
        sig->rst_n.write(true);
        sc_start(1, SC_NS);
    }
    void set_valid(int s, bool v) { tb_set_valid(sig, s, v); }
    bool get_ready(int s) { return tb_get_ready(sig, s); }
    void set_fields(int s, const gm_val *f) { tb_set_fields(sig, s, f); }
    bool get_valid(int s) { return tb_get_valid(sig, s); }
    void set_ready(int s, bool v) { tb_set_ready(sig, s, v); }
    void get_fields(int s, gm_val *f) { tb_get_fields(sig, s, f); }
};

int sc_main(int argc, char **argv)
{
    TbOptions o;
    o.sim = "systemc";
    if (!tb_args(argc, argv, o))
        return 2;
    TbSignals sig;
    TB_TOP_CLASS dut("dut");
    sig.bind(&dut);
    ScPort port{ &sig };
    TbChecker<ScPort> chk(port, o);
    TbResult res;
    auto t0 = std::chrono::steady_clock::now();
    int rc = chk.run(TB_BLOCK, TB_PARAMS, TB_NPARAMS, res);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    dut.final();
    if (rc)
        return rc;
    return tb_report(o, res, secs);
}
