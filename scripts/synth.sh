#!/usr/bin/env bash
# synth.sh - synthesise a Verilog design to a standard-cell liberty and time it.
#
# Why: dnngen emits Verilog for DNN arithmetic blocks; to compare generator
# options we need comparable hardware figures (area, cell count, number of
# multipliers, critical path, fmax) from one reproducible open-source flow.
#
# Flow (all outputs and temporary files go to --out DIR):
#   1. Yosys: read the filelist, count $mul cells after a cheap coarse pass
#      (hierarchy/proc/flatten/opt -fast/wreduce), then `synth -flatten`,
#      reject latches, dfflibmap + abc onto the liberty, tie constants with
#      TIEHI/TIELO-like cells if the liberty has any, `stat -liberty`, and
#      write DIR/TOP_net.v.                                    -> DIR/yosys.log
#   2. OpenSTA: clock `clk` (virtual clock if there is no clk port) with the
#      given period, 0 input/output delays; the critical path is the largest
#      data arrival time (minus the launch edge) over all max-delay path ends
#      (in->reg, reg->reg, reg->out, in->out), read through the Tcl API rather
#      than by scraping text. Human-readable reports go to    -> DIR/sta.log
#
# Usage: scripts/synth.sh --filelist F.f --top TOP --out DIR
#                         [--liberty LIB] [--period NS] [--json]
#   F.f: one Verilog path per line (relative to F.f's directory); blank lines
#        and lines starting with // or # are ignored.
# Output: `key: value` lines, or one JSON object on stdout with --json; keys
#   top liberty cells area_um2 multipliers critical_path_ns slack_ns period_ns
#   fmax_mhz flops latches adders adders_data. multipliers = $mul cells left after the coarse pass
#   (constant multiplies by powers of two become shifts and are not counted).
#   adders = $add/$sub/$neg cells after the same pass (counters and comparators
#   built from them included); adders_data = those in the fan-out cone of the
#   sample inputs in_x*, in_r* (in_ready excluded: the FCU data path, without the weight pre-additions
#   that run only at a coefficient write; 0 for blocks without such ports).
#   fmax_mhz = 1000 / critical_path_ns (setup time not included; slack_ns is
#   the real check). Inputs arrive at t=0, so in->reg paths have no clk->Q.
# DIR also keeps synth.ys, sta.tcl and a cells.lib symlink to the liberty, so
# `cd DIR && yosys -s synth.ys && sta sta.tcl` re-runs the flow by hand.
# Exit: 0 ok, 1 latch inferred, 2 bad input (arguments, filelist, liberty,
#       listed file), 3 tool failure (tool missing, yosys/sta error, or a
#       figure could not be parsed - no number is ever made up).

set -euo pipefail

readonly DEFAULT_LIBERTY=/usr/share/qflow/tech/osu018/osu018_stdcells.lib
# shellcheck disable=SC2016  # Yosys selection patterns, not shell expansions
readonly LATCH_SEL='t:$*latch* t:$*LATCH* t:$sr t:$_SR_*'

die() { # die CODE MESSAGE...
    local code="$1"; shift
    printf 'synth: %s\n' "$*" >&2
    exit "$code"
}

usage() {
    printf '%s\n' "usage: scripts/synth.sh --filelist F.f --top TOP --out DIR [--liberty LIB] [--period NS] [--json]" >&2
    exit 2
}

abspath() { # absolute path of an existing file, relative to the cwd
    case "$1" in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s/%s\n' "$PWD" "$1" ;;
    esac
}

json_str() { # JSON string literal
    local s="$1"
    s="${s//\\/\\\\}"; s="${s//\"/\\\"}"
    s="${s//$'\t'/\\t}"; s="${s//$'\n'/\\n}"; s="${s//$'\r'/\\r}"
    printf '"%s"' "$s"
}

