#!/usr/bin/env bash
# scripts/bench.sh -- `make bench`: the figures README and docs quote, printed by commands
# anyone can rerun. For PAMAC and mac_parallel at N=8 and N=16: area and fmax (Yosys +
# OpenSTA, osu018 unless LIBERTY is set), average cycles per operation measured by RTL
# simulation (uniform random operands; and a given essential-term distribution), and
# co-simulation throughput (checked operations per second) under Verilator and Icarus on
# the same vectors.
set -euo pipefail
cd "$(dirname "$0")/.."
D=build/dnngen
export DNNGEN_QUIET=1
LIB_OPT=()
[ -n "${LIBERTY:-}" ] && LIB_OPT=(--liberty "$LIBERTY")
PERIOD=${PERIOD:-5}
# A distribution of essential terms of the decomposed operand (P(0 terms), P(1), ...):
# the published VGG-16 16-bit figures put 30-63% of MACs at 0 terms and ~1.8 on average.
DIST=${DIST:-terms:0.45,0.2,0.15,0.1,0.05,0.03,0.02}
DIST8=${DIST8:-terms:0.45,0.25,0.15,0.1,0.05}   # an 8-bit operand has at most 4 terms
VEC=${BENCH_VECTORS:-200000}
IVEC=${BENCH_IVECTORS:-20000}

field() { sed -n "s/.*\"$1\":\([0-9.eE+-]*\).*/\1/p"; }
cycles_per_op() { "$D" verify "$@" 2>/dev/null | sed -n 's/.*cycles\/op \([0-9.]*\).*/\1/p'; }
ops_per_s() { "$D" verify "$@" 2>/dev/null | sed -n 's/.*, \([0-9]*\) checked ops\/s.*/\1/p'; }
icarus_ops() { # checked ops / wall seconds of the simulation (vvp run only)
    local t0 t1 out
    t0=$(date +%s.%N); out=$("$D" verify "$@" --sim icarus 2>/dev/null); t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" -v o="$out" 'BEGIN { n = o; sub(/.*checked=/, "", n); sub(/ .*/, "", n); printf "%.0f", n / (b - a) }'
}

printf '%-44s %9s %8s %8s %10s %10s\n' "design (osu018, clock target ${PERIOD} ns)" "area_um2" "fmax" "cells" "cyc/op" "cyc/op"
printf '%-44s %9s %8s %8s %10s %10s\n' "" "" "MHz" "" "uniform" "dist"
declare -A AREA FMAX
for n in 8 16; do
    acc=$((2 * n + 8))
    for b in pamac mac_parallel; do
        j=$("$D" synth $b -p N=$n -p ACC=$acc --period "$PERIOD" "${LIB_OPT[@]}" --json)
        AREA[$b$n]=$(field area_um2 <<<"$j"); FMAX[$b$n]=$(field fmax_mhz <<<"$j")
        cu=$(cycles_per_op $b -p N=$n -p ACC=$acc --profile uniform --vectors "$VEC")
        dist=$DIST; [ $n -le 8 ] && dist=$DIST8
        cd_=$(cycles_per_op $b -p N=$n -p ACC=$acc --profile "$dist" --vectors "$VEC")
        printf '%-44s %9s %8s %8s %10s %10s\n' "$b N=$n ACC=$acc" "${AREA[$b$n]}" "${FMAX[$b$n]}" "$(field cells <<<"$j")" "$cu" "$cd_"
    done
    awk -v a="${AREA[pamac$n]}" -v b="${AREA[mac_parallel$n]}" -v f="${FMAX[pamac$n]}" -v g="${FMAX[mac_parallel$n]}" -v n=$n \
        'BEGIN { printf "  N=%d: PAMAC area = %.1f%% of mac_parallel, fmax = %.2fx\n", n, 100 * a / b, f / g }'
done
echo "(cyc/op: clock cycles per operation from RTL simulation, no stalls; dist = $DIST8 (N=8),"
echo " $DIST (N=16), probabilities of 0, 1, 2, ... essential terms in the weight;"
echo " mac_parallel takes 1 cycle per operation; its result is registered at the accepting edge)"
echo
echo "co-simulation throughput, pamac N=16 (checked operations per second, seed 1; the"
echo "Icarus figure includes writing its vector file; both simulators check the same vectors):"
for prof in uniform "$DIST" mixed; do
    vo=$(ops_per_s pamac --profile "$prof" --vectors 1000000)
    io=$(icarus_ops pamac --profile "$prof" --vectors "$IVEC")
    awk -v p="$prof" -v v="$vo" -v i="$io" -v n="$IVEC" \
        'BEGIN { printf "  %-40s verilator %8d/s (1M vectors)  icarus %6d/s (%d vectors)  ratio %.0fx\n", p, v, i, n, v / i }'
done

echo
bash scripts/bench_fofir.sh
echo
bash scripts/bench_schedule.sh
echo
bash scripts/bench_fcu.sh
echo
bash scripts/bench_lstm.sh
# The nightly plan's wall time, cold and warm (about 15 + 2 minutes on 2 cores): skip with
# BENCH_NIGHTLY=0.
if [ "${BENCH_NIGHTLY:-1}" != 0 ]; then
    echo
    bash scripts/bench_nightly.sh 2
fi
