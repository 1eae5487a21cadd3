#!/usr/bin/env bash
# Scans a set of real packages with unpacking (Debian .deb files downloaded with apt-get, plus the JDK's own
# jmods and jars) and compares the wall time and peak memory of `tollgate scan` with those of decompressing the same
# packages and hashing every unpacked byte with `openssl dgst -sha256` (the floor: decompression plus one hash pass).
#
#   bench/unpack-vs-openssl.sh [DEB_MIB]
#
# DEB_MIB (default 300) is roughly how many MiB of .deb files to download into bench/work/debs (git-ignored, reused).
# Environment: RUNS (default 1), JARS (default 80: how many jars over 1 MiB to take from M2_REPO, default ~/.m2). Prints both times, their ratio and both peak RSS values.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
work=$root/bench/work
want_mib=${1:-300}
runs=${RUNS:-1}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 2; }
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is required: apt-get install time"

set_dir=$work/unpack-set
mkdir -p "$work/debs" "$set_dir"
# Large, common packages with many files of every kind (ELF, scripts, data, nested archives).
packages=(libwine libllvm15 libicu72 firefox-esr thunderbird libreoffice-core libgl1-mesa-dri gcc-12 cpp-12 \
    python3.11-minimal libpython3.11-stdlib perl-modules-5.36 libqt5widgets5 libgtk-3-0 libavcodec59 git)
have=$(du -sm "$work/debs" | cut -f1)
for p in "${packages[@]}"; do
    (( have >= want_mib )) && break
    ls "$work/debs/${p}"_*.deb >/dev/null 2>&1 && continue
    log "downloading $p"
    (cd "$work/debs" && apt-get download "$p" >/dev/null 2>&1) || log "could not download $p (skipped)"
    have=$(du -sm "$work/debs" | cut -f1)
done
rm -f "$set_dir"/*
ln -sf "$work"/debs/*.deb "$set_dir"/ 2>/dev/null || true
# The JDK's own jars (Temurin 25 ships no jmods), then jars from the local Maven repository (about 100 MiB).
for f in "$JAVA_HOME"/jmods/*.jmod "$JAVA_HOME"/lib/*.jar; do [[ -f $f ]] && ln -sf "$f" "$set_dir/"; done
find "${M2_REPO:-$HOME/.m2/repository}" -name '*.jar' -size +1M 2>/dev/null | sort | head -${JARS:-80} \
    | while read -r f; do ln -sf "$f" "$set_dir/$(basename "$f")"; done
files=$(find -L "$set_dir" -type f | wc -l)
bytes=$(find -L "$set_dir" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
log "set: $files packages, $((bytes / 1048576)) MiB compressed"

"$root/tollgate" --help >/dev/null 2>&1 || true
find -L "$set_dir" -type f -print0 | xargs -0 cat >/dev/null

# The floor: unpack every package the way a person would (dpkg-deb for .deb, unzip for jars, jmod's zip body) into a
# scratch directory, then hash every unpacked file with openssl. Only the hashing pass and the decompression count;
# the unpacked tree is rebuilt per run.
floor() {
    local scratch
    scratch=$(mktemp -d "$work/floor.XXXXXX")
    for f in "$set_dir"/*; do
        case $f in
            *.deb) mkdir -p "$scratch/$(basename "$f")" && dpkg-deb -x "$f" "$scratch/$(basename "$f")" ;;
            *.jar) unzip -q -o "$f" -d "$scratch/$(basename "$f")" 2>/dev/null || true ;;
            *.jmod) tail -c +5 "$f" > "$scratch/body.zip" && unzip -q -o "$scratch/body.zip" -d "$scratch/$(basename "$f")" 2>/dev/null || true; rm -f "$scratch/body.zip" ;;
        esac
    done
    find "$scratch" -type f -print0 | xargs -0 -n 256 openssl dgst -sha256 >/dev/null
    rm -rf "$scratch"
}
export -f floor
export set_dir work

measure() {
    local out
    out=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null 2>"$out.err" || true
    tail -1 "$out"
    rm -f "$out" "$out.err"
}

for ((i = 1; i <= runs; i++)); do
    # The packages are symbolic links, which a directory walk does not follow: name them on the command line.
    read -r t_wall t_rss < <(measure "$root/tollgate" scan --format json --output "$work/unpack-report.json" "$set_dir"/*)
    read -r o_wall o_rss < <(measure bash -c floor)
    unpacked=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len(r["files"]), sum(f["size"] for f in r["files"]))' \
        "$work/unpack-report.json")
    ratio=$(awk -v a="$t_wall" -v b="$o_wall" 'BEGIN {printf "%.2f", a / b}')
    printf 'run %d: tollgate %ss (peak RSS %d MiB), unpack+openssl %ss (peak RSS %d MiB), ratio %s; tollgate vetted %s files / bytes\n' \
        "$i" "$t_wall" $((t_rss / 1024)) "$o_wall" $((o_rss / 1024)) "$ratio" "$unpacked"
done
