// tb_check.h -- the block-independent co-simulation checker shared by the Verilator and
// SystemC harnesses.
//
// It pulls transactions from the golden library (gm_gen_*), drives every input stream
// with the record's payload after the record's idle gap, holds every output stream's ready
// low for the record's stall count, and checks at every clock edge:
//   - each input is accepted exactly at the edge the cycle model predicts (not before,
//     not after), and each output's valid rises exactly at the predicted edge;
//   - every output payload bit equals the golden value model;
//   - valid/ready protocol: an offered output stays valid and stable until taken, and no
//     output appears that the model does not expect.
// The DUT is reached through a Port object (set/get by stream index), so the same code
// runs against a Verilated C++ model or a SystemC module. Payload driven while valid is
// low is garbage on purpose: a design that samples without a handshake fails.
#ifndef TB_CHECK_H
#define TB_CHECK_H

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>

#include "gm_stream.h"

struct TbOptions {
    uint64_t seed = 1;
    int64_t vectors = 1000;
    const char *profile = nullptr;
    const char *sim = "verilator";
    std::string repro;  // command that reproduces the run (without --seed/--vectors/--sim)
    bool quiet = false;
    int64_t watchdog = 100000;  // edges without progress before a hang is reported
};

struct TbResult {
    int64_t checked = 0, mismatches = 0, cycles = 0, accepted = 0;
    bool aborted = false;
};

// Port: what a harness provides.
//   void set_valid(int s, bool v); bool get_ready(int s);
//   void set_fields(int s, const gm_val *f); (input streams)
//   bool get_valid(int s); void set_ready(int s, bool v); void get_fields(int s, gm_val *f);
//   void settle();  (evaluate combinational logic with the inputs as set)
//   void edge();    (one rising clock edge, then settle)
//   void reset();   (assert rst_n for a few cycles, release it; edge 0 is the next edge)