# ---------------------------------------------------------------- arguments
filelist="" top="" out="" liberty="$DEFAULT_LIBERTY" period=10 json=0
while [ $# -gt 0 ]; do
    case "$1" in
        --filelist|--top|--out|--liberty|--period)
            [ $# -ge 2 ] || die 2 "option $1 needs a value"
            case "$1" in
                --filelist) filelist="$2" ;;
                --top) top="$2" ;;
                --out) out="$2" ;;
                --liberty) liberty="$2" ;;
                --period) period="$2" ;;
            esac
            shift 2 ;;
        --json) json=1; shift ;;
        -h|--help) usage ;;
        *) die 2 "unknown argument: $1" ;;
    esac
done
[ -n "$filelist" ] || die 2 "missing --filelist"
[ -n "$top" ] || die 2 "missing --top"
[ -n "$out" ] || die 2 "missing --out"
[[ "$top" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die 2 "bad --top name: $top"
{ [[ "$period" =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] && awk -v p="$period" 'BEGIN { exit !(p > 0) }'; } ||
    die 2 "bad --period (want a positive number of ns): $period"
period=$(awk -v p="$period" 'BEGIN { printf "%.10g", p }')   # .5 -> 0.5, 10.0 -> 10
period_ps=$(awk -v p="$period" 'BEGIN { printf "%d", p * 1000 }')   # ABC delay target
[[ -f "$filelist" && -r "$filelist" ]] || die 2 "cannot read filelist: $filelist"
[[ -f "$liberty" && -r "$liberty" ]] || die 2 "cannot read liberty: $liberty"
filelist="$(abspath "$filelist")"
liberty="$(abspath "$liberty")"
command -v yosys >/dev/null 2>&1 || die 3 "yosys not found in PATH (scripts/install-deps.sh)"
command -v sta >/dev/null 2>&1 || die 3 "sta (OpenSTA) not found in PATH (scripts/install-deps.sh)"

# ---------------------------------------------------------------- filelist
# Yosys' read_verilog accepts a double-quoted name; other paths are made
# relative to DIR (tools run there; the liberty is symlinked as DIR/cells.lib),
# because tee/-liberty options take their argument verbatim.
fl_dir="$(dirname "$filelist")"
read_cmds=""
nfiles=0
while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    line="$(printf '%s' "$line" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')"
    case "$line" in ''|'//'*|'#'*) continue ;; esac
    case "$line" in /*) f="$line" ;; *) f="$fl_dir/$line" ;; esac
    [[ -f "$f" && -r "$f" ]] || die 2 "cannot read $line (listed in $filelist)"
    case "$f" in *'"'*) die 2 "unsupported character in file name: $f" ;; esac
    case "$f" in *.sv) read_cmds+="read_verilog -sv \"$f\""$'\n' ;;
                 *) read_cmds+="read_verilog \"$f\""$'\n' ;; esac
    nfiles=$((nfiles + 1))
done < "$filelist"
[ "$nfiles" -gt 0 ] || die 2 "filelist lists no Verilog files: $filelist"

# ---------------------------------------------------------------- out dir
mkdir -p "$out" || die 2 "cannot create output directory: $out"
out="$(cd "$out" && pwd)"
netlist="${top}_net.v"   # tools run inside DIR, with names relative to it
# Never let a stale file from an earlier run be parsed as this run's result.
rm -f "$out/synth.ys" "$out/yosys.log" "$out/multipliers.txt" "$out/latches.txt" \
      "$out/adders.txt" "$out/adders_data.txt" \
      "$out/latch_signals.txt" "$out/unmapped.txt" "$out/stat.txt" \
      "$out/sta.tcl" "$out/sta.log" "$out/$netlist" "$out/cells.lib" "$out/yosys.err"
rm -rf "$out/tmp"
mkdir -p "$out/tmp"
trap 'rm -rf "$out/tmp"' EXIT
ln -s "$liberty" "$out/cells.lib"
# yosys-abc scratch directories go to DIR/tmp, not /tmp; relative, because
# ABC cannot cope with spaces in its temp path (yosys runs inside DIR).
export TMPDIR=tmp

# ---------------------------------------------------------------- tie cells
# A tie cell has no input pins and only constant outputs (TIEHI/TIELO, Nangate
# LOGIC1_X1, sky130 conb_1 with both HI and LO). Prints one line per constant
# output: "hi|lo CELL PIN AREA"; dont_use cells are skipped. The smallest wins.
find_tie_cells() {
    awk '
    function unquote(v) { gsub(/^[ \t"]+|[ \t"]+$/, "", v); return v }
    function attr(text,    k, v) {   # "name : value" inside the current group
        if (index(text, ":") == 0) return
        k = unquote(substr(text, 1, index(text, ":") - 1))
        v = unquote(substr(text, index(text, ":") + 1))
        if (cell != "" && depth == cell_depth) {
            if (k == "dont_use" && v == "true") dont_use = 1
            if (k == "area") area = v + 0
        }
        if (pin != "" && depth == pin_depth) {
            if (k == "direction") pdir = v
            if (k == "function") { gsub(/[ ()]/, "", v); pfn = (v == "1" || v == "1'"'"'b1") ? "1" : (v == "0" || v == "1'"'"'b0") ? "0" : "?" }
        }
    }
    function stmt(text, delim,    kw, arg) {
        gsub(/^[ \t]+|[ \t]+$/, "", text)
        if (delim == "{") {
            depth++
            kw = text; sub(/[ \t]*\(.*/, "", kw)
            arg = text; sub(/^[^(]*\(/, "", arg); sub(/\)[^)]*$/, "", arg); arg = unquote(arg)
            if (depth == 2 && kw == "cell") {
                cell = arg; cell_depth = depth; n_in = 0; n_out = 0; n_const = 0; ties = ""; dont_use = 0; area = 0
            } else if (cell != "" && depth == cell_depth + 1 && kw == "pin") {
                pin = arg; pin_depth = depth; pdir = ""; pfn = "?"
            } else if (cell != "" && depth == cell_depth + 1 && (kw == "bus" || kw == "bundle")) {
                n_in += 2   # multi-bit pins never make a tie cell
            }
        } else {
            if (text != "") attr(text)
            if (delim == "}") {
                if (pin != "" && depth == pin_depth) {
                    if (pdir == "input" || pdir == "inout") n_in++
                    else if (pdir == "output") {
                        n_out++
                        if (pfn != "?") { n_const++; ties = ties (pfn == "1" ? "hi" : "lo") " " cell " " pin " " area "\n" }
                    }
                    pin = ""
                }
                if (cell != "" && depth == cell_depth) {
                    if (!dont_use && n_in == 0 && n_out > 0 && n_const == n_out) printf "%s", ties
                    cell = ""
                }
                depth--
            }
        }
    }
    {
        line = $0
        sub(/\r$/, "", line); sub(/\\$/, "", line)
        if (incomment) { if (!sub(/^([^*]|\*+[^*\/])*\*+\//, "", line)) next; incomment = 0 }
        gsub(/\/\*([^*]|\*+[^*\/])*\*+\//, "", line)
        if (sub(/\/\*.*/, "", line)) incomment = 1
        while (match(line, /[{};]/)) {
            stmt(pending substr(line, 1, RSTART - 1), substr(line, RSTART, 1))
            pending = ""; line = substr(line, RSTART + 1)
        }
        pending = pending " " line
    }' "$liberty"
}
tie_hi="" tie_lo=""
while read -r kind cell pin area; do
    if [ "$kind" = hi ] && [ -z "$tie_hi" ]; then tie_hi="$cell $pin"; fi
    if [ "$kind" = lo ] && [ -z "$tie_lo" ]; then tie_lo="$cell $pin"; fi
done < <(find_tie_cells | sort -k1,1 -k4,4g)
hilomap_cmd="# liberty has no tie cells: constants stay as 1'b0/1'b1 literals"
if [ -n "$tie_hi" ] || [ -n "$tie_lo" ]; then
    hilomap_cmd="hilomap${tie_hi:+ -hicell $tie_hi}${tie_lo:+ -locell $tie_lo}"
fi

# ---------------------------------------------------------------- yosys
# ABC: delay-targeted mapping, then fanout buffering and gate sizing, as a real flow
# would do; without buffering, high-fanout control nets dominate every critical path.
# Yosys' own generic abc is skipped (synth -noabc) and ABC gets no area-recovery rewriting
# (fraig/scorr/dc2): both turned the parallel-prefix adders from Yosys' techmap into
# ripple chains, which made every adder-bound design look slow.
cat > "$out/abc.script" <<EOF
strash; &get -n; &dch -f; &nf -D $period_ps; &put; buffer -p; upsize -D $period_ps; dnsize -D $period_ps
EOF
cat > "$out/synth.ys" <<EOF
# generated by scripts/synth.sh
${read_cmds}design -save read

# cheap coarse pass, only to count multipliers (before alumacc/booth)
hierarchy -check -top $top
proc
flatten
opt -fast
wreduce
tee -q -o multipliers.txt select -count t:\$mul
tee -q -o adders.txt select -count t:\$add t:\$sub t:\$neg %u %u
tee -q -o adders_data.txt select -count w:in_x* w:in_r* %u w:in_ready %d %co* t:\$add t:\$sub t:\$neg %u %u %i
design -load read

synth -top $top -flatten -noabc
tee -q -o latches.txt select -list $LATCH_SEL
tee -q -o latch_signals.txt select -list $LATCH_SEL %u %u %u %co:+[Q] w:* %i
select -assert-none $LATCH_SEL

dfflibmap -liberty cells.lib
abc -liberty cells.lib -script abc.script
opt_clean
setundef -zero
# OpenSTA's Verilog reader rejects concatenations in assign statements:
# split internal buses and merge aliases so none are written.
splitnets
opt_clean -purge
$hilomap_cmd
opt_clean -purge
tee -q -o unmapped.txt select -list t:\$*
select -assert-none t:\$*
tee -q -o stat.txt stat -liberty cells.lib
write_verilog -noattr -noexpr $netlist
EOF

yosys_rc=0
(cd "$out" && exec yosys -q -l yosys.log -s synth.ys) >/dev/null 2>"$out/yosys.err" || yosys_rc=$?
if [ "$yosys_rc" -ne 0 ]; then
    if [ -s "$out/latches.txt" ]; then
        cells=$(tr '\n' ' ' < "$out/latches.txt" | sed -e "s|$top/||g" -e 's/ *$//')
        sigs=$(tr '\n' ' ' < "$out/latch_signals.txt" 2>/dev/null | sed -e "s|$top/||g" -e 's/ *$//' || true)
        die 1 "latch inferred in $top: $cells${sigs:+ (signals: $sigs)}"
    fi
    if [ -s "$out/unmapped.txt" ]; then
        die 3 "cells not mapped to $(basename "$liberty"): $(sed "s|$top/||" "$out/unmapped.txt" | head -5 | tr '\n' ' ')(see $out/yosys.log)"
    fi
    msg=$(cat "$out/yosys.log" "$out/yosys.err" 2>/dev/null | grep -m1 'ERROR' || true)
    abc=$(grep -m1 -E '^ABC: .*(failed|[Ee]rror|cannot)' "$out/yosys.log" 2>/dev/null || true)
    msg="$msg${abc:+; $abc}"
    die 3 "yosys failed (exit $yosys_rc)${msg:+: $msg} (see $out/yosys.log)"
fi

multipliers=$(awk 'NR == 1 && $2 ~ /^objects?\.?$/ && $1 ~ /^[0-9]+$/ { print $1 }' "$out/multipliers.txt" 2>/dev/null || true)
adders=$(awk 'NR == 1 && $2 ~ /^objects?\.?$/ && $1 ~ /^[0-9]+$/ { print $1 }' "$out/adders.txt" 2>/dev/null || true)
adders_data=$(awk 'NR == 1 && $2 ~ /^objects?\.?$/ && $1 ~ /^[0-9]+$/ { print $1 }' "$out/adders_data.txt" 2>/dev/null || true)
[ -n "$adders" ] && [ -n "$adders_data" ] || die 3 "could not parse the adder counts (see $out/adders.txt)"
cells=$(awk '/Number of cells:/ { n = $NF } END { if (n ~ /^[0-9]+$/) print n }' "$out/stat.txt" 2>/dev/null || true)
area=$(awk -v top="$top" '
    /Chip area for top module/ { top_area = $NF }
    index($0, "Chip area for module") && index($0, "\\" top "'"'"'") { mod_area = $NF }
    END { a = (top_area != "" ? top_area : mod_area); if (a ~ /^[0-9.eE+-]+$/) print a }' "$out/stat.txt" 2>/dev/null || true)
[ -n "$multipliers" ] || die 3 "could not parse the multiplier count (see $out/multipliers.txt)"
[ -n "$cells" ] || die 3 "could not parse the cell count (see $out/stat.txt)"
[ -n "$area" ] || [ "$cells" != 0 ] || area=0   # yosys prints no area for an empty design
[ -n "$area" ] || die 3 "could not parse the chip area; does the liberty give cell areas? (see $out/stat.txt)"
[ -s "$out/$netlist" ] || die 3 "yosys wrote no netlist: $out/$netlist"
rm -f "$out/latches.txt" "$out/latch_signals.txt" "$out/unmapped.txt"   # empty on success
[ -s "$out/yosys.err" ] || rm -f "$out/yosys.err"

# ---------------------------------------------------------------- OpenSTA
cat > "$out/sta.tcl" <<EOF
# generated by scripts/synth.sh
read_liberty cells.lib
read_verilog $netlist
link_design $top
set period $period
if {[llength [get_ports -quiet clk]] > 0} {
    create_clock -name clk -period \$period [get_ports clk]
    set ins [delete_from_list [all_inputs] [get_ports clk]]
    puts "SYNTH_CLOCK port"
} else {
    create_clock -name clk -period \$period
    set ins [all_inputs]
    puts "SYNTH_CLOCK virtual"
}
if {[llength \$ins] > 0} { set_input_delay 0 -clock clk \$ins }
if {[llength [all_outputs]] > 0} { set_output_delay 0 -clock clk [all_outputs] }

puts "SYNTH_FLOPS [llength [all_registers -edge_triggered -cells]]"
puts "SYNTH_LATCHES [llength [all_registers -level_sensitive -cells]]"
puts "SYNTH_CLOCKED [llength [all_registers -clock clk -cells]]"

# Registers launching on the falling edge start their paths at period/2.
set fall_q [dict create]
foreach pin [all_registers -fall_clock clk -output_pins] { dict set fall_q [get_full_name \$pin] 1 }
set worst_delay ""
set worst_slack ""
set worst_end ""
set nends 0
foreach pe [find_timing_paths -path_delay max -group_count 100000000 -endpoint_count 1] {
    if {[\$pe is_unconstrained]} { continue }
    incr nends
    set arr [sta::time_sta_ui [\$pe data_arrival_time]]
    set sp [get_full_name [get_property \$pe startpoint]]
    if {[dict exists \$fall_q \$sp]} { set arr [expr {\$arr - \$period / 2.0}] }
    set slk [sta::time_sta_ui [\$pe slack]]
    if {\$worst_delay eq "" || \$arr > \$worst_delay} {
        set worst_delay \$arr
        set worst_end "\$sp -> [get_full_name [get_property \$pe endpoint]]"
    }
    if {\$worst_slack eq "" || \$slk < \$worst_slack} { set worst_slack \$slk }
}
puts "SYNTH_ENDPOINTS \$nends"
if {\$nends > 0} {
    puts "SYNTH_CRITICAL_PATH_NS [format %.6f \$worst_delay]"
    puts "SYNTH_CRITICAL_PATH \$worst_end"
    puts "SYNTH_SLACK_NS [format %.6f \$worst_slack]"
}

puts "\n==== worst path (max) ===="
report_checks -path_delay max -digits 3
puts "\n==== endpoints (max, worst 50) ===="
report_checks -path_delay max -format end -group_count 50 -endpoint_count 1 -digits 3
exit
EOF

sta_rc=0
(cd "$out" && exec sta -no_splash -exit sta.tcl) > "$out/sta.log" 2>&1 || sta_rc=$?
[ "$sta_rc" -eq 0 ] || die 3 "sta failed (exit $sta_rc) (see $out/sta.log)"
# OpenSTA reports Tcl errors on stdout and carries on: treat them as failures.
if err=$(grep -m1 -E '^(Error|Warning: .*(not found|unknown|undefined))' "$out/sta.log"); then
    die 3 "sta: $err (see $out/sta.log)"
fi
sta_val() { awk -v k="$1" '$1 == k { print $2; exit }' "$out/sta.log"; }
flops=$(sta_val SYNTH_FLOPS)
latches=$(sta_val SYNTH_LATCHES)
nends=$(sta_val SYNTH_ENDPOINTS)
crit=$(sta_val SYNTH_CRITICAL_PATH_NS)
slack=$(sta_val SYNTH_SLACK_NS)
[[ "$flops" =~ ^[0-9]+$ ]] || die 3 "could not parse the flop count (see $out/sta.log)"
[[ "$latches" =~ ^[0-9]+$ ]] || die 3 "could not parse the latch count (see $out/sta.log)"
clocked=$(sta_val SYNTH_CLOCKED)
[[ "$clocked" =~ ^[0-9]+$ ]] || die 3 "could not parse the clocked register count (see $out/sta.log)"
# Registers on another clock would leave their paths unconstrained: refuse.
[ "$clocked" -ge $((flops + latches)) ] ||
    die 2 "$((flops + latches - clocked)) of $((flops + latches)) registers in $top are not clocked by port clk"
[[ "$nends" =~ ^[0-9]+$ ]] || die 3 "could not parse the STA results (see $out/sta.log)"
[ "$nends" -gt 0 ] || die 3 "no constrained timing path in $top (see $out/sta.log)"
[[ "$crit" =~ ^-?[0-9]+\.[0-9]+$ ]] || die 3 "could not parse the critical path (see $out/sta.log)"
[[ "$slack" =~ ^-?[0-9]+\.[0-9]+$ ]] || die 3 "could not parse the worst slack (see $out/sta.log)"
awk -v c="$crit" 'BEGIN { exit !(c > 0) }' || die 3 "critical path of $top is $crit ns; fmax is undefined (see $out/sta.log)"

# ---------------------------------------------------------------- result
# Strings go through ENVIRON: awk -v would undo the JSON backslash escapes.
TOP_S="$top" LIB_S="$liberty" TOP_J="$(json_str "$top")" LIB_J="$(json_str "$liberty")" \
awk -v json="$json" -v cells="$cells" -v area="$area" -v muls="$multipliers" -v crit="$crit" \
    -v adds="$adders" -v addsd="$adders_data" \
    -v slack="$slack" -v period="$period" -v flops="$flops" -v latches="$latches" '
BEGIN {
    n = split("top liberty cells area_um2 multipliers adders adders_data critical_path_ns slack_ns period_ns fmax_mhz flops latches", k, " ")
    v["top"] = ENVIRON["TOP_J"]; h["top"] = ENVIRON["TOP_S"]
    v["liberty"] = ENVIRON["LIB_J"]; h["liberty"] = ENVIRON["LIB_S"]
    v["cells"] = cells + 0
    v["area_um2"] = sprintf("%.2f", area)
    v["multipliers"] = muls + 0
    v["adders"] = adds + 0
    v["adders_data"] = addsd + 0
    v["critical_path_ns"] = sprintf("%.3f", crit)
    v["slack_ns"] = sprintf("%.3f", slack)
    v["period_ns"] = sprintf("%.10g", period)
    v["fmax_mhz"] = sprintf("%.1f", 1000 / crit)
    v["flops"] = flops + 0
    v["latches"] = latches + 0
    if (json) {
        s = "{"
        for (i = 1; i <= n; i++) s = s (i > 1 ? ", " : "") "\"" k[i] "\": " v[k[i]]
        print s "}"
    } else {
        for (i = 1; i <= n; i++) print k[i] ": " ((k[i] in h) ? h[k[i]] : v[k[i]])
    }
}'
