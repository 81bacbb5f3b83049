#!/usr/bin/env bash
# scripts/bench_real_vad.sh -- the real Silero VAD v5 LSTM (128 -> 128, one step per
# 512-sample frame, the state carried from frame to frame) through the GENERATED lstm_layer
# RTL under Verilator, every frame of the make_wav speech, bit-exact against the golden
# fixed-point LSTM (docs/models.md "The Silero LSTM through the lstm_layer RTL").
#
# Per setting ((n,k), exponent range [-EF, EM] i.e. code width, clipping threshold T, P PEs):
#   dnngen vad WAV --model M --n N --k K --m EM --f EF --T T --dump DIR
#       the golden fixed-point LSTM between the float encoder and decoder (B = 20, F = 10):
#       compression vs fp32, mean |p - p_float|, segment label agreement, the LSTM's
#       operations per frame (dense MACs, kept weights, shift-adds performed: kept weights
#       whose x or h_(t-1) is non-zero); DIR/x.hex, h.hex, c.hex: every frame's input and
#       golden h_t, c_t;
#   dnngen compress M --n N --k K --m EM --f EF --B 20 --F 10 --layer P -o DIR
#       the layer's memory images (DIR/layer_w.hex, layer_b.hex);
#   dnngen verify lstm_layer -p I=128 -p H=128 ... -p BATCH=1 -p STEPS=1 --profile silero:DIR
#       every frame one run: the previous frame's h, c loaded (in_op 3), the frame's x,
#       h_t and c_t of all 128 units checked bit for bit and edge for edge. Since every h_t
#       equals the golden one, the probabilities and segments `vad` printed from the
#       golden h are those of the RTL's h.
# RTL cycles per frame = (the RTL's cycles - the weight and bias load records) / frames.
# Costs about 5-10 minutes a setting on one core (Verilator build and 1.3 M cycles).
# SETTINGS="n,k,em,ef,T,P ..." overrides the list; FRAMES=N runs the first N frames only.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${DNNGEN_BUILD:-build}
D=${DNNGEN:-$PWD/$B/dnngen}
export DNNGEN_QUIET=1
W=${BENCH_DIR:-$PWD/$B/bench-real-vad}
mkdir -p "$W"
M=$(scripts/fetch_models.sh @ricky0123/vad-web | grep '/silero_vad_v5\.onnx$')
scripts/make_wav.sh "$W/speech.wav" >/dev/null
SETTINGS=${SETTINGS:-"16,4,2,7,0,8 16,2,2,7,0,8 16,4,2,3,0,8 16,4,2,7,0.1,8"}
FRAMES=${FRAMES:-100000}
echo "Silero VAD v5 LSTM through the generated lstm_layer (Verilator), make_wav speech, B=20 F=10, BATCH=1 STEPS=1"
printf '%-7s %-8s %-4s %-5s %-2s | %-6s %-7s | %-9s %-9s %-9s | %-8s %-7s %-4s | %-6s %-8s %-9s\n' \
    "(n,k)" "e range" "code" "T" "P" "kept" "vs fp32" "kept/MAC" "performed" "op red." \
    "mean|dp|" "labels" "segs" "frames" "bitexact" "cyc/frame"
for s in $SETTINGS; do
    IFS=, read -r n k em ef t p <<<"$s"
    dir="$W/n${n}k${k}m${em}f${ef}t${t}p${p}"
    rm -rf "$dir"
    "$D" vad "$W/speech.wav" --model "$M" --n "$n" --k "$k" --m "$em" --f "$ef" --T "$t" --dump "$dir" >"$dir.vad.txt"
    "$D" compress "$M" --n "$n" --k "$k" --m "$em" --f "$ef" --B 20 --F 10 --layer "$p" -o "$dir" >/dev/null
    tq=$(head -n 1 "$dir/x.hex" | sed -n 's/.* TQ=\([0-9]*\).*/\1/p')
    line=$(grep '^compressed LSTM' "$dir.vad.txt")
    ops=$(grep '^LSTM operations' "$dir.vad.txt")
    hdr=$(head -n 1 "$dir/layer_w.hex")
    rows=$(sed -n 's/.* ROWS=\([0-9]*\).*/\1/p' <<<"$hdr"); kpr=$(sed -n 's/.* KPR=\([0-9]*\).*/\1/p' <<<"$hdr")
    set +e
    "$D" verify lstm_layer -p I=128 -p H=128 -p N="$n" -p K="$k" -p EM="$em" -p EF="$ef" -p B=20 -p F=10 \
        -p P="$p" -p BATCH=1 -p STEPS=1 -p TQ="$tq" --profile "silero:$dir" --vectors "$FRAMES" >"$dir.verify.txt" 2>&1
    vrc=$?
    set -e
    res=$(grep '^RESULT' "$dir.verify.txt" || true)
    cyc=$(sed -n 's/.* cycles=\([0-9]*\).*/\1/p' <<<"$res")
    chk=$(sed -n 's/.* checked=\([0-9]*\).*/\1/p' <<<"$res")
    mis=$(sed -n 's/.* mismatches=\([0-9]*\).*/\1/p' <<<"$res")
    nfr=$(( ${chk:-0} / 128 ))
    awk -v n="$n" -v k="$k" -v em="$em" -v ef="$ef" -v t="$t" -v p="$p" -v line="$line" -v ops="$ops" \
        -v cyc="${cyc:-0}" -v nfr="$nfr" -v load=$(( p * rows * kpr + p * rows )) -v mis="${mis:-?}" -v vrc="$vrc" 'BEGIN {
        split(line, a, " "); for (i = 1; i in a; i++) {
            if (a[i] ~ /-bit$/) code = a[i]; if (a[i] == "kept") kept = a[i + 1]; if (a[i] == "vs" && a[i + 1] == "fp32,") vs = a[i - 1]
            if (a[i] == "p_float|") mean = a[i + 2]; if (a[i] == "agree") agree = a[i + 2]; if (a[i] == "segments") segs = a[i - 1] }
        split(ops, b, " "); for (i = 1; i in b; i++) { if (b[i] == "kept") kpt = b[i + 1]; if (b[i] == "performed") perf = b[i + 1]; if (b[i] == "dense" && b[i + 1] + 0 > 0) dense = b[i + 1] }
        sub(/,$/, "", kept); sub(/,$/, "", mean); sub(/-bit$/, "", code)
        printf "(%s,%s) %-8s %-4s %-5s %-2s | %-6s %-7s | %-9.2f %-9s %-9s | %-8s %-7s %-4s | %-6d %-8s %-9.1f\n",
            n, k, "[-" ef "," em "]", code, t, p, kept, vs, dense / kpt, perf, sprintf("%.2fx", dense / perf),
            mean, agree, segs, nfr, (vrc == 0 && mis == 0 ? "yes" : "NO(" vrc ")"), nfr ? (cyc - load) / nfr : 0 }'
done
echo "(kept/MAC: dense MACs over kept weights, pruning alone; performed: shift-adds a frame, kept weights whose x or"
echo " h_(t-1) is non-zero (pruning, zero inputs, clipped gating); op red.: dense MACs / performed; mean|dp|: mean"
echo " |p - p_float| over the frames; labels: frames whose segment label agrees with float; bitexact: every h_t, c_t"
echo " of every frame equal to the golden under Verilator; cyc/frame: (RTL cycles - weight/bias load) / frames)"
