#!/usr/bin/env bash
# LZX decode throughput: encodes a file once with the test encoder (2 MiB window, E8 translation, verbatim and
# aligned blocks), then decodes it six times with LzxDecoder and prints MB/s of output per CPU second and per wall
# second (the first two rounds warm the JIT). Compare: cabextract (libmspack) on the same cabinet is printed too.
#
#   bench/lzx-decode.sh [FILE [MIB]]     default: the JDK's lib/modules, first 16 MiB
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
JAVA_HOME=$("$root/bin/find-jdk") || exit 1
export JAVA_HOME
cd "$root"
./mvnw -B -ntp -q -pl tollgate-formats -am test-compile -Dspotless.check.skip=true
"$JAVA_HOME/bin/java" -Xmx1g -cp tollgate-formats/target/test-classes:tollgate-formats/target/classes \
    dev.tollgate.formats.cab.LzxDecodeBenchmark "$@"