template <class Port> class TbChecker {
  public:
    TbChecker(Port &p, const TbOptions &o) : port(p), opt(o) {}

    int run(const char *block, const gm_param *ps, int np, TbResult &res)
    {
        char err[512];
        gen = gm_gen_open(block, ps, np, opt.seed, opt.vectors, opt.profile, err, sizeof err);
        if (!gen) {
            std::fprintf(stderr, "%s: %s\n", opt.sim, err);
            return 3;
        }
        ns = gm_gen_nstreams(gen);
        for (int s = 0; s < ns; s++) {
            st[s] = gm_gen_stream(gen, s);
            last_xfer[s] = -1;
            first_valid[s] = -1;
        }
        gm_rng_seed(&garbage, opt.seed ^ 0x5bd1e995u);
        port.reset();
        int64_t e = 0, last_progress = 0;
        bool done_gen = false;
        while (!stop) {
            // keep one pending record per stream when the generator can give it
            while (!done_gen && need_more()) {
                gm_rec r;
                if (!gm_gen_next(gen, &r)) {
                    done_gen = true;
                    break;
                }
                q[r.stream].push_back(r);
            }
            bool pending = false;
            for (int s = 0; s < ns; s++)
                pending |= !q[s].empty();
            if (!pending && done_gen)
                break;
            drive(e);
            port.settle();
            if (sample(e, res))
                last_progress = e;
            if (stop)
                break;
            if (e - last_progress > opt.watchdog) {
                fail_hdr(e, "hang");
                std::printf("  no transfer for %" PRId64 " edges; pending:", opt.watchdog);
                for (int s = 0; s < ns; s++)
                    if (!q[s].empty())
                        std::printf(" %s op %" PRId64 " (expected edge %" PRId64 ")", st[s]->name,
                                    q[s].front().op, q[s].front().cycle);
                std::printf("\n");
                res.mismatches++;
                stop = true;
                break;
            }
            port.edge();
            e++;
        }
        res.cycles = e;
        res.aborted = stop;
        gm_gen_close(gen);
        gen = nullptr;
        return 0;
    }

  private:
    Port &port;
    TbOptions opt;
    gm_gen *gen = nullptr;
    int ns = 0;
    const gm_stream *st[GM_MAX_STREAMS] = {};
    std::deque<gm_rec> q[GM_MAX_STREAMS];
    std::deque<gm_rec> hist;  // recently accepted inputs, for the mismatch report
    int64_t last_xfer[GM_MAX_STREAMS];
    int64_t first_valid[GM_MAX_STREAMS];
    gm_val held[GM_MAX_STREAMS][GM_MAX_FIELDS];
    gm_rng garbage;
    bool stop = false;
    bool reported = false;

    bool need_more() const
    {
        size_t total = 0;
        bool empty = false;
        for (int s = 0; s < ns; s++) {
            total += q[s].size();
            empty |= q[s].empty();
        }
        return empty && total < 65536;  // as far ahead as the Icarus bench (gen/tb_gen.c)
    }

    void drive(int64_t e)
    {
        for (int s = 0; s < ns; s++) {
            if (st[s]->is_input) {
                gm_val f[GM_MAX_FIELDS];
                bool v = !q[s].empty() && e >= last_xfer[s] + 1 + q[s].front().delay;
                if (v) {
                    std::memcpy(f, q[s].front().f, sizeof f);
                } else {
                    for (int k = 0; k < st[s]->nf; k++) {
                        f[k].lo = gm_rng_next(&garbage);
                        f[k].hi = gm_rng_next(&garbage);
                        f[k] = gm_val_mask(f[k], st[s]->f[k].width);
                    }
                }
                port.set_valid(s, v);
                port.set_fields(s, f);
            } else {
                bool r = q[s].empty() || e >= last_xfer[s] + 1 + q[s].front().delay;
                port.set_ready(s, r);
            }
        }
    }

    void fail_hdr(int64_t e, const char *what)
    {
        if (reported)
            return;
        reported = true;
        std::printf("MISMATCH (%s) at edge %" PRId64 " [%s, seed %" PRIu64 "]\n", what, e, opt.sim,
                    opt.seed);
    }

    void describe_op(int64_t op)
    {
        for (auto &r : hist)
            if (r.op == op) {
                char buf[512];
                gm_gen_describe(gen, &r, buf, sizeof buf);
                std::printf("  operation #%" PRId64 ": %s\n", op, buf);
                return;
            }
    }

    void repro_line()
    {
        std::printf("  reproduce: %s --sim %s --seed %" PRIu64 " --vectors %" PRId64 "%s%s\n",
                    opt.repro.c_str(), opt.sim, opt.seed, opt.vectors,
                    opt.profile ? " --profile " : "", opt.profile ? opt.profile : "");
    }

    void fields_line(const char *label, int s, const gm_val *f)
    {
        std::printf("  %s:", label);
        for (int k = 0; k < st[s]->nf; k++) {
            char hx[40];
            gm_val_hex(hx, f[k], st[s]->f[k].width);
            std::printf(" %s_%s=0x%s", st[s]->name, st[s]->f[k].name, hx);
        }
        std::printf("\n");
    }

    void timing_fail(int64_t e, int s, const char *what, int64_t expect)
    {
        fail_hdr(e, "cycle");
        std::printf("  stream %s op #%" PRId64 ": %s at edge %" PRId64
                    ", the cycle model says edge %" PRId64 "\n",
                    st[s]->name, q[s].front().op, what, e, expect);
        describe_op(q[s].front().op);
        if (st[s]->is_input) {
            char buf[512];
            gm_gen_describe(gen, &q[s].front(), buf, sizeof buf);
            std::printf("  operation #%" PRId64 ": %s\n", q[s].front().op, buf);
        }
        repro_line();
        stop = true;
    }

    // returns true when a transfer happened
    bool sample(int64_t e, TbResult &res)
    {
        bool progress = false;
        for (int s = 0; s < ns && !stop; s++) {
            if (st[s]->is_input) {
                if (q[s].empty())
                    continue;
                gm_rec &r = q[s].front();
                bool v = e >= last_xfer[s] + 1 + r.delay;
                bool rdy = port.get_ready(s);
                if (v && rdy) {
                    if (e != r.cycle) {
                        timing_fail(e, s, "accepted", r.cycle);
                        res.mismatches++;
                        return progress;
                    }
                    last_xfer[s] = e;
                    hist.push_back(r);
                    if (hist.size() > 256)
                        hist.pop_front();
                    q[s].pop_front();
                    res.accepted++;
                    progress = true;
                } else if (v && e >= r.cycle) {
                    timing_fail(e, s, "not accepted", r.cycle);
                    res.mismatches++;
                    return progress;
                }
            } else {
                bool v = port.get_valid(s);
                if (!v) {
                    if (first_valid[s] >= 0) {
                        fail_hdr(e, "protocol");
                        std::printf("  stream %s: valid dropped before the transfer\n",
                                    st[s]->name);
                        repro_line();
                        res.mismatches++;
                        stop = true;
                        return progress;
                    }
                    if (!q[s].empty() && e >= q[s].front().cycle) {
                        timing_fail(e, s, "valid still low", q[s].front().cycle);
                        res.mismatches++;
                        return progress;
                    }
                    continue;
                }
                gm_val got[GM_MAX_FIELDS];
                port.get_fields(s, got);
                if (q[s].empty()) {
                    fail_hdr(e, "protocol");
                    std::printf("  stream %s: output valid but the golden model expects no more "
                                "transactions\n",
                                st[s]->name);
                    fields_line("actual", s, got);
                    repro_line();
                    res.mismatches++;
                    stop = true;
                    return progress;
                }
                gm_rec &r = q[s].front();
                if (first_valid[s] < 0) {
                    if (e != r.cycle) {
                        timing_fail(e, s, "valid rose", r.cycle);
                        res.mismatches++;
                        return progress;
                    }
                    first_valid[s] = e;
                    std::memcpy(held[s], got, sizeof got);
                } else {
                    for (int k = 0; k < st[s]->nf; k++)
                        if (!gm_val_eq(got[k], held[s][k])) {
                            fail_hdr(e, "protocol");
                            std::printf("  stream %s: payload changed while valid and not ready\n",
                                        st[s]->name);
                            repro_line();
                            res.mismatches++;
                            stop = true;
                            return progress;
                        }
                }
                bool rdy = e >= last_xfer[s] + 1 + r.delay;
                if (!rdy)
                    continue;
                bool ok = true;
                for (int k = 0; k < st[s]->nf; k++)
                    ok &= gm_val_eq(got[k], r.f[k]) != 0;
                if (!ok) {
                    res.mismatches++;
                    if (!reported) {
                        fail_hdr(e, "value");
                        std::printf("  stream %s op #%" PRId64 "\n", st[s]->name, r.op);
                        describe_op(r.op);
                        fields_line("expected", s, r.f);
                        fields_line("actual  ", s, got);
                        repro_line();
                    }
                }
                res.checked++;
                last_xfer[s] = e;
                first_valid[s] = -1;
                q[s].pop_front();
                progress = true;
            }
        }
        return progress;
    }
};

