#!/usr/bin/env bash
# Builds the real PE samples the parser is tested against, with Debian's mingw-w64 toolchain
# (gcc-mingw-w64-x86-64-win32, binutils-mingw-w64-x86-64). The outputs are committed; run this only
# to rebuild them, then update the objdump facts in PeFileSamplesTest (see README.md).
#
#   sample64.dll  PE32+ DLL: named exports, an ordinal-only export, a forwarder, imports from
#                 KERNEL32.dll, a delay-load import from USER32.dll, and a VERSIONINFO resource
#   client64.exe  PE32+ console EXE that imports sample64.dll by name and by ordinal
#   sample32.dll  the same DLL as PE32, built only if i686-w64-mingw32-gcc is installed
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

cat >sample.c <<'C'
#include <windows.h>

__declspec(dllexport) int tg_add(int a, int b) { return a + b; }
__declspec(dllexport) const char *tg_version(void) { return "1.2.3"; }
int tg_hidden(void) { return 7; }

/* Uses a delay-loaded USER32 function so the linker writes a delay import descriptor. */
__declspec(dllexport) int tg_beep(void) { return MessageBeep(0) ? (int) GetTickCount() : 0; }

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
    (void) instance; (void) reason; (void) reserved;
    return GetModuleHandleA(NULL) != NULL;
}
C

cat >sample.def <<'DEF'
LIBRARY sample64.dll
EXPORTS
    tg_add
    tg_version
    tg_beep
    tg_hidden @7 NONAME
    tg_tick = KERNEL32.GetTickCount
DEF

cat >user32-delay.def <<'DEF'
LIBRARY USER32.dll
EXPORTS
    MessageBeep
DEF

cat >version.rc <<'RC'
#include <winver.h>
VS_VERSION_INFO VERSIONINFO
FILEVERSION     1,2,3,4
PRODUCTVERSION  1,2,0,0
FILEOS          VOS_NT_WINDOWS32
FILETYPE        VFT_DLL
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "CompanyName",      "Tollgate Test Vendor"
      VALUE "FileDescription",  "Tollgate PE parser sample"
      VALUE "FileVersion",      "1.2.3.4"
      VALUE "InternalName",     "sample"
      VALUE "LegalCopyright",   "Public domain"
      VALUE "OriginalFilename", "sample.dll"
      VALUE "ProductName",      "Tollgate Samples"
      VALUE "ProductVersion",   "1.2"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
RC

cat >client.c <<'C'
#include <windows.h>
__declspec(dllimport) int tg_add(int a, int b);
__declspec(dllimport) int tg_hidden(void);
int main(void) { return tg_add(1, 2) + tg_hidden(); }
C

cat >client.def <<'DEF'
LIBRARY sample64.dll
EXPORTS
    tg_add
    tg_hidden @7 NONAME
DEF

build() { # prefix suffix
    local cc=$1-gcc suffix=$2
    $1-dlltool --input-def user32-delay.def --output-delaylib libuser32-delay.a
    $1-windres -O coff version.rc -o version.o
    # -nostdlib keeps the DLL small; --no-insert-timestamp makes it reproducible. Linked twice: once
    # with symbols to find the delay-load descriptor, once stripped (-s) with the same layout.
    local link=(-Os -shared -nostdlib sample.c sample.def version.o -Wl,--entry=DllMain
        -Wl,--no-insert-timestamp -L. -luser32-delay -lmingwex -lkernel32)
    $cc "${link[@]}" -o symbols.dll
    $cc "${link[@]}" -s -o "sample$suffix.dll"
    # binutils 2.40's ld links the delay-load descriptor but leaves data directory 13 (Delay Import
    # Descriptor) empty, as if there were none; point it at the descriptor, as MSVC's link.exe does.
    local base desc
    base=$($1-objdump -p symbols.dll | awk '/^ImageBase/ {print $2}')
    desc=$($1-nm symbols.dll | awk '/__DELAY_IMPORT_DESCRIPTOR_/ {print $1; exit}')
    python3 - "sample$suffix.dll" "$base" "$desc" <<'PY'
import struct, sys
path, base, desc = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3], 16)
data = bytearray(open(path, 'rb').read())
pe = struct.unpack_from('<I', data, 0x3c)[0]
opt = pe + 24
dirs = opt + (112 if struct.unpack_from('<H', data, opt)[0] == 0x20b else 96)
struct.pack_into('<II', data, dirs + 13 * 8, desc - base, 32)
open(path, 'wb').write(data)
PY
}

build x86_64-w64-mingw32 64

x86_64-w64-mingw32-dlltool --input-def client.def --output-lib libsample64.a
x86_64-w64-mingw32-gcc -Os -s -o client64.exe client.c -L. -lsample64 -Wl,--no-insert-timestamp
cp sample64.dll client64.exe "$here/"

if command -v i686-w64-mingw32-gcc >/dev/null; then
    sed -i 's/sample64/sample32/' sample.def
    build i686-w64-mingw32 32
    cp sample32.dll "$here/"
else
    echo "i686-w64-mingw32-gcc not installed: sample32.dll not rebuilt" >&2
fi
for f in "$here"/*.dll "$here"/*.exe; do
    echo "$(basename "$f"): $(stat -c %s "$f") bytes, sha256 $(sha256sum "$f" | cut -d' ' -f1)"
done
