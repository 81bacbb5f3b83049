#!/usr/bin/env bash
# scripts/bench_nightly.sh -- the nightly figures of `make bench` (docs/nightly.md): wall
# time and jobs per minute of the default plan (plans/nightly.json) on this machine with
# -j JOBS (default 2), first with an empty build cache (every simulator model compiled, as
# after a change to templates, harnesses or the golden library), then again with the models
# cached. It runs on a fresh export of the committed tree (git archive HEAD), built in a
# temporary directory, so neither the working tree's edits nor its build cache count.
# Prints the regress RESULT lines, the load average before and after (the machine may be
# shared), and one summary line per run. Usage: scripts/bench_nightly.sh [JOBS] [PLAN]
set -euo pipefail
cd "$(dirname "$0")/.."
J=${1:-2}
PLAN=${2:-plans/nightly.json}
W=$(mktemp -d /tmp/dnngen-bench-nightly.XXXXXX)
trap 'rm -rf "$W"' EXIT
git archive HEAD | tar -x -C "$W"
make -C "$W" -s all >/dev/null
echo "nightly plan $PLAN at $(git rev-parse --short HEAD), -j $J, $(nproc) cores"
"$W/build/dnngen" regress "$W/$PLAN" --dry-run -o "$W/dry" | tail -1
run() { # run LABEL OUTDIR
    local t0 t1 out
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    t0=$(date +%s)
    out=$(cd "$W" && ./build/dnngen regress "$PLAN" -o "$2" -j "$J" 2>/dev/null | grep -E '^RESULT|^coverage' || true)
    t1=$(date +%s)
    echo "$out"
    echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
    awk -v l="$1" -v s=$((t1 - t0)) -v o="$out" 'BEGIN {
        n = o; sub(/.*jobs=/, "", n); sub(/ .*/, "", n);
        printf "%-28s wall %dm%02ds  jobs %d  jobs/min %.1f  (target <= 15 min)\n", l, s / 60, s % 60, n, n * 60 / (s > 0 ? s : 1) }'
}
run "nightly, cold cache" "$W/out-cold"
run "nightly, warm cache" "$W/out-warm"
