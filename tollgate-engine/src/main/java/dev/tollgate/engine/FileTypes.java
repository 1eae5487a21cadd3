package dev.tollgate.engine;

import dev.tollgate.formats.ByteView;
import dev.tollgate.model.FileType;
import java.lang.foreign.ValueLayout;

/**
 * Names a file's type from its leading bytes ("magic numbers"), never from its name. The labels are the {@code type}
 * values of the JSON report: {@code pe}, {@code msdos}, {@code elf}, {@code macho}, {@code java-class}, {@code zip},
 * {@code gzip}, {@code xz}, {@code bzip2}, {@code zstd}, {@code 7z}, {@code rar}, {@code cab}, {@code ole}, {@code pdf},
 * {@code png}, {@code jpeg}, {@code gif}, {@code ico}, {@code script}, {@code text}, {@code data}.
 */
final class FileTypes {

    /** How much of the head decides between {@code text} and {@code data}. */
    private static final int TEXT_SAMPLE = 8192;

    /** Mach-O fat headers share CAFEBABE with Java class files; real fat files list few architectures. */
    private static final long MAX_FAT_ARCHS = 30;

    private FileTypes() {}

    static FileType detect(ByteView view) {
        long size = view.size();
        if (size == 0) {
            return FileType.EMPTY;
        }
        if (startsWith(view, 'M', 'Z')) {
            return isPe(view) ? FileType.PE : FileType.MSDOS;
        }
        if (startsWith(view, 0x7f, 'E', 'L', 'F')) {
            return FileType.ELF;
        }
        long be32 = be32(view, 0);
        if (be32 == 0xFEEDFACEL || be32 == 0xFEEDFACFL || be32 == 0xCEFAEDFEL || be32 == 0xCFFAEDFEL) {
            return FileType.MACHO;
        }
        if (be32 == 0xCAFEBABEL || be32 == 0xCAFEBABFL) {
            // The fat header's next word is the architecture count; a class file has its version there.
            long next = be32(view, 4);
            return next > 0 && next <= MAX_FAT_ARCHS ? FileType.MACHO : FileType.JAVA_CLASS;
        }
        if (be32 == 0xBEBAFECAL || be32 == 0xBFBAFECAL) {
            return FileType.MACHO;
        }
        if (startsWith(view, 'P', 'K', 3, 4) || startsWith(view, 'P', 'K', 5, 6) || startsWith(view, 'P', 'K', 7, 8)) {
            return FileType.ZIP;
        }
        if (startsWith(view, 0x1f, 0x8b)) {
            return FileType.GZIP;
        }
        if (startsWith(view, 0xfd, '7', 'z', 'X', 'Z', 0)) {
            return FileType.XZ;
        }
        if (startsWith(view, 'B', 'Z', 'h')) {
            return FileType.BZIP2;
        }
        if (startsWith(view, 0x28, 0xb5, 0x2f, 0xfd)) {
            return FileType.ZSTD;
        }
        if (startsWith(view, '7', 'z', 0xbc, 0xaf, 0x27, 0x1c)) {
            return FileType.SEVEN_ZIP;
        }
        if (startsWith(view, 'R', 'a', 'r', '!', 0x1a, 0x07)) {
            return FileType.RAR;
        }
        if (startsWith(view, 'M', 'S', 'C', 'F')) {
            return FileType.CAB;
        }
        if (startsWith(view, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) {
            return FileType.OLE;
        }
        if (startsWith(view, '%', 'P', 'D', 'F', '-')) {
            return FileType.PDF;
        }
        if (startsWith(view, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) {
            return FileType.PNG;
        }
        if (startsWith(view, 0xff, 0xd8, 0xff)) {
            return FileType.JPEG;
        }
        if (startsWith(view, 'G', 'I', 'F', '8', '7', 'a') || startsWith(view, 'G', 'I', 'F', '8', '9', 'a')) {
            return FileType.GIF;
        }
        if (startsWith(view, 0, 0, 1, 0) && size >= 6 && u16(view, 4) > 0) {
            return FileType.ICO;
        }
        if (startsWith(view, '#', '!')) {
            return FileType.SCRIPT;
        }
        return looksLikeText(view) ? FileType.TEXT : FileType.DATA;
    }

    /** MZ, then e_lfanew (offset 0x3C) points inside the file at the {@code PE\0\0} signature (PE/COFF spec 3.2). */
    private static boolean isPe(ByteView view) {
        if (view.size() < 0x40) {
            return false;
        }
        long lfanew = u32(view, 0x3c);
        return view.has(lfanew, 4) && startsWithAt(view, lfanew, 'P', 'E', 0, 0);
    }

    /** No NUL and no control byte other than tab, CR, LF, FF, ESC in the first bytes; UTF-8 bytes are allowed. */
    private static boolean looksLikeText(ByteView view) {
        long n = Math.min(view.size(), TEXT_SAMPLE);
        for (long i = 0; i < n; i++) {
            int b = byteAt(view, i);
            boolean control = b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1b;
            if (control || b == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(ByteView view, int... magic) {
        return startsWithAt(view, 0, magic);
    }

    private static boolean startsWithAt(ByteView view, long offset, int... magic) {
        if (!view.has(offset, magic.length)) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (byteAt(view, offset + i) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static int byteAt(ByteView view, long offset) {
        return Byte.toUnsignedInt(view.segment().get(ValueLayout.JAVA_BYTE, offset));
    }

    private static long be32(ByteView view, long offset) {
        if (!view.has(offset, 4)) {
            return -1;
        }
        return ((long) byteAt(view, offset) << 24)
                | ((long) byteAt(view, offset + 1) << 16)
                | ((long) byteAt(view, offset + 2) << 8)
                | byteAt(view, offset + 3);
    }

    private static long u32(ByteView view, long offset) {
        return Long.reverseBytes(be32(view, offset)) >>> 32;
    }

    private static int u16(ByteView view, long offset) {
        return byteAt(view, offset) | (byteAt(view, offset + 1) << 8);
    }
}
