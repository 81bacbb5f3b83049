#!/usr/bin/env bash
# scripts/bench_fofir.sh -- FoFIR against the K-multiplier baseline fir_parallel (`make
# bench` runs it): area and fmax (Yosys + OpenSTA, osu018 unless LIBERTY is set) for
# K = 3, 5, 7, 9 at 8 and 16 bits, and cycles per output from RTL simulation at weight
# sparsity 0, 0.5, 0.8 and activation sparsity 0, 0.5 (rows of 64 samples, a new kernel
# loaded before each row; loads and row ends included). FoFIR is built with the weight
# decomposition (DECOMP=wd): its cycles follow the weights' essential terms.
# BENCH_QUICK=1: K = 3, 9 at 8 bits only.
set -euo pipefail
cd "$(dirname "$0")/.."
D=build/dnngen
export DNNGEN_QUIET=1
LIB_OPT=()
[ -n "${LIBERTY:-}" ] && LIB_OPT=(--liberty "$LIBERTY")
PERIOD=${PERIOD:-5}
VEC=${BENCH_FIR_VECTORS:-20000}
KS="3 5 7 9"; BITS="8 16"
[ -n "${BENCH_QUICK:-}" ] && { KS="3 9"; BITS="8"; }
field() { sed -n "s/.*\"$1\":\([0-9.eE+-]*\).*/\1/p"; }
cpo() { "$D" verify "$@" --vectors "$VEC" 2>/dev/null | sed -n 's/.*cycles\/op \([0-9.]*\).*/\1/p'; }

echo "FoFIR (DECOMP=wd) vs fir_parallel, osu018, clock target ${PERIOD} ns; cycles per output"
echo "from RTL simulation (Verilator, $VEC records, profile sparse:W,A = weight, activation sparsity)"
printf '%-16s %9s %9s %7s %7s %7s | %7s %7s %7s %7s %7s %7s %7s | %8s\n' \
    "" "area" "area" "saving" "fmax" "fmax" "W0" "W0" "W.5" "W.5" "W.8" "W.8" "par" "thr/area"
printf '%-16s %9s %9s %7s %7s %7s | %7s %7s %7s %7s %7s %7s %7s | %8s\n' \
    "design" "fofir" "parallel" "%" "fofir" "par" "A0" "A.5" "A0" "A.5" "A0" "A.5" "" "fofir/par"
for b in $BITS; do
    for k in $KS; do
        acc=$((2 * b + 4 + (k > 4 ? 3 : 2)))
        p=(-p K=$k -p XW=$b -p HW=$b -p ACC=$acc)
        jf=$("$D" synth fofir "${p[@]}" -p DECOMP=wd --period "$PERIOD" "${LIB_OPT[@]}" --json)
        jp=$("$D" synth fir_parallel "${p[@]}" --period "$PERIOD" "${LIB_OPT[@]}" --json)
        af=$(field area_um2 <<<"$jf"); ap=$(field area_um2 <<<"$jp")
        ff=$(field fmax_mhz <<<"$jf"); fp=$(field fmax_mhz <<<"$jp")
        cyc=()
        for w in 0 0.5 0.8; do
            for a in 0 0.5; do
                cyc+=("$(cpo fofir "${p[@]}" -p DECOMP=wd --profile sparse:$w,$a)")
            done
        done
        cp_=$(cpo fir_parallel "${p[@]}" --profile sparse:0,0)
        # throughput per area at W.5 A0, each at its own fmax
        tpa=$(awk -v af="$af" -v ap="$ap" -v ff="$ff" -v fp="$fp" -v cf="${cyc[2]}" -v cp="$cp_" \
            'BEGIN { printf "%.3f", (ff / cf / af) / (fp / cp / ap) }')
        sav=$(awk -v af="$af" -v ap="$ap" 'BEGIN { printf "%.1f", 100 * (1 - af / ap) }')
        printf '%-16s %9s %9s %7s %7s %7s | %7s %7s %7s %7s %7s %7s %7s | %8s\n' \
            "K=$k ${b}-bit" "$af" "$ap" "$sav" "$ff" "$fp" "${cyc[@]}" "$cp_" "$tpa"
    done
done
echo "(area in um^2; saving = 1 - fofir/parallel; ACC = 2*bits + 6 (K <= 4) or + 7;"
echo " thr/area: outputs per second per um^2 of fofir at W.5 A0 over fir_parallel's)"
