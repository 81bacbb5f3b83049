#!/usr/bin/env bash
# tests/run.sh -- the gate (`make test`). Every test is a command whose exit status and
# output are checked; each prints PASS/FAIL with its log, and the run ends with the line
# "N passed, N failed". Checkers are proven able to fail: every co-simulation path is run
# against fault-injected RTL and must report a mismatch.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${DNNGEN_BUILD:-build}
D=$ROOT/$BUILD/dnngen
export DNNGEN_QUIET=1
LOGS=$ROOT/$BUILD/test-logs
T=$(mktemp -d /tmp/dnngen-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
rm -rf "$LOGS" && mkdir -p "$LOGS"
pass=0 fail=0 n=0
ONLY=${TEST_ONLY:-}
FUZZ=$ROOT/$BUILD/fuzz # the harnesses of `make B=DIR fuzzers`; test-sanitize builds them in build/fuzz
[ -d "$FUZZ" ] || FUZZ=$ROOT/build/fuzz

run() { # run NAME CMD... : pass when CMD exits 0
    local name=$1; shift
    [[ -n "$ONLY" && "$name" != *$ONLY* ]] && return 0
    n=$((n + 1))
    local log="$LOGS/$(printf '%03d' $n)-${name//[^A-Za-z0-9_.-]/_}.log"
    local t0=$SECONDS
    if ( "$@" ) >"$log" 2>&1; then
        pass=$((pass + 1)); printf 'PASS %-58s %3ds\n' "$name" $((SECONDS - t0))
    else
        fail=$((fail + 1)); printf 'FAIL %-58s %3ds  (log: %s)\n' "$name" $((SECONDS - t0)) "$log"
        tail -n 15 "$log" | sed 's/^/     | /'
    fi
}

# expect_exit CODE CMD... : the command must exit with CODE
expect_exit() { local want=$1; shift; "$@"; local got=$?; echo "exit $got (want $want)"; [ "$got" -eq "$want" ]; }

# bad_input ARGS... : exit 2, exactly one line on stderr naming the problem, nothing on stdout
bad_input() {
    local out="$T/bad.out" err="$T/bad.err"
    "$D" "$@" >"$out" 2>"$err"; local rc=$?
    cat "$err"
    [ "$rc" -eq 2 ] || { echo "exit $rc, want 2"; return 1; }
    [ "$(wc -l <"$err")" -eq 1 ] || { echo "stderr is not one line"; return 1; }
    grep -q 'legal\|missing\|cannot\|not a\|malformed\|narrower\|is for block\|too large' "$err" || { echo "no legal values named"; return 1; }
    [ ! -s "$out" ] || { echo "stdout not empty"; return 1; }
}

# verify_pass ARGS... : verify must pass and check > 0 vectors
verify_pass() { local o; o=$("$D" verify "$@" 2>&1); local rc=$?; echo "$o"; [ $rc -eq 0 ] && grep -q 'RESULT .*checked=[1-9]' <<<"$o" && grep -q 'mismatches=0' <<<"$o"; }
# verify_catches ARGS... : verify must exit 1 and print a MISMATCH with a reproduce line
verify_catches() { local o; o=$("$D" verify "$@" 2>&1); local rc=$?; echo "$o"; [ $rc -eq 1 ] && grep -q '^MISMATCH' <<<"$o" && grep -q 'reproduce: dnngen verify' <<<"$o"; }

# sc_skip SIM FAULT FIRST : under SystemC the gate shows each block's checker catching one
# fault (FIRST); every fault runs under Verilator and Icarus. ALL_FAULTS=1 runs every fault
# under SystemC too (14 more tests, about 90 s)
sc_skip() { [ "${ALL_FAULTS:-0}" != 1 ] && [ "$1" = systemc ] && [ "$2" != "$3" ]; }
lint() { # lint BLOCK PARAMS... : generate and lint with -Wall
    local dir="$T/lint.$RANDOM$RANDOM"
    "$D" gen "$@" -o "$dir" >/dev/null && verilator --lint-only -Wall "$dir"/*.v
}
latch_free() { # latch_free BLOCK PARAMS... : Yosys synth, no latch
    local dir="$T/syn.$RANDOM$RANDOM" top
    "$D" gen "$@" -o "$dir" >/dev/null || return 1
    top=$(basename "$dir"/*.f .f)
    local files; files=$(sed "s|^|$dir/|" "$dir/$top.f" | tr '\n' ' ')
    yosys -q -p "read_verilog $files; synth -top $top; select -assert-none t:\$*latch* t:\$dlatch* t:\$sr" && echo "no latch in $top"
}

echo "== unit tests"
for t in "$ROOT/$BUILD"/tests/*; do
    [ -x "$t" ] && run "unit $(basename "$t")" "$t"
done

echo "== command line"
run "version" bash -c "'$D' --version | grep -q '^dnngen [0-9]'"
for c in list gen golden verify synth; do run "help $c" bash -c "'$D' $c --help | grep -q usage"; done
run "list blocks" bash -c "'$D' list | grep -q '^pamac' && '$D' list | grep -q '^mac_parallel'"
run "list pamac params" bash -c "'$D' list pamac | grep -q 'N .*default 16 .*legal 2..32'"
run "bad: unknown command" bad_input frobnicate
run "bad: unknown block" bad_input gen nosuch -o "$T/x1"
run "bad: unknown parameter" bad_input gen pamac -p FOO=1 -o "$T/x2"
run "bad: N out of range" bad_input gen pamac -p N=33 -o "$T/x3"
run "bad: N not a number" bad_input gen pamac -p N=abc -o "$T/x4"
run "bad: enum value" bad_input gen pamac -p DECOMP=xy -o "$T/x5"
run "bad: ACC narrower than N+1" bad_input gen pamac -p N=16 -p ACC=16 -o "$T/x6"
printf '{"params": {"N": 8,}' >"$T/bad.json"
run "bad: malformed JSON config" bad_input gen pamac -c "$T/bad.json" -o "$T/x7"
printf '{"block": "mac_parallel", "params": {"N": 8}}' >"$T/wrong.json"
run "bad: config for another block" bad_input gen pamac -c "$T/wrong.json" -o "$T/x8"
printf '{"params": {"N": 8.5}}' >"$T/frac.json"
run "bad: non-integer in config" bad_input gen pamac -c "$T/frac.json" -o "$T/x9"
touch "$T/afile"
run "bad: unwritable output dir" bad_input gen pamac -o "$T/afile/sub"
run "bad: vectors out of range" bad_input verify pamac --vectors -5
run "bad: unknown simulator" bad_input verify pamac --sim modelsim
run "bad: unknown fault" bad_input verify pamac --inject-fault nosuch
run "bad: unknown profile" bad_input verify pamac --profile bogus
run "bad: golden without -o" bad_input golden pamac --vectors 10
run "bad: liberty missing" bad_input synth pamac --liberty "$T/none.lib"
printf '{"block": "mac\\nparallel", "params": {}}' >"$T/nl.json"
run "bad: newline in a config string stays one line" bad_input gen pamac -c "$T/nl.json" -o "$T/x10"
run "bad input leaves no files" bash -c "! ls -A '$T' | grep -q '^x[0-9]'"

echo "== generator"
run "gen writes the five files" bash -c "'$D' gen pamac -o '$T/g1' >/dev/null && ls '$T/g1' | sort | tr '\n' ' ' | grep -q 'dnn_pamac_n16_acc40_sa1_both_k1_p1.f dnn_pamac_n16_acc40_sa1_both_k1_p1.sdc dnn_pamac_n16_acc40_sa1_both_k1_p1.v dnn_pamac_n16_acc40_sa1_both_k1_p1_params.h manifest.json'"
run "gen is byte-identical" bash -c "'$D' gen pamac -p N=12 -o '$T/d1' >/dev/null && (cd '$T' && '$D' gen pamac -p N=12 -o d2 >/dev/null) && diff -r '$T/d1' '$T/d2'"
printf '{"block": "pamac", "params": {"N": 12, "DECOMP": "both", "SIGNED_A": true}}' >"$T/c.json"
run "config equals -p" bash -c "'$D' gen pamac -c '$T/c.json' -o '$T/d3' >/dev/null && diff -r '$T/d1' '$T/d3'"
run "-p overrides config" bash -c "'$D' gen pamac -p N=10 -c '$T/c.json' -o '$T/d4' | grep -q n10"
run "header has command and every parameter" bash -c "grep -q '^// Command: dnngen gen pamac -p N=16 -p ACC=40 -p SIGNED_A=1 -p DECOMP=both -p APPROX=1 -p PREC=1' '$T/g1'/*.v && grep -q 'Block:   pamac  N=16 ACC=40 SIGNED_A=1 DECOMP=both APPROX=1 PREC=1' '$T/g1'/*.v"
run "manifest lists ports and contract" bash -c "m='$T/g1/manifest.json'; grep -A3 '\"name\":.*\"in_t\"' \$m | grep -q '\"width\":.*40' && grep -A2 '\"name\":.*\"out_y\"' \$m | grep -q '\"dir\":.*\"output\"' && grep -q '\"contract\":.*occupies' \$m"
run "prefix renames the module" bash -c "'$D' gen mac_parallel --prefix acme_ -o '$T/g2' | grep -q acme_mac_parallel_n16"
run "header for harnesses compiles" bash -c "printf '#include \"%s\"\nint main(void){return DNN_PAMAC_N16_ACC40_SA1_BOTH_K1_P1_N == 16 ? 0 : 1;}\n' '$T/g1/dnn_pamac_n16_acc40_sa1_both_k1_p1_params.h' > '$T/h.c' && cc -std=c11 -Wall -Werror -o '$T/h' '$T/h.c' && '$T/h'"
run "golden file is deterministic" bash -c "'$D' golden pamac --vectors 300 --seed 7 -o '$T/v1.txt' && '$D' golden pamac --vectors 300 --seed 7 -o '$T/v2.txt' && cmp '$T/v1.txt' '$T/v2.txt' && [ \$(grep -c '^[01] ' '$T/v1.txt') -eq 600 ]"

kill_test() { # SIGKILL gen at random points: every file is absent or complete and identical
    "$D" gen pamac -p N=24 -p ACC=56 -o "$T/kref" >/dev/null || return 1
    local i f
    for i in $(seq 1 40); do
        rm -rf "$T/kill"
        "$D" gen pamac -p N=24 -p ACC=56 -o "$T/kill" >/dev/null 2>&1 &
        local pid=$!
        sleep "0.00$((RANDOM % 10))"
        kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
        for f in "$T/kref"/*; do
            local g="$T/kill/${f##*/}"
            [ ! -e "$g" ] || cmp -s "$f" "$g" || { echo "partial file after kill: $g"; return 1; }
        done
    done
    echo "40 kills, no partial file"
}
run "gen killed with SIGKILL leaves no partial file" kill_test

echo "== lint (verilator -Wall) and latch-free synthesis"
for cfg in "N=2 ACC=3" "N=3 ACC=4 SIGNED_A=0" "N=8 ACC=20 DECOMP=wd" "N=8 ACC=9 DECOMP=ad SIGNED_A=0" \
           "N=8 ACC=20 DECOMP=wd PREC=0" "N=5 ACC=12 DECOMP=ad PREC=0 APPROX=0" \
           "N=16 ACC=40" "N=16 ACC=40 APPROX=0 PREC=0" "N=31 ACC=64 SIGNED_A=0" "N=32 ACC=72" "N=32 ACC=128 SIGNED_A=0 DECOMP=ad"; do
    args=(); for kv in $cfg; do args+=(-p "$kv"); done
    run "lint pamac $cfg" lint pamac "${args[@]}"
    run "no latch pamac $cfg" latch_free pamac "${args[@]}"
done
for cfg in "N=2 ACC=3" "N=8 ACC=20 SIGNED_A=0" "N=16 ACC=40" "N=31 ACC=64 PREC=0" "N=32 ACC=72"; do
    args=(); for kv in $cfg; do args+=(-p "$kv"); done
    run "lint mac_parallel $cfg" lint mac_parallel "${args[@]}"
    run "no latch mac_parallel $cfg" latch_free mac_parallel "${args[@]}"
done

for cfg in "K=1" "K=2 XW=4 HW=12 ACC=20" "K=3" "K=5 SIGNED_X=0 DECOMP=wd" "K=7 APPROX=1 PREC=1" "K=16 XW=16 HW=16 ACC=40 DECOMP=ad"; do
    args=(); for kv in $cfg; do args+=(-p "$kv"); done
    run "lint fofir $cfg" lint fofir "${args[@]}"
    run "no latch fofir $cfg" latch_free fofir "${args[@]}"
done

echo "== co-simulation: Verilator (value and cycle exact)"
for cfg in "N=2 ACC=3" "N=3 ACC=4 SIGNED_A=0" "N=8 ACC=20 DECOMP=wd" "N=8 ACC=9 DECOMP=ad SIGNED_A=0" \
           "N=16 ACC=40" "N=16 ACC=40 APPROX=0 PREC=0" "N=31 ACC=64 SIGNED_A=0" "N=32 ACC=72" "N=32 ACC=128 SIGNED_A=0 DECOMP=ad"; do
    args=(); for kv in $cfg; do args+=(-p "$kv"); done
    run "verilator pamac $cfg" verify_pass pamac "${args[@]}" --vectors 30000
done
for cfg in "N=2 ACC=3" "N=16 ACC=40 SIGNED_A=0" "N=32 ACC=72"; do
    args=(); for kv in $cfg; do args+=(-p "$kv"); done
    run "verilator mac_parallel $cfg" verify_pass mac_parallel "${args[@]}" --vectors 30000
done
for cfg in "K=1" "K=2" "K=3" "K=4 XW=4 HW=12" "K=5 SIGNED_X=0 ACC=30" "K=7 APPROX=1 PREC=1" "K=9 DECOMP=wd XW=16 HW=16 ACC=40" "K=16 DECOMP=ad"; do
    args=(); for kv in $cfg; do args+=(-p "$kv"); done
    run "verilator fofir $cfg" verify_pass fofir "${args[@]}" --vectors 20000
done
run "verilator fofir dense (sparse:0,0)" verify_pass fofir -p K=5 --profile sparse:0,0 --vectors 5000
run "verilator fofir sparse (sparse:0.8,0.5)" verify_pass fofir -p K=5 --profile sparse:0.8,0.5 --vectors 5000
run "verilator pamac uniform profile" verify_pass pamac --profile uniform --vectors 20000
run "verilator pamac terms profile" verify_pass pamac --profile terms:0.4,0.3,0.2,0.1 --vectors 20000
run "second verify reuses the build" bash -c "'$D' verify pamac --vectors 10 2>&1 | grep -q PASS && ! DNNGEN_QUIET= '$D' verify pamac --vectors 10 2>&1 | grep -q 'building'"
run "verify --waves writes an FST (verilator, icarus)" bash -c "for s in verilator icarus; do o=\$('$D' verify pamac -p N=8 -p ACC=20 --vectors 100 --waves --sim \$s) || exit 1; w=\$(sed -n 's/.*waves in //p' <<<\"\$o\"); [ -s \"\$w/waves.fst\" ] || exit 1; echo \"\$w/waves.fst\"; done"
run "zero vectors is a failure" expect_exit 1 "$D" verify pamac --vectors 0

echo "== co-simulation: Icarus (vectors file) and SystemC"
for cfg in "N=3 ACC=4 SIGNED_A=0" "N=16 ACC=40" "N=32 ACC=72" "N=32 ACC=128 SIGNED_A=0 DECOMP=ad"; do
    args=(); for kv in $cfg; do args+=(-p "$kv"); done
    run "icarus pamac $cfg" verify_pass pamac "${args[@]}" --sim icarus --vectors 3000
done
run "icarus mac_parallel" verify_pass mac_parallel --sim icarus --vectors 3000
run "icarus fofir K=3" verify_pass fofir --sim icarus --vectors 3000
run "icarus fofir K=7 APPROX=1 PREC=1" verify_pass fofir -p K=7 -p APPROX=1 -p PREC=1 --sim icarus --vectors 3000
run "icarus fofir K=1 SIGNED_X=0" verify_pass fofir -p K=1 -p SIGNED_X=0 --sim icarus --vectors 3000
run "systemc fofir K=3" verify_pass fofir --sim systemc --vectors 3000
run "systemc pamac N=16" verify_pass pamac --sim systemc --vectors 5000
run "systemc pamac N=32 ACC=72 (sc_bv ports)" verify_pass pamac -p N=32 -p ACC=72 --sim systemc --vectors 3000
run "systemc mac_parallel" verify_pass mac_parallel --sim systemc --vectors 3000

echo "== fault injection: every checker reports every fault"
for sim in verilator icarus systemc; do
    for f in decode shift carry last; do
        sc_skip $sim $f decode && continue
        run "$sim catches pamac fault $f" verify_catches pamac --sim $sim --inject-fault $f --vectors 3000
    done
    run "$sim catches mac_parallel fault ready" verify_catches mac_parallel --sim $sim --inject-fault ready --vectors 3000
    for f in hazard writeback; do
        sc_skip $sim $f hazard && continue
        run "$sim catches fofir fault $f" verify_catches fofir --sim $sim --inject-fault $f --vectors 3000
    done
done

echo "== fir_parallel: the K-multiplier baseline of fofir"
for cfg in "K=1" "K=2 SIGNED_X=0" "K=3" "K=5 XW=4 HW=12 ACC=20" "K=7 XW=12 HW=4 SIGNED_X=0 ACC=16" "K=16 XW=16 HW=16 ACC=40"; do
    args=(); for kv in $cfg; do args+=(-p "$kv"); done
    run "lint fir_parallel $cfg" lint fir_parallel "${args[@]}"
    run "verilator fir_parallel $cfg" verify_pass fir_parallel "${args[@]}" --vectors 20000
done
run "no latch fir_parallel K=5" latch_free fir_parallel -p K=5
run "icarus fir_parallel K=3" verify_pass fir_parallel --sim icarus --vectors 3000
run "systemc fir_parallel K=1 SIGNED_X=0" verify_pass fir_parallel -p K=1 -p SIGNED_X=0 --sim systemc --vectors 3000
for sim in verilator icarus systemc; do
    for f in tap ready; do
        sc_skip $sim $f tap && continue
        run "$sim catches fir_parallel fault $f" verify_catches fir_parallel --sim $sim --inject-fault $f --vectors 3000
    done
done
run "fir_parallel K=3 synthesizes with 3 multipliers" bash -c "'$D' synth fir_parallel -p K=3 --json -o '$T/synfp' | tee /dev/stderr | grep -q '\"multipliers\":3,'"

echo "== fpap_array: R x C FoFIR PEs, a whole convolution layer"
for cfg in "R=1 C=1 G=1 K=1 WMAX=4" "R=2 C=3 G=2 K=2 WMAX=6 DECOMP=both SIGNED_X=0" "R=3 C=2 G=1 K=5 WMAX=7 XW=4 HW=12 ACC=30 DECOMP=ad"; do
    args=(); for kv in $cfg; do args+=(-p "$kv"); done
    run "lint fpap_array $cfg" lint fpap_array "${args[@]}"
    run "no latch fpap_array $cfg" latch_free fpap_array "${args[@]}"
done
run "lint fpap_array default" lint fpap_array
for f in sync acc; do run "lint fpap_array fault $f" lint fpap_array --inject-fault $f; done
for cfg in "R=1 C=1 G=1 K=1 WMAX=4" "" "R=3 C=3 G=3 K=2 WMAX=9 DECOMP=both SIGNED_X=0" "R=4 C=2 K=5 WMAX=12 XW=4 HW=12 ACC=30 DECOMP=ad" "XW=16 HW=16 ACC=40"; do
    args=(); for kv in $cfg; do args+=(-p "$kv"); done
    run "verilator fpap_array ${cfg:-default}" verify_pass fpap_array "${args[@]}" --vectors 4000
