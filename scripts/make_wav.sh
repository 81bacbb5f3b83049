#!/usr/bin/env bash
# make_wav.sh - a deterministic 16 kHz mono 16-bit WAV of spoken English with silent gaps,
# the speech input of the Silero VAD tests (dnngen vad, docs/models.md).
#
# Why this shape: a recording cannot be committed or fetched, and a synthetic test needs the
# same bytes on every machine. espeak-ng (a formant synthesizer, no randomness) speaks three
# sentences; sox converts each to 16 kHz mono 16-bit with -R (repeatable: no random seed) and
# -D (no dither), and joins them with 0.8 s, 1.5 s and 0.6 s of digital silence around them.
# The file is written under a temporary name and renamed, so it is complete or absent.
#
# Usage: scripts/make_wav.sh OUT.wav     (prints the sha256 of OUT.wav)
# Exit: 0 ok, 2 bad usage, 3 espeak-ng or sox missing or failing.
set -euo pipefail

die() { code=$1; shift; printf 'make_wav: %s\n' "$*" >&2; exit "$code"; }

case "${1:-}" in
    -h|--help) printf '%s\n' "usage: scripts/make_wav.sh OUT.wav"; exit 0 ;;
    ""|-*) die 2 "missing output path (legal: scripts/make_wav.sh OUT.wav)" ;;
esac
[ $# -eq 1 ] || die 2 "one output path expected (legal: scripts/make_wav.sh OUT.wav)"
out=$1
command -v espeak-ng >/dev/null 2>&1 || die 3 "espeak-ng not found (scripts/install-deps.sh installs it)"
command -v sox >/dev/null 2>&1 || die 3 "sox not found (scripts/install-deps.sh installs it)"
outdir=$(dirname "$out")
[ -d "$outdir" ] && [ -w "$outdir" ] || die 2 "cannot write '$out' (legal: a path in an existing writable directory)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/make_wav.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

sentences=(
    "Voice activity detection finds the parts of a recording where somebody speaks."
    "The quick brown fox jumps over the lazy dog."
    "Then there is silence again."
)
parts=()
for k in "${!sentences[@]}"; do
    espeak-ng -v en-us -s 150 -p 50 -a 80 -w "$tmp/s$k.raw.wav" "${sentences[$k]}" \
        || die 3 "espeak-ng failed"
    sox -R -D "$tmp/s$k.raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$tmp/s$k.wav" \
        || die 3 "sox failed converting sentence $k"
    parts+=("$tmp/s$k.wav")
done
gap() { sox -R -D -n -r 16000 -c 1 -b 16 -e signed-integer "$tmp/gap$1.wav" trim 0 "$1" || die 3 "sox failed"; }
gap 0.8; gap 1.5; gap 0.6
sox -R -D "$tmp/gap0.8.wav" "${parts[0]}" "$tmp/gap1.5.wav" "${parts[1]}" "$tmp/gap0.6.wav" \
    "${parts[2]}" "$tmp/gap0.8.wav" "$tmp/all.wav" || die 3 "sox failed joining"
mv -f "$tmp/all.wav" "$out.tmp.$$" && mv -f "$out.tmp.$$" "$out"
sha256sum "$out" | cut -d' ' -f1
