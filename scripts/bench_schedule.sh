#!/usr/bin/env bash
# scripts/bench_schedule.sh -- channel ordering on the FPAP array (`make bench` runs it):
# GA vs natural order on random sparse layers (cost model of docs/schedule.md: idle
# fraction, idle cycles, distance to the two lower bounds), and on a small array the
# predicted cycles against the cycles the RTL array takes (Verilator) on the same layer.
set -euo pipefail
cd "$(dirname "$0")/.."
D=build/dnngen
export DNNGEN_QUIET=1
W=$(mktemp -d /tmp/bench_schedule.XXXXXX)
trap 'rm -rf "$W"' EXIT

echo "GA vs natural order, chip-sized array R x C = 8 x 32, groups of G = 16 input channels,"
echo "random layers cin = 64, 3x3 kernels, 16-wide rows, 8-bit, weight sparsity 0.5 (each"
echo "output channel's own sparsity uniform in 0.5 +- spread), seed 1, GA defaults:"
printf '%-22s %10s %10s %9s %9s %9s %10s %10s\n' layer "natural" "GA" "idle nat" "idle GA" "idle x" "GA-bound" "GA-bound2"
for cout in 64 128 256; do
    for spread in 0 0.2 0.4; do
        "$D" layer --random 64,$cout,4,16,3,0.5,0 --wspread $spread --seed 1 -o "$W/l.json"
        o=$("$D" schedule "$W/l.json" -p R=8 -p C=32 -p G=16 -p WMAX=16)
        awk -v name="cout=$cout spread=$spread" '
            /^  natural /{n=$2; ni=$3} /^  GA /{g=$2; gi=$3; gb=$4; gb2=$5}
            /^idle cycles/{x=$0; sub(/.*\(/, "", x); sub(/x fewer.*/, "", x)}
            END { printf "%-22s %10d %10d %9s %9s %8sx %10s %10s\n", name, n, g, ni, gi, x, gb, gb2 }' <<<"$o"
    done
done
echo "(cycles: cost model of one row block = sum over passes and groups of the slowest column;"
echo " idle: 1 - work / (C * cycles); idle x: natural idle cycles / GA idle cycles; bound:"
echo " work / columns per group; bound2: every group ordered on its own, a tighter valid bound)"
echo
echo "predicted vs RTL (Verilator) array cycles, R x C = 2 x 4, G = 2, layer cin 8, cout 16,"
echo "8x12 input, 3x3, weight sparsity 0.5 +- 0.4, activation sparsity 0.3, seed 2:"
"$D" layer --random 8,16,8,12,3,0.5,0.3 --wspread 0.4 --seed 2 -o "$W/s.json"
o=$("$D" schedule "$W/s.json" -p R=2 -p C=4 -p G=2 -o "$W/o.txt")
pn=$(sed -n 's/^PREDICT natural=\([0-9]*\) ga=.*/\1/p' <<<"$o"); pg=$(sed -n 's/^PREDICT .* ga=\([0-9]*\)/\1/p' <<<"$o")
en=$(sed -n 's/^  natural: estimate \([0-9]*\).*/\1/p' <<<"$o"); eg=$(sed -n 's/^  GA: *estimate \([0-9]*\).*/\1/p' <<<"$o")
rn=$("$D" verify fpap_array -p R=2 -p C=4 -p G=2 --profile "layer:$W/s.json" | sed -n 's/^RESULT .* cycles=\([0-9]*\).*/\1/p')
rg=$("$D" verify fpap_array -p R=2 -p C=4 -p G=2 --profile "layer:$W/s.json,order=$W/o.txt" | sed -n 's/^RESULT .* cycles=\([0-9]*\).*/\1/p')
printf '  %-8s weights-only estimate %7d  exact model %7d  RTL %7d  (estimate - RTL %+d)\n' natural "$en" "$pn" "$rn" $((en - rn))
printf '  %-8s weights-only estimate %7d  exact model %7d  RTL %7d  (estimate - RTL %+d)\n' GA "$eg" "$pg" "$rg" $((eg - rg))
echo "  GA order saves $((rn - rg)) of $rn RTL cycles ($(awk -v a=$rn -v b=$rg 'BEGIN{printf "%.1f", 100*(a-b)/a}')%)"
