#!/usr/bin/env bash
# scripts/bench_real_cnn.sh -- face-api's face_recognition ResNet through the generated
# hardware, full size (docs/real-networks.md; part of `make bench-real`):
#   1. PAMAC cycles per MAC per layer and overall (dnngen stats --cycles), and the FoFIR
#      PE's on every row of the network (--fofir), target <= 1.3;
#   2. the 7x7 stride-2 first layer (conv32_down) as 4 polyphase stride-1 sub-convolutions
#      and as a stride-1 layer decimated, each checked against the direct stride-2
#      convolution (dnngen stats --stride2), then run bit-exact through the generated FPAP
#      array and FCU complex processors (Verilator);
#   3. GA channel order (dnngen schedule) against natural order on real layers;
#   4. cycles and utilization of the FPAP array and the FCU CP on the real layers.
# Environment: DNNGEN (default build/dnngen), OUT (work directory, default a temporary one),
# SIM (default verilator). Exits non-zero when a check fails.
set -u
cd "$(dirname "$0")/.."
D=${DNNGEN:-build/dnngen}
SIM=${SIM:-verilator}
[ -x "$D" ] || { echo "bench_real_cnn: $D not built (run make)" >&2; exit 2; }
D=$(cd "$(dirname "$D")" && pwd)/$(basename "$D")
F=$(scripts/fetch_models.sh --dir @vladmandic/face-api) ||
    { echo "bench_real_cnn: cannot fetch @vladmandic/face-api from the npm registry (scripts/fetch_models.sh failed)" >&2; exit 3; }
M=$F/model/face_recognition_model-weights_manifest.json
J=$F/demo/sample1.jpg
BOX=810,380,250
if [ -n "${OUT:-}" ]; then mkdir -p "$OUT"; W=$(cd "$OUT" && pwd); else W=$(mktemp -d /tmp/bench-real-cnn.XXXXXX); trap 'rm -rf "$W"' EXIT; fi
status=0
t_all=$SECONDS

echo "## 1. PAMAC cycles per MAC, whole network (8-bit, real activations)"
echo "\$ dnngen stats face_recognition_model-weights_manifest.json --bits 8 --image sample1.jpg --box $BOX --cycles --fofir"
"$D" stats "$M" --bits 8 --image "$J" --box $BOX --cycles --fofir >"$W/stats.txt" || exit 1
sed -n '/^PAMAC cycles/,$p' "$W/stats.txt"
macs() { awk -v l="$1" '$1 == l && $3 ~ /^@/ { print $4; exit }' "$W/stats.txt"; }

echo
echo "## 2. conv32_down (7x7, stride 2, 3 -> 32, 150x150 input) as stride-1 layer files"
s2() { # s2 MODE FILE
    echo "\$ dnngen stats ... --layer conv32_down --stride2 $1 --layer-out $(basename "$2")"
    "$D" stats "$M" --bits 8 --image "$J" --box $BOX --layer conv32_down --stride2 "$1" --layer-out "$2" |
        grep '^stride2' || status=1; }
s2 phase "$W/l7_phase.json"
s2 phase:5 "$W/l7_phase5.json"
s2 decimate "$W/l7_dec.json"
for l in conv32_1/conv1 conv64_1/conv1 conv128_1/conv1 conv256_1/conv1 conv256_down_out/conv2; do
    n=$(tr '/' '_' <<<"$l")
    "$D" stats "$M" --bits 8 --image "$J" --box $BOX --layer "$l" --layer-out "$W/$n.json" >/dev/null || status=1
done

