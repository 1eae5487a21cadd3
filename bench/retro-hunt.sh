#!/usr/bin/env bash
# The retro-hunt on stored facts (IntelRepository.huntFeed) on the local PostgreSQL (127.0.0.1:5432, user postgres):
# 100,000 new indicators (50k SHA-256, 50k domains, ~1% naming stored files) against 100,000 and then 1,000,000
# synthetic release_files rows (each naming one domain). Prints, per size: the time to load the rows, to import the
# indicators, and the best of three hunts (query time, all indicator types), with the number of hits.
# Usage: bench/retro-hunt.sh   (makes and drops a database tollgate_bench_<random>)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
JAVA_HOME=$("$root/bin/find-jdk")
export JAVA_HOME
cd "$root"
./mvnw -q -B -o -pl tollgate-store -am test-compile -Dspotless.check.skip=true >&2
cp=$(./mvnw -q -B -o -pl tollgate-store dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
exec "$JAVA_HOME/bin/java" \
  -cp "tollgate-store/target/test-classes:tollgate-store/target/classes:$cp" dev.tollgate.store.RetroHuntBenchmark
