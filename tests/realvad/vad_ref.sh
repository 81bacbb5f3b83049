#!/usr/bin/env bash
# vad_ref.sh - test-only: Silero VAD v5 probabilities of a WAV from onnxruntime-node, the
# independent reference that `dnngen vad` (golden/gm_silero.c) is compared with frame by frame.
# onnxruntime-node is installed with npm (--ignore-scripts: its CPU binary ships inside the
# package; the install script only fetches optional GPU libraries) into the model cache, outside
# the source tree, once. Usage: tests/realvad/vad_ref.sh MODEL.onnx IN.wav > probs.txt
# Exit: 0 ok, 2 bad usage, 3 npm/node failure.
set -euo pipefail
[ $# -eq 2 ] || { echo "vad_ref: usage: vad_ref.sh MODEL.onnx IN.wav (legal: two paths)" >&2; exit 2; }
ORT_VERSION=1.20.1
CACHE=${DNNGEN_MODEL_CACHE:-${HOME:-/tmp}/.cache/dnngen/models}
dir="$CACHE/onnxruntime-node@$ORT_VERSION"
command -v node >/dev/null 2>&1 || { echo "vad_ref: node not found (Debian: nodejs, npm)" >&2; exit 3; }
if ! [ -f "$dir/node_modules/onnxruntime-node/package.json" ]; then
    command -v npm >/dev/null 2>&1 || { echo "vad_ref: npm not found" >&2; exit 3; }
    mkdir -p "$CACHE"
    tmp=$(mktemp -d "$CACHE/.ort.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    if ! npm install --prefix "$tmp" --ignore-scripts --no-audit --no-fund --loglevel=error \
            "onnxruntime-node@$ORT_VERSION" >"$tmp/npm.log" 2>&1; then
        echo "vad_ref: cannot install onnxruntime-node@$ORT_VERSION from the npm registry: $(grep -m1 -i err "$tmp/npm.log" | cut -c1-160)" >&2
        exit 3
    fi
    rm -rf "$dir" && mv "$tmp" "$dir"
    trap - EXIT
fi
NODE_PATH="$dir/node_modules" exec node "$(dirname "$0")/vad_ref.js" "$1" "$2"
