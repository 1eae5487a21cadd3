# Shared by the benchmark scripts (sourced, not run): logging, the libwine tree, and timing a command.
# The sourcing script sets `root` (the repository) and may set RUNS before calling `measure`.

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 2; }

[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is required: apt-get install time"

# libwine_tree: prints the path of Debian's libwine extracted under bench/work/ (git-ignored), downloading the
# package with apt-get and extracting it on first use. An interrupted extraction is started again, never reused.
libwine_tree() {
    local work=$root/bench/work tree
    tree=$work/libwine
    if [[ ! -d $tree ]]; then
        mkdir -p "$work"
        if ! ls "$work"/libwine_*.deb >/dev/null 2>&1; then
            log "downloading libwine (about 100 MB)"
            (cd "$work" && apt-get download libwine >&2) || die "apt-get download libwine failed"
        fi
        log "extracting $(basename "$(ls "$work"/libwine_*.deb | head -1)")"
        rm -rf "$tree.partial"
        dpkg-deb -x "$(ls "$work"/libwine_*.deb | head -1)" "$tree.partial"
        mv "$tree.partial" "$tree"
    fi
    printf '%s\n' "$tree"
}

# measure NAME COMMAND...: runs COMMAND ${RUNS:-3} times under GNU time and prints "wall_s rss_kib cpu_s" (CPU =
# user + system) of the median run by wall time. Each run is logged. The command's standard output goes to
# $MEASURE_OUT (default /dev/null); lines of its standard error matching $MEASURE_NOTE (an extended regex, default
# none) are added to the run's log line. Exit statuses 0, 3 and 4 (Tollgate's allow, hold and block) are success;
# any other stops the benchmark with the command's standard error.
measure() {
    local name=$1
    shift
    local runs=${RUNS:-3} results=() i out status note
    for ((i = 1; i <= runs; i++)); do
        out=$(mktemp)
        status=0
        /usr/bin/time -f '%e %M %U %S' -o "$out" "$@" >"${MEASURE_OUT:-/dev/null}" 2>"$out.err" || status=$?
        results+=("$(tail -1 "$out" | awk '{printf "%s %s %.2f", $1, $2, $3 + $4}')")
        note=""
        if [[ -n ${MEASURE_NOTE:-} ]]; then
            note="; $(grep -hE "$MEASURE_NOTE" "$out.err" || true)"
        fi
        log "$name run $i: ${results[-1]} (wall s, peak RSS KiB, CPU s), exit $status$note"
        if [[ $status != 0 && $status != 3 && $status != 4 ]]; then
            cat "$out.err" >&2
            rm -f "$out" "$out.err"
            die "$name failed with exit $status"
        fi
        rm -f "$out" "$out.err"
    done
    printf '%s\n' "${results[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}
