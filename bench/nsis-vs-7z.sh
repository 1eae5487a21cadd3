#!/usr/bin/env bash
# Issue 14's performance target for NSIS: `tollgate scan` of a 100 MB installer costs at most 1.2x what `7z x` takes
# for the same installer plus hashing the extracted files with sha256sum. Builds three installers of the same ~96 MB
# payload (the first shared libraries of /usr/lib/x86_64-linux-gnu, by name, up to 100,000,000 bytes) with Debian's
# makensis: /SOLID lzma (electron-builder's default), zlib and bzip2 (non-solid); then times both sides and prints
# the ratios.
#
#   bench/nsis-vs-7z.sh
#
# Needs makensis (nsis), 7z (p7zip-full), GNU time. Installers and payload live in bench/work/nsis (git-ignored,
# reused). Environment: RUNS (default 1; the median run is kept).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
work=$root/bench/work/nsis
runs=${RUNS:-1}
log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 2; }
for tool in makensis 7z sha256sum /usr/bin/time; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

mkdir -p "$work/payload"
if [[ ! -f $work/payload.done ]]; then
    total=0
    for f in $(find /usr/lib/x86_64-linux-gnu -maxdepth 1 -name '*.so*' -type f | sort); do
        size=$(stat -c %s "$f")
        (( total + size > 100000000 )) && continue
        cp "$f" "$work/payload/"
        total=$((total + size))
    done
    touch "$work/payload.done"
fi
log "payload: $(ls "$work/payload" | wc -l) files, $(du -sm "$work/payload" | cut -f1) MiB"
for variant in "lzma-solid:/SOLID lzma" "zlib:zlib" "bzip2:bzip2"; do
    name=${variant%%:*}
    [[ -f $work/$name.exe ]] && continue
    log "building $name.exe"
    printf 'Unicode true\nSetCompressor /FINAL %s\nOutFile "%s"\nRequestExecutionLevel user\nSection\nSetOutPath "$INSTDIR"\nFile /r "%s\\*"\nSectionEnd\n' \
        "${variant#*:}" "$work/$name.exe" "$work/payload" > "$work/$name.nsi"
    makensis -V1 "$work/$name.nsi" >/dev/null
done
"$root/tollgate" --help >/dev/null 2>&1 || true

measure() { # prints "wall-seconds peak-rss-KiB" of one run
    local out
    out=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null 2>&1 || true
    tail -1 "$out"
    rm -f "$out"
}
floor() { # 7z x into a scratch directory, then sha256sum every extracted file
    local scratch
    scratch=$(mktemp -d "$work/x.XXXXXX")
    7z x -y -o"$scratch" "$1" >/dev/null
    find "$scratch" -type f -print0 | xargs -0 sha256sum >/dev/null
    rm -rf "$scratch"
}
export -f floor
export work

for name in lzma-solid zlib bzip2; do
    installer=$work/$name.exe
    cat "$installer" >/dev/null
    t=() o=()
    for ((i = 1; i <= runs; i++)); do
        read -r t_wall _ < <(measure "$root/tollgate" scan --format json --output "$work/$name.json" "$installer")
        read -r o_wall _ < <(measure bash -c 'floor "$0"' "$installer")
        t+=("$t_wall") o+=("$o_wall")
    done
    t_med=$(printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    o_med=$(printf '%s\n' "${o[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    files=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["files"]))' "$work/$name.json")
    printf '%s: tollgate scan %ss (%s files vetted), 7z x + sha256sum %ss, ratio %s (target <= 1.2)\n' \
        "$name" "$t_med" "$files" "$o_med" "$(awk -v a="$t_med" -v b="$o_med" 'BEGIN {printf "%.2f", a / b}')"
done