done
run "icarus fpap_array default" verify_pass fpap_array --sim icarus --vectors 2000
run "icarus fpap_array K=1 R=3 C=2" verify_pass fpap_array -p K=1 -p R=3 -p C=2 -p WMAX=5 --sim icarus --vectors 2000
run "systemc fpap_array default" verify_pass fpap_array --sim systemc --vectors 2000
run "systemc fpap_array K=1 R=1 C=3 G=1 DECOMP=both" verify_pass fpap_array -p K=1 -p R=1 -p C=3 -p G=1 -p WMAX=5 -p DECOMP=both --sim systemc --vectors 2000
for sim in verilator icarus systemc; do
    for f in sync acc; do
        sc_skip $sim $f sync && continue
        run "$sim catches fpap_array fault $f" verify_catches fpap_array --sim $sim --inject-fault $f --vectors 2000
    done
done
printf '{"cin":64,"cout":64,"h":4096,"w":4096,"k":3}' >"$T/absurd-layer.json"
run "fpap_array: a 40-byte layer declaring 2^30 inputs is refused" bad_input verify fpap_array --profile "layer:$T/absurd-layer.json"
printf '{"cin":1,"cout":2,"h":3,"w":3,"k":3,"weights":[1,2],"input":[1]}' >"$T/short-layer.json"
run "fpap_array: a layer with too few weights is refused" bad_input verify fpap_array --profile "layer:$T/short-layer.json"
run "fpap_array: WMAX shorter than K is refused" bad_input gen fpap_array -p WMAX=2 -o "$T/fa-bad"
run "fpap_array: absurd buffer sizes are refused" bad_input gen fpap_array -p R=32 -p C=64 -p G=64 -p WMAX=1024 -o "$T/fa-bad"
run "fpap_array: a missing layer file is refused" bad_input verify fpap_array --profile "layer:$T/nonexistent.json"
echo "== schedule: channel ordering (GA) and its cost model against the RTL array"
"$D" layer --random 8,12,6,10,3,0.6,0.3 --seed 3 -o "$T/sl.json" >/dev/null
"$D" layer --random 5,7,5,7,2,0.5,0 --seed 4 --xw 6 --hw 5 --unsigned -o "$T/sl2.json" >/dev/null
schedule_matches_rtl() { # LAYER PARAMS... : predicted cycles (natural and GA order) equal the RTL's
    local layer=$1; shift
    local args=(); for kv in "$@"; do args+=(-p "$kv"); done
    local o n g rn rg
    o=$("$D" schedule "$layer" "${args[@]}" -o "$T/order.txt") || return 1; echo "$o"
    n=$(sed -n 's/^PREDICT natural=\([0-9]*\) ga=.*/\1/p' <<<"$o"); g=$(sed -n 's/^PREDICT .* ga=\([0-9]*\)/\1/p' <<<"$o")
    rn=$("$D" verify fpap_array "${args[@]}" --profile "layer:$layer" | tee /dev/stderr | sed -n 's/^RESULT .* cycles=\([0-9]*\).*/\1/p')
    rg=$("$D" verify fpap_array "${args[@]}" --profile "layer:$layer,order=$T/order.txt" | tee /dev/stderr | sed -n 's/^RESULT .* cycles=\([0-9]*\).*/\1/p')
    echo "natural: predicted $n, RTL $rn; GA: predicted $g, RTL $rg"
    [ -n "$n" ] && [ "$n" = "$rn" ] && [ "$g" = "$rg" ]
}
run "schedule: predicted cycles equal the RTL array's (natural and GA order)" schedule_matches_rtl "$T/sl.json" R=2 C=4 G=2
run "schedule: predicted cycles equal the RTL's (K=2, unsigned, both)" schedule_matches_rtl "$T/sl2.json" R=3 C=2 G=3 XW=6 HW=5 SIGNED_X=0 K=2 DECOMP=both
run "schedule: same seed, same order file" bash -c "'$D' schedule '$T/sl.json' --seed 9 -o '$T/o1' >/dev/null && '$D' schedule '$T/sl.json' --seed 9 -o '$T/o2' >/dev/null && cmp '$T/o1' '$T/o2'"
run "schedule: GA cost <= natural, >= lower bound" bash -c "o=\$('$D' schedule '$T/sl.json' -p C=8 --generations 200) && echo \"\$o\" && awk '/^  natural /{n=\$2} /^  GA /{g=\$2} /^  lower bound/{b=\$3} END{exit !(g<=n && g>=b && b>0)}' <<<\"\$o\""
run "schedule: missing layer file" bad_input schedule "$T/none.json"
printf '{"cin":2,"cout":2,"h":3,"w":3,"k":3,"weights":"x"}' >"$T/badl.json"
run "schedule: malformed layer" bad_input schedule "$T/badl.json"
run "schedule: unknown option" bad_input schedule "$T/sl.json" --bogus
run "schedule: unwritable order file" bad_input schedule "$T/sl.json" -o /proc/nonexistent/order.txt
printf '0\n1\n1\n' >"$T/dup.txt"
run "verify fpap_array: a bad order file is refused" bad_input verify fpap_array --profile "layer:$T/sl.json,order=$T/dup.txt"
run "layer: bad --random" bad_input layer --random 1,2,3 -o "$T/x.json"
run "fpap_array synthesizes without a multiplier or latch" bash -c "'$D' synth fpap_array -p R=1 -p C=2 -p G=1 -p WMAX=6 --json -o '$T/synfa' | tee /dev/stderr | grep -q '\"multipliers\":0,.*\"latches\":0'"

echo "== regress: plans run as parallel verify jobs; JUnit, Markdown, HTML report, coverage"
RG=$T/regress
regress_smoke() { # plans/smoke.json passes and writes every output, well-formed
    local o d="$RG/smoke" f
    o=$("$D" regress "$ROOT/plans/smoke.json" -o "$d" -j 2); local rc=$?; echo "$o"
    [ $rc -eq 0 ] || { echo "exit $rc, want 0"; return 1; }
    grep -q '^RESULT regress plan=smoke jobs=4 passed=4 failed=0' <<<"$o" || return 1
    for f in junit.xml summary.md report.html results.json coverage.info; do
        [ -s "$d/$f" ] || { echo "missing $f"; return 1; }
    done
    xmllint --noout "$d/junit.xml" || return 1
    grep -q '<testsuite name="pamac" tests="3" failures="0" errors="0"' "$d/junit.xml" &&
    grep -q '<testsuite name="mac_parallel" tests="1"' "$d/junit.xml" &&
    grep -q '<property name="seed" value="2"/>' "$d/junit.xml" &&
    grep -q '<property name="git_revision" value="[0-9a-z]' "$d/junit.xml" && # "unknown" outside git
    grep -q '<property name="verilator_version" value="Verilator 5' "$d/junit.xml" &&
    grep -q '<property name="parameters" value="-p N=8 -p ACC=20 ' "$d/junit.xml" || { echo "junit.xml content"; return 1; }
    grep -q '^| pamac | 3 | 3 | 0 | 100.0% | .* | [0-9.]*% | [0-9.]*% |$' "$d/summary.md" || { echo "summary.md: no per-block coverage"; return 1; }
    grep -q '^coverage pamac: line [0-9.]*% toggle [0-9.]*%' <<<"$o" || return 1
    grep -q '^SF:.*/build/cache/verilator-[0-9a-f]*/dnn_pamac_n8' "$d/coverage.info" && ! grep -q '\.tmp\.' "$d/coverage.info" || { echo "coverage.info source paths"; return 1; }
    ! grep -qi '<link\|src=\|url(\|https\?:' "$d/report.html" || { echo "report.html is not self-contained"; return 1; }
}
run "regress: smoke plan passes and writes JUnit, Markdown, HTML, JSON, lcov" regress_smoke

cat >"$T/faults.json" <<'EOF'
{"name": "faults", "defaults": {"vectors": 200, "timeout": 300},
 "runs": [
  {"block": "pamac", "configs": [{"N": 8, "ACC": 20}], "sims": ["verilator", "icarus"]},
  {"block": "pamac", "configs": [{"N": 8, "ACC": 20}], "sims": ["icarus"], "inject_fault": "carry"},
  {"block": "pamac", "test_sim": "crash"},
  {"block": "pamac", "test_sim": "hang", "timeout": 3},
  {"block": "mac_parallel", "test_sim": "abort"}
 ]}
