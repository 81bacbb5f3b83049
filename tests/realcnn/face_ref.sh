#!/usr/bin/env bash
# face_ref.sh - test-only: face-api's own face_recognition descriptor of a 150x150 crop (the
# raw float32 file `dnngen stats --image ... --save-input` writes), the independent reference
# golden/gm_facerec.c is compared with. face-api's ESM bundle (TensorFlow.js inside, run on
# its JavaScript cpu backend) comes from `npm pack @vladmandic/face-api@1.7.15`, unpacked once
# into the model cache, outside the source tree.
# Usage: tests/realcnn/face_ref.sh MANIFEST.json CROP.f32 > descriptor.txt (128 lines)
# Exit: 0 ok, 2 bad usage, 3 npm/node failure.
set -euo pipefail
[ $# -eq 2 ] || { echo "face_ref: usage: face_ref.sh MANIFEST.json CROP.f32 (legal: two paths)" >&2; exit 2; }
VERSION=1.7.15
CACHE=${DNNGEN_MODEL_CACHE:-${HOME:-/tmp}/.cache/dnngen/models}
dir="$CACHE/face-api-js@$VERSION"
command -v node >/dev/null 2>&1 || { echo "face_ref: node not found (Debian: nodejs, npm)" >&2; exit 3; }
if ! [ -f "$dir/package/dist/face-api.esm.js" ]; then
    command -v npm >/dev/null 2>&1 || { echo "face_ref: npm not found" >&2; exit 3; }
    mkdir -p "$CACHE"
    tmp=$(mktemp -d "$CACHE/.faceapi.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    if ! (cd "$tmp" && npm pack --loglevel=error "@vladmandic/face-api@$VERSION" >npm.log 2>&1); then
        echo "face_ref: cannot fetch @vladmandic/face-api@$VERSION from the npm registry: $(grep -m1 -i err "$tmp/npm.log" | cut -c1-160)" >&2
        exit 3
    fi
    tar -xzf "$tmp"/*.tgz -C "$tmp" package/dist/face-api.esm.js package/package.json
    rm -rf "$dir" && mkdir -p "$dir" && mv "$tmp/package" "$dir/package"
    rm -rf "$tmp"
    trap - EXIT
fi
# The bundle is ESM without "type": "module" in its package.json: node warns, harmlessly.
exec node --no-warnings "$(dirname "$0")/face_ref.mjs" "$dir/package/dist/face-api.esm.js" "$1" "$2"
