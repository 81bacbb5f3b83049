#!/usr/bin/env bash
# fcu_formal.sh - prove with Yosys (miter + sat) that a generated FCU computes the same
# outputs as the direct-form filter generated with ALG=direct (L*L multipliers, same ports,
# same control), for all input values.
#
# Why two modes: SAT solvers find algebraic identities between differently factored
# multipliers hard ((a+b)(c+d) - ac - bd against ad + bc), so the search over input
# *schedules* is kept apart from the search over *values*:
#   --schedule any  bounded model check from reset over every input sequence of --seq
#                   cycles (writes, blocks, row ends, stalls, all in any order): control
#                   and values together. Practical for L = 2 at 3-4 bits, L = 3 at 2 bits.
#   --schedule row  the sequence is fixed (L coefficient writes, then two blocks of one
#                   row, output always ready), every value free: all coefficients, all
#                   samples of both blocks, hence every product, pre- and post-addition and
#                   the block-delay path, for all values. The handshakes and row logic are
#                   checked by co-simulation against the golden model (dnngen verify).
# Both designs come from `dnngen gen`, so the proof is about the RTL the users get.
#
# Usage: scripts/fcu_formal.sh [--dnngen BIN] [-L N] [--pipe P] [--xw W] [--hw W]
#                              [--schedule any|row] [--seq N] [--timeout S]
#                              [--inject-fault KIND] [--out DIR]
# Prints one line "FORMAL ... PROVED|FAILED|TIMEOUT ..." and exits 0 when proved, 1 when a
# counterexample is found (the trace is in DIR/yosys.log), 3 on a tool failure or timeout,
# 2 on bad arguments.
set -euo pipefail

die() { local c=$1; shift; printf 'fcu_formal: %s\n' "$*" >&2; exit "$c"; }

root=$(cd "$(dirname "$0")/.." && pwd)
dnngen="$root/build/dnngen" L=3 pipe=0 xw=2 hw=2 sched=row seq="" timeout=600 fault="" out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --dnngen|-L|--pipe|--xw|--hw|--schedule|--seq|--timeout|--inject-fault|--out)
            [ $# -ge 2 ] || die 2 "option $1 needs a value"
            case "$1" in
                --dnngen) dnngen=$2 ;; -L) L=$2 ;; --pipe) pipe=$2 ;; --xw) xw=$2 ;;
                --hw) hw=$2 ;; --schedule) sched=$2 ;; --seq) seq=$2 ;;
                --timeout) timeout=$2 ;; --inject-fault) fault=$2 ;; --out) out=$2 ;;
            esac
            shift 2 ;;
        -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
        *) die 2 "unknown argument: $1 (legal: --dnngen -L --pipe --xw --hw --schedule --seq --timeout --inject-fault --out)" ;;
    esac
done
for v in "$L" "$pipe" "$xw" "$hw" "$timeout"; do
    [[ "$v" =~ ^[0-9]+$ ]] || die 2 "not a number: $v"
done
case "$sched" in any|row) ;; *) die 2 "bad --schedule $sched (legal: any, row)" ;; esac
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
secs=$((SECONDS - t0))
what="FORMAL fcu L=$L PIPE=$pipe XW=$xw HW=$hw schedule=$sched cycles=$seq${fault:+ fault=$fault}"
if grep -q 'SAT proof finished - no model found: SUCCESS' "$out/yosys.log"; then
    echo "$what PROVED in ${secs}s"
    exit 0
elif grep -q 'model found: FAIL' "$out/yosys.log"; then
    echo "$what FAILED in ${secs}s $keep"
    exit 1
elif grep -q 'TIMEOUT' "$out/yosys.log"; then
    echo "$what TIMEOUT after ${secs}s"
    exit 3
fi
echo "$what ERROR (yosys exit $rc, see $out/yosys.log)"
exit 3
