#!/usr/bin/env bash
# scripts/bench_lstm.sh -- the lstm_layer figures (`make bench` runs it; docs/lstm.md):
#  1. PE utilization (PE issue cycles summed over the PEs / (P * cycles)) and cycles per
#     vector (one time step of one sequence) across P, from the layer's cycle model
#     (golden/gm_lstm_layer_gen.c, which `dnngen verify` checks edge for edge against the
#     RTL), after the weight load: I = H = 32, (n,k) = (16,2), B = 16, a batch of 2
#     sequences of 8 steps, x entries zero with probability 0 and 0.5; next to a dense
#     MAC array with the same number of multipliers (3P: the layer's only multipliers are
#     the cell update's 3 a slice) at one MAC per multiplier per cycle, 4H(I+H) MACs a step;
#     then utilization against the batch (1, 2, 4 at P = 4) and at P = 8;
#  2. multipliers in the synthesized netlist (Yosys $mul cells after proc/flatten/opt/
#     wreduce, as `dnngen synth` counts them): the whole layer, and its PE (the weight
#     datapath) alone;
#  3. area and fmax (osu018 unless LIBERTY is set; clock target PERIOD ns, default 10) of
#     layers with I = H = 16, (16,2), one sequence of 2 steps, P = 1 and 2.
# BENCH_QUICK=1: P = 1, 2 in part 1, and part 3 on a tiny layer only; BENCH_LSTM_SYNTH=0:
# no part 3.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${DNNGEN_BUILD:-build}
D=${DNNGEN:-$B/dnngen}
U=$B/tests/test_lstm_layer
export DNNGEN_QUIET=1
LIB_OPT=()
[ -n "${LIBERTY:-}" ] && LIB_OPT=(--liberty "$LIBERTY")
PERIOD=${PERIOD:-10}
PS="1 2 4"; SYN=(-p I=16 -p H=16 -p N=16 -p K=2 -p BATCH=1 -p STEPS=2); SPS="1 2"
[ -n "${BENCH_QUICK:-}" ] && { PS="1 2"; SYN=(-p I=3 -p H=3 -p N=2 -p K=1 -p BATCH=2 -p STEPS=2); }
field() { sed -n "s/.*\"$1\":\([0-9.eE+-]*\).*/\1/p"; }
I=32; H=32
echo "lstm_layer I=$I H=$H (16,2) B=16, batch 2 x 8 steps, after the weight load (cycle model = RTL)"
printf '%-3s %-6s | %8s %9s %9s %7s | %12s %8s\n' "P" "x zero" "vectors" "cycles" "busy" "util" "cycles/step" "dense/3P"
for z in 0 0.5; do
    for p in $PS; do
        out=$("$U" --util $I $H 16 2 "$p" 2 8 "$z" 20000)
        v=$(sed -n 's/.*vectors=\([0-9]*\).*/\1/p' <<<"$out")
        c=$(sed -n 's/.* cycles=\([0-9]*\).*/\1/p' <<<"$out")
        b=$(sed -n 's/.*busy=\([0-9]*\).*/\1/p' <<<"$out")
        u=$(sed -n 's/.*util=\([0-9.]*%\).*/\1/p' <<<"$out")
        cs=$(sed -n 's/.*cycles\/vector=\([0-9.]*\).*/\1/p' <<<"$out")
        dn=$(awk -v h=$H -v i=$I -v p="$p" 'BEGIN { printf "%.1f", 4 * h * (i + h) / (3 * p) }')
        printf '%-3s %-6s | %8s %9s %9s %7s | %12s %8s\n' "$p" "$z" "$v" "$c" "$b" "$u" "$cs" "$dn"
    done
done
echo "(dense/3P: cycles a step of a dense 8-bit MAC array with 3P multipliers, 4H(I+H) = $((4 * H * (I + H))) MACs, 100% busy)"
echo "the batch hides the recurrent dependency (x dense; BATCH = 1: each step waits for the last):"
printf '%-3s %-6s | %8s %9s %9s %7s | %12s\n' "P" "batch" "vectors" "cycles" "busy" "util" "cycles/step"
for pb in "4 1" "4 2" "4 4" "8 2"; do
    set -- $pb
    [ -n "${BENCH_QUICK:-}" ] && [ "$1" = 8 ] && continue
    out=$("$U" --util $I $H 16 2 "$1" "$2" 8 0 20000)
    printf '%-3s %-6s | %8s %9s %9s %7s | %12s\n' "$1" "$2" "$(sed -n 's/.*vectors=\([0-9]*\).*/\1/p' <<<"$out")" \
        "$(sed -n 's/.* cycles=\([0-9]*\).*/\1/p' <<<"$out")" "$(sed -n 's/.*busy=\([0-9]*\).*/\1/p' <<<"$out")" \
        "$(sed -n 's/.*util=\([0-9.]*%\).*/\1/p' <<<"$out")" "$(sed -n 's/.*cycles\/vector=\([0-9.]*\).*/\1/p' <<<"$out")"
done
echo
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$D" gen lstm_layer -p I=$I -p H=$H -p N=16 -p K=2 -p P=2 -o "$tmp" >/dev/null
top=$(basename "$tmp"/*.f .f)
count() { # count FILE TOP: $mul cells
    (cd "$tmp" && yosys -q -p "read_verilog $1; hierarchy -top $2; proc; flatten; opt -fast; wreduce; tee -o stat.txt stat" >/dev/null &&
        { grep '\$mul' stat.txt || echo 0; } | awk '{ print $NF }')
}
echo "multipliers (Yosys \$mul cells), lstm_layer I=$I H=$H (16,2) P=2:"
echo "  whole layer          $(count "$(tr '\n' ' ' <"$tmp/$top.f")" "$top")   (the cell update: f*c, i*g, o*tanh(c), 3 a slice)"
echo "  weight datapath (PE) $(count "${top}_pe.v" "${top}_pe")"
[ "${BENCH_LSTM_SYNTH:-1}" = 0 ] && exit 0
echo
echo "area and fmax (osu018, clock target ${PERIOD} ns): lstm_layer ${SYN[*]}"
printf '%-3s | %10s %8s %7s %6s %5s\n' "P" "area_um2" "fmax" "flops" "cells" "mul"
for p in $SPS; do
    j=$("$D" synth lstm_layer "${SYN[@]}" -p P="$p" --period "$PERIOD" "${LIB_OPT[@]}" --json)
    printf '%-3s | %10s %8s %7s %6s %5s\n' "$p" "$(field area_um2 <<<"$j")" "$(field fmax_mhz <<<"$j")" \
        "$(field flops <<<"$j")" "$(field cells <<<"$j")" "$(field multipliers <<<"$j")"
done
