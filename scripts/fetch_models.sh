#!/usr/bin/env bash
# fetch_models.sh - fetch the pretrained models dnngen runs through its blocks (docs/models.md).
#
# Why this shape: the models are other people's published files, so they come from the
# package registry by exact version (`npm pack NAME@VERSION`), only the files we use are
# kept, and each is checked against a sha256 committed here. They live in a cache outside
# the source tree ($DNNGEN_MODEL_CACHE, default ~/.cache/dnngen/models), one directory per
# package and version (@scope+name@VERSION/, each file at its path inside the package).
# A second run with everything present and intact touches no network.
# Files are verified in a private temporary directory and renamed into place, so an
# interrupted run never leaves a partial or unverified file where the tests look.
#
# Adding a model = adding rows to the MODELS table below (package, version, file, sha256).
#
# Usage: scripts/fetch_models.sh [--dir] [PACKAGE...]
#   PACKAGE  fetch only these packages (as written in the table, e.g. @vladmandic/face-api);
#            default: all of them
#   --dir    print each package's cache directory instead of each file's path
# Prints the absolute path of every verified file (one a line) on stdout.
# Exit: 0 ok, 2 bad argument, 3 registry unreachable, npm missing or a checksum mismatch.

set -euo pipefail

# package  version  file (inside the package)  sha256
readonly MODELS=(
    "@vladmandic/face-api 1.7.15 model/face_recognition_model-weights_manifest.json cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b"
    "@vladmandic/face-api 1.7.15 model/face_recognition_model.bin b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589"
    "@vladmandic/face-api 1.7.15 demo/sample1.jpg 8ecae4b267b2d3169e06e00c7dee97097aa2a94635d45216f7732a5f4943cb51"
    "@ricky0123/vad-web 0.0.31 dist/silero_vad_v5.onnx 2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f"
)

die() { # die CODE MESSAGE
    printf 'fetch_models: %s\n' "$2" >&2
    exit "$1"
}

CACHE=${DNNGEN_MODEL_CACHE:-${HOME:-/tmp}/.cache/dnngen/models}
print_dir=0
want=()
for arg in "$@"; do
    case "$arg" in
        --dir) print_dir=1 ;;
        -h|--help) sed -n '15,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die 2 "unknown option '$arg' (legal: --dir, --help, package names)" ;;
        *) want+=("$arg") ;;
    esac
done

known=" "
for row in "${MODELS[@]}"; do
    read -r pkg _ _ _ <<<"$row"
    [[ "$known" == *" $pkg "* ]] || known+="$pkg "
done
for p in "${want[@]+"${want[@]}"}"; do
    [[ "$known" == *" $p "* ]] || die 2 "unknown package '$p' (legal:${known% })"
done
selected() { # selected PACKAGE: in the requested set (all when none was named)
    [ "${#want[@]}" -eq 0 ] && return 0
    local p
    for p in "${want[@]}"; do [ "$p" = "$1" ] && return 0; done
    return 1
}

# @scope/name 1.2.3 -> $CACHE/@scope+name@1.2.3
pkg_dir() { printf '%s/%s@%s' "$CACHE" "${1//\//+}" "$2"; }

sha_ok() { # sha_ok FILE SHA256
    [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

fetch_package() { # fetch_package PACKAGE VERSION: npm pack, extract, verify, rename into place
    local pkg=$1 ver=$2 dir tmp tgz row p v f sum
    dir=$(pkg_dir "$pkg" "$ver")
    command -v npm >/dev/null 2>&1 || die 3 "npm not found (install Debian's npm or nodejs) to fetch $pkg@$ver"
    mkdir -p "$CACHE" || die 3 "cannot create the model cache $CACHE (set DNNGEN_MODEL_CACHE)"
    tmp=$(mktemp -d "$CACHE/.fetch.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" EXIT
    if ! (cd "$tmp" && npm pack --loglevel=error --fetch-retries=1 --fetch-timeout=30000 \
            "$pkg@$ver" >npm.out 2>npm.err); then
        local why
        why=$(grep -m1 'reason:' "$tmp/npm.err" || grep -m1 'npm error' "$tmp/npm.err" || echo 'npm pack failed')
        why=$(printf '%s' "$why" | sed 's/^npm error *//; s/.*reason: /reason: /' | tr -d '\r\n' | cut -c1-160)
        die 3 "cannot fetch $pkg@$ver from the npm registry ($(npm config get registry 2>/dev/null || echo '?')): $why"
    fi
    tgz=$(ls "$tmp"/*.tgz 2>/dev/null | head -n1)
    [ -n "$tgz" ] || die 3 "npm pack $pkg@$ver wrote no tarball"
    for row in "${MODELS[@]}"; do
        read -r p v f sum <<<"$row"
        [ "$p" = "$pkg" ] && [ "$v" = "$ver" ] || continue
        tar -xzf "$tgz" -C "$tmp" "package/$f" 2>/dev/null || die 3 "$pkg@$ver has no file $f"
        sha_ok "$tmp/package/$f" "$sum" || die 3 "sha256 mismatch for $f in $pkg@$ver (want $sum, got $(sha256sum "$tmp/package/$f" | cut -d' ' -f1))"
    done
    for row in "${MODELS[@]}"; do
        read -r p v f sum <<<"$row"
        [ "$p" = "$pkg" ] && [ "$v" = "$ver" ] || continue
        mkdir -p "$dir/$(dirname "$f")"
        mv -f "$tmp/package/$f" "$dir/$f"
    done
    rm -rf "$tmp"
    trap - EXIT
}

done_pkgs=" "
for row in "${MODELS[@]}"; do
    read -r pkg ver _ _ <<<"$row"
    selected "$pkg" || continue
    [[ "$done_pkgs" == *" $pkg@$ver "* ]] && continue
    done_pkgs+="$pkg@$ver "
    dir=$(pkg_dir "$pkg" "$ver")
    intact=1
    for r in "${MODELS[@]}"; do
        read -r p v f sum <<<"$r"
        [ "$p" = "$pkg" ] && [ "$v" = "$ver" ] || continue
        sha_ok "$dir/$f" "$sum" || intact=0
    done
    [ "$intact" -eq 1 ] || fetch_package "$pkg" "$ver"
    if [ "$print_dir" -eq 1 ]; then
        printf '%s\n' "$(cd "$dir" && pwd)"
        continue
    fi
    for r in "${MODELS[@]}"; do
        read -r p v f sum <<<"$r"
        [ "$p" = "$pkg" ] && [ "$v" = "$ver" ] || continue
        sha_ok "$dir/$f" "$sum" || die 3 "sha256 mismatch for $dir/$f after fetching"
        printf '%s\n' "$(cd "$dir" && pwd)/$f"
    done
done
