#!/usr/bin/env bash
# scripts/demo.sh -- `make demo`: generate the default design set, verify it under the three
# simulators, synthesize it, and print one summary table.
set -euo pipefail
cd "$(dirname "$0")/.."
D=build/dnngen
export DNNGEN_QUIET=1
OUT=out/demo
rm -rf "$OUT"
rows=()
for spec in "pamac N=8 ACC=24" "pamac N=16 ACC=40" "mac_parallel N=8 ACC=24" "mac_parallel N=16 ACC=40" \
            "fofir K=3 XW=8 HW=8 ACC=24" "fpap_array R=2 C=4 G=2 K=3" "fcu L=3" "fcu_pu K=3"; do
    set -- $spec; b=$1; shift
    args=(); for kv in "$@"; do args+=(-p "$kv"); done
    "$D" gen "$b" "${args[@]}" -o "$OUT/$b-${1#*=}" >/dev/null
    v=$("$D" verify "$b" "${args[@]}" --vectors 100000 | grep '^RESULT')
    i=$("$D" verify "$b" "${args[@]}" --sim icarus --vectors 2000 | grep '^RESULT')
    s=$("$D" verify "$b" "${args[@]}" --sim systemc --vectors 2000 | grep '^RESULT')
    prof=uniform; [ "$b" = fofir ] && prof=sparse:0,0; [ "$b" = fpap_array ] && prof=mixed
    case $b in fcu*) prof=stream ;; esac
    u=$("$D" verify "$b" "${args[@]}" --profile $prof --vectors 20000 | sed -n 's/.*cycles\/op \([0-9.]*\).*/\1/p')
    j=$("$D" synth "$b" "${args[@]}" --period 5 --json)
    f() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" <<<"$j"; }
    c() { sed -n "s/.*checked=\([0-9]*\) mismatches=\([0-9]*\).*/\1 ok, \2 bad/p" <<<"$1"; }
    rows+=("$(printf '%-26s %-18s %-16s %-16s %9s %8s %8s' "$b $*" "$(c "$v")" "$(c "$i")" "$(c "$s")" "$(f area_um2)" "$(f fmax_mhz)" "$u")")
done
echo
echo "dnngen demo: generated into $OUT, verified against the golden model, synthesized (osu018, 5 ns target)"
printf '%-26s %-18s %-16s %-16s %9s %8s %8s\n' design verilator icarus systemc area_um2 fmax_MHz cyc/op
for r in "${rows[@]}"; do echo "$r"; done
echo "(cyc/op: measured cycles per operation on uniform random operands, mac_parallel: 1;"
echo " for fofir: cycles per output with dense random kernels and inputs; for fpap_array:"
echo " cycles per output on random sparse layers, buffer loading and synchronization included;"
echo " for fcu and fcu_pu: cycles per output block (L, resp. K*(K-1) pixels), weight writes included)"
