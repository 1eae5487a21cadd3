#!/usr/bin/env bash
# What `tollgate diff OLD NEW` costs next to `tollgate scan NEW`, with and without the scan cache.
# OLD is a large tree of real Windows binaries (Debian's libwine: ~650 MB, ~700 PE files); NEW is
# a copy of it with a few DLLs changed (bytes appended), as a point release would.
#
#   bench/diff-vs-scan.sh [TREE]
#
# Without TREE it uses Debian's libwine, downloaded and extracted under bench/work/ on first use.
# NEW is made once as bench/work/<tree>-next and reused. Measured, median of RUNS (default 3):
#   scan NEW            --no-cache: the cost of vetting one release
#   diff, no cache      --no-cache: OLD and NEW both vetted (what diff cost before the cache)
#   diff, cold cache    an empty cache: both vetted, both stored
#   diff, warm cache    OLD scanned before: one SHA-256 pass over OLD, NEW vetted in full
# and prints the ratio diff-warm / scan. Environment: RUNS, MAX_RATIO (default 1.3; the exit
# status is 0 when the warm ratio by CPU time is within it).
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
work=$root/bench/work
runs=${RUNS:-3}
max_ratio=${MAX_RATIO:-1.3}

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

old=${1:-$(libwine_tree)}
[[ -d $old ]] || die "no such directory: $old"
old=$(cd "$old" && pwd -P) # a linked tree named on the command line is walked as its target
new=$work/$(basename "$old")-next
if [[ ! -d $new ]]; then
    log "making NEW: a copy of $old with 5 DLLs changed"
    mkdir -p "$work"
    rm -rf "$new.partial" # left by an interrupted run: copying into it would nest the tree
    cp -rL "$old" "$new.partial"
    find "$new.partial" -type f -name '*.dll' -size +100k | sort | sed -n '1,5p' | while read -r f; do
        printf 'tollgate bench: a changed build\n' >>"$f"
        log "changed: ${f#"$new.partial"/}"
    done
    mv "$new.partial" "$new"
fi

files=$(find -L "$old" -type f | wc -l)
bytes=$(find -L "$old" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
log "OLD: $old, NEW: $new: $files files, $((bytes / 1048576)) MiB each"

"$root/tollgate" --help >/dev/null 2>&1 || true # build outside the measurement
find -L "$old" "$new" -type f -print0 | xargs -0 cat >/dev/null # warm page cache for every contestant

cache=$(mktemp -d "${TMPDIR:-/tmp}/tollgate-bench-cache.XXXXXX")
trap 'rm -rf "$cache"' EXIT

# Each run's log line also shows the diff's own summary of OLD (how much came from the cache).
export MEASURE_NOTE='OLD:'

tollgate=$root/tollgate
json=(--format json --output /dev/null)
cold_diff() { rm -rf "$cache/dir" && "$tollgate" diff --cache "$cache/dir" "$@"; }
export -f cold_diff
export cache tollgate

read -r scan_s scan_kib scan_cpu <<<"$(measure 'scan NEW' "$tollgate" scan --no-cache "${json[@]}" "$new")"
read -r plain_s plain_kib plain_cpu <<<"$(measure 'diff, no cache' "$tollgate" diff --no-cache "${json[@]}" "$old" "$new")"
read -r cold_s cold_kib cold_cpu <<<"$(measure 'diff, cold cache' bash -c 'cold_diff "$@"' _ "${json[@]}" "$old" "$new")"
"$tollgate" scan --cache "$cache/dir" "${json[@]}" "$old" || [[ $? == 3 || $? == 4 ]] # yesterday's scan of OLD
read -r warm_s warm_kib warm_cpu <<<"$(measure 'diff, warm cache' "$tollgate" diff --cache "$cache/dir" "${json[@]}" "$old" "$new")"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
printf '\n%-28s %10s %10s %14s %12s\n' "" "wall (s)" "CPU (s)" "peak RSS (MiB)" "CPU / scan"
row() { printf '%-28s %10s %10s %14s %12s\n' "$1" "$2" "$3" "$(($4 / 1024))" "$(ratio "$3" "$scan_cpu")"; }
row "scan NEW" "$scan_s" "$scan_cpu" "$scan_kib"
row "diff OLD NEW, no cache" "$plain_s" "$plain_cpu" "$plain_kib"
row "diff OLD NEW, cold cache" "$cold_s" "$cold_cpu" "$cold_kib"
row "diff OLD NEW, warm cache" "$warm_s" "$warm_cpu" "$warm_kib"
printf '\n%s files, %s MiB per release, median of %s runs, %s cores, cache %s MiB in %s entries\n' \
    "$files" "$((bytes / 1048576))" "$runs" "$(nproc)" \
    "$(du -sm "$cache/dir" | cut -f1)" "$(find "$cache/dir" -name '*.json' | wc -l)"
warm_ratio=$(ratio "$warm_cpu" "$scan_cpu")
printf 'ratio diff-warm / scan: %s by wall time, %s by CPU time (target <= %s by CPU time)\n' \
    "$(ratio "$warm_s" "$scan_s")" "$warm_ratio" "$max_ratio"
# On a shared machine wall time includes waiting for a core; CPU time does not.
printf 'load average now: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
awk -v r="$warm_ratio" -v m="$max_ratio" 'BEGIN { exit !(r <= m) }'
