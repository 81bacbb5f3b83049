#!/usr/bin/env bash
# scripts/bench_real.sh -- every real-network figure end to end (`make bench-real`;
# docs/real-networks.md): fetches the pretrained models (scripts/fetch_models.sh; fails with
# one clear line when the npm registry cannot be reached), then prints
#   - the essential-term tables of face_recognition (dnngen stats) beside VGG-16's published
#     figures (../shared/docs/blocks.md section 1),
#   - the CNN through the generated hardware (scripts/bench_real_cnn.sh),
#   - the Silero VAD in float and with the compressed LSTM (dnngen vad; docs/models.md),
#   - every other scripts/bench_real_*.sh present (e.g. the Silero LSTM through lstm_layer).
# Environment: DNNGEN (default build/dnngen), OUT (work directory, default temporary).
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
export DNNGEN=${DNNGEN:-build/dnngen}
[ -x "$DNNGEN" ] || { echo "bench_real: $DNNGEN not built (run make)" >&2; exit 2; }
DNNGEN=$(cd "$(dirname "$DNNGEN")" && pwd)/$(basename "$DNNGEN")
D=$DNNGEN
t0=$SECONDS
status=0
if [ -n "${OUT:-}" ]; then mkdir -p "$OUT"; W=$(cd "$OUT" && pwd); else W=$(mktemp -d /tmp/bench-real.XXXXXX); trap 'rm -rf "$W"' EXIT; fi

echo "# bench-real: real networks through dnngen ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores)"
echo
echo "## models (scripts/fetch_models.sh, npm registry, sha256-checked)"
if ! scripts/fetch_models.sh; then
    echo "bench_real: cannot fetch the pretrained models from the npm registry (scripts/fetch_models.sh failed, message above); check the network or npm_config_registry" >&2
    exit 3
fi
F=$(scripts/fetch_models.sh --dir @vladmandic/face-api)
M=$F/model/face_recognition_model-weights_manifest.json
J=$F/demo/sample1.jpg
SILERO=$(scripts/fetch_models.sh --dir @ricky0123/vad-web)/dist/silero_vad_v5.onnx

echo
echo "## essential terms of face_recognition (dnngen stats)"
echo "\$ dnngen stats face_recognition_model-weights_manifest.json --bits 8"
"$D" stats "$M" --bits 8 | tail -n 8 || status=1
echo
echo "\$ dnngen stats face_recognition_model-weights_manifest.json --bits 8 --image sample1.jpg --box 810,380,250"
"$D" stats "$M" --bits 8 --image "$J" --box 810,380,250 | grep -v '^descriptor:' || status=1
echo
echo "\$ dnngen stats face_recognition_model-weights_manifest.json --bits 16 --image sample1.jpg --box 810,380,250"
"$D" stats "$M" --bits 16 --image "$J" --box 810,380,250 >"$W/s16.txt" || status=1
grep '^overall' "$W/s16.txt"
echo
echo "overall average essential terms per MAC at 16 bits, beside VGG-16 (../shared/docs/blocks.md section 1):"
awk '/^overall/ { printf "  face_recognition (ours): WD %s, AD %s, best %s\n", $3, $4, $5 }' "$W/s16.txt"
echo "  VGG-16 (published):      about 1.8 per MAC overall with the better decomposition;"
echo "                           AD 3.6 (layer 1) to 0.7 (deep layers), WD 1.6-3.1 per layer;"
echo "                           0 terms for 30-63% of MACs"
awk '/^0 / { printf "  face_recognition (ours): 0 terms for %s (WD), %s (AD), %s (best) of MACs\n", $2, $3, $4 }' "$W/s16.txt"

echo
echo "## face_recognition through the generated hardware (scripts/bench_real_cnn.sh)"
OUT="$W/cnn" bash scripts/bench_real_cnn.sh || status=1

echo
echo "## Silero VAD v5 in float and with the compressed LSTM (dnngen vad; docs/models.md)"
if scripts/make_wav.sh "$W/speech.wav" >/dev/null; then
    echo "\$ dnngen vad speech.wav --model silero_vad_v5.onnx   (segments and summary)"
    "$D" vad "$W/speech.wav" --model "$SILERO" | grep -v '^frame ' || status=1
    echo
    echo "(n,k) [-f,m]: the last line of dnngen vad speech.wav --model silero_vad_v5.onnx --n N --k K [--m M --f F]"
    for a in "1 1" "16 16" "16 8" "16 4" "16 2" "8 2" "4 1" "16 8 2 3" "16 4 2 3" "16 8 1 2"; do
        set -- $a
        extra=""
        [ $# -eq 4 ] && extra="--m $3 --f $4"
        # shellcheck disable=SC2086
        l=$("$D" vad "$W/speech.wav" --model "$SILERO" --n "$1" --k "$2" $extra | tail -n 1) || status=1
        printf '(%s,%s) %-10s %s\n' "$1" "$2" "${extra:+[-$4,$3]}" "$l"
    done
else
    echo "bench_real: scripts/make_wav.sh failed (espeak-ng, sox)"; status=1
fi

for s in scripts/bench_real_*.sh; do
    [ -f "$s" ] || continue
    [ "$s" = scripts/bench_real_cnn.sh ] && continue
    echo
    echo "## $s"
    OUT="$W/$(basename "$s" .sh)" bash "$s" || status=1
done

echo
echo "bench_real: $((SECONDS - t0)) s wall, status $status"
exit $status
