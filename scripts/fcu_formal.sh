#!/usr/bin/env bash
# fcu_formal.sh - prove that a generated FCU computes the same outputs as the direct-form
# filter generated with ALG=direct (L*L multipliers, same ports, same control), for all
# input values. Yosys builds the miter of the two generated designs; two engines decide it.
#
# Engines:
#   --engine sat  Yosys `sat -seq N -prove-asserts` on the miter from the zero state.
#                 SAT solvers find algebraic identities between differently factored
#                 multipliers hard ((a+b)(c+d) - ac - bd against ad + bc): practical for
#                 L = 2 at 3-4 bits and L = 3 at 2 bits.
#   --engine bdd  Yosys writes the miter (with the schedule's driver) as AIGER; ABC (the
#                 yosys-abc that ships with Yosys) unrolls it N cycles from the zero state
#                 (`frames -i`), builds the global BDD of "some output differs in some
#                 cycle" (`collapse`, dynamic variable reordering) and proves it constant 0
#                 (`iprove` on the result). BDDs are canonical, so the factoring does not
#                 matter: L = 5 at 2 bits is proved in about 30 s.
# Schedules:
#   --schedule any  every input free in every cycle (writes, blocks, row ends, stalls, in
#                   any order): control and values together.
#   --schedule row  cycles 1..L write coefficients 0..L-1 (values free); from cycle L+1 on
#                   every cycle offers a block (samples free); with the sat engine the
#                   row end and output stalls are fixed off for two blocks, with the bdd
#                   engine `in_last` and `out_ready` stay free, so row ends and stalls in
#                   any order are covered too. Every coefficient, every sample, hence every
#                   product, pre- and post-addition and the block-delay path, all values.
# The handshakes and row logic are also checked by co-simulation against the golden model
# (dnngen verify). Both designs come from `dnngen gen`, so the proof is about the RTL the
# users get.
#
# Usage: scripts/fcu_formal.sh [--dnngen BIN] [-L N] [--pipe P] [--xw W] [--hw W]
#                              [--schedule any|row] [--engine sat|bdd] [--seq N]
#                              [--timeout S] [--inject-fault KIND] [--out DIR]
# Defaults: -L 3 --pipe 0 --xw 2 --hw 2 --schedule row --engine bdd (sat for any)
# --seq L+3+PIPE --timeout 600.
# Prints one line "FORMAL ... PROVED|FAILED|TIMEOUT ..." and exits 0 when proved, 1 when a
# counterexample is found (sat: the trace is in DIR/yosys.log), 3 on a tool failure or
# timeout, 2 on bad arguments.
set -euo pipefail

die() { local c=$1; shift; printf 'fcu_formal: %s\n' "$*" >&2; exit "$c"; }

root=$(cd "$(dirname "$0")/.." && pwd)
dnngen="$root/build/dnngen" L=3 pipe=0 xw=2 hw=2 sched=row engine="" seq="" timeout=600 fault="" out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --dnngen|-L|--pipe|--xw|--hw|--schedule|--engine|--seq|--timeout|--inject-fault|--out)
            [ $# -ge 2 ] || die 2 "option $1 needs a value"
            case "$1" in
                --dnngen) dnngen=$2 ;; -L) L=$2 ;; --pipe) pipe=$2 ;; --xw) xw=$2 ;;
                --hw) hw=$2 ;; --schedule) sched=$2 ;; --engine) engine=$2 ;; --seq) seq=$2 ;;
                --timeout) timeout=$2 ;; --inject-fault) fault=$2 ;; --out) out=$2 ;;
            esac
            shift 2 ;;
        -h|--help) sed -n '2,38p' "$0"; exit 0 ;;
        *) die 2 "unknown argument: $1 (legal: --dnngen -L --pipe --xw --hw --schedule --engine --seq --timeout --inject-fault --out)" ;;
    esac
done
for v in "$L" "$pipe" "$xw" "$hw" "$timeout"; do
    [[ "$v" =~ ^[0-9]+$ ]] || die 2 "not a number: $v"
done
case "$sched" in any|row) ;; *) die 2 "bad --schedule $sched (legal: any, row)" ;; esac
[ -n "$engine" ] || { [ "$sched" = row ] && engine=bdd || engine=sat; }
case "$engine" in sat|bdd) ;; *) die 2 "bad --engine $engine (legal: sat, bdd)" ;; esac
[ -x "$dnngen" ] || die 3 "no dnngen at $dnngen (make)"
command -v yosys >/dev/null || die 3 "yosys not found (scripts/install-deps.sh)"
[ -n "$seq" ] || seq=$((L + 3 + pipe))
[[ "$seq" =~ ^[0-9]+$ ]] || die 2 "not a number: $seq"
keep="(counterexample in $out/yosys.log)"
if [ -z "$out" ]; then
    keep="(rerun with --out DIR to keep the counterexample)"
    out=$(mktemp -d /tmp/fcu_formal.XXXXXX)
    trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"

