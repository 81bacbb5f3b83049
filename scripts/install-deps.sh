#!/usr/bin/env bash
# install-deps.sh - install the Debian 12 packages dnngen needs (idempotent).
#
# Why: building, simulating (verilator, iverilog, SystemC), synthesising
# (yosys, OpenSTA, the osu018 liberty from qflow-tech-osu018), plotting and
# fuzzing (clang) need a fixed set of distribution packages. Checking them
# with dpkg-query is cheap, so this is safe to call from every build: when
# everything is present it returns at once without touching apt.
#
# Usage: scripts/install-deps.sh [--check]
#   --check  only report; exit 2 if anything is missing.
# Exit: 0 all present (or installed now), 2 packages missing and not
#       installable here (--check, or not root), 3 apt-get/dpkg failure.

set -euo pipefail

readonly PACKAGES=(
    build-essential pkg-config clang libclang-rt-14-dev zlib1g-dev   # C toolchain; clang + its libFuzzer/sanitizer runtime
    libcjson-dev libsqlite3-dev libjpeg-dev       # libraries linked by dnngen (libjpeg: face images, docs/models.md)
    sqlite3                                       # the sweep tests read its database
    verilator iverilog libsystemc-dev             # simulation
    yosys opensta qflow-tech-osu018               # synthesis, STA, osu018 liberty
    gnuplot-nox                                   # plots (no X11)
    chromium libxml2-utils                        # regress: report.html in a headless browser, junit.xml checked by xmllint
    protobuf-c-compiler libprotobuf-c-dev libonnx-dev # ONNX models: protoc-c compiles onnx.proto at build time
    espeak-ng sox                                 # scripts/make_wav.sh: deterministic speech for the VAD
)

die() { # die CODE MESSAGE...
    local code="$1"; shift
    printf 'install-deps: %s\n' "$*" >&2
    exit "$code"
}

check_only=0
for arg in "$@"; do
    case "$arg" in
        --check) check_only=1 ;;
        -h|--help) printf '%s\n' "usage: scripts/install-deps.sh [--check]"; exit 0 ;;
        *) die 2 "unknown argument: $arg (usage: scripts/install-deps.sh [--check])" ;;
    esac
done

command -v dpkg-query >/dev/null 2>&1 || die 3 "dpkg-query not found: this script is for Debian 12"

missing_packages() { # print the packages of PACKAGES that are not installed
    local p
    for p in "${PACKAGES[@]}"; do
        # ${Status} is "want flag status"; multi-arch packages give one line each.
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | awk '$3 == "installed" { ok = 1 } END { exit !ok }' \
            || printf '%s\n' "$p"
    done
}

mapfile -t missing < <(missing_packages)
if [ "${#missing[@]}" -eq 0 ]; then
    printf 'install-deps: all %d packages present\n' "${#PACKAGES[@]}"
    exit 0
fi

if [ "$check_only" -eq 1 ]; then
    die 2 "missing packages: ${missing[*]}"
fi
if [ "$(id -u)" -ne 0 ]; then
    die 2 "missing packages: ${missing[*]} (run as root: sudo scripts/install-deps.sh)"
fi

printf 'install-deps: installing %s\n' "${missing[*]}"
apt-get update || die 3 "apt-get update failed"
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
    || die 3 "apt-get install failed for: ${missing[*]}"

mapfile -t still < <(missing_packages)
[ "${#still[@]}" -eq 0 ] || die 3 "still missing after apt-get install: ${still[*]}"
printf 'install-deps: all %d packages present (installed: %s)\n' "${#PACKAGES[@]}" "${missing[*]}"
