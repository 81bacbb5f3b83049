// tb_verilator.cpp -- the Verilator C++ harness: a Verilated model, clocked by hand, checked
// by TbChecker against the golden library linked in. The design-specific part (the model
// class and its ports) comes from tb_dut.h, which `dnngen verify` writes for each design.
#include <chrono>
#include <memory>

#include "tb_check.h"
#include "tb_dut.h"
#include "verilated.h"
#ifdef TB_WAVES
#include "verilated_fst_c.h"
#endif

struct VPort {
    VerilatedContext *ctx;
    TB_TOP_CLASS *m;
#ifdef TB_WAVES
    VerilatedFstC *tfp = nullptr;
#endif
    uint64_t t = 0;
    void dump()
    {
#ifdef TB_WAVES
        if (tfp)
            tfp->dump(t);
#endif
        t++;
    }
    void settle()
    {
        m->eval();
        dump();
    }
    // The falling edge is not evaluated on its own: no logic is sensitive to it, and the
    // next settle() evaluates the new inputs and clk = 0 together (one eval less per cycle).
    void edge()
    {
        m->clk = 1;
        m->eval();
        dump();
        m->clk = 0;
    }
    void reset()
    {
        m->clk = 0;
        m->rst_n = 0;
        tb_idle(m);
        m->eval();
        for (int i = 0; i < 3; i++) {
            settle();
            edge();
        }
        m->rst_n = 1;
        m->eval();
    }
    void set_valid(int s, bool v) { tb_set_valid(m, s, v); }
    bool get_ready(int s) { return tb_get_ready(m, s); }
    void set_fields(int s, const gm_val *f) { tb_set_fields(m, s, f); }
    bool get_valid(int s) { return tb_get_valid(m, s); }
    void set_ready(int s, bool v) { tb_set_ready(m, s, v); }
    void get_fields(int s, gm_val *f) { tb_get_fields(m, s, f); }
};

int main(int argc, char **argv)
{
    TbOptions o;
    o.sim = "verilator";
    if (!tb_args(argc, argv, o))
        return 2;
    auto ctx = std::make_unique<VerilatedContext>();
    ctx->commandArgs(argc, argv);
    auto m = std::make_unique<TB_TOP_CLASS>(ctx.get());
    VPort port{ ctx.get(), m.get() };
#ifdef TB_WAVES
    const char *wf = ctx->commandArgsPlusMatch("waves=");
    std::unique_ptr<VerilatedFstC> tfp;
    if (wf && wf[0]) {
        ctx->traceEverOn(true);
        tfp = std::make_unique<VerilatedFstC>();
        m->trace(tfp.get(), 99);
        tfp->open(wf + 7);
        port.tfp = tfp.get();
        std::printf("waves: %s\n", wf + 7);
    }
#endif
    TbChecker<VPort> chk(port, o);
    TbResult res;
    auto t0 = std::chrono::steady_clock::now();
    int rc = chk.run(TB_BLOCK, TB_PARAMS, TB_NPARAMS, res);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
#ifdef TB_WAVES
    if (tfp)
        tfp->close();
#endif
    m->final();
#ifdef TB_COVERAGE
    // dnngen verify --coverage: line and toggle points, merged later by verilator_coverage
    const char *cf = ctx->commandArgsPlusMatch("coverage=");
    if (cf && cf[0])
        ctx->coveragep()->write(cf + 10);
#endif
    if (rc)
        return rc;
    return tb_report(o, res, secs);
}
