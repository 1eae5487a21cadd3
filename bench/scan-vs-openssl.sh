#!/usr/bin/env bash
# Scans a large tree of real Windows binaries (Debian's libwine: ~650 MB, ~700 PE files) with
# Tollgate and compares wall time and peak memory with `openssl dgst -sha256` over the same files.
#
#   bench/scan-vs-openssl.sh [TREE]
#
# Without TREE it downloads libwine with apt-get and extracts it under bench/work/ (git-ignored,
# reused on later runs). Environment: RUNS (default 3; the median run is reported), MAX_RATIO
# (default 4), MAX_RSS_KIB (default 1048576 = 1 GiB). Exit status 0 when both targets pass.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
work=$root/bench/work
runs=${RUNS:-3} # read by measure (bench/lib.sh)
max_ratio=${MAX_RATIO:-4}
max_rss_kib=${MAX_RSS_KIB:-1048576}

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

tree=${1:-$(libwine_tree)}
[[ -d $tree ]] || die "no such directory: $tree"

files=$(find "$tree" -type f | wc -l)
bytes=$(find "$tree" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
pe_files=$(find "$tree" -type f \( -iname '*.dll' -o -iname '*.exe' -o -iname '*.sys' -o -iname '*.drv' \) | wc -l)
log "tree: $tree: $files files, $((bytes / 1048576)) MiB, $pe_files with a PE name"

# Build the CLI outside the measurement (./tollgate builds on first use).
"$root/tollgate" --help >/dev/null 2>&1 || true

# Read everything once so both contestants start with a warm page cache.
find "$tree" -type f -print0 | xargs -0 cat >/dev/null

mkdir -p "$work"
openssl_hash() { find "$tree" -type f -print0 | xargs -0 openssl dgst -sha256; }
export -f openssl_hash
export tree

result=$(measure openssl bash -c openssl_hash)
read -r openssl_s openssl_kib openssl_cpu <<<"$result"
result=$(measure tollgate "$root/tollgate" scan "$tree" --format json --output /dev/null)
read -r tollgate_s tollgate_kib tollgate_cpu <<<"$result"

ratio=$(awk -v t="$tollgate_s" -v o="$openssl_s" 'BEGIN { printf "%.2f", (o > 0 ? t / o : 0) }')
verdict() { if [[ $1 == 1 ]]; then echo PASS; else echo FAIL; fi; }
ratio_ok=$(awk -v r="$ratio" -v m="$max_ratio" 'BEGIN { print (r <= m) ? 1 : 0 }')
rss_ok=$(( tollgate_kib < max_rss_kib ? 1 : 0 ))

printf '\n%-28s %10s %10s %14s\n' "" "wall (s)" "CPU (s)" "peak RSS (MiB)"
printf '%-28s %10s %10s %14s\n' "openssl dgst -sha256" "$openssl_s" "$openssl_cpu" "$((openssl_kib / 1024))"
printf '%-28s %10s %10s %14s\n' "tollgate scan --format json" "$tollgate_s" "$tollgate_cpu" "$((tollgate_kib / 1024))"
printf '\n%s files, %s MiB, median of %s runs, %s cores\n' "$files" "$((bytes / 1048576))" "$runs" "$(nproc)"
printf 'ratio tollgate/openssl: %s (target <= %s): %s\n' "$ratio" "$max_ratio" "$(verdict "$ratio_ok")"
# On a shared machine wall time includes waiting for a core; CPU time does not. Informational only.
printf 'CPU-time ratio (information): %s; load average now: %s\n' \
    "$(awk -v t="$tollgate_cpu" -v o="$openssl_cpu" 'BEGIN { printf "%.2f", (o > 0 ? t / o : 0) }')" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'tollgate peak RSS: %s MiB (target < %s MiB): %s\n' "$((tollgate_kib / 1024))" "$((max_rss_kib / 1024))" "$(verdict "$rss_ok")"
[[ $ratio_ok == 1 && $rss_ok == 1 ]]