EOF
regress_faults() { # a crashing, a hanging, an aborting and a mismatching job fail alone
    local d="$RG/faults" o p
    o=$("$D" regress "$T/faults.json" -o "$d" -j 2); local rc=$?; echo "$o" | tee "$RG/faults.out"
    [ $rc -eq 1 ] || { echo "exit $rc, want 1"; return 1; }
    grep -q '^RESULT regress plan=faults jobs=6 passed=2 failed=4' <<<"$o" || return 1
    grep -q 'crash.*verify: verilator simulation crashed (status 139)' "$d/summary.md" &&
    grep -q 'timeout.*killed after [0-9]* s: time limit 3 s exceeded' "$d/summary.md" &&
    grep -q 'crash.*dnngen verify killed by signal 6' "$d/summary.md" &&
    grep -q 'mismatch.*mismatches in 200 vectors: MISMATCH' "$d/summary.md" || { echo "reasons missing"; return 1; }
    grep -q 'dnngen verify pamac -p N=8 -p ACC=20 .* --inject-fault carry --sim icarus --seed 1 --vectors 200' "$d/summary.md" || { echo "no reproduce command"; return 1; }
    xmllint --noout "$d/junit.xml" && grep -q '<testsuite name="pamac" tests="5" failures="1" errors="2"' "$d/junit.xml" || return 1
    grep -q '<a href="jobs/00002/waves.fst">' "$d/report.html" && [ -s "$d/jobs/00002/waves.fst" ] || { echo "no FST linked for the mismatch"; return 1; }
    for p in /proc/[0-9]*; do # nothing of the hanging job survives it
        case $(readlink "$p/cwd" 2>/dev/null) in "$d"/*) echo "left running: $p $(tr '\0' ' ' <"$p/cmdline")"; return 1 ;; esac
    done
    echo "4 failures recorded with reasons, exit 1, no process left"
}
run "regress: crashing, hanging, aborting and mismatching jobs fail alone (exit 1)" regress_faults

browser_reads_report() { # headless Chromium renders report.html; its summary reads back the run's numbers
    command -v chromium >/dev/null || { echo "chromium not installed (scripts/install-deps.sh)"; return 1; }
    local u dom tot pass fail
    u=$(mktemp -d "$T/chromium.XXXXXX")
    read -r tot pass fail < <(sed -n 's/^RESULT regress .* jobs=\([0-9]*\) passed=\([0-9]*\) failed=\([0-9]*\).*/\1 \2 \3/p' "$RG/faults.out")
    [ -n "$tot" ] || { echo "no RESULT from the faults run"; return 1; }
    dom=$(timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$u" --dump-dom "file://$RG/faults/report.html" 2>"$T/chromium.err")
    grep -o 'id="sum-[a-z]*">[^<]*<\|id="check">[^<]*<' <<<"$dom"
    grep -q "id=\"sum-total\">$tot<" <<<"$dom" && grep -q "id=\"sum-passed\">$pass<" <<<"$dom" &&
    grep -q "id=\"sum-failed\">$fail<" <<<"$dom" &&
    grep -q "id=\"check\">browser count: $tot jobs, $pass passed, $fail failed<" <<<"$dom" &&
    echo "browser read back $tot jobs, $pass passed, $fail failed"
}
run "regress: report.html in headless Chromium reads back the run's summary" browser_reads_report

cat >"$T/full.json" <<'EOF'
{"name": "full", "defaults": {"vectors": 200, "reseed": 3},
 "runs": [{"block": "pamac", "configs": [{"N": 8, "ACC": 20}]}]}
EOF
regress_disk_full() { # the disk fills up before the reports: one clear error, no partial report
    "$D" regress "$T/full.json" -o "$RG/full0" -j 2 >/dev/null || return 1 # builds are cached now
    ( ulimit -f 2; "$D" regress "$T/full.json" -o "$RG/full" -j 2 >"$T/full.out" 2>"$T/full.err" ); local rc=$?
    cat "$T/full.err"
    [ $rc -eq 3 ] || { echo "exit $rc, want 3"; return 1; }
    [ "$(wc -l <"$T/full.err")" -eq 1 ] && grep -q "cannot write .*File too large; no report written" "$T/full.err" || return 1
    ! ls -A "$RG/full" | grep -q 'junit\|summary\|report\|results\|tmp' || { echo "partial report left: $(ls -A "$RG/full")"; return 1; }
}
run "regress: disk full before the reports gives one error and no partial report" regress_disk_full

regress_interrupted() { # SIGTERM mid-run: its jobs die with it, exit 3, no report, nothing left running
    local d="$RG/int" i p
    printf '{"name": "int", "runs": [{"block": "pamac", "test_sim": "hang", "reseed": 2, "timeout": 600}]}' >"$T/int.json"
    "$D" regress "$T/int.json" -o "$d" -j 2 >"$T/int.out" 2>"$T/int.err" &
    local pid=$!
    for i in $(seq 100); do [ -e "$d/jobs/00000/built" ] && [ -e "$d/jobs/00001/built" ] && break; sleep 0.1; done
    sleep 0.5 # both jobs hang now (the second started once the first had "built" its model)
    kill -TERM $pid; wait $pid; local rc=$?
    cat "$T/int.out" "$T/int.err"
    [ $rc -eq 3 ] && grep -q 'interrupted; no report written' "$T/int.err" || { echo "exit $rc, want 3 and the message"; return 1; }
    ! ls -A "$d" | grep -q 'junit\|summary\|report\|results' || { echo "report written after the interrupt"; return 1; }
    for p in /proc/[0-9]*; do
        case $(readlink "$p/cwd" 2>/dev/null) in "$d"/*) echo "left running: $p $(tr '\0' ' ' <"$p/cmdline")"; return 1 ;; esac
    done
}
run "regress: SIGTERM mid-run kills its jobs, exit 3, no report" regress_interrupted
run "regress: help" bash -c "'$D' regress --help | grep -q usage"
run "regress: verify --coverage needs verilator" bad_input verify pamac --coverage --sim icarus
run "regress: verify --test-sim takes crash, hang or abort" bad_input verify pamac --test-sim bogus

touch "$T/afile"
run "regress: unwritable output dir (exit 2, one line, nothing run)" bad_input regress "$ROOT/plans/smoke.json" -o "$T/afile/sub"
run "regress: missing plan file" bad_input regress "$T/none.json"
printf '{"runs": [{"block": "pamac",}]}' >"$T/p1.json"
run "regress: malformed plan JSON" bad_input regress "$T/p1.json"
printf '{"runs": [{"block": "nosuch"}]}' >"$T/p2.json"
run "regress: plan with an unknown block" bad_input regress "$T/p2.json"
printf '{"runs": [{"block": "pamac", "configs": [{"N": 33}]}]}' >"$T/p3.json"
run "regress: plan with a parameter out of range" bad_input regress "$T/p3.json"
printf '{"runs": [{"block": "pamac", "configs": [{"FOO": 1}]}]}' >"$T/p4.json"
run "regress: plan with an unknown parameter" bad_input regress "$T/p4.json"
printf '{"runs": [{"block": "pamac", "sims": ["modelsim"]}]}' >"$T/p5.json"
run "regress: plan with an unknown simulator" bad_input regress "$T/p5.json"
printf '{"runs": [{"block": "pamac", "reseed": 1000000000}]}' >"$T/p6.json"
run "regress: plan asking for 10^9 seeds" bad_input regress "$T/p6.json"
run "regress: --reseed 10^9" bad_input regress "$ROOT/plans/smoke.json" --reseed 1000000000
printf '{"runs": [{"block": "pamac", "reseed": 10000, "sims": ["verilator", "icarus", "systemc"]}, {"block": "fofir", "reseed": 10000, "sims": ["icarus", "systemc", "verilator"]}]}' >"$T/p7.json"
run "regress: plan with more than 50000 jobs" bad_input regress "$T/p7.json"
printf '{"runs": [{"block": "pamac", "vectors": 1e12}]}' >"$T/p8.json"
run "regress: plan with 10^12 vectors" bad_input regress "$T/p8.json"
printf '{"runs": [{"block": "pamac", "seeds": [1, 2]}]}' >"$T/p9.json"
run "regress: plan with an unknown key" bad_input regress "$T/p9.json"
printf '{"name": "x"}' >"$T/p10.json"
run "regress: plan without runs" bad_input regress "$T/p10.json"
run "regress: nightly plan covers every block" bash -c "o=\$('$D' regress '$ROOT/plans/nightly.json' --dry-run) || exit 1; for b in \$('$D' list | awk '{print \$1}'); do grep -q \"^dnngen verify \$b \" <<<\"\$o\" || { echo \"nightly misses \$b\"; exit 1; }; done; tail -1 <<<\"\$o\""
run "regress: weekly plan expands (the FCU designs the nightly runs under Icarus only, under Verilator)" bash -c "o=\$('$D' regress '$ROOT/plans/weekly.json' --dry-run) || exit 1; tail -1 <<<\"\$o\"; for b in fcu_pu fcu_cp; do grep -q \"^dnngen verify \$b .*--sim verilator\" <<<\"\$o\" || exit 1; done"

echo "== fcu: fast-FIR convolution units (FFA), direct-form baseline, reconfigurable 2x3/1x5 (docs/fcu.md)"
for L in 2 3 4 5 6 7 8 9; do
    run "lint fcu L=$L PIPE=$((L % 3))" lint fcu -p L=$L -p PIPE=$((L % 3))
    run "verilator fcu L=$L PIPE=$((L % 3))" verify_pass fcu -p L=$L -p PIPE=$((L % 3)) --vectors 4000 --seed $L
    run "icarus fcu L=$L" verify_pass fcu -p L=$L --sim icarus --vectors 600 --seed $L
done
for cfg in "L=3 ALG=direct PIPE=0" "L=5 ALG=direct PIPE=2" "L=7 OW=12" "L=5 XW=24 HW=24 PIPE=2" "L=6 XW=2 HW=2 PIPE=0" "L=9 XW=16 HW=4 OW=20"; do
    args=(); for kv in $cfg; do args+=(-p "$kv"); done
    run "lint fcu $cfg" lint fcu "${args[@]}"
    run "verilator fcu $cfg" verify_pass fcu "${args[@]}" --vectors 4000
done
for P in 0 1 2; do
    run "lint fcu_reconf PIPE=$P" lint fcu_reconf -p PIPE=$P
    run "verilator fcu_reconf PIPE=$P" verify_pass fcu_reconf -p PIPE=$P --vectors 6000 --seed $P
done
run "icarus fcu_reconf XW=16 HW=4" verify_pass fcu_reconf -p XW=16 -p HW=4 --sim icarus --vectors 1000
run "systemc fcu L=5 PIPE=2" verify_pass fcu -p L=5 -p PIPE=2 --sim systemc --vectors 2000
run "systemc fcu_reconf" verify_pass fcu_reconf --sim systemc --vectors 2000
run "fcu takes one record per cycle (3000 records, no stalls: <= 3003 cycles)" bash -c "o=\$('$D' verify fcu -p L=3 --profile stream --vectors 3000 2>&1) && echo \"\$o\" && awk '/^RESULT/ { for (i = 1; i <= NF; i++) if (\$i ~ /^cycles=/) c = substr(\$i, 8) } END { exit !(c >= 3000 && c <= 3003) }' <<<\"\$o\""
for f in post delay ready; do
    for sim in verilator icarus systemc; do
        sc_skip $sim $f post && continue
        run "$sim catches fcu fault $f" verify_catches fcu -p L=3 --sim $sim --inject-fault $f --vectors 2000
    done
    run "verilator catches fcu_reconf fault $f" verify_catches fcu_reconf --inject-fault $f --vectors 2000
    run "verilator catches fcu ALG=direct fault $f" verify_catches fcu -p L=4 -p ALG=direct --inject-fault $f --vectors 2000
done
run "icarus catches fcu_reconf fault delay" verify_catches fcu_reconf --sim icarus --inject-fault delay --vectors 2000
run "systemc catches fcu_reconf fault post" verify_catches fcu_reconf --sim systemc --inject-fault post --vectors 2000
run "no latch fcu L=3" latch_free fcu -p L=3
run "no latch fcu L=9 PIPE=2" latch_free fcu -p L=9 -p PIPE=2
run "no latch fcu_reconf PIPE=2" latch_free fcu_reconf -p PIPE=2
run "fcu L=3 synthesizes with 6 multipliers and 10 data adders (published: 6/10)" bash -c "'$D' synth fcu -p L=3 --json -o '$T/synfcu3' | tee /dev/stderr | grep -q '\"multipliers\":6,\"adders\":[0-9]*,\"adders_data\":10,'"
run "fcu_reconf synthesizes with 15 multipliers" bash -c "'$D' synth fcu_reconf --json -o '$T/synfcur' | tee /dev/stderr | grep -q '\"multipliers\":15,'"
run "fcu: same parameters, byte-identical files" bash -c "'$D' gen fcu -p L=7 -o '$T/fd1' >/dev/null && '$D' gen fcu -p L=7 -o '$T/fd2' >/dev/null && diff -r '$T/fd1' '$T/fd2'"
run "fcu: L out of range is refused" bad_input gen fcu -p L=10 -o "$T/fb1"
run "fcu: OW=1 is refused" bad_input gen fcu -p OW=1 -o "$T/fb2"
run "fcu: unknown ALG is refused" bad_input gen fcu -p ALG=winograd -o "$T/fb3"
run "fcu: unknown profile is refused" bad_input verify fcu --profile sparse:0.5,0.5
# Formal: Yosys miter of the FFA against the direct form generated from the same template;
# decided by Yosys sat (bounded, every schedule) or by ABC's BDDs (every value; row ends and
# stalls free)
run "formal fcu L=2 3-bit, every schedule of 6 cycles (sat BMC)" "$ROOT/scripts/fcu_formal.sh" --dnngen "$D" -L 2 --xw 3 --hw 3 --schedule any --seq 6
run "formal fcu L=3 2-bit, all values, fixed row (sat)" "$ROOT/scripts/fcu_formal.sh" --dnngen "$D" -L 3 --xw 2 --hw 2 --engine sat
for cfg in "-L 2 --xw 4 --hw 4" "-L 3 --xw 2 --hw 2" "-L 3 --pipe 2 --xw 2 --hw 2" "-L 4 --xw 2 --hw 2" "-L 5 --xw 2 --hw 2" "-L 5 --pipe 2 --xw 2 --hw 2"; do
    run "formal fcu $cfg, all values, row ends and stalls free (BDD)" "$ROOT/scripts/fcu_formal.sh" --dnngen "$D" $cfg --engine bdd
done
run "formal fcu L=3 2-bit, every schedule of 6 cycles (BDD)" "$ROOT/scripts/fcu_formal.sh" --dnngen "$D" -L 3 --xw 2 --hw 2 --schedule any --seq 6 --engine bdd
run "formal (sat) finds the injected fcu fault (post)" expect_exit 1 "$ROOT/scripts/fcu_formal.sh" --dnngen "$D" -L 3 --xw 2 --hw 2 --engine sat --inject-fault post
run "formal (sat) finds the injected fcu fault (delay, needs a row end)" expect_exit 1 "$ROOT/scripts/fcu_formal.sh" --dnngen "$D" -L 2 --xw 3 --hw 3 --schedule any --seq 6 --inject-fault delay
for f in post delay; do
    run "formal (BDD) finds the injected fcu fault ($f) at L=5" expect_exit 1 "$ROOT/scripts/fcu_formal.sh" --dnngen "$D" -L 5 --xw 2 --hw 2 --engine bdd --inject-fault $f
done

echo "== fcu_pu: K x (K-1) FCU processing units (docs/fcu_pu.md)"
for cfg in "K=3" "K=3 PIPE=0 BIAS=0 RELU=0" "K=5 PIPE=2" "K=7 XW=4 HW=4" "K=3 ALG=direct" "K=5 XW=18 HW=24 OW=30"; do
    args=(); for kv in $cfg; do args+=(-p "$kv"); done
    run "lint fcu_pu $cfg" lint fcu_pu "${args[@]}"
    run "verilator fcu_pu $cfg" verify_pass fcu_pu "${args[@]}" --vectors 1200
done
run "icarus fcu_pu K=5" verify_pass fcu_pu -p K=5 --sim icarus --vectors 400
run "systemc fcu_pu K=3" verify_pass fcu_pu --sim systemc --vectors 600
for f in acc bias ready; do
    for sim in verilator icarus systemc; do
        sc_skip $sim $f acc && continue
        run "$sim catches fcu_pu fault $f" verify_catches fcu_pu --sim $sim --inject-fault $f --vectors 800
    done
done
run "no latch fcu_pu K=3" latch_free fcu_pu
run "fcu_pu: K=4 is refused" bad_input gen fcu_pu -p K=4 -o "$T/pub1"
run "fcu_pu: XW out of range is refused" bad_input gen fcu_pu -p K=7 -p XW=19 -o "$T/pub2"

echo "== fcu_cp: complex processor, P units + adder tree + bias/ReLU + 2x2 max-pool (docs/fcu_cp.md)"
for cfg in "K=3" "K=3 P=3 POOL=0 PIPE=2 RELU=0 OW=9" "K=5 P=1 PIPE=0 RELU=0" "K=7 P=1 XW=4 HW=4 OW=12"; do
    args=(); for kv in $cfg; do args+=(-p "$kv"); done
    run "lint fcu_cp $cfg" lint fcu_cp "${args[@]}"
done
run "verilator fcu_cp K=3 P=2 pool" verify_pass fcu_cp --vectors 3000
run "verilator fcu_cp K=3 P=3 POOL=0 PIPE=2 RELU=0 OW=9" verify_pass fcu_cp -p P=3 -p POOL=0 -p PIPE=2 -p RELU=0 -p OW=9 --vectors 2000
run "icarus fcu_cp K=5 P=1 PIPE=0 RELU=0" verify_pass fcu_cp -p K=5 -p P=1 -p PIPE=0 -p RELU=0 --sim icarus --vectors 1500
run "icarus fcu_cp K=7 P=1 4-bit OW=12" verify_pass fcu_cp -p K=7 -p P=1 -p XW=4 -p HW=4 -p OW=12 --sim icarus --vectors 1200
run "icarus fcu_cp K=3 P=2 pool" verify_pass fcu_cp --sim icarus --vectors 1500
run "systemc fcu_cp K=3 P=2 pool" verify_pass fcu_cp --sim systemc --vectors 800
for f in tree pool ready; do
    run "icarus catches fcu_cp fault $f" verify_catches fcu_cp --sim icarus --inject-fault $f --vectors 800
done
run "verilator catches fcu_cp fault tree" verify_catches fcu_cp --inject-fault tree --vectors 800
run "systemc catches fcu_cp fault pool" verify_catches fcu_cp --sim systemc --inject-fault pool --vectors 800
run "no latch fcu_cp K=3 P=2 pool" latch_free fcu_cp
run "fcu_cp: P=4 with K=7 is refused (row ports)" bad_input gen fcu_cp -p K=7 -p P=4 -o "$T/cp1"
run "fcu_cp: fault pool without POOL is refused" bad_input gen fcu_cp -p POOL=0 --inject-fault pool -o "$T/cp2"
printf '{"cin": 5, "cout": 3, "h": 9, "w": 11, "k": 3, "xw": 8, "hw": 8, "signed_x": 0, "random": {"seed": 7, "wsparsity": 0.3, "wspread": 0, "asparsity": 0.2}}' >"$T/cplayer.json"
run "icarus fcu_cp on a layer file: P-channel group sums add up to the direct convolution" verify_pass fcu_cp -p XW=9 -p POOL=0 -p RELU=0 -p BIAS=0 --profile "layer:$T/cplayer.json" --sim icarus
run "icarus fcu_cp on a layer file, ReLU and pool" verify_pass fcu_cp -p XW=9 --profile "layer:$T/cplayer.json" --sim icarus
run "icarus catches fcu_cp fault tree on a layer file" verify_catches fcu_cp -p XW=9 -p POOL=0 -p RELU=0 -p BIAS=0 --profile "layer:$T/cplayer.json" --sim icarus --inject-fault tree
run "fcu_cp: a layer wider than the CP's XW is refused" bad_input verify fcu_cp --profile "layer:$T/cplayer.json"

echo "== compress: E-LSTM weight compression"
run "compress (16,2) with 4-bit codes: 1 bit per weight, 32x" bash -c "o=\$('$D' compress --random 128,128 -o '$T/lc') && echo \"\$o\" && grep -q 'bits per weight           1.0000' <<<\"\$o\" && grep -q 'compression vs fp32       32.00x' <<<\"\$o\" && [ \$(grep -vc '^//' '$T/lc/W.hex') -eq 8192 ]"
run "compress: same seed, same memories" bash -c "'$D' compress --random 40,24 --seed 5 -o '$T/lc1' >/dev/null && '$D' compress --random 40,24 --seed 5 -o '$T/lc2' >/dev/null && cmp '$T/lc1/W.hex' '$T/lc2/W.hex' && cmp '$T/lc1/U.hex' '$T/lc2/U.hex'"
printf '{"input":2,"hidden":1,"W":[1,2],"U":[1,1,1,1],"b":[0,0,0,0]}' >"$T/badlstm.json"
run "compress: a model with too few weights is refused" bad_input compress "$T/badlstm.json" -o "$T/lc3"
run "compress: k > n is refused" bad_input compress --random 8,8 --n 4 --k 5 -o "$T/lc4"
run "compress: unwritable output" bad_input compress --random 8,8 -o /proc/nonexistent/x
run "compress --eval: fixed-point LSTM within 0.01 RMS of the float one on the same weights" bash -c "o=\$('$D' compress --random 32,24 --n 4 --k 4 --eval 30 -o '$T/lc5') && echo \"\$o\" && awk '/fixed point vs compressed float/{e=\$NF} END{exit !(e != \"\" && e < 0.01)}' <<<\"\$o\""
run "compress: B out of range is refused" bad_input compress --random 8,8 --B 40 -o "$T/lc6"

echo "== --rtl: hand-edited copies and synthesized netlists"
"$D" gen pamac -o "$T/rtl" >/dev/null
run "verify --rtl unmodified copy passes" verify_pass pamac --rtl "$T/rtl/dnn_pamac_n16_acc40_sa1_both_k1_p1.f" --vectors 5000
cp -r "$T/rtl" "$T/rtl2"
sed -i 's/c_two_q ? {x_q, 1.b0}/c_two_q ? {x_q[XW-1], x_q}/' "$T/rtl2"/*.v   # 2x taken as 1x
grep -q 'c_two_q ? {x_q\[XW-1\], x_q}' "$T/rtl2"/*.v || echo "hand edit did not apply" >&2
run "verify --rtl hand-edited bug is caught" verify_catches pamac --rtl "$T/rtl2/dnn_pamac_n16_acc40_sa1_both_k1_p1.f" --vectors 5000
run "synth pamac (osu018)" bash -c "'$D' synth pamac -o '$T/syn' | tee /dev/stderr | grep -q 'area_um2'"
run "pamac and fofir synthesize without a multiplier" bash -c "'$D' synth pamac --json -o '$T/synm1' | grep -q '\"multipliers\":0,' && '$D' synth fofir --json -o '$T/synm2' | grep -q '\"multipliers\":0,' && '$D' synth mac_parallel --json -o '$T/synm3' | grep -q '\"multipliers\":1,'"
run "gate-level netlist co-simulates (icarus)" verify_pass pamac --rtl "$T/syn/dnn_pamac_n16_acc40_sa1_both_k1_p1_net.f" --sim icarus --vectors 1000
cp /usr/share/qflow/tech/osu018/osu018_stdcells.lib "$T/user28nm.lib"
run "synth accepts a user liberty (--json)" bash -c "'$D' synth mac_parallel -p N=8 -p ACC=20 --liberty '$T/user28nm.lib' --json -o '$T/syn2' | tee /dev/stderr | grep -q '\"area_um2\":[1-9].*\"liberty\":\"[^\"]*user28nm.lib\"\\|\"liberty\":\"[^\"]*user28nm.lib\".*\"area_um2\":[1-9]'"
printf 'module lt(input wire clk, input wire e, input wire d, output reg q);\nalways @* if (e) q = d;\nendmodule\n' >"$T/latch.v"
echo latch.v >"$T/latch.f"
run "synthesis flow rejects a latch" expect_exit 1 bash scripts/synth.sh --filelist "$T/latch.f" --top lt --out "$T/synl"

echo "== storage: on-chip pixel storage, layer-wise vs inter-layer partial (docs/storage.md)"
run "storage: --help" bash -c "'$D' storage --help | grep -q usage"
run "storage: VGG-16 prints our totals and the published 6.4M / 463.5k next to them" bash -c "o=\$('$D' storage '$ROOT/models/vgg16.json') && echo \"\$o\" && grep -q '^TOTAL layerwise=6422528 partial=518784 ratio=12.38$' <<<\"\$o\" && grep -Eq '^  layer-wise +6422528 +6400000 +\+22528 ' <<<\"\$o\" && grep -Eq '^  partial +518784 +463500 +\+55284 ' <<<\"\$o\" && grep -Eq '^  ratio +12.38x +14x' <<<\"\$o\" && [ \$(grep -c '^conv[1-5]_[1-3] ' <<<\"\$o\") -eq 13 ]"
run "storage: --csv writes the same table (13 layers, header, total) atomically" bash -c "o=\$('$D' storage '$ROOT/models/vgg16.json' --csv '$T/st/vgg16.csv') && [ \$(wc -l <'$T/st/vgg16.csv') -eq 15 ] && grep -qx 'conv1_2,224,224,64,224,224,64,3,1,2,112,112,6422528,4,57344' '$T/st/vgg16.csv' && grep -qx 'total,,,,,,,,,,,,6422528,,518784' '$T/st/vgg16.csv' && ! ls -A '$T/st' | grep -q tmp"
run "storage: --tile-rows 3 gives 3 rows of every input (389088)" bash -c "'$D' storage '$ROOT/models/vgg16.json' --tile-rows 3 | grep -q '^TOTAL layerwise=6422528 partial=389088 '"
printf '{"layers":[{"cin":1,"cout":2,"h":8,"w":8,"k":3},{"cin":3,"cout":1,"h":8,"w":8,"k":3}]}' >"$T/st-chain.json"
printf '{"layers":[{"cin":1,"cout":2,"h":8,"w":8,"k":3}' >"$T/st-trunc.json"
printf '{"layers":[{"cin":1,"cout":2,"h":8,"w":8,"k":3,"stride":2}]}' >"$T/st-key.json"
storage_refused() { bad_input storage "$@" --csv "$T/st-none.csv" && [ ! -e "$T/st-none.csv" ]; } # and no CSV
run "storage: missing network file" storage_refused "$T/none.json"
run "storage: no network file" bad_input storage
run "storage: truncated JSON" storage_refused "$T/st-trunc.json"
run "storage: a layer whose input is not the previous output" storage_refused "$T/st-chain.json"
run "storage: unknown layer key (stride)" storage_refused "$T/st-key.json"
run "storage: unknown option" storage_refused "$ROOT/models/vgg16.json" --bogus
run "storage: --tile-rows below the kernel" storage_refused "$ROOT/models/vgg16.json" --tile-rows 2
run "storage: --tile-rows not a number" storage_refused "$ROOT/models/vgg16.json" --tile-rows x
run "storage: unwritable CSV" bad_input storage "$ROOT/models/vgg16.json" --csv /proc/nonexistent/x.csv

echo "== sweep: design-space sweeps (synthesis, cycles, SQLite, Pareto plots; resume after kill -9)"
SW=$T/sweep
mkdir -p "$SW"
left_running() { # left_running MARK : a process of a sweep (its environment holds MARK) is alive
    local p
    for p in /proc/[0-9]*; do
        if tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -qx "DNNGEN_SWEEP_TEST=$1"; then
            echo "left running: ${p#/proc/} $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)"; return 0
        fi
    done
    return 1
}
cat >"$SW/resume.json" <<'EOF'
{"name": "resume", "block": "pamac", "params": {"N": [4, 8], "DECOMP": ["wd", "both"]},
 "workload": {"sparsity": 0.5, "vectors": 300}, "verify_vectors": 100, "seed": 2}
EOF
sweep_resume() { # kill -9 of the sweep's process group mid-run; the rerun records each point exactly once
    local d="$SW/resume" i n=0 pid o
    ( export DNNGEN_SWEEP_TEST=$d; exec setsid "$D" sweep "$SW/resume.json" -o "$d" -j 2 >"$SW/resume1.out" 2>&1 ) &
    pid=$!
    for i in $(seq 1500); do
        n=$(sqlite3 "$d/sweep.db" 'select count(*) from points' 2>/dev/null) && [ "${n:-0}" -ge 1 ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 -- -"$pid"; wait "$pid" 2>/dev/null
    cat "$SW/resume1.out"
    n=$(sqlite3 "$d/sweep.db" 'select count(*) from points')
    echo "killed with $n of 4 points recorded"
    [ "$n" -ge 1 ] && [ "$n" -lt 4 ] || { echo "want 1..3 points recorded at the kill"; return 1; }
    sleep 0.5 # the workers notice their parent is gone (they poll every 20 ms) and kill their steps
    ! left_running "$d" || return 1
    o=$("$D" sweep "$SW/resume.json" -o "$d" -j 2); local rc=$?; echo "$o"
    [ $rc -eq 0 ] && grep -q "4 points; $n recorded, $((4 - n)) to run" <<<"$o" && grep -q " ran=$((4 - n)) " <<<"$o" || return 1
    [ "$(sqlite3 "$d/sweep.db" "select count(*), count(distinct key), sum(status = 'ok' and area_um2 > 0 and cycles > 0) from points")" = "4|4|4" ] || { echo "not every point exactly once and complete"; return 1; }
}
run "sweep: killed with kill -9 mid-run, resumes with no point lost or duplicated" sweep_resume

cat >"$SW/small.json" <<'EOF'
{"name": "small", "block": "pamac", "params": {"N": [4, 8]},
 "workload": {"sparsity": 0.5, "vectors": 300}, "verify_vectors": 100}
EOF
sweep_small() { # 2 points: every figure in the database, CSV, both plots in report.html; a rerun skips them
    local d="$SW/small" o q
    o=$("$D" sweep "$SW/small.json" -o "$d" -j 2 --csv "$d/points.csv" --pareto cycles_per_op,energy_pj_per_op); local rc=$?; echo "$o"
    [ $rc -eq 0 ] || { echo "exit $rc, want 0"; return 1; }
    grep -q '^RESULT sweep name=small block=pamac points=2 ok=2 failed=0 ran=2 ' <<<"$o" || return 1
    q="status='ok' and area_um2>0 and cells>0 and flops>0 and fmax_mhz>0 and cycles>=300 and cycles_per_op>=1"
    q="$q and abs(throughput_mops - fmax_mhz/cycles_per_op) < 1e-6*throughput_mops and throughput_per_mm2>0"
    q="$q and power_mw>0 and energy_pj_per_op>0 and verify_checked=100 and ops=300 and command like '%synth pamac%--liberty%'"
    [ "$(sqlite3 "$d/sweep.db" "select count(*) from points where $q")" = 2 ] || { echo "figures missing"; sqlite3 -header "$d/sweep.db" 'select * from points'; return 1; }
    head -1 "$d/points.csv" | grep -q '^block,N,ACC,.*,area_um2,cells,.*,throughput_mops,' && [ "$(wc -l <"$d/points.csv")" -eq 3 ] || { echo "CSV"; return 1; }
    [ "$(head -c 4 "$d/pareto.png" | tail -c 3)" = PNG ] && grep -q '<svg' "$d/pareto.svg" &&
        [ -s "$d/pareto-cycles_per_op-energy_pj_per_op.png" ] && [ -s "$d/pareto-cycles_per_op-energy_pj_per_op.svg" ] || { echo "plots"; return 1; }
    [ "$(grep -o 'src="data:image/png;base64,' "$d/report.html" | wc -l)" -eq 2 ] && grep -q 'id="sum-ok">2<' "$d/report.html" &&
        ! grep -qi '<link\|<script\|url(\|https\?:' "$d/report.html" || { echo "report.html: not both plots inline"; return 1; }
    o=$("$D" sweep "$SW/small.json" -o "$d" -j 2) && grep -q '2 recorded, 0 to run' <<<"$o" && grep -q ' ran=0 ' <<<"$o" || { echo "the rerun did not skip the points: $o"; return 1; }
}
run "sweep: 2 pamac points in SQLite, CSV, Pareto plots (PNG, SVG) in report.html; rerun skips" sweep_small

cat >"$SW/faults.json" <<'EOF'
{"name": "faults", "block": "pamac", "params": {"N": [4, 5, 6, 7, 8]},
 "workload": {"sparsity": 0.5, "vectors": 300}, "verify_vectors": 100, "timeout": 8,
 "test_sim": {"crash": {"N": 5}, "hang": {"N": 6}, "abort": {"N": 7}, "worker": {"N": 8}}}
EOF
sweep_faults() { # crashing, hanging, aborting steps and a dying worker fail their points alone
    local d="$SW/faults" o r
    o=$(DNNGEN_SWEEP_TEST=$d "$D" sweep "$SW/faults.json" -o "$d" -j 2); local rc=$?; echo "$o"
    [ $rc -eq 1 ] || { echo "exit $rc, want 1"; return 1; }
    grep -q '^RESULT sweep name=faults block=pamac points=5 ok=1 failed=4 ran=5 ' <<<"$o" || return 1
    r=$(sqlite3 "$d/sweep.db" "select label || ': ' || status || ' ' || stage || ': ' || reason from points order by label"); echo "$r"
    grep -qx 'N=4: ok done: ' <<<"$r" &&
    grep -qx 'N=5: failed verify: verify: verilator simulation crashed (status 139) (exit 3)' <<<"$r" &&
    grep -qx 'N=6: failed verify: killed after [0-9]* s: time limit 8 s exceeded (during verify)' <<<"$r" &&
    grep -qx 'N=7: failed verify: verify: killed by signal 6 (Aborted)' <<<"$r" &&
    grep -qx 'N=8: failed synth: sweep worker killed by signal 9 (Killed) during synth' <<<"$r" || { echo "reasons"; return 1; }
    grep -q 'id="sum-failed">4<' "$d/report.html" && grep -q 'time limit 8 s exceeded' "$d/report.html" || return 1
    ! left_running "$d" || return 1
    o=$("$D" sweep "$SW/faults.json" -o "$d" -j 2); rc=$?
    [ $rc -eq 1 ] && grep -q '5 recorded, 0 to run' <<<"$o" || { echo "rerun: exit $rc: $o"; return 1; }
}
run "sweep: crashing, hanging, aborting points and a killed worker are failed with reasons; the rest run" sweep_faults


cat >"$SW/full.json" <<'EOF'
{"name": "full", "block": "pamac", "params": {"N": {"from": 2, "to": 32}}, "verify_vectors": 10,
 "test_sim": {"crash": {}}}
EOF
sweep_disk_full() { # the database cannot grow: one line, exit 3, a sound database; the rerun resumes
    local d="$SW/full" n
    ( ulimit -f 20; DNNGEN_SWEEP_TEST=$d "$D" sweep "$SW/full.json" -o "$d" -j 2 >/dev/null 2>"$SW/full.err" ); local rc=$?
    cat "$SW/full.err"
    [ $rc -eq 3 ] && [ "$(wc -l <"$SW/full.err")" -eq 1 ] || { echo "exit $rc, want 3 and one line"; return 1; }
    grep -q "cannot record point .* in '.*/sweep.db': .*; stopped with [0-9]* points* of this run recorded (rerun to resume)" "$SW/full.err" || return 1
    n=$(sed -n 's/.*stopped with \([0-9]*\) point.*/\1/p' "$SW/full.err")
    [ "$(sqlite3 "$d/sweep.db" 'pragma integrity_check')" = ok ] || { echo "database corrupt"; return 1; }
    [ "$(sqlite3 "$d/sweep.db" "select count(*) from points where status = 'failed' and reason != ''")" = "$n" ] || { echo "the database does not hold the $n points"; return 1; }
    [ ! -e "$d/report.html" ] || { echo "report written"; return 1; }
    ! left_running "$d" || return 1
    "$D" sweep "$SW/full.json" -o "$d" -j 2 >/dev/null; rc=$?
    [ $rc -eq 1 ] && [ "$(sqlite3 "$d/sweep.db" 'select count(*), count(distinct key) from points')" = "31|31" ] || { echo "resume after the disk full: exit $rc"; return 1; }
}
run "sweep: disk full gives one error, exit 3, a sound database; the rerun completes" sweep_disk_full

cp /usr/share/qflow/tech/osu018/osu018_stdcells.lib "$SW/my28nm.lib"
cat >"$SW/lib.json" <<'EOF'
{"name": "userlib", "block": "pamac", "params": {"N": 4}, "liberty": "my28nm.lib", "period": 4,
 "workload": {"vectors": 300}, "verify_vectors": 100}
EOF
sweep_user_liberty() { # a user's liberty (relative to the spec) is the one synthesized to
    local o r
    o=$("$D" sweep "$SW/lib.json" -o "$SW/lib" -j 1) || { echo "$o"; return 1; }
    r=$(sqlite3 "$SW/lib/sweep.db" "select liberty, area_um2 > 0, period_ns, instr(command, '--period 4 --liberty $SW/my28nm.lib') > 0 from points"); echo "$r"
    [ "$r" = "$SW/my28nm.lib|1|4.0|1" ] && grep -q "\"liberty\":\"$SW/my28nm.lib\"" "$SW"/lib/points/*/synth.out
}
run "sweep: a user liberty is accepted and used" sweep_user_liberty
run "sweep: fpap_array random layer per point (dry run)" bash -c "printf '{\"block\": \"fpap_array\", \"params\": {\"K\": [1, 3]}, \"workload\": {\"shape\": [4, 8, 6, 8], \"sparsity\": 0.5, \"act_sparsity\": 0.2}}' >'$SW/fa.json' && o=\$('$D' sweep '$SW/fa.json' -o '$SW/fa' --dry-run) && echo \"\$o\" && grep -q 'layer --random 4,8,6,8,3,0.5,0.2 --seed 1 --xw 8 --hw 8 -o ' <<<\"\$o\" && grep -q -- '--profile layer:.*/layer.json' <<<\"\$o\" && [ ! -e '$SW/fa' ]"
run "sweep: help" bash -c "'$D' sweep --help | grep -q usage"
run "sweep: the shipped example spec expands to 8 points (dry run)" bash -c "'$D' sweep '$ROOT/plans/sweep-pamac.json' --dry-run | tail -1 | grep -q '8 points of 8 combinations'"

sweep_bad() { printf '%s' "$1" >"$SW/bad.json"; shift; bad_input sweep "$SW/bad.json" -o "$SW/badout" "$@"; }
run "sweep: malformed spec" sweep_bad '{"block": "pamac", "params": {"N": [4, 8,}}'
run "sweep: unknown key" sweep_bad '{"block": "pamac", "parms": {"N": 4}}'
run "sweep: unknown block" sweep_bad '{"block": "nosuch"}'
run "sweep: unknown parameter" sweep_bad '{"block": "pamac", "params": {"Q": [1, 2]}}'
run "sweep: value out of range" sweep_bad '{"block": "pamac", "params": {"N": [4, 33]}}'
run "sweep: a range of 10^9 values" sweep_bad '{"block": "pamac", "params": {"N": {"from": 2, "to": 1000000000}}}'
run "sweep: more than 10000 points" sweep_bad '{"block": "pamac", "params": {"N": {"from": 2, "to": 32}, "ACC": {"from": 3, "to": 128}, "DECOMP": ["wd", "ad", "both"]}}'
run "sweep: a huge value" sweep_bad '{"block": "pamac", "params": {"ACC": 1e300}}'
run "sweep: derived from an unknown parameter" sweep_bad '{"block": "pamac", "params": {"ACC": {"of": "M", "times": 2}}}'
run "sweep: an empty list" sweep_bad '{"block": "pamac", "params": {"N": []}}'
run "sweep: no legal point" sweep_bad '{"block": "pamac", "params": {"N": 16, "ACC": [8, 12]}}'
run "sweep: sparsity out of range" sweep_bad '{"block": "pamac", "workload": {"sparsity": 1.5}}'
run "sweep: act_sparsity for pamac" sweep_bad '{"block": "pamac", "workload": {"act_sparsity": 0.5}}'
run "sweep: fpap_array without a layer" sweep_bad '{"block": "fpap_array"}'
run "sweep: unknown workload profile" sweep_bad '{"block": "pamac", "workload": {"profile": "bogus"}}'
run "sweep: missing liberty" sweep_bad '{"block": "pamac", "liberty": "none.lib"}'
run "sweep: missing layer file" sweep_bad '{"block": "fpap_array", "workload": {"layer": "none.json"}}'
run "sweep: bad --pareto" sweep_bad '{"block": "pamac"}' --pareto area_um2,speed
run "sweep: -j 0" sweep_bad '{"block": "pamac"}' -j 0
run "sweep: missing spec" bad_input sweep "$SW/none.json"
run "sweep: unwritable output dir (nothing run)" bad_input sweep "$SW/small.json" -o "$T/afile/sub"
mkdir -p "$SW/dbdir/sweep.db"
run "sweep: database path is a directory" bad_input sweep "$SW/small.json" -o "$SW/dbdir"
mkdir -p "$SW/dbjunk" && head -c 4096 /dev/urandom >"$SW/dbjunk/sweep.db"
run "sweep: database is not a database" bad_input sweep "$SW/small.json" -o "$SW/dbjunk"
run "sweep: bad specs leave nothing behind" bash -c "[ ! -e '$SW/badout' ] && [ -z \"\$(ls -A '$SW/dbdir/sweep.db')\" ]"

echo "== lstm_pe: E-LSTM PE, compressed (n,k) weights x activations, zero activations skipped (docs/lstm_pe.md)"
# COLS=20 N=8: a last group shorter than N; COLS=17 N=16 K=2: one shorter than K (3 words a
# row); 1x1 at the smallest widths; 32-bit activations into a 64-bit accumulator; K = N.
# The mixed stimulus also writes any word (repeated indices, codes past m+f, indices past
# the last column), all-zero, saturating and group-zero vectors, sends a vector in order,
# reversed or as its non-zero activations shuffled (values overwritten, columns past COLS),
# and stalls both sides.
for cfg in "ROWS=3 COLS=20 N=8 K=2" "ROWS=2 COLS=17 N=16 K=2" "ROWS=1 COLS=1 N=2 K=1 B=2 EF=1 ACC=5" "ROWS=5 COLS=64 N=16 K=4 B=32 EM=3 EF=12 ACC=64" "ROWS=4 COLS=9 N=4 K=4 B=8 EM=2 EF=5 ACC=20"; do
    args=(); for kv in $cfg; do args+=(-p "$kv"); done
    run "lint lstm_pe $cfg" lint lstm_pe "${args[@]}"
    run "verilator lstm_pe $cfg" verify_pass lstm_pe "${args[@]}" --vectors 20000
done
for f in sign skip; do run "lint lstm_pe fault $f" lint lstm_pe --inject-fault $f; done
run "no latch lstm_pe ROWS=3 COLS=20 N=8" latch_free lstm_pe -p ROWS=3 -p COLS=20 -p N=8
run "no latch lstm_pe ROWS=1 COLS=1 N=2 K=1" latch_free lstm_pe -p ROWS=1 -p COLS=1 -p N=2 -p K=1 -p B=2 -p EF=1 -p ACC=5
pe=(-p ROWS=3 -p COLS=20 -p N=8)
for c in zero saturate groups; do
    run "verilator lstm_pe corner:$c" verify_pass lstm_pe "${pe[@]}" --profile corner:$c --vectors 5000
done
run "icarus lstm_pe ROWS=3 COLS=20 N=8" verify_pass lstm_pe "${pe[@]}" --sim icarus --vectors 4000
run "icarus lstm_pe 1x1 corner:saturate" verify_pass lstm_pe -p ROWS=1 -p COLS=1 -p N=2 -p K=1 -p B=2 -p EF=1 -p ACC=5 --profile corner:saturate --sim icarus --vectors 3000
run "systemc lstm_pe ROWS=3 COLS=20 N=8" verify_pass lstm_pe "${pe[@]}" --sim systemc --vectors 4000
run "systemc lstm_pe B=32 ACC=64 corner:saturate" verify_pass lstm_pe -p ROWS=5 -p COLS=64 -p N=16 -p K=4 -p B=32 -p EM=3 -p EF=12 -p ACC=64 --profile corner:saturate --sim systemc --vectors 3000
for sim in verilator icarus systemc; do
    for f in sign skip; do
        sc_skip $sim $f sign && continue
        run "$sim catches lstm_pe fault $f" verify_catches lstm_pe "${pe[@]}" --sim $sim --inject-fault $f --vectors 3000
    done
done
# 3 rows x 6 words: 18 weight records, then 100 activation records (sparse:P sends only the
# non-zero ones, a lone zero for an empty vector); a vector costs its records + sum over
# rows of max(1, a_r): 100 vectors of 1 + 3 with every activation zero, 5 of 20 + 3*6 with none
run "lstm_pe: a zero activation costs no cycle (records + sum max(1, a_r) per vector)" bash -c "z=\$('$D' verify lstm_pe ${pe[*]} --profile sparse:1 --vectors 118 | sed -n 's/^RESULT .* cycles=\([0-9]*\).*/\1/p') && d=\$('$D' verify lstm_pe ${pe[*]} --profile sparse:0 --vectors 118 | sed -n 's/^RESULT .* cycles=\([0-9]*\).*/\1/p') && echo \"all zero: \$z, dense: \$d\" && [ \"\$z\" -eq \$((18 + 100 * (1 + 3) + 2)) ] && [ \"\$d\" -eq \$((18 + 5 * (20 + 3 * 6) + 2)) ]"
"$D" compress --random 20,6 --n 8 --k 2 -o "$T/lpe" >/dev/null
# DBUF=1 (double-buffered activations, the PE the lstm_layer instantiates): the next
# vector's records are accepted while one computes; weight writes wait. Same matrix and
# profiles: values, every accept and output edge, all three simulators, both faults.
for cfg in "ROWS=3 COLS=20 N=8 K=2" "ROWS=1 COLS=1 N=2 K=1 B=2 EF=1 ACC=5" "ROWS=5 COLS=64 N=16 K=4 B=32 EM=3 EF=12 ACC=64"; do
    args=(-p DBUF=1); for kv in $cfg; do args+=(-p "$kv"); done
    run "lint lstm_pe DBUF=1 $cfg" lint lstm_pe "${args[@]}"
    run "verilator lstm_pe DBUF=1 $cfg" verify_pass lstm_pe "${args[@]}" --vectors 20000
done
run "no latch lstm_pe DBUF=1 ROWS=3 COLS=20 N=8" latch_free lstm_pe -p DBUF=1 -p ROWS=3 -p COLS=20 -p N=8
run "verilator lstm_pe DBUF=1 corner:bits" verify_pass lstm_pe -p DBUF=1 "${pe[@]}" --profile corner:bits --vectors 5000
run "icarus lstm_pe DBUF=1 ROWS=3 COLS=20 N=8" verify_pass lstm_pe -p DBUF=1 "${pe[@]}" --sim icarus --vectors 4000
run "systemc lstm_pe DBUF=1 ROWS=3 COLS=20 N=8" verify_pass lstm_pe -p DBUF=1 "${pe[@]}" --sim systemc --vectors 4000
for sim in verilator icarus systemc; do
    for f in sign skip; do
        sc_skip $sim $f skip && continue
        run "$sim catches lstm_pe DBUF=1 fault $f" verify_catches lstm_pe -p DBUF=1 "${pe[@]}" --sim $sim --inject-fault $f --vectors 3000
    done
done
# DBUF=1 overlaps the records of a vector with the computation of the one before: dense,
# the 20 records a vector set the pace (18 + 5 * 20, then the last vector's 3 * 6 issues
# and 2 edges); all zero, the 3 one-cycle rows do (18 + 1 + 100 * 3 + 2)
run "lstm_pe DBUF=1: records overlap the computation" bash -c "z=\$('$D' verify lstm_pe -p DBUF=1 ${pe[*]} --profile sparse:1 --vectors 118 | sed -n 's/^RESULT .* cycles=\([0-9]*\).*/\1/p') && d=\$('$D' verify lstm_pe -p DBUF=1 ${pe[*]} --profile sparse:0 --vectors 118 | sed -n 's/^RESULT .* cycles=\([0-9]*\).*/\1/p') && echo \"all zero: \$z, dense: \$d\" && [ \"\$z\" -eq \$((18 + 1 + 100 * 3 + 2)) ] && [ \"\$d\" -eq \$((18 + 5 * 20 + 3 * 6 + 2)) ]"
run "lstm_pe runs a compress weight image (W.hex and U.hex of a 20x6 LSTM)" bash -c "'$D' verify lstm_pe -p ROWS=24 -p COLS=20 -p N=8 --profile 'hex:$T/lpe/W.hex' --vectors 2000 | tail -2 && '$D' verify lstm_pe -p ROWS=24 -p COLS=6 -p N=8 -p ACC=26 --profile 'hex:$T/lpe/U.hex' --vectors 2000 --sim icarus | tail -2"
run "lstm_pe synthesizes with 0 multipliers and no latch" bash -c "'$D' synth lstm_pe ${pe[*]} --json -o '$T/synpe' | tee /dev/stderr | grep -q '\"multipliers\":0,.*\"latches\":0'"
run "lstm_pe: same seed, same vectors" bash -c "'$D' golden lstm_pe ${pe[*]} --vectors 300 --seed 7 -o '$T/pv1' && '$D' golden lstm_pe ${pe[*]} --vectors 300 --seed 7 -o '$T/pv2' && cmp '$T/pv1' '$T/pv2'"
run "lstm_pe: N not a power of two is refused" bad_input gen lstm_pe -p N=12 -o "$T/pe-bad"
run "lstm_pe: K > N is refused" bad_input gen lstm_pe -p N=4 -p K=5 -o "$T/pe-bad"
run "lstm_pe: ACC narrower than the exact sum is refused" bad_input gen lstm_pe -p ACC=26 -o "$T/pe-bad"
run "lstm_pe: EM+EF > 31 is refused" bad_input gen lstm_pe -p EM=10 -p EF=22 -p ACC=64 -o "$T/pe-bad"
run "lstm_pe: absurd register sizes are refused" bad_input gen lstm_pe -p ROWS=1024 -p COLS=4096 -p K=16 -p ACC=40 -o "$T/pe-bad"
run "lstm_pe: unknown profile is refused" bad_input verify lstm_pe --profile corner:nope
run "lstm_pe: a weight image of the wrong size is refused" bad_input verify lstm_pe -p ROWS=23 -p COLS=20 -p N=8 --profile "hex:$T/lpe/W.hex"
run "lstm_pe: a device as weight image is refused, not read forever" bad_input verify lstm_pe --profile hex:/dev/zero

echo "== lstm_layer: E-LSTM layer, P lstm_pe slices, decoupled W x / U h schedule, gate units (docs/lstm.md)"
# A: H = 7 on P = 3 (a slice with a dummy unit), I = 5 with N = 4, K = 3 (W's last group is
# shorter than K: filler words at a padding column), one sequence of 4 steps; B: P = 1 at
# B = 8, F = 5, clipped gating (TQ = 8: T = 0.25), a batch of 3; T (tiny): P = 2, H = 3,
# N = 2, K = 1, a batch of 2 (TQ = 0: no clipping). The mixed stimulus writes every PE word
# and bias (in order or shuffled, with ignored records), new models between runs (random,
# all-zero groups, clamped extremes, every weight +-2^m; zero, small or saturating biases),
# x vectors random at several sparsities, all zero, saturating, most negative, sent dense,
# reversed or as non-zero records shuffled with overwrites and ignored columns, and stalls
# both sides; every h_t and c_t is checked, and every accept and output edge.
lla=(-p P=3 -p H=7 -p I=5 -p N=4 -p K=3 -p BATCH=1 -p STEPS=4)
llb=(-p P=1 -p H=3 -p I=3 -p N=2 -p K=1 -p B=8 -p F=5 -p EF=3 -p BATCH=3 -p STEPS=2 -p TQ=8)
llt=(-p P=2 -p H=3 -p I=3 -p N=2 -p K=1 -p BATCH=2 -p STEPS=2)
run "lint lstm_layer default" lint lstm_layer
run "lint lstm_layer A (H=7 P=3)" lint lstm_layer "${lla[@]}"
run "lint lstm_layer EF=0 B=32" lint lstm_layer -p EF=0 -p EM=2 -p B=32 -p F=24 -p P=4 -p H=9
for f in round forget bcast sload; do run "lint lstm_layer fault $f" lint lstm_layer "${llt[@]}" --inject-fault $f; done
run "verilator lstm_layer A (H=7 P=3, short W group, batch 1)" verify_pass lstm_layer "${lla[@]}" --vectors 8000
run "verilator lstm_layer B (P=1 B=8, clipping TQ=8, batch 3)" verify_pass lstm_layer "${llb[@]}" --vectors 8000
run "icarus lstm_layer A (H=7 P=3)" verify_pass lstm_layer "${lla[@]}" --sim icarus --vectors 3000
run "icarus lstm_layer T" verify_pass lstm_layer "${llt[@]}" --sim icarus --vectors 3000
run "systemc lstm_layer T" verify_pass lstm_layer "${llt[@]}" --sim systemc --vectors 3000
for sim in verilator icarus systemc; do
    for f in round forget bcast; do
        sc_skip $sim $f round && continue
        run "$sim catches lstm_layer fault $f" verify_catches lstm_layer "${llt[@]}" --sim $sim --inject-fault $f --vectors 3000
    done
done
# the state-load records (in_op 3): the mixed stimulus loads h0/c0 in half the runs; a layer
# that drops the loaded c (fault sload) is caught (Icarus: the cheapest of the three)
run "icarus catches lstm_layer fault sload" verify_catches lstm_layer "${llt[@]}" --sim icarus --inject-fault sload --vectors 3000
# double-buffered PEs: a broadcast that does not wait for h_(t-1) of its sequence (fault
# early) is caught; a mid-size layer where the broadcasts overlap the computation (P = 4,
# a batch of 2) matches the cycle model edge for edge; and the cycle model's utilization at
# I = H = 32, (16,2), a batch of 2 x 8 steps, x dense (the bench's table) is >= 95%
for sim in verilator icarus; do
    run "$sim catches lstm_layer fault early" verify_catches lstm_layer "${llt[@]}" --sim $sim --inject-fault early --vectors 3000
done
run "lint lstm_layer fault early" lint lstm_layer "${llt[@]}" --inject-fault early
run "verilator lstm_layer I=H=16 (16,2) P=4 batch 2 x 4, sparse:0 (overlapped broadcasts)" verify_pass lstm_layer -p I=16 -p H=16 -p N=16 -p K=2 -p P=4 -p STEPS=4 --profile sparse:0 --vectors 3000
run "lstm_layer: PE utilization >= 95% at P = 1, 2, 4 (I = H = 32, (16,2), batch 2 x 8; cycle model)" bash -c "for p in 1 2 4; do o=\$('$ROOT/$BUILD/tests/test_lstm_layer' --util 32 32 16 2 \$p 2 8 0 20000) && echo \"\$o\" && awk -v u=\"\$(sed -n 's/.*util=\([0-9.]*\)%.*/\1/p' <<<\"\$o\")\" 'BEGIN { exit !(u >= 95) }' || exit 1; done"
# one run of T: 64 weight and 16 bias records, then 4 vectors; all-zero inputs send one record a
# vector and every row costs one issue cycle, dense ones 3 records and a_r cycles a row
run "lstm_layer: zero inputs cost fewer cycles than dense ones (one run each)" bash -c "z=\$('$D' verify lstm_layer ${llt[*]} --profile sparse:1 --vectors 84 --sim icarus | sed -n 's/^RESULT .* cycles=\([0-9]*\).*/\1/p') && d=\$('$D' verify lstm_layer ${llt[*]} --profile sparse:0 --vectors 92 --sim icarus | sed -n 's/^RESULT .* cycles=\([0-9]*\).*/\1/p') && echo \"all zero: \$z cycles, dense: \$d\" && [ \"\$z\" -lt \"\$d\" ]"
# Yosys after proc/flatten/opt/wreduce (how `dnngen synth` counts $mul): no latch, and the
# only multipliers are the cell update's 3 a slice (f*c, i*g, o*tanh(c)); the PEs have none
run "lstm_layer: no latch; 6 multipliers at P=2, all in the cell update" bash -c "'$D' gen lstm_layer ${llt[*]} -o '$T/llsyn' >/dev/null && cd '$T/llsyn' && top=\$(basename *.f .f) && yosys -q -p \"read_verilog \$(tr '\n' ' ' <\$top.f); hierarchy -top \$top; proc; flatten; opt -fast; wreduce; select -assert-none t:\\\$*latch* t:\\\$dlatch* t:\\\$sr; tee -o mul.txt stat\" >/dev/null && grep '\\\$mul' mul.txt && grep -q '\\\$mul  *6\$' mul.txt && yosys -q -p \"read_verilog \${top}_pe.v; hierarchy -top \${top}_pe; proc; flatten; opt -fast; wreduce; tee -o pemul.txt stat\" >/dev/null && ! grep '\\\$mul' pemul.txt && echo 'PE: 0 multipliers'"
run "lstm_layer: same seed, same vectors" bash -c "'$D' golden lstm_layer ${lla[*]} --vectors 500 --seed 7 -o '$T/llv1' && '$D' golden lstm_layer ${lla[*]} --vectors 500 --seed 7 -o '$T/llv2' && cmp '$T/llv1' '$T/llv2'"
run "lstm_layer: P > H is refused" bad_input gen lstm_layer -p H=3 -p P=4 -o "$T/ll-bad"
run "lstm_layer: TQ >= 2^F is refused" bad_input gen lstm_layer -p F=5 -p B=8 -p TQ=32 -o "$T/ll-bad"
run "lstm_layer: B < F+3 is refused" bad_input gen lstm_layer -p B=14 -p F=12 -o "$T/ll-bad"
run "lstm_layer: N not a power of two is refused" bad_input gen lstm_layer -p N=6 -o "$T/ll-bad"
run "lstm_layer: absurd W x buffers are refused" bad_input gen lstm_layer -p H=64 -p P=1 -p BATCH=64 -p STEPS=256 -o "$T/ll-bad"
run "lstm_layer: unknown profile is refused" bad_input verify lstm_layer --profile corner:nope
run "lstm_layer: nothing written on bad input" bash -c "[ ! -e '$T/ll-bad' ]"

echo "== mutate: mutation scoring (Yosys mutate, verify --rtl, equivalence by ABC; docs/mutation.md)"
MU=$T/mutate MT=dnn_pamac_n16_acc40_sa1_both_k1_p1
mu_json() { sqlite3 :memory: "select $1 from (select readfile('$MU/$2/mutate.json') as j)"; } # mu_json EXPR RUN
mu_outcomes() { sqlite3 :memory: "select json_extract(value, '\$.outcome') from json_each(readfile('$MU/$1/mutate.json'), '\$.mutants') where $2"; }
mutate_small() { # pamac, 8 mutants: exit 0, the RESULT line last, every mutant's files, nothing left behind
    local o d="$MU/small" p
    o=$("$D" mutate pamac --count 8 --seed 1 -j 2 --equiv-all -o "$d"); local rc=$?; echo "$o" | tee "$MU/small.out"
    [ $rc -eq 0 ] || { echo "exit $rc, want 0"; return 1; }
    tail -n 1 <<<"$o" | grep -q '^RESULT mutate block=pamac mutants=8 killed=[0-9]* equivalent=[0-9]* survived=[0-9]* errors=0 score=[01]\.[0-9]*$' || { echo "no RESULT line last"; return 1; }
    grep -q '^mutate: baseline (the unmutated design through Yosys): verify passed, equivalence proven' <<<"$o" || return 1
    for p in "$d"/mutants/0000[1-8]; do
        [ -s "$p/$MT.v" ] && [ -s "$p/$MT.f" ] || { echo "files of $p missing"; return 1; }
    done
    [ ! -e "$d/.root" ] || { echo "private build root left behind"; return 1; }
    for p in /proc/[0-9]*; do
        case $(readlink "$p/cwd" 2>/dev/null) in "$d"/*) echo "left running: $p $(tr '\0' ' ' <"$p/cmdline")"; return 1 ;; esac
    done
}
run "mutate: pamac --count 8 scores the tests (exit 0, RESULT last, nothing left running)" mutate_small
mutate_report() { # mutate.json: valid JSON, the outcomes add up to the summary and the RESULT line
    local s n k e v x r
    [ "$(mu_json 'json_valid(j)' small)" = 1 ] || { echo "not valid JSON"; return 1; }
    IFS='|' read -r n k e v x s <<<"$(mu_json "json_extract(j, '\$.summary.mutants'), json_extract(j, '\$.summary.killed'), json_extract(j, '\$.summary.equivalent'), json_extract(j, '\$.summary.survived'), json_extract(j, '\$.summary.errors'), json_extract(j, '\$.summary.score')" small)"
    echo "mutants=$n killed=$k equivalent=$e survived=$v errors=$x score=$s"
    [ "$n" -eq 8 ] && [ $((k + e + v + x)) -eq "$n" ] || { echo "counts do not add up"; return 1; }
    [ "$(mu_json "json_array_length(j, '\$.mutants')" small)" -eq "$n" ] || { echo "mutants array length"; return 1; }
    [ "$(mu_outcomes small "json_extract(value, '\$.outcome') = 'killed'" | wc -l)" -eq "$k" ] &&
    [ "$(mu_outcomes small "json_extract(value, '\$.outcome') = 'equivalent'" | wc -l)" -eq "$e" ] || { echo "outcomes do not match the summary"; return 1; }
    awk -v k="$k" -v e="$e" -v n="$n" -v s="$s" 'BEGIN { d = n - e; exit !((d ? k / d : 1) - s < 1e-9 && s - (d ? k / d : 1) < 1e-9) }' || { echo "score is not killed/(mutants-equivalent)"; return 1; }
    grep -q "^RESULT mutate block=pamac mutants=$n killed=$k equivalent=$e survived=$v errors=$x " "$MU/small.out" || { echo "RESULT line differs from the report"; return 1; }
    [ "$(mu_outcomes small "json_extract(value, '\$.reproduce') like 'dnngen verify pamac -p N=16 % --rtl $MU/small/mutants/0000_/%.f --sim icarus --vectors 1000 --seed 1' and json_extract(value, '\$.mutation') like 'mutate -mode %' and json_extract(value, '\$.description') != ''" | wc -l)" -eq "$n" ] || { echo "a mutant without reproduce command, mutation or description"; return 1; }
}
run "mutate: report is well-formed JSON and its counts add up" mutate_report
mutate_equivalent() { # seed 1 of pamac holds mutants that change only what no checker can see
    local id dir
    id=$(sqlite3 :memory: "select json_extract(value, '\$.id') from json_each(readfile('$MU/small/mutate.json'), '\$.mutants') where json_extract(value, '\$.outcome') = 'equivalent' and json_extract(value, '\$.equivalence') = 'proven' limit 1")
    [ -n "$id" ] || { echo "no mutant classified equivalent (the pamac template changed? pick a seed with one: docs/mutation.md)"; return 1; }
    dir=$MU/small/mutants/$(printf %05d "$id"); echo "mutant $id: $(head -2 "$dir"/*.v | tail -1)"
    tail -n +3 "$dir/$MT.v" | cmp -s - "$MU/small/base/$MT.v" && { echo "the mutant is the original"; return 1; }
    "$D" verify pamac --rtl "$dir/$MT.f" --sim icarus | tail -1 | grep -q 'verify: PASS' || { echo "the equivalent mutant fails verify"; return 1; }
    sh "$dir/equiv.sh" | tail -1 | grep -q 'Networks are equivalent\|dnngen-equiv: proven' || { echo "equiv.sh does not reproduce the proof"; return 1; }
}
run "mutate: an equivalent mutant is classified equivalent (proven; its Verilog differs)" mutate_equivalent
mutate_induction() { # both proof steps are used: seed 1 of pamac has one mutant each way
    local n1 n2
    n1=$(mu_outcomes small "json_extract(value, '\$.equivalence_detail') like '%(induction)%'" | wc -l)
    n2=$(mu_outcomes small "json_extract(value, '\$.equivalence_detail') like '%by ABC dprove%'" | wc -l)
    echo "proven by induction on matching state: $n1, by dprove: $n2"
    [ "$n1" -ge 1 ] && [ "$n2" -ge 1 ]
}
run "mutate: both equivalence steps prove a mutant (induction on matching state, dprove)" mutate_induction
mutate_can_tell() { # --equiv-all: no killed mutant proven equivalent, and the check finds differences
    local all diff proven
    all=$(mu_outcomes small "json_extract(value, '\$.outcome') = 'killed'" | wc -l)
    diff=$(mu_outcomes small "json_extract(value, '\$.outcome') = 'killed' and json_extract(value, '\$.equivalence') = 'different'" | wc -l)
    proven=$(mu_outcomes small "json_extract(value, '\$.outcome') = 'killed' and json_extract(value, '\$.equivalence') = 'proven'" | wc -l)
    echo "killed $all: different $diff, proven $proven"
    [ "$all" -ge 1 ] && [ "$diff" -ge 1 ] && [ "$proven" -eq 0 ] && [ "$(mu_json "json_extract(j, '\$.summary.inconsistent')" small)" = 0 ]
}
run "mutate: no killed mutant is proven equivalent; the check finds differences (--equiv-all)" mutate_can_tell
mutate_weak() { # 1 vector: non-equivalent survivors, listed; --min-score 0.99 makes it exit 1
    local o d="$MU/weak"
    o=$("$D" mutate pamac -p N=8 -p ACC=20 --count 6 --seed 1 --vectors 1 --min-score 0.99 -j 2 -o "$d"); local rc=$?; echo "$o"
    [ $rc -eq 1 ] || { echo "exit $rc, want 1"; return 1; }
    grep -q '^RESULT mutate block=pamac mutants=6 .* survived=[1-9]' <<<"$o" && grep -q '^survivors' <<<"$o" &&
    grep -q 'equivalence: different: differs from the original [0-9]* cycles after reset' <<<"$o" &&
    grep -q '         reproduce: dnngen verify pamac .*--rtl ' <<<"$o" || { echo "survivors not listed with their difference and reproduce command"; return 1; }
    [ "$(sqlite3 :memory: "select json_extract(readfile('$d/mutate.json'), '\$.summary.pass')")" = 0 ] || return 1
}
run "mutate: weak tests (--vectors 1) leave survivors; --min-score gates (exit 1)" mutate_weak
mutate_suite() { # --profile twice: a test suite. lstm_pe #19 of seed 1 (one column's zero test
    # ignores bit 9) passes the random profile and is killed by the directed walking ones
    local o d="$MU/suite" r
    o=$("$D" mutate lstm_pe --count 20 --seed 1 --profile mixed --profile corner:bits -j 2 -o "$d") || { echo "$o"; return 1; }
    tail -2 <<<"$o"
    r=$(sqlite3 :memory: "select json_extract(value, '\$.outcome') || ' ' || json_extract(value, '\$.verify_profile') || ' ' || json_extract(value, '\$.reproduce') from json_each(readfile('$d/mutate.json'), '\$.mutants') where json_extract(value, '\$.id') = 19")
    echo "#19: $r"
    grep -q '^killed corner:bits dnngen verify lstm_pe .* --profile corner:bits$' <<<"$r" || return 1
    grep -q 'verify: PASS' "$d/mutants/00019/verify.log" && grep -q 'MISMATCH' "$d/mutants/00019/verify-2.log" || { echo "not passed by mixed, then caught by corner:bits"; return 1; }
    [ "$(sqlite3 :memory: "select json_extract(readfile('$d/mutate.json'), '\$.profiles')")" = '["mixed","corner:bits"]' ]
}
mutate_cell() { # step 0, the mutated cell alone: mac_parallel #22 and #57 of seed 1 are harmless for every value of their cell's inputs
    local o d="$MU/cell" n
    o=$("$D" mutate mac_parallel --count 60 --seed 1 -j 2 -o "$d") || { echo "$o"; return 1; }
    tail -1 <<<"$o"
    n=$(mu_outcomes cell "json_extract(value, '\$.outcome') = 'equivalent' and json_extract(value, '\$.equivalence_detail') like 'the mutated cell alone%' and json_extract(value, '\$.id') in (22, 57)" | wc -l)
    echo "proven on the mutated cell alone among #22, #57: $n"
    [ "$n" -eq 2 ] && grep -q '^submod -name dnn_mutate_cell' "$d/mutants/00022/equiv-cell.ys" &&
    grep -q 'dnngen-equiv: proven on the mutated cell alone' "$d/mutants/00022/equiv.log" &&
    [ "$(mu_outcomes cell "json_extract(value, '\$.cross_check') and json_extract(value, '\$.equivalence') = 'different'" | wc -l)" -eq 1 ]
}
run "mutate: the mutated cell alone proves a mutant (step 0; the cross-checked killed one still differs)" mutate_cell
mutate_contract() { # the host's obligations enter the miters: fpap_array's GO fields legalized, baseline still proven
    local o d="$MU/contract"
    o=$("$D" mutate fpap_array -p R=1 -p C=2 -p G=1 -p K=2 -p WMAX=4 -p XW=2 -p HW=2 -p ACC=8 --count 2 -j 2 -o "$d") || { echo "$o"; return 1; }
    grep 'baseline' <<<"$o" | tail -1
    grep -q "wire \[2:0\] k_in_wlen = (in_valid && in_kind == 2'd2 && (in_wlen < 3'd2 || in_wlen > 3'd4)) ? 3'd2 : in_wlen;" "$d/base/wrap.v" "$d/base/miter.v" &&
    [ "$(grep -c '\.in_wlen(k_in_wlen)' "$d/base/miter.v")" -eq 2 ] && [ "$(grep -c '\.in_wlen(k_in_wlen)' "$d/base/wrap.v")" -eq 2 ] &&
    grep -q 'baseline (the unmutated design through Yosys): verify passed, equivalence proven' <<<"$o"
}
run "mutate: the host's obligations (dnn_block.contract) legalize the miters' inputs (fpap_array in_wlen on GO)" mutate_contract
run "mutate: --profile twice runs a suite: a mutant the random profile passes is killed by the directed one (lstm_pe #19)" mutate_suite
run "mutate: bad: --profile more than 8 times" bad_input mutate pamac $(printf -- '--profile mixed %.0s' 1 2 3 4 5 6 7 8 9) -o "$MU/b6"
run "mutate: a design that fails verify unmutated is a tool failure (exit 3), no report" bash -c "'$D' mutate pamac -p N=8 -p ACC=20 --inject-fault carry --count 2 -j 2 -o '$MU/fault'; rc=\$?; echo \"exit \$rc\"; [ \$rc -eq 3 ] && [ ! -e '$MU/fault/mutate.json' ]"
mutate_interrupt() { # SIGINT: every job killed, exit 3, no report, the private root removed
    local d="$MU/int" pid rc p
    "$D" mutate pamac -p N=8 -p ACC=20 --count 8 --seed 2 -j 2 -o "$d" >"$MU/int.out" 2>&1 &
    pid=$!
    for p in $(seq 1 100); do [ -s "$d/base/verify.log" ] && break; sleep 0.1; done
    sleep 1; kill -INT $pid; wait $pid; rc=$?; cat "$MU/int.out"
    [ $rc -eq 3 ] && grep -q 'interrupted; no report written' "$MU/int.out" || { echo "exit $rc, want 3"; return 1; }
    [ ! -e "$d/mutate.json" ] && [ ! -e "$d/.root" ] || { echo "report or private root left"; return 1; }
    for p in /proc/[0-9]*; do
        case $(readlink "$p/cwd" 2>/dev/null) in "$d"/*) echo "left running: $p $(tr '\0' ' ' <"$p/cmdline")"; return 1 ;; esac
    done
}
run "mutate: SIGINT stops every job (exit 3, no report, nothing left)" mutate_interrupt
mkdir -p "$MU/foreign" && touch "$MU/foreign/keep.txt"
run "mutate: bad: unknown block" bad_input mutate nosuch -o "$MU/b1"
run "mutate: bad: --count 0" bad_input mutate pamac --count 0 -o "$MU/b2"
run "mutate: bad: --count absurd" bad_input mutate pamac --count 1000000 -o "$MU/b3"
run "mutate: bad: unwritable -o" bad_input mutate pamac --count 2 -o "$T/afile/sub"
run "mutate: bad: -o holds files of something else" bad_input mutate pamac --count 2 -o "$MU/foreign"
run "mutate: bad: --min-score out of range" bad_input mutate pamac --min-score 1.5 -o "$MU/b4"
run "mutate: bad: unknown simulator" bad_input mutate pamac --sim modelsim -o "$MU/b5"
run "mutate: bad input writes nothing" bash -c "! ls '$MU' | grep -q '^b[0-9]' && [ \"\$(ls -A '$MU/foreign')\" = keep.txt ]"

echo "== mutscore: directed tests from the mutation survivors (docs/mutation.md, measured scores)"
# Each one closes a hole `dnngen mutate` found: the mutant (or a hand-made fault of its kind)
# survived the default stimulus. Each check is shown able to fail on a design that is wrong.
MS=$T/mutscore
mkdir -p "$MS"
ms_fpap_full() { # fpap_array: the first layer of a mixed run fills the array once (GO: steps G*K, wlen WMAX, rows R, cols C)
    "$D" golden fpap_array --vectors 1000 --seed 1 -o "$MS/fpap.txt" >/dev/null || return 1
    # stream-0 records: stream op delay cycle cycle2 kind sel addr d steps wlen rows cols first final (hex)
    awk '$1 == 0 && $6 == "2"' "$MS/fpap.txt" | head -n 1 | tee /dev/stderr | grep -q '^0 [0-9]* [0-9]* [0-9]* [0-9]* 2 [0-9a-f]* [0-9a-f]* [0-9a-f]* 6 10 2 4 1 1$'
}
run "mutscore: fpap_array mixed stimulus opens with a full array (every PE, accumulator, weight bit)" ms_fpap_full
ms_fpap_slot() { # the last accumulator of every PE corrupted (used only by rows of WMAX samples): caught at 1000 records
    "$D" gen fpap_array -o "$MS/fpap" >/dev/null || return 1
    sed -i 's/acc_q\[q2\*ACC +: ACC\] <= sum;/acc_q[q2*ACC +: ACC] <= (q2 == WO - 1) ? sum ^ 24'"'"'d32 : sum;/' "$MS"/fpap/*_wd.v
    grep -q 'q2 == WO - 1' "$MS"/fpap/*_wd.v || { echo "the template changed: the fault was not applied"; return 1; }
    verify_catches fpap_array --rtl "$MS"/fpap/*_wd.f --sim icarus
}
run "mutscore: fpap_array last accumulator corrupted is caught (icarus, 1000 records)" ms_fpap_slot
ms_fpap_steps() { # PE (1,2)'s step counter skips from 4 to 7 (mutant 30 of seed 1 on 5294521): it plays
    # two rows of zero coefficients past its last step, seen only by a GO right behind the group
    "$D" gen fpap_array -o "$MS/fpap30" >/dev/null || return 1
    sed -i "s/st_q <= st_q + 3'd1;/st_q <= ((gr == 1 \&\& gc == 2) ? (st_q ^ {1'b0, st_q[2], 1'b0}) : st_q) + 3'd1;/" "$MS"/fpap30/*_wd.v
    grep -q 'st_q\[2\], 1' "$MS"/fpap30/*_wd.v || { echo "the template changed: the fault was not applied"; return 1; }
    verify_catches fpap_array --rtl "$MS"/fpap30/*_wd.f --sim icarus --vectors 4000
}
run "mutscore: fpap_array a sequencer running past its last step is caught (a repeated GO; icarus, 4000 records)" ms_fpap_steps
ms_fpap_done() { # PE (1,2) always done (mutant 12 of seed 1 on 5294521): seen when it is the slowest PE
    "$D" gen fpap_array -o "$MS/fpap12" >/dev/null || return 1
    sed -i 's/assign done\[gr\*C+gc\] = done_q;/assign done[gr*C+gc] = done_q | (gr == 1 \&\& gc == 2);/' "$MS"/fpap12/*_wd.v
    grep -q 'gc == 2);' "$MS"/fpap12/*_wd.v || { echo "the template changed: the fault was not applied"; return 1; }
    verify_catches fpap_array --rtl "$MS"/fpap12/*_wd.f --sim icarus --vectors 4000
}
run "mutscore: fpap_array one PE always done is caught (icarus, 4000 records)" ms_fpap_done
run "mutscore: lstm_pe corner:bits passes (icarus)" verify_pass lstm_pe --profile corner:bits --sim icarus --vectors 2000
ms_lstm_bit() { # the zero test of every column ignores bit 9 (mutant 19 of seed 1 ignored it in one column): corner:bits catches it
    "$D" gen lstm_pe -o "$MS/pe" >/dev/null || return 1
    sed -i 's/? |in_d\[B-1:0\] : nz_q\[c\];/? |(in_d[B-1:0] \& 16'"'"'hfdff) : nz_q[c];/' "$MS"/pe/*.v
    grep -q "16'hfdff" "$MS"/pe/*.v || { echo "the template changed: the fault was not applied"; return 1; }
    verify_catches lstm_pe --rtl "$MS"/pe/*.f --profile corner:bits --sim icarus --vectors 2000
}
run "mutscore: lstm_pe zero test ignoring one bit is caught by corner:bits (icarus)" ms_lstm_bit
ms_lstm_tie() { # lstm_layer #20 of seed 1 on d07b2c8: bit 2 of a cell-update product cleared. f_mul
    # rounds |p| half away from zero, so it shows only on a negative product with low bits
    # 0x804; the directed runs put f * c0, o * tanh(c) and i * g on such ties. One product
    # at a time, in every slice (the layer's own products, 12000 records as mutate scores it)
    local w v
    for w in fc hn ig; do
        rm -rf "$MS/ll$w"
        "$D" gen lstm_layer -o "$MS/ll$w" >/dev/null || return 1
        v=$(ls "$MS/ll$w"/*.v | grep -v '_pe\.v$')
        awk '/function \[B-1:0\] f_mul;/ { inf = 1 } inf { buf = buf $0 "\n" } { print }
             inf && /endfunction/ { inf = 0; gsub(/f_mul/, "f_mulm", buf)
               sub(/p = \$signed\(a\) \* \$signed\(b\);/, "p = $signed(a) * $signed(b); p[2] = 1'"'"'b0;", buf)
               printf "%s", buf }' "$v" >"$v.new" && mv "$v.new" "$v"
        sed -i "s/wire \[B-1:0\] $w = f_mul(/wire [B-1:0] $w = f_mulm(/" "$v"
        grep -q "$w = f_mulm(" "$v" && grep -q "p\[2\] = 1'b0" "$v" || { echo "the template changed: the fault was not applied"; return 1; }
        echo "-- $w: bit 2 of the product cleared"
        verify_catches lstm_layer --rtl "$MS/ll$w"/*.f --sim icarus --vectors 12000 || return 1
    done
}
run "mutscore: lstm_layer cell-update products off their rounding tie by one low bit are caught (f*c, o*tanh(c), i*g; icarus)" ms_lstm_tie
ms_fofir_hz() { # fofir #50: the hazard check against the younger operation in flight dropped; the
    # mixed stimulus's hazard pattern (mid-row writes around three samples under a long output
    # stall) makes the next sample's operation follow it onto the same register
    "$D" gen fofir -o "$MS/fofir" >/dev/null || return 1
    sed -i "s/wire hz = ~k0 \& ((fv_q == 2'd2 \&/wire hz = ~k0 \& ((fv_q == 2'd3 \&/" "$MS"/fofir/*_p0.v
    grep -q "((fv_q == 2'd3 &" "$MS"/fofir/*_p0.v || { echo "the template changed: the fault was not applied"; return 1; }
    verify_catches fofir --rtl "$MS"/fofir/*_p0.f --sim icarus --vectors 4000 --seed 2
}
run "mutscore: fofir hazard check without the younger operation is caught (icarus, 4000 records)" ms_fofir_hz
ms_fofir_dir() { # fofir #32 (on 9239271): the write-back that must wait for a direct emission
    # reading the same register compares the wrong bit; the mixed stimulus's direct-emission
    # pattern (a zero sample behind long output stalls, then a non-zero one) makes the next
    # sample's tap-0 result target the register the emission has not read yet
    "$D" gen fofir -o "$MS/fofir_dir" >/dev/null || return 1
    sed -i "s/assign mac_out_ready = ~(pe_q \& (ft0_q == pr_q))/assign mac_out_ready = ~(pe_q \& ((ft0_q ^ 2'd2) == pr_q))/" "$MS"/fofir_dir/*_p0.v
    grep -q "((ft0_q ^ 2'd2) == pr_q)" "$MS"/fofir_dir/*_p0.v || { echo "the template changed: the fault was not applied"; return 1; }
    verify_catches fofir --rtl "$MS"/fofir_dir/*_p0.f --sim icarus --vectors 1000 --seed 1
}
run "mutscore: fofir write-back over a waiting direct emission is caught (icarus, 1000 records)" ms_fofir_dir

echo "== realvad: ONNX reader (protobuf-c), Silero VAD v5 16 kHz branch in float (docs/models.md)"
# The model comes from npm (scripts/fetch_models.sh, sha256-checked, cached outside the tree):
# when it cannot be fetched the tests that need it FAIL, they never skip.
rv_wanted() { # will any realvad test run under TEST_ONLY? (the names are read from this file)
    local nm; [[ -z "$ONLY" ]] && return 0
    while IFS= read -r nm; do [[ "$nm" == *$ONLY* ]] && return 0; done \
        < <(sed -n 's/^run "\(realvad:[^"]*\)".*/\1/p' "$ROOT/tests/run.sh")
    return 1; }
RV=$T/realvad
SILERO=$T/realvad/no-model.onnx
RV_WAV=$RV/speech.wav
if rv_wanted; then
    mkdir -p "$RV"
    SILERO=$("$ROOT/scripts/fetch_models.sh" @ricky0123/vad-web 2>"$RV/fetch.err" | grep '/silero_vad_v5\.onnx$' || echo "$RV/no-model.onnx")
    "$ROOT/scripts/make_wav.sh" "$RV_WAV" >/dev/null 2>"$RV/make_wav.err" || rm -f "$RV_WAV"
fi
run "realvad: fetch silero_vad_v5.onnx (npm pack, sha256)" bash -c "cat '$RV/fetch.err'; [ -f '$SILERO' ]"
rv_info() { "$D" onnx-info "$SILERO" >"$RV/info.txt" || return 1
    grep -q '^model .*opset 16' "$RV/info.txt" &&
    grep -q "If (Equal_0_C) .*then_branch=<graph>" "$RV/info.txt" &&
    grep -q 'stft.forward_basis_buffer value=float\[258,1,256\]' "$RV/info.txt" &&
    grep -q 'Conv (.*stft.forward_basis_buffer) .*kernel_shape=256 .*strides=128' "$RV/info.txt" &&
    [ "$(grep -c 'reparam_conv.weight, .*kernel_shape=3' "$RV/info.txt")" -eq 8 ] &&
    grep -q ' LSTM (.*hidden_size=128' "$RV/info.txt" && grep -q ' Sigmoid (' "$RV/info.txt" && echo "graph as documented"; }
run "realvad: onnx-info prints the If branches, STFT conv, encoder convs, LSTM" rv_info
run "realvad: onnx-info on a hand-made LSTM model" bash -c "'$D' onnx-info '$ROOT/tests/fuzz/corpus/onnx/lstm.onnx' | grep -q 'init B float\[1,16\]'"
run "realvad: bad: missing model file" bad_input onnx-info "$RV/nosuch.onnx"
run "realvad: bad: truncated model" bad_input onnx-info "$ROOT/tests/fuzz/corpus/onnx/truncated.onnx"
run "realvad: bad: 2^40-element tensor in 47 bytes" bad_input onnx-info "$ROOT/tests/fuzz/corpus/onnx/absurd-dims.onnx"
run "realvad: bad: subgraphs nested 40 deep" bad_input onnx-info "$ROOT/tests/fuzz/corpus/onnx/deep.onnx"
run "realvad: bad: not a model (a WAV header)" bash -c "printf 'RIFF\x24\x00\x00\x00WAVEfmt ' >'$RV/x.onnx'; '$D' onnx-info '$RV/x.onnx'; [ \$? -eq 2 ]"
# Deterministic speech (espeak-ng 1.51 + sox 14.4.2 of Debian 12): the same bytes every run.
RV_WAV_SHA=753b74fbb37a099607670b98ae7757fa2d17f14cdbf2b880eb7ae9decd75ae96
rv_wav() { local a b; a=$("$ROOT/scripts/make_wav.sh" "$RV_WAV") && b=$("$ROOT/scripts/make_wav.sh" "$RV/speech2.wav") || return 1
    echo "$a $b"; cmp "$RV_WAV" "$RV/speech2.wav" && [ "$a" = "$RV_WAV_SHA" ] && soxi "$RV_WAV" | grep -q 'Sample Rate *: 16000'; }
run "realvad: make_wav.sh twice: identical bytes, recorded sha256" rv_wav
# The float forward pass against onnxruntime-node (tests/realvad/vad_ref.sh, npm, cached
# outside the tree), frame by frame: max |p - p_ort| <= 1e-4 and the same speech decision
# (p >= 0.5) in every frame. The checker is proven able to fail on a reference with one
# frame moved by 0.001.
rv_compare() { # rv_compare GOLDEN REF : per-frame max abs error and decision agreement
    paste <(awk '$1 == "frame" { print $4 }' "$1") "$2" | awk '
        NF != 2 { bad = 1 } { d = $1 - $2; if (d < 0) d = -d; if (d > m) { m = d; at = NR - 1 }
          if (($1 >= 0.5) != ($2 >= 0.5)) dis++; n++; sum += d }
        END { printf "%d frames, max |p - p_ort| = %.2g (frame %d), mean %.2g, %d decisions differ\n", n, m, at, sum / (n ? n : 1), dis
              exit !(n > 100 && !bad && m <= 1e-4 && dis == 0) }'; }
rv_vad() { "$D" vad "$RV_WAV" --model "$SILERO" >"$RV/golden.txt" || return 1
    tail -n 6 "$RV/golden.txt"
    "$ROOT/tests/realvad/vad_ref.sh" "$SILERO" "$RV_WAV" >"$RV/ref.txt" || return 1
    rv_compare "$RV/golden.txt" "$RV/ref.txt" || return 1
    # the three sentences are found (the first may split at a pause), none in the 1.5 s gap
    local nseg; nseg=$(grep -c '^segment' "$RV/golden.txt"); [ "$nseg" -ge 3 ] && [ "$nseg" -le 5 ] &&
    awk '$1 == "segment" && $2 < 7.0 && $3 > 6.2 { exit 1 }' "$RV/golden.txt"; }
run "realvad: vad float golden vs onnxruntime-node, every frame" rv_vad
run "realvad: the comparison fails on a reference off by 0.001 in one frame" bash -c "
    awk 'NR == 100 { \$1 += 0.001 } { print }' '$RV/ref.txt' >'$RV/ref-bad.txt'
    $(declare -f rv_compare); rv_compare '$RV/golden.txt' '$RV/ref.txt' && ! rv_compare '$RV/golden.txt' '$RV/ref-bad.txt'"
run "realvad: vad output is the same on a second run" bash -c "grep -q '^frame' '$RV/golden.txt' && '$D' vad '$RV_WAV' --model '$SILERO' | cmp - '$RV/golden.txt'"
run "realvad: bad: vad without --model" bad_input vad "$RV_WAV"
run "realvad: bad: vad on a non-Silero model" bad_input vad "$RV_WAV" --model "$ROOT/tests/fuzz/corpus/onnx/lstm.onnx"
run "realvad: bad: vad on an 8 kHz WAV" bad_input vad "$ROOT/tests/fuzz/corpus/wav/rate8k.wav" --model "$SILERO"
run "realvad: bad: vad on a truncated WAV" bad_input vad "$ROOT/tests/fuzz/corpus/wav/truncated.wav" --model "$SILERO"
run "realvad: bad: vad --threshold 2" bad_input vad "$RV_WAV" --model "$SILERO" --threshold 2
# The Silero LSTM compressed ((n,k) pruning, LogQ) as the golden fixed-point LSTM between the
# float encoder and decoder: (16,16) prunes nothing so it must equal (1,1) (LogQ alone); (16,8)
# keeps half the weights and must still agree with float on >= 95% of the frames' labels.
rv_comp() { local c
    "$D" vad "$RV_WAV" --model "$SILERO" --n 1 --k 1 >"$RV/c11.txt" && "$D" vad "$RV_WAV" --model "$SILERO" --n 16 --k 16 >"$RV/c1616.txt" &&
    c=$("$D" vad "$RV_WAV" --model "$SILERO" --n 16 --k 8 | tail -n 1) || return 1
    tail -n 1 "$RV/c11.txt"; tail -n 1 "$RV/c1616.txt"; echo "$c"
    cmp <(grep '^frame' "$RV/c11.txt") <(grep '^frame' "$RV/c1616.txt") || { echo "(16,16) differs from (1,1)"; return 1; }
    awk '{ for (i = 1; i <= NF; i++) if ($i == "agree") v = $(i + 2) + 0 } END { exit !(v >= 95) }' <<<"$c"; }
run "realvad: compressed fixed-point LSTM in the VAD: (16,16) == LogQ only, (16,8) labels agree >= 95%" rv_comp
run "realvad: bad: vad --n without --k" bad_input vad "$RV_WAV" --model "$SILERO" --n 16
run "realvad: bad: vad --k larger than --n" bad_input vad "$RV_WAV" --model "$SILERO" --n 4 --k 8
rv_compress() { "$D" compress "$SILERO" --n 16 --k 4 -o "$RV/comp" || return 1
    grep -q 'input 128, hidden 128, (n,k) = (16,4)' "$RV/comp/report.txt" &&
    [ "$(grep -vc '^//' "$RV/comp/W.hex")" -eq 16384 ] && [ "$(grep -vc '^//' "$RV/comp/U.hex")" -eq 16384 ]; }
run "realvad: compress silero_vad_v5.onnx: the LSTM's W and U images (512 rows x 32 kept)" rv_compress
run "realvad: bad: compress an ONNX file that is not Silero" bad_input compress "$ROOT/tests/fuzz/corpus/onnx/lstm.onnx" -o "$RV/comp-bad"
# The real LSTM through the GENERATED lstm_layer (Verilator; docs/models.md): (16,2) e in
# [-7, 2] on P = 8, BATCH = 1, STEPS = 1: the first 16 frames of the speech, each frame one
# run that loads the previous frame's h and c (in_op 3) and the frame's encoder output;
# every h_t, c_t bit for bit against the golden chain that `vad --n 16 --k 2` decodes into
# its probabilities (the full table: scripts/bench_real_vad.sh). The check is shown able to
# fail: one golden h value changed in frame 8 is reported as a mismatch. About 100 s of CPU
# with a cold Verilator cache (the build: 75 s), 30 s warm.
rvl=(-p I=128 -p H=128 -p N=16 -p K=2 -p EM=2 -p EF=7 -p B=20 -p F=10 -p P=8 -p BATCH=1 -p STEPS=1)
rv_rtl() { rm -rf "$RV/rtl"
    "$D" vad "$RV_WAV" --model "$SILERO" --n 16 --k 2 --dump "$RV/rtl" >"$RV/rtl-vad.txt" &&
    "$D" compress "$SILERO" --n 16 --k 2 --m 2 --f 7 --B 20 --F 10 --layer 8 -o "$RV/rtl" >/dev/null || return 1
    [ "$(grep -vc '^//' "$RV/rtl/layer_w.hex")" -eq 16384 ] && [ "$(grep -vc '^//' "$RV/rtl/layer_b.hex")" -eq 512 ] &&
    [ "$(grep -vc '^//' "$RV/rtl/x.hex")" -eq 59136 ] || { echo "image sizes"; return 1; }
    "$D" verify lstm_layer "${rvl[@]}" --profile "silero:$RV/rtl" --vectors 16 >"$RV/rtl-verify.txt" 2>&1; local rc=$?
    tail -n 2 "$RV/rtl-verify.txt"
    [ $rc -eq 0 ] && grep -q '^verify: PASS .* (2048 checked)' "$RV/rtl-verify.txt"; }
run "realvad: the Silero LSTM through the generated lstm_layer (Verilator), 16 frames bit-exact" rv_rtl
rv_rtl_bad() { rm -rf "$RV/rtl-bad"; cp -r "$RV/rtl" "$RV/rtl-bad" || return 1
    local l=$((1 + 8 * 128 + 6)) v; v=$(sed -n "${l}p" "$RV/rtl/h.hex")
    sed "${l}s/.*/$(printf '%05x' $(( (0x$v + 1) % 1048576 )))/" "$RV/rtl/h.hex" >"$RV/rtl-bad/h.hex"
    "$D" verify lstm_layer "${rvl[@]}" --profile "silero:$RV/rtl-bad" --vectors 12 >"$RV/rtl-bad.txt" 2>&1; local rc=$?
    grep -m 3 'MISMATCH\|^verify' "$RV/rtl-bad.txt"; [ $rc -eq 1 ] && grep -q '^MISMATCH' "$RV/rtl-bad.txt"; }
run "realvad: one golden h value changed in frame 8: reported as a mismatch" rv_rtl_bad
run "realvad: bad: silero profile with a relative directory" bad_input verify lstm_layer "${rvl[@]}" --profile silero:rel/dir
run "realvad: bad: silero profile for another P" bad_input verify lstm_layer "${rvl[@]/P=8/P=4}" --profile "silero:$RV/rtl"
run "realvad: bad: compress --layer 0" bad_input compress "$SILERO" --n 16 --k 2 --layer 0 -o "$RV/comp-bad"

echo "== realcnn: face-api face_recognition (TF.js weights, JPEG), essential-term statistics (docs/models.md)"
# The model comes from npm (scripts/fetch_models.sh, sha256-checked, cached outside the tree):
# when it cannot be fetched the tests that need it FAIL, they never skip.
rc_wanted() { [[ -z "$ONLY" || "realcnn:" == *$ONLY* || "$ONLY" == realcnn* ]]; }
RC=$T/realcnn
FR=$RC/no-model
if rc_wanted; then
    mkdir -p "$RC"
    FR=$("$ROOT/scripts/fetch_models.sh" --dir @vladmandic/face-api 2>"$RC/fetch.err" || echo "$RC/no-model")
fi
FRM=$FR/model/face_recognition_model-weights_manifest.json
FRJ=$FR/demo/sample1.jpg
run "realcnn: fetch face-api 1.7.15 (npm pack, sha256)" bash -c "cat '$RC/fetch.err'; [ -f '$FRM' ] && [ -f '$FR/model/face_recognition_model.bin' ] && [ -f '$FRJ' ]"
run "realcnn: fetch again with the registry unreachable: cache intact, no network" bash -c "
    npm_config_registry=http://127.0.0.1:9/ '$ROOT/scripts/fetch_models.sh' @vladmandic/face-api | grep -c . | grep -qx 3"
rc_offline() { # an empty cache and no registry: one line, exit 3, nothing left behind
    local err; err=$(DNNGEN_MODEL_CACHE="$RC/empty" npm_config_registry=http://127.0.0.1:9/ \
        "$ROOT/scripts/fetch_models.sh" @vladmandic/face-api 2>&1 >/dev/null); local rc=$?
    echo "$err (exit $rc)"
    [ "$rc" -eq 3 ] && [ "$(wc -l <<<"$err")" -eq 1 ] && grep -q 'cannot fetch @vladmandic/face-api@1.7.15 from the npm registry' <<<"$err" &&
        [ -z "$(ls -A "$RC/empty" 2>/dev/null)" ]; }
run "realcnn: registry unreachable: one-line error, exit 3, no partial files" rc_offline
rc_refetch() { # a corrupted cached file fails its sha256 and is fetched again
    DNNGEN_MODEL_CACHE="$RC/c2" "$ROOT/scripts/fetch_models.sh" @vladmandic/face-api >/dev/null || return 1
    local f="$RC/c2/@vladmandic+face-api@1.7.15/demo/sample1.jpg"
    printf 'x' >>"$f"
    DNNGEN_MODEL_CACHE="$RC/c2" "$ROOT/scripts/fetch_models.sh" @vladmandic/face-api >/dev/null &&
        cmp "$f" "$FRJ" && echo "refetched"; }
run "realcnn: a corrupted cached file is fetched again" rc_refetch
# Weight statistics (8-bit): figures pinned from the run recorded in docs/models.md.
rc_wd() { "$D" stats "$FRM" --bits 8 >"$RC/wd8.txt" || return 1
    tail -n 9 "$RC/wd8.txt"
    [ "$(grep -c '^conv\|^fc ' "$RC/wd8.txt")" -eq 30 ] &&
    grep -q '^conv32_down  *7x7x3x32  *4704 ' "$RC/wd8.txt" &&
    grep -Eq '^overall +5603936 +1\.492$' "$RC/wd8.txt" && grep -Eq '^0 +20\.08%$' "$RC/wd8.txt"; }
run "realcnn: stats --bits 8: WD per layer over the 30 weight tensors" rc_wd
rc_ad() { "$D" stats "$FRM" --bits 8 --image "$FRJ" --box 810,380,250 --csv "$RC/s8.csv" >"$RC/s8.txt" || return 1
    tail -n 8 "$RC/s8.txt"
    grep -q 'float descriptor: |d| = 1.2822' "$RC/s8.txt" &&
    grep -Eq '^overall +240871424 +2\.207 +1\.570 +1\.155$' "$RC/s8.txt" &&
    grep -Eq '^conv32_down +7x7x3x32 @150x150 +24385536 ' "$RC/s8.txt" &&
    [ "$(wc -l <"$RC/s8.csv")" -eq 32 ] &&
    # the CSV's per-layer histograms add up to its overall row, and each kind counts every MAC
    awk -F, 'NR > 1 && $1 != "overall" { for (i = 3; i <= NF; i++) s[i] += $i }
             $1 == "overall" { for (i = 7; i <= 11; i++) if ($i != s[i]) bad = 1; for (i = 13; i <= 17; i++) if ($i != s[i]) bad = 1
                               if ($7 + $8 + $9 + $10 + $11 != $3 || $13 + $14 + $15 + $16 + $17 != $3) bad = 1; ok = 1 }
             END { exit bad || !ok }' "$RC/s8.csv"; }
run "realcnn: stats --bits 8 --image: WD, AD, best over every MAC; CSV adds up" rc_ad
run "realcnn: stats --bits 16 --image (Table II-like distribution)" bash -c "'$D' stats '$FRM' --bits 16 --image '$FRJ' --box 810,380,250 | tee '$RC/s16.txt' | tail -n 12; grep -Eq '^overall +240871424 +4\.913 +3\.359 +2\.687$' '$RC/s16.txt'"
run "realcnn: stats is deterministic" bash -c "'$D' stats '$FRM' --bits 8 --image '$FRJ' --box 810,380,250 | cmp - '$RC/s8.txt'"
# The float descriptor against face-api's own (tests/realcnn/face_ref.sh: face-api 1.7.15's
# TensorFlow.js on its cpu backend, same 150x150 crop): every value within 1e-5. The checker
# is proven able to fail on a reference with one value moved by 1e-4.
rc_desc_compare() { # rc_desc_compare OURS REF : 128 values each, max |a - b| <= 1e-5
    paste "$1" "$2" | awk 'NF != 2 { bad = 1 } { d = $1 - $2; if (d < 0) d = -d; if (d > m) { m = d; at = NR - 1 }; n++ }
        END { printf "%d values, max |ours - face-api| = %.2g (index %d)\n", n, m, at; exit !(n == 128 && !bad && m <= 1e-5) }'; }
rc_face() { "$D" stats "$FRM" --bits 8 --image "$FRJ" --box 810,380,250 --save-input "$RC/crop.f32" >"$RC/face.txt" || return 1
    grep '^descriptor:' "$RC/face.txt" | tr ' ' '\n' | tail -n +2 >"$RC/ours.txt"
    "$ROOT/tests/realcnn/face_ref.sh" "$FRM" "$RC/crop.f32" >"$RC/ref.txt" 2>"$RC/ref.err" || { cat "$RC/ref.err"; return 1; }
    rc_desc_compare "$RC/ours.txt" "$RC/ref.txt"; }
run "realcnn: float descriptor vs face-api's own (TF.js cpu), every value" rc_face
run "realcnn: the comparison fails on a reference off by 1e-4 in one value" bash -c "
    awk 'NR == 50 { \$1 += 0.0001 } { print }' '$RC/ref.txt' >'$RC/ref-bad.txt'
    $(declare -f rc_desc_compare); ! rc_desc_compare '$RC/ours.txt' '$RC/ref-bad.txt'"
# bad input: one line, exit 2, no CSV
mkdir -p "$RC/bad"
printf '[{"paths": ["big.bin"], "weights": [{"name": "huge", "shape": [16384, 16384], "dtype": "float32"}]}]' >"$RC/bad/big.json"
head -c 40 /dev/zero >"$RC/bad/big.bin"
printf '[{"paths": ["s.bin"], "weights": [{"name": "fc", "shape": [2, 2], "dtype": "float32", "quantization": {"dtype": "uint8", "min": -1, "scale": 0.01}}]}]' >"$RC/bad/small.json"
head -c 4 /dev/zero >"$RC/bad/s.bin"
printf 'not a jpeg' >"$RC/bad/x.jpg"
run "realcnn: bad: a 1 GB tensor declared in a 40-byte file" bad_input stats "$RC/bad/big.json" --bits 8 --csv "$RC/bad/o1.csv"
run "realcnn: bad: --bits 17" bad_input stats "$FRM" --bits 17 --csv "$RC/bad/o2.csv"
run "realcnn: bad: --bits missing" bad_input stats "$FRM"
run "realcnn: bad: --box without --image" bad_input stats "$FRM" --bits 8 --box 1,2,3
run "realcnn: bad: --image on a model that is not face_recognition" bad_input stats "$RC/bad/small.json" --bits 8 --image "$FRJ" --csv "$RC/bad/o3.csv"
run "realcnn: bad: --image not a JPEG" bad_input stats "$FRM" --bits 8 --image "$RC/bad/x.jpg" --csv "$RC/bad/o4.csv"
# A real 3x3 layer (8-bit weights and real activations, zero-padded for 'same') as a layer
# file for the FPAP array's scheduler and verifier; the GA order against natural order on it.
rc_layer() { "$D" stats "$FRM" --bits 8 --image "$FRJ" --box 810,380,250 --layer conv128_1/conv1 --layer-out "$RC/l128.json" >/dev/null || return 1
    head -n 3 "$RC/l128.json"
    grep -q '"cin": 128, "cout": 128, "h": 10, "w": 10, "k": 3' "$RC/l128.json" &&
    grep -q '"xw": 8, "hw": 8, "signed_x": 1' "$RC/l128.json" &&
    "$D" schedule "$RC/l128.json" -p R=8 -p C=32 -p G=16 -p WMAX=16 -p ACC=28 -p DECOMP=both -o "$RC/o128.txt" | tee "$RC/sched.txt" | tail -n 6 &&
    grep -q '^PREDICT natural=341538 ga=341036$' "$RC/sched.txt"; }
run "realcnn: conv128_1/conv1 exported as a layer file; GA vs natural order on the 8x32 array" rc_layer
# A real layer through the generated FPAP array (the fpap_array section's configuration, so a
# full run reuses its Verilator model): conv256_down_out/conv2, 256 -> 256 channels, every
# output bit-exact against the golden direct convolution, and the array's cycles equal to the
# schedule's exact prediction.
rc_array() { "$D" stats "$FRM" --bits 8 --image "$FRJ" --box 810,380,250 --layer conv256_down_out/conv2 --layer-out "$RC/l256.json" >/dev/null || return 1
    local p r
    p=$("$D" schedule "$RC/l256.json" -p R=2 -p C=4 -p G=2 --generations 1 -o "$RC/o256.txt" | sed -n 's/^PREDICT natural=\([0-9]*\) .*/\1/p')
    r=$("$D" verify fpap_array -p R=2 -p C=4 -p G=2 --profile "layer:$RC/l256.json" 2>&1 | tee /dev/stderr | grep '^RESULT') || return 1
    echo "predicted $p; $r"
    grep -q "^RESULT sim=verilator checked=256 mismatches=0 cycles=$p " <<<"$r" && [ "$p" = 1086276 ]; }
run "realcnn: conv256_down_out/conv2 on the generated 2x4 FPAP array: bit-exact, cycles as predicted" rc_array
# The same two real 3x3 layers through the generated FCU complex processor (8 processing
# units, one input channel each): every group of 8 channels is checked against the CP's
# golden model and the groups' sums against the layer's direct convolution (docs/fcu_cp.md).
rc_cp() { local r; [ -s "$RC/$1.json" ] || { echo "$RC/$1.json missing (its test failed)"; return 1; }
    r=$("$D" verify fcu_cp -p P=8 -p POOL=0 -p RELU=0 -p BIAS=0 --profile "layer:$RC/$1.json" 2>&1 | tee /dev/stderr | grep '^RESULT') || return 1
    grep -q "^RESULT sim=verilator checked=$2 mismatches=0 cycles=$3 " <<<"$r"; }
run "realcnn: conv128_1/conv1 on the generated FCU complex processor (P=8): bit-exact, 180226 cycles" rc_cp l128 32768 180226
run "realcnn: conv256_down_out/conv2 on the generated FCU complex processor (P=8): bit-exact, 598018 cycles" rc_cp l256 8192 598018
# PAMAC cycles per MAC over the whole network (max(1, terms) of the per-MAC choice; a MAC with
# a zero operand still takes a cycle): figures pinned from docs/real-networks.md.
rc_cycles() { "$D" stats "$FRM" --bits 8 --image "$FRJ" --box 810,380,250 --cycles --fofir >"$RC/cyc.txt" || return 1
    sed -n '/^PAMAC cycles/,/^average PAMAC/p' "$RC/cyc.txt" | tail -n 5
    grep -Eq '^conv32_down +24385536 +2\.409 +3\.011 +2\.175 +2\.07% +2\.154$' "$RC/cyc.txt" &&
    grep -Eq '^overall +240871424 +2\.238 +1\.974 +1\.575 +42\.00% +1\.155$' "$RC/cyc.txt" &&
    grep -q '^average PAMAC cycles per MAC (auto): 1.575, target <= 1.3: not met$' "$RC/cyc.txt"; }
run "realcnn: stats --cycles: PAMAC cycles per MAC per layer and overall (1.575, target 1.3 not met)" rc_cycles
# The same figure on the hardware (the same run's --fofir table): every row of every
# convolution through the FoFIR cycle model (the RTL's), coefficient loads, zero samples and
# row ends included (docs/real-networks.md).
rc_fofir() { local f="$RC/cyc.txt"; [ -s "$f" ] || { echo "$f missing (its test failed)"; return 1; }
    sed -n '/^FoFIR PE cycles/,$p' "$f" | tail -n 4
    grep -Eq '^overall +240838656 +407976514 +1\.694 +1\.196 +0\.498$' "$f" &&
    grep -q '^average FoFIR PE cycles per MAC (auto): 1.694, target <= 1.3: not met$' "$f" &&
    grep -q '^average PAMAC cycles per MAC in the FoFIR (zero operands skipped): 1.196, target <= 1.3: met$' "$f"; }
run "realcnn: cycles per MAC of the FoFIR PE (1.694) and of its PAMAC (1.196) over the network" rc_fofir
# The 7x7 stride-2 first layer (conv32_down, 3 -> 32, real weights and the real image) on a
# crop (13x13 input, 4 output channels: 4x4 outputs each): as 4 polyphase stride-1
# sub-convolutions (12 channels, 4x4 kernels) on the FPAP array, and at stride 1 decimated on
# the K=7 FCU complex processor; both layer files checked against the direct stride-2
# convolution by stats, the hardware against the layer files' direct convolution.
rc_s2_export() { local m
    for m in phase decimate; do
        "$D" stats "$FRM" --bits 8 --image "$FRJ" --box 810,380,250 --layer conv32_down --stride2 $m \
            --layer-crop 13 --layer-cout 4 --layer-out "$RC/s2_$m.json" >"$RC/s2_$m.txt" || return 1
        grep '^stride2' "$RC/s2_$m.txt"
    done
    grep -q '^stride2 phase conv32_down: layer file 7x7x12 k=4 .*equal the direct stride-2 convolution at all 64 outputs (4x4x4)' "$RC/s2_phase.txt" &&
    grep -q '^stride2 decimate conv32_down: layer file 13x13x3 k=7; .*at all 64 outputs (4x4x4); stride-1 outputs computed 196, 67.35% of them wasted$' "$RC/s2_decimate.txt" &&
    grep -q '"cin": 12, "cout": 4, "h": 7, "w": 7, "k": 4' "$RC/s2_phase.json"; }
run "realcnn: conv32_down (7x7 stride 2) crop as phase and decimated layer files = direct stride-2 conv" rc_s2_export
rc_s2_array() { local p r; [ -s "$RC/s2_phase.json" ] || { echo "layer file missing (its test failed)"; return 1; }
    p=$("$D" schedule "$RC/s2_phase.json" -p R=2 -p C=4 -p G=2 -p K=4 --generations 1 | sed -n 's/^PREDICT natural=\([0-9]*\) .*/\1/p')
    r=$("$D" verify fpap_array -p R=2 -p C=4 -p G=2 -p K=4 --sim icarus --profile "layer:$RC/s2_phase.json" 2>&1 | tee /dev/stderr | grep '^RESULT') || return 1
    echo "predicted $p; $r"
    grep -Eq "^RESULT sim=icarus checked=64 mismatches=0 cycles=$p( |$)" <<<"$r" && [ "$p" = 7654 ]; }
run "realcnn: conv32_down crop, 4 phases on the generated FPAP array (K=4): bit-exact, 7654 cycles" rc_s2_array
rc_s2_cp() { local r; [ -s "$RC/s2_decimate.json" ] || { echo "layer file missing (its test failed)"; return 1; }
    r=$("$D" verify fcu_cp -p K=7 -p P=3 -p POOL=0 -p RELU=0 -p BIAS=0 --sim icarus --profile "layer:$RC/s2_decimate.json" 2>&1 | tee /dev/stderr | grep '^RESULT') || return 1
    grep -Eq "^RESULT sim=icarus checked=16 mismatches=0 cycles=606( |$)" <<<"$r"; }
run "realcnn: conv32_down crop at stride 1 on the generated FCU CP (K=7, P=3): bit-exact, 606 cycles" rc_s2_cp
run "realcnn: bad: --stride2 of an unknown kind" bad_input stats "$FRM" --bits 8 --image "$FRJ" --layer conv32_down --stride2 quarter --layer-out "$RC/bad/o6.json"
run "realcnn: bad: --stride2 with a stride-1 layer" bad_input stats "$FRM" --bits 8 --image "$FRJ" --layer conv128_1/conv1 --stride2 phase --layer-out "$RC/bad/o7.json"
run "realcnn: bad: --layer-crop smaller than the kernel" bad_input stats "$FRM" --bits 8 --image "$FRJ" --layer conv32_down --stride2 phase --layer-crop 5 --layer-out "$RC/bad/o8.json"
run "realcnn: bad: --cycles without --image" bad_input stats "$FRM" --bits 8 --cycles
run "realcnn: bad: --fofir without --image" bad_input stats "$FRM" --bits 8 --fofir
run "realcnn: bad: --layer of a stride-2 layer" bad_input stats "$FRM" --bits 8 --image "$FRJ" --layer conv64_down/conv1 --layer-out "$RC/bad/o5.json"
run "realcnn: bad: --layer without --layer-out" bad_input stats "$FRM" --bits 8 --image "$FRJ" --layer conv128_1/conv1
run "realcnn: bad input writes no CSV" bash -c "! ls '$RC/bad' | grep -q '^o[0-9]'"
run "realcnn: stats on a small hand-made model" bash -c "'$D' stats '$RC/bad/small.json' --bits 8 | grep -Eq '^fc +2x2 +4 +'"

echo "== slurm: plans and sweeps as Slurm job arrays (chunks, task results, merge; a one-node cluster)"
SL=$T/slurm
mkdir -p "$SL"
# 7 jobs that crash at once (nothing built): chunks, scripts and merges cost no simulation
printf '{"name": "chunks", "runs": [{"block": "pamac", "test_sim": "crash", "reseed": 7}]}' >"$SL/chunks.json"
slurm_script_chunks() { # the batch script's array covers every job exactly once; its tasks merge into one report
    local d="$SL/chunks" s="$SL/chunks.sbatch" i o ids
    o=$("$D" regress "$SL/chunks.json" -o "$d" --slurm-script "$s" --tasks 3 --slurm-time 7 --slurm-partition debug); echo "$o"
    cat "$s"
    grep -qx '#SBATCH --array=0-2' "$s" && grep -qx '#SBATCH --time=0-00:07:00' "$s" && grep -qx '#SBATCH --partition=debug' "$s" &&
        grep -qx "#SBATCH --output=$d/slurm/task-%a.out" "$s" && grep -q -- '--task "$SLURM_ARRAY_TASK_ID" --tasks 3$' "$s" || { echo "script content"; return 1; }
    for i in 0 1 2; do SLURM_ARRAY_TASK_ID=$i bash "$s" >"$SL/chunks-$i.out" 2>&1; [ $? -eq 1 ] || { cat "$SL/chunks-$i.out"; echo "task $i: want exit 1 (crashing jobs)"; return 1; }; done
    ids=$(for i in 0 1 2; do sqlite3 :memory: "select json_extract(value, '\$.id') from json_each(readfile('$d/tasks/task-000$i.json'), '\$.results')"; done | tr '\n' ' ')
    echo "job ids by task: $ids"
    [ "$ids" = "0 1 2 3 4 5 6 " ] || { echo "chunks do not cover jobs 0..6 exactly once, in order"; return 1; }
    o=$("$D" regress "$SL/chunks.json" -o "$d" --merge); local rc=$?; echo "$o"
    [ $rc -eq 1 ] && grep -q '^RESULT regress plan=chunks jobs=7 passed=0 failed=7' <<<"$o" && grep -q 'ran as 3 tasks: 3 of 3 wrote results' <<<"$o" || return 1
    [ "$(sqlite3 :memory: "select count(*) from json_each(readfile('$d/results.json'), '\$.jobs') where json_extract(value, '\$.result') = 'crash'")" = 7 ] || { echo "results.json"; return 1; }
    xmllint --noout "$d/junit.xml" && grep -q '<testsuite name="pamac" tests="7" failures="0" errors="7"' "$d/junit.xml"
}
run "slurm: --slurm-script: array 0-2, every job in exactly one chunk, tasks merge into one report" slurm_script_chunks
slurm_missing_task() { # a task that wrote nothing fails its jobs with the reason; a merge with other options is refused
    local d="$SL/chunks" o
    rm -f "$d/tasks/task-0001.json"
    o=$("$D" regress "$SL/chunks.json" -o "$d" --merge); local rc=$?; echo "$o"
    [ $rc -eq 1 ] && grep -q 'ran as 3 tasks: 2 of 3 wrote results' <<<"$o" && grep -q 'array task 1 wrote no results' "$d/summary.md" || return 1
    bad_input regress "$SL/chunks.json" -o "$d" --merge --seed 9 && grep -q 'another plan or other options' "$T/bad.err" && [ -s "$d/summary.md" ] || { echo "the wrong merge removed the reports"; return 1; }
}
run "slurm: a task without results fails its jobs; a merge with other options is refused" slurm_missing_task
printf '{"name": "swchunks", "block": "pamac", "params": {"N": [4, 5, 6, 7, 8]}, "verify_vectors": 10, "test_sim": {"crash": {}}}' >"$SL/swc.json"
slurm_sweep_tasks() { # two tasks write one database at the same time; every point once; the report step after
    local d="$SL/swc" s="$SL/swc.sbatch" o
    "$D" sweep "$SL/swc.json" -o "$d" --slurm-script "$s" --tasks 2 || return 1
    grep -qx '#SBATCH --array=0-1' "$s" || { echo "array"; return 1; }
    SLURM_ARRAY_TASK_ID=0 bash "$s" >"$SL/swc-0.out" 2>&1 & local p0=$!
    SLURM_ARRAY_TASK_ID=1 bash "$s" >"$SL/swc-1.out" 2>&1; local r1=$?
    wait $p0; local r0=$?
    cat "$SL/swc-0.out" "$SL/swc-1.out"
    [ $r0 -eq 1 ] && [ $r1 -eq 1 ] || { echo "tasks: exit $r0 $r1, want 1 1"; return 1; }
    grep -q 'RESULT sweep-task name=swchunks task=0 tasks=2 points=3 ok=0 failed=3 ran=3' "$SL/swc-0.out" &&
        grep -q 'RESULT sweep-task name=swchunks task=1 tasks=2 points=2 ok=0 failed=2 ran=2' "$SL/swc-1.out" || return 1
    [ "$(sqlite3 "$d/sweep.db" "select count(*), count(distinct key), sum(reason like '%crashed%') from points")" = "5|5|5" ] || { echo "points"; return 1; }
    [ "$(sqlite3 "$d/sweep.db" "select group_concat(task || ':' || points, ' ') from (select * from tasks order by task)")" = "0:3 1:2" ] || { echo "tasks table"; return 1; }
    o=$("$D" sweep "$SL/swc.json" -o "$d" --merge); local rc=$?; echo "$o"
    [ $rc -eq 1 ] && grep -q '^RESULT sweep name=swchunks block=pamac points=5 ok=0 failed=5 ran=0 ' <<<"$o" && [ -s "$d/report.html" ]
}
run "slurm: two sweep tasks share one database; every point recorded once; --merge writes the report" slurm_sweep_tasks
slurm_no_sbatch() { # --slurm without the Slurm client: one line, exit 2, nothing written
    local rc
    env PATH=/nonexistent "$D" regress "$SL/chunks.json" -o "$SL/nosb" --slurm >"$T/nosb.out" 2>"$T/nosb.err"; rc=$?
    cat "$T/nosb.err"
    [ $rc -eq 2 ] && [ "$(wc -l <"$T/nosb.err")" -eq 1 ] && grep -q 'needs sbatch and squeue on PATH (legal:' "$T/nosb.err" && [ ! -e "$SL/nosb" ] || return 1
    env PATH=/nonexistent "$D" sweep "$SL/swc.json" -o "$SL/nosb" --slurm >"$T/nosb.out" 2>"$T/nosb.err"; rc=$?
    [ $rc -eq 2 ] && [ "$(wc -l <"$T/nosb.err")" -eq 1 ] && [ ! -e "$SL/nosb" ]
}
run "slurm: --slurm without sbatch: one line, exit 2, nothing written" slurm_no_sbatch
run "slurm: bad: --task without --tasks" bad_input regress "$SL/chunks.json" -o "$SL/b1" --task 0
run "slurm: bad: --task out of range" bad_input regress "$SL/chunks.json" -o "$SL/b1" --task 3 --tasks 3
run "slurm: bad: more tasks than jobs" bad_input regress "$SL/chunks.json" -o "$SL/b1" --slurm-script "$SL/b1.sh" --tasks 8
run "slurm: bad: more tasks than points" bad_input sweep "$SL/swc.json" -o "$SL/b1" --slurm-script "$SL/b1.sh" --tasks 6
run "slurm: bad: --chunk 0" bad_input regress "$SL/chunks.json" -o "$SL/b1" --slurm-script "$SL/b1.sh" --chunk 0
run "slurm: bad: --slurm and --slurm-script" bad_input sweep "$SL/swc.json" -o "$SL/b1" --slurm --slurm-script "$SL/b1.sh"
run "slurm: bad: partition name" bad_input regress "$SL/chunks.json" -o "$SL/b1" --slurm-script "$SL/b1.sh" --slurm-partition 'a b'
run "slurm: bad: an output path sbatch cannot read" bad_input regress "$SL/chunks.json" -o "$SL/b 1" --slurm-script "$SL/b1.sh"
run "slurm: bad: --merge with no task results" bad_input regress "$SL/chunks.json" -o "$SL/b1" --merge
printf '{"fingerprint": "0123456789abcdef", "jobs": 7, "tasks": 3, "task": 0, "results": []}' >"$SL/badtask.json"
slurm_bad_task_file() { mkdir -p "$SL/bt/tasks" && cp "$SL/badtask.json" "$SL/bt/tasks/task-0000.json" && bad_input regress "$SL/chunks.json" -o "$SL/bt" --merge; }
run "slurm: bad: a malformed task file" slurm_bad_task_file
run "slurm: bad input writes nothing" bash -c "[ ! -e '$SL/b1' ] && [ ! -e '$SL/b1.sh' ] && [ ! -e '$SL/b 1' ]"

# A real one-node cluster (munged, slurmctld, slurmd from Debian, state under $T): the same
# small sweep and plan run locally and as 2-task arrays must give the same results.
slurm_up() { # start the cluster once, on first use; the EXIT trap stops it
    [ -s "$SL/cluster/slurm.conf" ] && [ -s "$SL/cluster/slurmd.pid" ] && return 0
    bash "$ROOT/scripts/slurm_local.sh" start "$SL/cluster"
}
trap 'bash "$ROOT/scripts/slurm_local.sh" stop "$SL/cluster" >/dev/null 2>&1; rm -rf "$T"' EXIT
printf '{"name": "slurm2", "block": "pamac", "params": {"N": [4, 8], "ACC": {"of": "N", "times": 2, "plus": 8}}, "workload": {"sparsity": 0.5, "vectors": 300}, "verify_vectors": 100}' >"$SL/sw.json"
printf '%s\n' '{"name": "slurm3", "defaults": {"vectors": 300, "timeout": 300},' \
    ' "runs": [{"block": "pamac", "configs": [{"N": 8, "ACC": 20}], "sims": ["verilator"], "reseed": 2},' \
    '          {"block": "mac_parallel", "configs": [{"N": 8, "ACC": 20}], "sims": ["icarus"]}]}' >"$SL/plan.json"
slurm_cluster_sweep() { # 2 points as a 2-task array equal the local run's; each task ran under Slurm
    slurm_up || return 1
    export SLURM_CONF=$SL/cluster/slurm.conf
    local o id q
    "$D" sweep "$SL/sw.json" -o "$SL/swloc" -j 2 >/dev/null || { echo "local sweep failed"; return 1; }
    o=$("$D" sweep "$SL/sw.json" -o "$SL/swsl" --slurm --tasks 2 --slurm-time 10); local rc=$?; echo "$o"
    [ $rc -eq 0 ] && grep -q '^RESULT sweep name=slurm2 block=pamac points=2 ok=2 failed=0 ran=2 ' <<<"$o" || return 1
    id=$(sed -n 's/.*submitted as Slurm job array \([0-9]*\) of 2 tasks.*/\1/p' <<<"$o")
    [ -n "$id" ] || { echo "no job id"; return 1; }
    q="select label, status, area_um2, cells, fmax_mhz, cycles, verify_checked from points order by label"
    [ "$(sqlite3 "$SL/swloc/sweep.db" "$q")" = "$(sqlite3 "$SL/swsl/sweep.db" "$q")" ] || { echo "Slurm and local results differ"; sqlite3 "$SL/swloc/sweep.db" "$q"; sqlite3 "$SL/swsl/sweep.db" "$q"; return 1; }
    q="select group_concat(slurm_array_job_id || '_' || slurm_array_task_id || ':' || points, ' ') from (select * from tasks order by task)"
    [ "$(sqlite3 "$SL/swsl/sweep.db" "$q")" = "${id}_0:1 ${id}_1:1" ] || { echo "tasks: $(sqlite3 "$SL/swsl/sweep.db" "$q"), want ${id}_0:1 ${id}_1:1"; return 1; }
    [ -s "$SL/swsl/slurm/task-0.out" ] && [ -s "$SL/swsl/slurm/task-1.out" ] && [ -s "$SL/swsl/report.html" ]
}
run "slurm: a 2-point sweep through a one-node Slurm (2 array tasks) equals the local run" slurm_cluster_sweep
slurm_cluster_regress() { # a 3-job plan as a 2-task array: the same jobs and verdicts as locally
    slurm_up || return 1
    export SLURM_CONF=$SL/cluster/slurm.conf
    local o id q
    "$D" regress "$SL/plan.json" -o "$SL/rgloc" -j 2 >/dev/null || { echo "local regress failed"; return 1; }
    o=$("$D" regress "$SL/plan.json" -o "$SL/rgsl" --slurm --tasks 2); local rc=$?; echo "$o"
    [ $rc -eq 0 ] && grep -q '^RESULT regress plan=slurm3 jobs=3 passed=3 failed=0' <<<"$o" || return 1
    id=$(sed -n 's/.*submitted as Slurm job array \([0-9]*\) of 2 tasks.*/\1/p' <<<"$o")
    grep -q "ran as 2 tasks of Slurm job array $id: 2 of 2 wrote results" <<<"$o" || return 1
    q="select group_concat(json_extract(value, '\$.id') || ' ' || json_extract(value, '\$.config') || ' ' || json_extract(value, '\$.sim') || ' ' || json_extract(value, '\$.seed') || ' ' || json_extract(value, '\$.result') || ' ' || json_extract(value, '\$.checked'), '; ') from json_each(readfile('DIR/results.json'), '\$.jobs')"
    [ "$(sqlite3 :memory: "${q//DIR/$SL/rgloc}")" = "$(sqlite3 :memory: "${q//DIR/$SL/rgsl}")" ] || { echo "Slurm and local results differ"; sqlite3 :memory: "${q//DIR/$SL/rgsl}"; return 1; }
    q="select group_concat(json_extract(value, '\$.slurm_array_job_id') || '_' || json_extract(value, '\$.slurm_array_task_id') || ':' || json_extract(value, '\$.jobs'), ' ') from json_each(readfile('$SL/rgsl/results.json'), '\$.tasks')"
    [ "$(sqlite3 :memory: "$q")" = "${id}_0:1 ${id}_1:2" ] || { echo "tasks: $(sqlite3 :memory: "$q")"; return 1; }
    xmllint --noout "$SL/rgsl/junit.xml" && grep -q "Slurm job array $id" "$SL/rgsl/summary.md"
}
run "slurm: a 3-job plan through a one-node Slurm (2 array tasks) equals the local run" slurm_cluster_regress
slurm_cluster_nowait() { # --slurm-no-wait prints the id and exits 0; --merge after it gives the report
    slurm_up || return 1
    export SLURM_CONF=$SL/cluster/slurm.conf
    local o id i
    o=$("$D" regress "$SL/chunks.json" -o "$SL/nw" --slurm --slurm-no-wait --chunk 4); local rc=$?; echo "$o"
    id=$(sed -n 's/.*submitted as Slurm job array \([0-9]*\) of 2 tasks.*/\1/p' <<<"$o")
    [ $rc -eq 0 ] && [ -n "$id" ] && grep -q "not waiting; when job $id has ended" <<<"$o" || return 1
    for i in $(seq 100); do [ -z "$(squeue -h -j "$id" -t PENDING,RUNNING,COMPLETING -o %i 2>/dev/null)" ] && break; sleep 0.3; done
    o=$("$D" regress "$SL/chunks.json" -o "$SL/nw" --merge); rc=$?; echo "$o"
    [ $rc -eq 1 ] && grep -q '^RESULT regress plan=chunks jobs=7 passed=0 failed=7' <<<"$o" && grep -q "ran as 2 tasks of Slurm job array $id" <<<"$o"
}
run "slurm: --slurm-no-wait returns the job id; --merge after it gives the report" slurm_cluster_nowait
slurm_cluster_interrupt() { # SIGTERM while waiting: the job is cancelled, exit 3, no report, no job process left
    slurm_up || return 1
    export SLURM_CONF=$SL/cluster/slurm.conf
    local d="$SL/int" i id st p left
    printf '{"name": "int", "runs": [{"block": "pamac", "test_sim": "hang", "reseed": 2, "timeout": 600}]}' >"$SL/int.json"
    "$D" regress "$SL/int.json" -o "$d" --slurm --tasks 2 >"$SL/int.out" 2>"$SL/int.err" &
    local pid=$!
    for i in $(seq 150); do grep -q '0 pending, 2 running' "$SL/int.out" && [ -e "$d/jobs/00000/built" ] && [ -e "$d/jobs/00001/built" ] && break; sleep 0.2; done
    kill -TERM $pid; wait $pid; local rc=$?
    cat "$SL/int.out" "$SL/int.err"
    id=$(sed -n 's/.*submitted as Slurm job array \([0-9]*\) of 2 tasks.*/\1/p' "$SL/int.out")
    [ $rc -eq 3 ] && [ -n "$id" ] && grep -q "interrupted; Slurm job $id cancelled; no report written" "$SL/int.err" || { echo "exit $rc, want 3 and the message"; return 1; }
    for i in $(seq 100); do st=$(squeue -h -j "$id" -t all -o %T | sort -u | tr '\n' ' '); [ "$st" = "CANCELLED " ] && break; sleep 0.2; done
    echo "task states: $st"; [ "$st" = "CANCELLED " ] || return 1
    [ ! -e "$d/summary.md" ] && [ ! -e "$d/tasks/task-0000.json" ] || { echo "results written after the cancel"; return 1; }
    for i in $(seq 50); do
        left=""
        for p in /proc/[0-9]*; do case $(readlink "$p/cwd" 2>/dev/null) in "$d"/*) left="$p $(tr '\0' ' ' <"$p/cmdline")" ;; esac; done
        [ -z "$left" ] && break; sleep 0.2
    done
    [ -z "$left" ] || { echo "left running: $left"; return 1; }
}
run "slurm: SIGTERM while waiting cancels the array: exit 3, no report, no job left running" slurm_cluster_interrupt
[ -s "$SL/cluster/slurm.conf" ] && bash "$ROOT/scripts/slurm_local.sh" stop "$SL/cluster"

echo "== fuzzing: bounded libFuzzer runs over the committed corpora, and past crashes"
fuzz_smoke() { # fuzz_smoke NAME RUNS : RUNS deterministic runs from a copy of the corpus
    local f="$FUZZ/fuzz_$1"
    [ -x "$f" ] || { echo "missing $f (make fuzzers needs clang and libclang-rt-14-dev)"; return 1; }
    rm -rf "$T/corpus-$1" && cp -r "$ROOT/tests/fuzz/corpus/$1" "$T/corpus-$1"
    "$f" -runs="$2" -seed=1 -rss_limit_mb=2048 -max_len=4096 "$T/corpus-$1"
}
for src in "$ROOT"/tests/fuzz/fuzz_*.c; do
    fz=${src##*/fuzz_}; fz=${fz%.c}
    # params generates a design per input (about 2.4 ms a run): 5000 runs here, the long
    # runs are `make fuzz`
    n=20000; [ "$fz" = params ] && n=5000
    run "fuzz $fz ($n runs)" fuzz_smoke "$fz" $n
done
for r in "$ROOT"/tests/fuzz/regress/*; do
    [ -e "$r" ] || continue
    name=${r##*/}
    run "fuzz regression $name" "$FUZZ/fuzz_${name%%-*}" "$r"
done

echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