// The summary every harness prints; dnngen and the test runner parse the RESULT line.
inline int tb_report(const TbOptions &o, const TbResult &r, double seconds)
{
    double rate = seconds > 0 ? (double)r.checked / seconds : 0.0;
    std::printf("%s: vectors checked %" PRId64 ", mismatches %" PRId64 ", cycles %" PRId64
                ", cycles/op %.3f, %.0f checked ops/s%s\n",
                o.sim, r.checked, r.mismatches, r.cycles,
                r.checked ? (double)r.cycles / (double)r.checked : 0.0, rate,
                r.aborted ? " (aborted at the first cycle/protocol mismatch)" : "");
    std::printf("RESULT sim=%s checked=%" PRId64 " mismatches=%" PRId64 " cycles=%" PRId64
                " seconds=%.3f\n",
                o.sim, r.checked, r.mismatches, r.cycles, seconds);
    if (r.checked == 0 && r.mismatches == 0) {
        std::printf("FAIL: zero vectors checked\n");
        return 1;
    }
    if (r.mismatches || r.aborted)
        return 1;
    return 0;
}

inline bool tb_args(int argc, char **argv, TbOptions &o)
{
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--seed" && i + 1 < argc)
            o.seed = std::strtoull(argv[++i], nullptr, 10);
        else if (a == "--vectors" && i + 1 < argc)
            o.vectors = std::strtoll(argv[++i], nullptr, 10);
        else if (a == "--profile" && i + 1 < argc)
            o.profile = argv[++i];
        else if (a == "--repro" && i + 1 < argc)
            o.repro = argv[++i];
        else if (a == "--watchdog" && i + 1 < argc)
            o.watchdog = std::strtoll(argv[++i], nullptr, 10);
        else if (a.rfind("+", 0) == 0)
            continue;  // plusargs belong to the simulator
        else {
            std::fprintf(stderr, "harness: unknown argument '%s'\n", a.c_str());
            return false;
        }
    }
    return true;
}

#endif
