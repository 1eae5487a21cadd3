#!/usr/bin/env bash
# End to end through the server: a release of the libwine DLLs as one zip, uploaded with `tollgate submit` and vetted
# by a running `tollgate serve` (embedded H2, default settings), against `tollgate scan` of the same zip. Each submit
# goes to a product of its own, so that no release is diffed against an earlier run's (the scan has no previous
# release either). The server is started once and stays warm, as a server does; both sides pay a CLI start-up.
#
#   bench/server-vs-scan.sh [TREE]
#
# Environment: RUNS (default 3; the median run is reported), MAX_RATIO (default 1.3), PORT (default 8491).
# Exit status 0 when the ratio is within MAX_RATIO.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
work=$root/bench/work
runs=${RUNS:-3} # read by measure (bench/lib.sh)
max_ratio=${MAX_RATIO:-1.3}
port=${PORT:-8491}

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

tree=${1:-$(libwine_tree)}
[[ -d $tree ]] || die "no such directory: $tree"
command -v zip >/dev/null || die "zip is required: apt-get install zip"
command -v curl >/dev/null || die "curl is required: apt-get install curl"

mkdir -p "$work"
release=$work/libwine-dlls.zip
if [[ ! -f $release ]]; then
    log "zipping the DLLs of $tree"
    (cd "$tree" && find . -type f -iname '*.dll' | sort | zip -q -X -@ "$release.partial")
    mv "$release.partial" "$release"
fi
log "release: $release: $(unzip -l "$release" | tail -1 | awk '{print $2}') files, $(($(stat -c %s "$release") / 1048576)) MiB"

"$root/tollgate" --help >/dev/null 2>&1 || true # builds the CLI outside the measurement

data=$(mktemp -d)
token=tg_bench_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
TOLLGATE_BOOTSTRAP_TOKEN=$token "$root/tollgate" serve --port "$port" --data "$data" >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && break
    kill -0 $server 2>/dev/null || { cat "$data/server.log" >&2; die "the server did not start"; }
    sleep 1
done
curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null || die "the server did not become healthy"
printf '%s\n' "$token" >"$data/token"
chmod 600 "$data/token"

api() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
n=0
submit_once() {
    n=$((n + 1))
    local product
    product=$(api -d "{\"vendor\": \"Wine\", \"name\": \"libwine-$n-$RANDOM\"}" \
        "http://127.0.0.1:$port/api/v1/products" | sed 's/.*"id":"\([^"]*\)".*/\1/')
    "$root/tollgate" submit --server "http://127.0.0.1:$port" --token-file "$data/token" \
        --product "$product" --version "1.0.$n" "$release"
}
export -f submit_once api
export root port data release token n

# One submit first: the server's JIT and caches warm up, as on a server that has been running.
bash -c submit_once >/dev/null 2>&1 || die "the warm-up submit failed (see $data/server.log)"

scan=$(measure scan "$root/tollgate" scan --no-cache "$release")
served=$(measure submit bash -c submit_once)
read -r scan_s _ _ <<<"$scan"
read -r served_s _ _ <<<"$served"
# The server's own line per job: how long the analysis took inside it (the rest is upload, queueing and storing).
grep -o 'release [^ ]* (libwine-dlls.zip[^)]*): [a-z]*, [0-9]* findings, [0-9]* files, [0-9]* ms' "$data/server.log" \
    | sed 's/^/[bench] server: /' >&2 || true
ratio=$(awk -v a="$served_s" -v b="$scan_s" 'BEGIN {printf "%.2f", a / b}')
log "scan: $scan_s s; upload and vetting by the server: $served_s s; ratio $ratio (target <= $max_ratio)"
awk -v r="$ratio" -v m="$max_ratio" 'BEGIN {exit !(r <= m)}' && { log PASS; exit 0; }
log FAIL
exit 1
