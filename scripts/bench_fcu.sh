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