echo
echo "## 3. GA channel order vs natural order (dnngen schedule; exact array cycles with the real activations)"
printf '%-22s %-22s %10s %10s %9s %9s %9s %10s %10s %8s\n' layer array cost-nat cost-GA idle-nat idle-GA "idle x" cyc-nat cyc-GA saved
sched() { # sched LAYER-NAME FILE PARAMS...
    local name=$1 file=$2; shift 2
    local o; o=$("$D" schedule "$file" "$@" 2>&1) || { echo "$o"; status=1; return; }
    awk -v name="$name" -v arr="$(echo "$@" | sed 's/-p //g; s/ /,/g')" '
        $1 == "natural" && NF == 5 { cn = $2; in_ = $3 }
        $1 == "GA" && NF == 5 { cg = $2; ig = $3 }
        /^idle cycles/ { x = $0; sub(/.*\(/, "", x); sub(/ fewer.*/, "", x) }
        /^PREDICT/ { split($2, a, "="); split($3, b, "="); pn = a[2]; pg = b[2] }
        END { sv = pn > 0 ? 100 * (pn - pg) / pn : 0
              printf "%-22s %-22s %10s %10s %9s %9s %9s %10s %10s %7.2f%%\n", name, arr, cn, cg, in_, ig, x, pn, pg, sv }' <<<"$o"
    echo "\$ dnngen schedule $(basename "$file") $*" >>"$W/sched-cmds.txt"
}
A8="-p R=8 -p C=32 -p G=16 -p ACC=28 -p DECOMP=both"
A2="-p R=2 -p C=4 -p G=2"
for l in conv32_1/conv1 conv64_1/conv1 conv128_1/conv1 conv256_1/conv1 conv256_down_out/conv2; do
    n=$(tr '/' '_' <<<"$l")
    # shellcheck disable=SC2086
    sched "$l" "$W/$n.json" $A8
done
# shellcheck disable=SC2086
sched "conv32_down (phase)" "$W/l7_phase.json" $A8 -p K=4
# shellcheck disable=SC2086
sched "conv32_down (phase)" "$W/l7_phase.json" $A2 -p K=4
# shellcheck disable=SC2086
sched "conv256_down_out/conv2" "$W/conv256_down_out_conv2.json" $A2
cat "$W/sched-cmds.txt"

echo
echo "## 4. Through the generated hardware ($SIM): bit-exact, cycles, utilization"
echo "utilization = the layer's MACs (stats, padding reads excluded) / (cycles x MACs the hardware could do a cycle):"
echo "FPAP R x C PEs: R*C (one MAC a PE a cycle); FCU CP: P*K*K*K*(K-1) (K*(K-1) output pixels of K*K MACs per unit)"
printf '%-24s %-34s %9s %10s %12s %9s %8s\n' layer hardware checked mismatch cycles util seconds
hw() { # hw LAYER MACS CAPACITY BLOCK PARAMS... : one verify run, one table row
    local name=$1 m=$2 cap=$3 blk=$4; shift 4
    local t0=$SECONDS o r
    o=$("$D" verify "$blk" "$@" --sim "$SIM" 2>&1)
    r=$(grep '^RESULT' <<<"$o") || { echo "$o" | tail -n 5; status=1; return; }
    grep -q 'mismatches=0' <<<"$r" || status=1
    echo "\$ dnngen verify $blk $* --sim $SIM" | sed "s|$W/||g" >>"$W/hw-cmds.txt"
    awk -v name="$name" -v hwn="$blk $(echo "$@" | sed 's/--profile.*//; s/-p //g; s/ *$//; s/ /,/g')" -v m="$m" -v cap="$cap" -v s=$((SECONDS - t0)) '{
        for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        printf "%-24s %-34s %9s %10s %12s %8.2f%% %8s\n", name, hwn, v["checked"], v["mismatches"], v["cycles"],
               100 * m / (v["cycles"] * cap), s }' <<<"$r"
}
M7=$(macs conv32_down)
hw "conv32_down phase" "$M7" 8 fpap_array -p R=2 -p C=4 -p G=2 -p K=4 -p WMAX=75 --profile "layer:$W/l7_phase.json"
hw "conv32_down decimate" "$M7" $((3 * 7 * 7 * 7 * 6)) fcu_cp -p K=7 -p P=3 -p POOL=0 -p RELU=0 -p BIAS=0 --profile "layer:$W/l7_dec.json"
hw "conv32_down phase:5" "$M7" $((4 * 5 * 5 * 5 * 4)) fcu_cp -p K=5 -p P=4 -p POOL=0 -p RELU=0 -p BIAS=0 --profile "layer:$W/l7_phase5.json"
M256=$(macs conv256_down_out/conv2)
hw "conv256_down_out/conv2" "$M256" 8 fpap_array -p R=2 -p C=4 -p G=2 --profile "layer:$W/conv256_down_out_conv2.json"
hw "conv256_down_out/conv2" "$M256" $((8 * 3 * 3 * 3 * 2)) fcu_cp -p P=8 -p POOL=0 -p RELU=0 -p BIAS=0 --profile "layer:$W/conv256_down_out_conv2.json"
M128=$(macs conv128_1/conv1)
hw "conv128_1/conv1" "$M128" $((8 * 3 * 3 * 3 * 2)) fcu_cp -p P=8 -p POOL=0 -p RELU=0 -p BIAS=0 --profile "layer:$W/conv128_1_conv1.json"
cat "$W/hw-cmds.txt"
echo
echo "FPAP 8 x 32 array (G=16, both decompositions), exact cycles predicted by dnngen schedule (equal to the RTL's, tested), natural order:"
printf '%-24s %12s %12s %9s\n' layer MACs cycles util
for l in conv32_1/conv1 conv64_1/conv1 conv128_1/conv1 conv256_1/conv1; do
    n=$(tr '/' '_' <<<"$l")
    # shellcheck disable=SC2086
    p=$("$D" schedule "$W/$n.json" $A8 --generations 1 | sed -n 's/^PREDICT natural=\([0-9]*\) .*/\1/p')
    awk -v l="$l" -v m="$(macs "$l")" -v p="$p" 'BEGIN { printf "%-24s %12s %12s %8.2f%%\n", l, m, p, 100 * m / (p * 256) }'
done
echo
echo "bench_real_cnn: $((SECONDS - t_all)) s, status $status"
exit $status