p=(-p "L=$L" -p "XW=$xw" -p "HW=$hw" -p "PIPE=$pipe")
"$dnngen" gen fcu "${p[@]}" ${fault:+--inject-fault "$fault"} -o "$out/ffa" >/dev/null
"$dnngen" gen fcu "${p[@]}" -p ALG=direct -o "$out/direct" >/dev/null
gate=$(basename "$out"/ffa/*.f .f)
gold=$(basename "$out"/direct/*.f .f)

what="FORMAL fcu L=$L PIPE=$pipe XW=$xw HW=$hw schedule=$sched engine=$engine cycles=$seq${fault:+ fault=$fault}"
# verdict LOG PROVED-PATTERN FAILED-PATTERN FAILED-NOTE TIMED-OUT(0|1) TOOL STATUS: the line, the exit
verdict() {
    local secs=$((SECONDS - t0))
    if grep -q "$2" "$1"; then
        echo "$what PROVED in ${secs}s"
        exit 0
    elif grep -q "$3" "$1"; then
        echo "$what FAILED in ${secs}s $4"
        exit 1
    elif [ "$5" = 1 ]; then
        echo "$what TIMEOUT after ${secs}s"
        exit 3
    fi
    echo "$what ERROR ($6 exit $7, see $1)"
    exit 3
}

if [ "$engine" = bdd ]; then
    command -v yosys-abc >/dev/null || die 3 "yosys-abc not found (it ships with yosys)"
    # The driver: the miter's inputs, with the schedule's fixed part tied off.
    xs="" xc=""
    for i in $(seq 0 $((L - 1))); do xs="$xs, x$i"; xc="$xc .in_in_x$i(x$i),"; done
    if [ "$sched" = row ]; then
        ctl="wire row_w = cnt < 5'd$L;
  wire c_valid = 1'b1, c_load = row_w, c_last = row_w ? 1'b0 : last, c_ready = ready;
  wire [4:0] c_idx = cnt;"
    else
        ctl="wire c_valid = valid, c_load = load, c_last = last, c_ready = ready;
  wire [4:0] c_idx = idx;"
    fi
    cat > "$out/driver.v" <<EOF
module fcu_formal_driver(input wire clk, input wire valid, input wire load, input wire [4:0] idx,
  input wire [$((hw - 1)):0] w, input wire [$((xw - 1)):0] ${xs#, }, input wire last,
  input wire ready, output wire bad);
  reg [4:0] cnt = 5'd0;
  always @(posedge clk) if (cnt != 5'd31) cnt <= cnt + 5'd1;
  $ctl
  miter m(.in_clk(clk), .in_rst_n(1'b1), .in_in_valid(c_valid), .in_in_load(c_load),
    .in_in_idx(c_idx), .in_in_w(w),$xc .in_in_last(c_last), .in_out_ready(c_ready), .trigger(bad));
endmodule
EOF
    t0=$SECONDS
    rc=0
    yosys -q -l "$out/yosys.log" -p "read_verilog $out/ffa/$gate.v $out/direct/$gold.v; proc; async2sync; opt_clean; miter -equiv -flatten $gold $gate miter; read_verilog $out/driver.v; hierarchy -top fcu_formal_driver; proc; flatten; opt; techmap; opt; dffunmap; setundef -zero; aigmap; write_aiger -symbols $out/miter.aig" \
        >/dev/null 2>&1 || rc=$?
    [ "$rc" = 0 ] || { echo "$what ERROR (yosys exit $rc, see $out/yosys.log)"; exit 3; }
    # init -z: every flop starts at 0 (the state after reset). First a short bounded search
    # for a counterexample (SAT finds one fast when there is one; the BDD of a wrong design
    # can take minutes to build), then the proof: frames -i unrolls from the zero state.
    { timeout -s KILL "$timeout" yosys-abc -c "read $out/miter.aig; init -z; bmc3 -F $seq -T 5; write_cex -n $out/cex.txt"; } \
        >"$out/bmc.log" 2>&1 || true
    if grep -q 'was asserted in frame' "$out/bmc.log"; then
        frame=$(sed -n 's/.*was asserted in frame \([0-9]*\).*/\1/p' "$out/bmc.log" | head -1)
        echo "$what FAILED in $((SECONDS - t0))s (outputs differ in cycle $((frame + 1)); $(k=${keep/yosys.log/cex.txt}; echo "${k:1:${#k}-2}"))"
        exit 1
    fi
    rc=0
    { timeout -s KILL "$timeout" yosys-abc -c "read $out/miter.aig; init -z; frames -F $seq -i; strash; orpos; dc2; print_stats; collapse; print_stats; strash; iprove"; } \
        >"$out/abc.log" 2>&1 || rc=$?
    timed=0
    [ "$rc" = 137 ] || [ "$rc" = 124 ] && timed=1
    verdict "$out/abc.log" '^UNSATISFIABLE' '^SATISFIABLE' \
        "(the miter's BDD is not constant 0; --engine sat gives a trace)" $timed yosys-abc $rc
fi

sets="-set in_rst_n 1"
if [ "$sched" = row ]; then
    sets="$sets -set in_in_valid 1 -set in_out_ready 1"
    for k in $(seq 1 "$L"); do
        sets="$sets -set-at $k in_in_load 1 -set-at $k in_in_idx $((k - 1))"
    done
    for k in $((L + 1)) $((L + 2)); do
        sets="$sets -set-at $k in_in_load 0 -set-at $k in_in_last 0"
    done
fi
t0=$SECONDS
rc=0
yosys -q -l "$out/yosys.log" -p "read_verilog $out/ffa/$gate.v $out/direct/$gold.v; proc; async2sync; opt_clean; miter -equiv -flatten -make_assert $gold $gate miter; hierarchy -top miter; flatten; opt -fast; sat -verify -prove-asserts -set-init-zero $sets -seq $seq -timeout $timeout -show-inputs miter" \
    >/dev/null 2>&1 || rc=$?
timed=0
grep -q 'TIMEOUT' "$out/yosys.log" && timed=1
verdict "$out/yosys.log" 'SAT proof finished - no model found: SUCCESS' 'model found: FAIL' \
    "$keep" $timed yosys $rc
