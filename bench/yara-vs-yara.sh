#!/usr/bin/env bash
# Scans one tree with the same YARA rules twice: with libyara's own command-line scanner
# (`yara -r`) and with `tollgate scan --rules`, which runs the same libyara in-process on top of
# its own work (hashes, entropy, indicators, PE and signature checks). Prints wall time, peak RSS
# and the ratio, checks that both report the same (file, rule) matches, and optionally measures
# intel indicators compiled into generated rules (one pass) against a second yara pass.
#
#   bench/yara-vs-yara.sh [TREE]
#
# Without TREE it uses bench/work/libwine (Debian's libwine, ~650 MB of PE files), downloading
# and extracting it on first use. Environment: RULES (default bench/rules), RUNS (default 3; the
# median run is reported), MAX_RATIO (default 2), INTEL (number of generated intel indicators for
# the one-pass measurement and the full rule set; default 10000, 0 to skip). The target is judged on
# the full rule set (the rule files plus the generated rules; with INTEL=0, on the rule files alone).
# Exit status 0 when that ratio passes and the matches agree.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
rules=${RULES:-$root/bench/rules}
max_ratio=${MAX_RATIO:-2}
intel=${INTEL:-10000}

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

command -v yara >/dev/null || die "the yara command is required: apt-get install yara"
command -v jq >/dev/null || die "jq is required: apt-get install jq"

tree=${1:-$(libwine_tree)}
[[ -d $tree ]] || die "no such directory: $tree"
tree=$(cd "$tree" && pwd)

mapfile -t rule_files < <(find "$rules" -type f \( -name '*.yar' -o -name '*.yara' \) | sort)
[[ ${#rule_files[@]} -gt 0 ]] || die "no .yar files under $rules"
files=$(find "$tree" -type f | wc -l)
bytes=$(find "$tree" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
log "tree: $tree: $files files, $((bytes / 1048576)) MiB; rules: ${#rule_files[@]} files under $rules"

"$root/tollgate" --help >/dev/null 2>&1 || true  # build the CLI outside the measurement
find "$tree" -type f -print0 | xargs -0 cat >/dev/null  # warm page cache for both

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tollgate_rules=()
for f in "${rule_files[@]}"; do tollgate_rules+=(--rules "$f"); done

read -r y_wall y_rss y_cpu < <(MEASURE_OUT=$tmp/yara.out measure yara yara -r -w "${rule_files[@]}" "$tree")
read -r t_wall t_rss t_cpu < <(measure tollgate "$root/tollgate" scan "${tollgate_rules[@]}" --format json \
    --output "$tmp/report.json" "$tree")
read -r b_wall b_rss b_cpu < <(measure baseline "$root/tollgate" scan --format json --output /dev/null "$tree")

# Same (file, rule) pairs from both? yara prints "RULE PATH"; tollgate's JSON has yara.match findings.
# yara -r also scans what symbolic links point to; tollgate reports links without following them.
awk '{r = $1; $1 = ""; sub(/^ /, ""); print $0 "\t" r}' "$tmp/yara.out" | sort -u \
    | while IFS=$'\t' read -r path rule; do [[ -L $path ]] || printf '%s\t%s\n' "$path" "$rule"; done \
    >"$tmp/yara.pairs"
jq -r '.findings[] | select(.code == "yara.match") | "\(.path)\t\(.evidence.rule)"' "$tmp/report.json" \
    | grep -v "!" | sort -u >"$tmp/tollgate.pairs"  # yara does not look inside containers
if cmp -s "$tmp/yara.pairs" "$tmp/tollgate.pairs"; then
    agree=yes
else
    agree=no
    diff "$tmp/yara.pairs" "$tmp/tollgate.pairs" | head -20 >&2 || true
fi
matches=$(wc -l <"$tmp/yara.pairs")

ratio=$(awk -v a="$t_wall" -v b="$y_wall" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
printf '\n%-34s %9s %12s %9s\n' "" "wall (s)" "peak RSS" "CPU (s)"
printf '%-34s %9s %9d MiB %9s\n' "yara -r (${#rule_files[@]} rule files)" "$y_wall" $((y_rss / 1024)) "$y_cpu"
printf '%-34s %9s %9d MiB %9s\n' "tollgate scan --rules" "$t_wall" $((t_rss / 1024)) "$t_cpu"
printf '%-34s %9s %9d MiB %9s\n' "tollgate scan (no rules, for info)" "$b_wall" $((b_rss / 1024)) "$b_cpu"
printf '\nmatches: %s (file, rule) pairs; yara and tollgate agree: %s\n' "$matches" "$agree"
verdict=PASS
awk -v r="$ratio" -v m="$max_ratio" 'BEGIN {exit !(r <= m)}' || verdict=FAIL
if [[ $intel -gt 0 ]]; then
    # With INTEL > 0 the target is judged on the full rule set below (bench/yara-vs-yara.md says why).
    printf 'wall-time ratio tollgate/yara, %s rule files alone: %s (for information)\n' "${#rule_files[@]}" "$ratio"
else
    printf 'wall-time ratio tollgate/yara: %s (target <= %s): %s\n' "$ratio" "$max_ratio" "$verdict"
fi

if [[ $intel -gt 0 ]]; then
    # One pass: N intel strings compiled into generated rules next to the user's rules, against the
    # same strings run by yara as a separate second pass over the tree.
    java_home=$("$root/bin/find-jdk")
    cp="$root/tollgate-cli/target/tollgate.jar:$root/tollgate-cli/target/lib/*"
    "$java_home/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" \
        "$root/bench/GenerateIntelRules.java" "$intel" "$tmp/intel.yar"
    read -r i_wall i_rss i_cpu < <(measure tollgate-intel "$root/tollgate" scan "${tollgate_rules[@]}" \
        --rules "$tmp/intel.yar" --format json --output /dev/null "$tree")
    read -r s_wall _ s_cpu < <(measure yara-intel yara -r -w "$tmp/intel.yar" "$tree")
    read -r f_wall f_rss f_cpu < <(measure yara-full yara -r -w "${rule_files[@]}" "$tmp/intel.yar" "$tree")
    printf '\nintel one pass: %s generated indicators (ascii+wide, nocase, fullword)\n' "$intel"
    printf '  tollgate scan --rules + generated rules: %ss wall (+%ss), %ss CPU (+%ss) over rules alone; peak RSS %d MiB\n' \
        "$i_wall" "$(awk -v a="$i_wall" -v b="$t_wall" 'BEGIN {printf "%.2f", a - b}')" \
        "$i_cpu" "$(awk -v a="$i_cpu" -v b="$t_cpu" 'BEGIN {printf "%.2f", a - b}')" $((i_rss / 1024))
    printf '  the same strings as a second, separate yara -r pass: %ss wall, %ss CPU\n' "$s_wall" "$s_cpu"
    # The full rule set: the rule files and the generated rules, in one yara -r and one tollgate scan.
    full_ratio=$(awk -v a="$i_wall" -v b="$f_wall" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
    verdict=PASS
    awk -v r="$full_ratio" -v m="$max_ratio" 'BEGIN {exit !(r <= m)}' || verdict=FAIL
    printf '\nfull rule set (%s rule files + %s generated rules): yara -r %ss wall, %ss CPU, %d MiB; tollgate %ss\n' \
        "${#rule_files[@]}" "$intel" "$f_wall" "$f_cpu" $((f_rss / 1024)) "$i_wall"
    printf 'wall-time ratio tollgate/yara, full rule set: %s (target <= %s): %s\n' "$full_ratio" "$max_ratio" "$verdict"
fi

[[ $verdict == PASS && $agree == yes ]]
