#!/usr/bin/env bash
# scripts/bench_fcu.sh -- the FCU figures (`make bench` runs it; docs/fcu.md):
#  1. multipliers and adders per 2-D output pixel of a k x k convolution built from k-tap,
#     k-parallel units (one unit per kernel row, k-1 adders per pixel to sum the rows),
#     from the generator's own count and from the synthesized netlist (Yosys: $mul cells,
#     and $add/$sub/$neg cells in the fan-out cone of the samples, i.e. without the weight
#     pre-additions that run only at a coefficient write), next to the published Table I
#     and the direct form;
#  2. area and fmax (osu018 unless LIBERTY is set; clock target PERIOD ns, default 5) of the
#     FFA unit against the direct-form unit of the same throughput (ALG=direct: L outputs
#     per cycle, L*L multipliers) at 8 and 16 bits, PIPE=1, exact output width.
#  3. the processing units (fcu_pu): per-pixel counts from the whole PU netlist for K = 3,
#     5, 7, and area/fmax of PUs against direct-form PUs (K = 3 at 8 and 16 bits, K = 5 at 8).
# BENCH_QUICK=1: L = 3 at 8 bits only.
set -euo pipefail
cd "$(dirname "$0")/.."
D=${DNNGEN:-build/dnngen}
export DNNGEN_QUIET=1
LIB_OPT=()
[ -n "${LIBERTY:-}" ] && LIB_OPT=(--liberty "$LIBERTY")
PERIOD=${PERIOD:-5}
KS="3 5 7"; BITS="8 16"
[ -n "${BENCH_QUICK:-}" ] && { KS="3"; BITS="8"; }
field() { sed -n "s/.*\"$1\":\([0-9.eE+-]*\).*/\1/p"; }
pub_mul() { case $1 in 3) echo 6 ;; 5) echo 15 ;; 7) echo 28 ;; esac; }
pub_add() { case $1 in 3) echo 12 ;; 5) echo 35 ;; 7) echo 64 ;; esac; }

