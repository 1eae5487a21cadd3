#!/usr/bin/env bash
# Diffs real consecutive releases of real software with `tollgate diff OLD NEW --format json` and prints, for each
# pair, the verdict, the number of findings per code and severity, and the wall time (issue 4: false positives). A clean
# real update that gets `block` is a bug; `hold` must be explained by its reasons.
#
#   bench/diff-real-releases.sh [PAIR...]
#
# Pairs (all by default):
#   bcprov    Bouncy Castle's signed provider jar, bcprov-jdk18on 1.81 -> 1.82, from Maven Central (curl)
#   debian    Debian's libreoffice-core 4:7.4.7-1+deb12u13 (bookworm-security) -> deb12u14 (bookworm), two
#             consecutive security updates of a package of ~130 ELF shared objects (apt-get download)
#   grub      Debian's grub-efi-amd64-signed 1+2.06+13+deb12u1 -> deb12u2: Authenticode-signed EFI PE images
#   esbuild   npm's @esbuild/win32-x64 0.24.0 -> 0.24.1, a package that ships a Windows esbuild.exe (npm pack)
#
# Downloads go to bench/work/real-releases/ (git-ignored) and are reused. Each pair's JSON report is kept beside its
# downloads as PAIR.json. Environment: TOLLGATE_ARGS (extra arguments for `tollgate diff`, e.g. "--threads 2").
# Exit status 0 unless a download or a diff fails (exit 1 or 2 from tollgate); a `block` is printed as such.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
work=$root/bench/work/real-releases

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 2; }

command -v jq >/dev/null || die "jq is required: apt-get install jq"

# fetch_url URL FILE: downloads once into $work.
fetch_url() {
    local url=$1 file=$work/$2
    if [[ ! -s $file ]]; then
        log "downloading $url"
        curl -fsSL --retry 3 -o "$file.partial" "$url" || die "download failed: $url"
        mv "$file.partial" "$file"
    fi
}

# fetch_deb PACKAGE VERSION: `apt-get download PACKAGE=VERSION` once; prints the .deb's path.
fetch_deb() {
    local package=$1 version=$2
    local dir=$work/deb/$package-${version//[:~+]/_}
    if ! ls "$dir"/*.deb >/dev/null 2>&1; then
        log "apt-get download $package=$version"
        mkdir -p "$dir"
        (cd "$dir" && apt-get download -q "$package=$version" >&2) ||
            die "apt-get download $package=$version failed (apt-cache madison $package lists what the mirrors hold)"
    fi
    ls "$dir"/*.deb | head -1
}

# fetch_npm NAME VERSION: `npm pack NAME@VERSION` once; prints the tarball's path.
fetch_npm() {
    local name=$1 version=$2
    local dir=$work/npm/${name//[@\/]/_}-$version
    if ! ls "$dir"/*.tgz >/dev/null 2>&1; then
        log "npm pack $name@$version"
        mkdir -p "$dir"
        (cd "$dir" && npm pack --silent "$name@$version" >/dev/null 2>&1) || die "npm pack $name@$version failed"
    fi
    ls "$dir"/*.tgz | head -1
}

# run_pair NAME OLD NEW: diffs, keeps the JSON report and prints the summary.
run_pair() {
    local name=$1 old=$2 new=$3
    local report=$work/$name.json status=0 start end
    log "tollgate diff $(basename "$old") $(basename "$new")"
    start=$(date +%s.%N)
    # shellcheck disable=SC2086 # TOLLGATE_ARGS is split on purpose
    "$root/tollgate" diff "$old" "$new" --format json --output "$report" ${TOLLGATE_ARGS:-} 2>"$work/$name.err" ||
        status=$?
    end=$(date +%s.%N)
    if [[ $status != 0 && $status != 3 && $status != 4 ]]; then
        cat "$work/$name.err" >&2
        die "tollgate diff failed with exit $status on $name"
    fi
    printf '\n== %s: %s -> %s\n' "$name" "$(basename "$old")" "$(basename "$new")"
    jq -r --arg t "$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')" '
        "verdict: \(.verdict) (exit '"$status"'), \(.findings | length) findings, \(.files | length) files, \($t) s",
        (.reasons // [] | .[] | "  reason: \(.)"),
        (.findings | group_by(.code, .severity) | .[] | "  \(.[0].code) (\(.[0].severity)): \(length)")' "$report"
}

pair_bcprov() {
    local base=https://repo1.maven.org/maven2/org/bouncycastle/bcprov-jdk18on
    fetch_url "$base/1.81/bcprov-jdk18on-1.81.jar" bcprov-jdk18on-1.81.jar
    fetch_url "$base/1.82/bcprov-jdk18on-1.82.jar" bcprov-jdk18on-1.82.jar
    run_pair bcprov "$work/bcprov-jdk18on-1.81.jar" "$work/bcprov-jdk18on-1.82.jar"
}

pair_debian() {
    local old new
    old=$(fetch_deb libreoffice-core 4:7.4.7-1+deb12u13)
    new=$(fetch_deb libreoffice-core 4:7.4.7-1+deb12u14)
    run_pair debian "$old" "$new"
}

pair_grub() {
    local old new
    old=$(fetch_deb grub-efi-amd64-signed 1+2.06+13+deb12u1)
    new=$(fetch_deb grub-efi-amd64-signed 1+2.06+13+deb12u2)
    run_pair grub "$old" "$new"
}

pair_esbuild() {
    local old new
    old=$(fetch_npm @esbuild/win32-x64 0.24.0)
    new=$(fetch_npm @esbuild/win32-x64 0.24.1)
    run_pair esbuild "$old" "$new"
}

mkdir -p "$work"
# Build the CLI before any timing (./tollgate builds on first use).
"$root/tollgate" --help >/dev/null 2>&1 || true
pairs=("$@")
[[ ${#pairs[@]} -gt 0 ]] || pairs=(bcprov debian grub esbuild)
for pair in "${pairs[@]}"; do
    declare -F "pair_$pair" >/dev/null || die "unknown pair: $pair (bcprov, debian, grub, esbuild)"
    "pair_$pair"
done
