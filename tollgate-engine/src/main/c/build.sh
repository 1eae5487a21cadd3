#!/bin/sh
# Builds libtollgate-digests.so (file_digests.c beside this script) into the directory given, for FusedDigests.java.
# Run by the tollgate-engine module's build (maven-antrun-plugin, phase compile). Without a C compiler it builds
# nothing and says so: Tollgate then computes the file digests with OpenSSL's libcrypto, as `tollgate --version` shows.
#
#   build.sh OUTPUT_DIR        environment: CC (default cc)
set -eu
out=${1:?usage: build.sh OUTPUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
src=$here/file_digests.c
lib=$out/libtollgate-digests.so
cc=${CC:-cc}
if [ -f "$lib" ] && [ "$lib" -nt "$src" ] && [ "$lib" -nt "$0" ]; then
  exit 0
fi
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "[tollgate-engine] no C compiler ($cc): the one-pass digest kernel is not built; file digests will use OpenSSL"
  rm -f "$lib"
  exit 0
fi
mkdir -p "$out"
# -fvisibility=hidden: only the tg_digests_* functions are exported. The SHA instructions are enabled per function
# (target attributes), so the library loads on any x86-64 and tg_digests_supported() decides at run time.
"$cc" -std=c11 -O2 -fPIC -shared -fvisibility=hidden -Wall -Wextra -Werror -o "$lib.tmp" "$src"
mv -f "$lib.tmp" "$lib"