echo "FCU per 2-D output pixel (k x k kernel = k units of k taps, k-1 row sums per pixel)"
printf '%-6s | %-15s | %-15s | %-15s | %-11s\n' "kernel" "generator m/a" "netlist m/a" "published m/a" "direct m/a"
declare -A JF JD
for k in $KS; do
    for b in $BITS; do
        JF[$k.$b]=$("$D" synth fcu -p L=$k -p XW=$b -p HW=$b --period "$PERIOD" "${LIB_OPT[@]}" --json)
        JD[$k.$b]=$("$D" synth fcu -p L=$k -p XW=$b -p HW=$b -p ALG=direct --period "$PERIOD" "${LIB_OPT[@]}" --json)
    done
    b=${BITS%% *}
    tmp=$(mktemp -d); "$D" gen fcu -p L=$k -o "$tmp" >/dev/null
    counts=$(sed -n 's/^\/\/ Datapath: \([0-9]*\) multipliers, \([0-9]*\) data pre-adders, \([0-9]*\) post-adders.*/\1 \2 \3/p' "$tmp"/*.v)
    rm -rf "$tmp"
    read -r gm gpre gpost <<<"$counts"
    nm=$(field multipliers <<<"${JF[$k.$b]}"); na=$(field adders_data <<<"${JF[$k.$b]}")
    dm=$(field multipliers <<<"${JD[$k.$b]}"); da=$(field adders_data <<<"${JD[$k.$b]}")
    # per pixel: k units x (m, a) / k pixels = the unit's (m, a), plus k-1 row sums
    printf '%-6s | %-15s | %-15s | %-15s | %-11s\n' "${k}x$k" \
        "$gm/$((gpre + gpost + k - 1))" "$nm/$((na + k - 1))" "$(pub_mul $k)/$(pub_add $k)" \
        "$dm/$((da + k - 1))"
done
echo
echo "FFA unit vs direct-form unit of the same throughput (L outputs per cycle), PIPE=1, osu018"
printf '%-10s | %10s %10s %7s | %8s %8s\n' "design" "area FFA" "area dir" "FFA/dir" "fmax FFA" "fmax dir"
for b in $BITS; do
    for k in $KS; do
        af=$(field area_um2 <<<"${JF[$k.$b]}"); ad=$(field area_um2 <<<"${JD[$k.$b]}")
        ff=$(field fmax_mhz <<<"${JF[$k.$b]}"); fd=$(field fmax_mhz <<<"${JD[$k.$b]}")
        printf '%-10s | %10.0f %10.0f %6.1f%% | %8s %8s\n' "L=$k ${b}b" "$af" "$ad" \
            "$(awk -v a="$af" -v d="$ad" 'BEGIN { print 100 * a / d }')" "$ff" "$fd"
    done
done

# ---- processing units: the K x (K-1) arrays themselves (no bias/ReLU) ----
# Counts from Yosys' coarse pass on the whole PU (FCUs reading the same input row share
# their pre-additions there: opt_merge finds them identical), then per output pixel.
pu_counts() { # K ALG -> "mults adders" of the whole PU
    local dir; dir=$(mktemp -d)
    "$D" gen fcu_pu -p K=$1 -p BIAS=0 -p RELU=0 -p ALG=$2 -o "$dir" >/dev/null
    local top; top=$(basename "$(ls "$dir"/*.f)" .f)
    local rd; rd=$(sed "s|^|read_verilog $dir/|; s|\$|;|" "$dir/$top.f" | tr '\n' ' ')
    (cd "$dir" && yosys -q -p "$rd hierarchy -top $top; proc; flatten; opt -fast; wreduce; tee -q -o m.txt select -count t:\$mul; tee -q -o a.txt select -count w:in_x* w:in_r* %u w:in_ready %d %co* t:\$add t:\$sub t:\$neg %u %u %i")
    echo "$(awk '{print $1}' "$dir/m.txt") $(awk '{print $1}' "$dir/a.txt")"
    rm -rf "$dir"
}
echo
echo "FCU processing units (fcu_pu, BIAS=0 RELU=0): per output pixel from the PU netlist"
printf '%-6s | %-9s | %-13s | %-13s | %-13s\n' "kernel" "FCUs" "PU FFA m/a" "published m/a" "PU direct m/a"
for k in $KS; do
    read -r fm fa <<<"$(pu_counts $k ffa)"
    read -r dm da <<<"$(pu_counts $k direct)"
    px=$((k * (k - 1)))
    printf '%-6s | %-9s | %-13s | %-13s | %-13s\n' "${k}x$k" "$px" \
        "$(awk -v m="$fm" -v a="$fa" -v p="$px" 'BEGIN { printf "%g/%g", m / p, a / p }')" \
        "$(pub_mul $k)/$(pub_add $k)" \
        "$(awk -v m="$dm" -v a="$da" -v p="$px" 'BEGIN { printf "%g/%g", m / p, a / p }')"
done
echo
echo "PU area (osu018) FFA vs direct-form FCUs, same throughput (K*(K-1) pixels per cycle)"
printf '%-10s | %10s %10s %7s | %8s %8s\n' "PU" "area FFA" "area dir" "FFA/dir" "fmax FFA" "fmax dir"
PUS="3.8 3.16 5.8"
[ -n "${BENCH_QUICK:-}" ] && PUS="3.8"
for kb in $PUS; do
    k=${kb%.*}; b=${kb#*.}
    jf=$("$D" synth fcu_pu -p K=$k -p XW=$b -p HW=$b -p BIAS=0 -p RELU=0 --period "$PERIOD" "${LIB_OPT[@]}" --json)
    jd=$("$D" synth fcu_pu -p K=$k -p XW=$b -p HW=$b -p BIAS=0 -p RELU=0 -p ALG=direct --period "$PERIOD" "${LIB_OPT[@]}" --json)
    af=$(field area_um2 <<<"$jf"); ad=$(field area_um2 <<<"$jd")
    printf '%-10s | %10.0f %10.0f %6.1f%% | %8s %8s\n' "K=$k ${b}b" "$af" "$ad" \
        "$(awk -v a="$af" -v d="$ad" 'BEGIN { print 100 * a / d }')" \
        "$(field fmax_mhz <<<"$jf")" "$(field fmax_mhz <<<"$jd")"
done
