#!/usr/bin/env bash
# scripts/bench_mutate.sh -- the per-block mutation scores of docs/mutation.md ("Measured
# scores"): `dnngen mutate` on every block at a small, default-like configuration, and one
# Markdown table row per block (parameters, the command, mutants, killed, equivalent,
# survived, errors, score, wall time). Not part of `make bench`: about 35 minutes on a 2-core
# machine shared with other jobs. The runs are independent; a block whose run fails (exit 3)
# gets a row saying so and the script goes on.
#
# usage: scripts/bench_mutate.sh [BLOCK...]       (default: every block in the table below)
# env:   DNNGEN (default build/dnngen), OUT (default bench-mutate: one DIR per block),
#        COUNT (default 60), JOBS (default 2), SIM (default icarus)
set -uo pipefail
cd "$(dirname "$0")/.."
D=${DNNGEN:-build/dnngen}
OUT=${OUT:-bench-mutate}
COUNT=${COUNT:-60}
JOBS=${JOBS:-2}
SIM=${SIM:-icarus}
export DNNGEN_QUIET=1

# Every block at its default parameters (fpap_array's and fcu_pu's are already small:
# 2 x 4 PEs, K = 3), and the options a block needs beyond COUNT/SIM/JOBS:
#   fcu_pu: equivalence checks limited to 60 s (ABC spends the default 300 s on the first
#   killed mutant's cross-check without a verdict);
#   lstm_pe: its test suite, the random profile then the directed walking ones that make
#   test and the nightly plan run too (a mutant mixed lets pass runs corner:bits);
#   fpap_array: 4000 stimulus records (1000 hold the opening full-array layer and about one
#   random layer more; a PE's done forced early, or its sequencer running past its last
#   step, is seen only in a group where that PE is the slowest: docs/mutation.md);
#   lstm_layer: 12000 stimulus records (a layer's first model load alone costs about 350
#   records, so 1000 hold only about 6 runs; with the double-buffered PEs two mutants of
#   the W x buffer needed 8000 and 12000: docs/mutation.md), and 600 s a check: each
#   Yosys run of the steps' miters takes 12-50 s on this layer, and a survivor that only
#   localization level 3 proves (pdr about 30 s after scorr) reaches it after steps 2 and
#   3 have spent their shares (at 300 s it was cut off: 9ba8283, #15 and #52).
params() {
    case $1 in
        pamac|mac_parallel|fofir|fir_parallel|fcu|fcu_reconf|fcu_cp) echo "" ;;
        fpap_array) echo "--vectors 4000" ;;
        lstm_pe) echo "--profile mixed --profile corner:bits" ;;
        fcu_pu) echo "--equiv-timeout 60" ;;
        lstm_layer) echo "--equiv-timeout 600 --vectors 12000" ;;
        *) return 1 ;;
    esac
}
BLOCKS=("$@")
[ ${#BLOCKS[@]} -eq 0 ] && BLOCKS=(pamac mac_parallel fofir fir_parallel fpap_array fcu fcu_reconf fcu_pu fcu_cp lstm_pe lstm_layer)

mkdir -p "$OUT"
echo "| block | parameters | command | mutants | killed | equivalent | survived | errors | score | wall s |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for b in "${BLOCKS[@]}"; do
    p=$(params "$b") || { echo "bench_mutate: unknown block '$b'" >&2; exit 2; }
    read -r -a popt <<<"$p"
    cmd=(mutate "$b" "${popt[@]}" --count "$COUNT" --sim "$SIM" -j "$JOBS" -o "$OUT/$b")
    t0=$(date +%s)
    "$D" "${cmd[@]}" >"$OUT/$b.log" 2>&1
    rc=$?
    t1=$(date +%s)
    # the parameters as the report states them (the defaults, spelled out)
    pshow=$(sqlite3 :memory: "select group_concat(key || '=' || value, ' ') from json_each(readfile('$OUT/$b/mutate.json'), '\$.params')" 2>/dev/null)
    [ -n "$pshow" ] || pshow=defaults
    if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
        echo "| $b | $pshow | \`dnngen ${cmd[*]}\` | failed (exit $rc, $OUT/$b.log) | | | | | | $((t1 - t0)) |"
        continue
    fi
    r=$(grep '^RESULT mutate' "$OUT/$b.log" | tail -1)
    f() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$r"; }
    score=$(awk -v s="$(f score)" 'BEGIN { printf "%.2f%%", 100 * s }')
    echo "| $b | $pshow | \`dnngen ${cmd[*]}\` | $(f mutants) | $(f killed) | $(f equivalent) | $(f survived) | $(f errors) | $score | $((t1 - t0)) |"
done
