#!/usr/bin/env bash
# Loads a generated feed of one million indicators (CSV: 600k SHA-256, 150k SHA-1, 100k MD5, 100k domains,
# 30k URLs, 20k IPv4) into the intel index and prints the load time, the heap the index retains, and lookup costs.
# Usage: bench/intel-million.sh [extra JVM options, e.g. -Xmx512m]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
JAVA_HOME=$("$root/bin/find-jdk")
export JAVA_HOME
cd "$root"
./mvnw -q -B -o -pl tollgate-intel -am test-compile -Dspotless.check.skip=true >&2
cp=$(./mvnw -q -B -o -pl tollgate-intel dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
exec "$JAVA_HOME/bin/java" -XX:+UseParallelGC "$@" \
  -cp "tollgate-intel/target/test-classes:tollgate-intel/target/classes:$cp" dev.tollgate.intel.MillionIndicatorsBenchmark
