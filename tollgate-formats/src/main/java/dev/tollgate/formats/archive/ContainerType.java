package dev.tollgate.formats.archive;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.TruncatedException;
import dev.tollgate.formats.nsis.NsisInstaller;
import java.util.Optional;

/**
 * The containers Tollgate opens, detected by content, never by name: a zip renamed {@code .png} is still a zip.
 *
 * <p>A compressed stream ({@link #GZIP}, {@link #XZ}, {@link #BZIP2}, {@link #ZSTD}) whose content is a tar is read as
 * that tar in one step, so {@code a.tar.gz!bin/tool} rather than {@code a.tar.gz!a.tar!bin/tool}.
 */
public enum ContainerType {
    ZIP("zip"),
    TAR("tar"),
    GZIP("gzip"),
    XZ("xz"),
    BZIP2("bzip2"),
    ZSTD("zstd"),
    SEVEN_ZIP("7z"),
    /** A Debian package: an ar archive whose first member is {@code debian-binary}. */
    DEB("deb"),
    /** Any other Unix ar archive (static libraries). */
    AR("ar"),
    RPM("rpm"),
    CAB("cab"),
    MSI("msi"),
    ASAR("asar"),
    /**
     * An NSIS installer: a PE whose own bytes hold NSIS's first header (at a 512-byte boundary, as its stub looks), or
     * an uninstaller's data (the first header at offset 0) inside one.
     */
    NSIS("nsis");

    /** The root storage CLSID of a Windows Installer package (MSI SDK, "Installer database"). */
    static final long MSI_CLSID_LOW = 0x00000000000C1084L;

    private final String label;

    ContainerType(String label) {
        this.label = label;
    }

    /** The lower-case name used as a file's type in reports ({@code zip}, {@code msi}, ...). */
    public String label() {
        return label;
    }

    /** The container type of {@code content}, by its magic bytes, or empty when it is no container Tollgate opens. */
    public static Optional<ContainerType> detect(ByteView content) {
        try {
            return Optional.ofNullable(sniff(content));
        } catch (TruncatedException e) {
            return Optional.empty();
        }
    }

    private static ContainerType sniff(ByteView v) throws TruncatedException {
        if (startsWith(v, 0, 'P', 'K', 3, 4) || startsWith(v, 0, 'P', 'K', 5, 6)) {
            return ZIP;
        }
        if (startsWith(v, 0, 0x1F, 0x8B)) {
            return GZIP;
        }
        if (startsWith(v, 0, 0xFD, '7', 'z', 'X', 'Z', 0)) {
            return XZ;
        }
        if (startsWith(v, 0, 'B', 'Z', 'h') && v.has(3, 1) && v.u8(3, "bzip2 block size") >= '1') {
            return BZIP2;
        }
        if (startsWith(v, 0, 0x28, 0xB5, 0x2F, 0xFD)) {
            return ZSTD;
        }
        if (startsWith(v, 0, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C)) {
            return SEVEN_ZIP;
        }
        if (startsWith(v, 0, '!', '<', 'a', 'r', 'c', 'h', '>', '\n')) {
            return startsWith(v, 8, 'd', 'e', 'b', 'i', 'a', 'n', '-', 'b', 'i', 'n', 'a', 'r', 'y') ? DEB : AR;
        }
        if (startsWith(v, 0, 0xED, 0xAB, 0xEE, 0xDB)) {
            return RPM;
        }
        if (startsWith(v, 0, 'M', 'S', 'C', 'F', 0, 0, 0, 0)) {
            return CAB;
        }
        if (startsWith(v, 257, 'u', 's', 't', 'a', 'r')) {
            return TAR;
        }
        if (v.has(0, 24)
                && v.u32(0, "asar pickle size") == 4
                && startsWith(v, 16, '{', '"', 'f', 'i', 'l', 'e', 's', '"')) {
            return ASAR;
        }
        if (startsWith(v, 0, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1) && hasMsiRootClsid(v)) {
            return MSI;
        }
        // A WriteUninstaller item of an NSIS installer is installer data without the stub: the first header at 0.
        if ((startsWith(v, 0, 'M', 'Z') || startsWith(v, 4, 0xEF, 0xBE, 0xAD, 0xDE)) && NsisInstaller.detect(v)) {
            return NSIS;
        }
        return null;
    }

    /** The root directory entry is the first entry of the first directory sector ([MS-CFB] 2.2, 2.6). */
    private static boolean hasMsiRootClsid(ByteView v) throws TruncatedException {
        int sectorShift = v.u16(0x1E, "CFB sector shift");
        if (sectorShift != 9 && sectorShift != 12) {
            return false;
        }
        long firstDirectorySector = v.u32(0x30, "CFB first directory sector");
        long rootEntry = (firstDirectorySector + 1) << sectorShift;
        if (firstDirectorySector > 0xFFFFFFFAL || !v.has(rootEntry + 0x50, 16)) {
            return false;
        }
        // 000C1084-0000-0000-C000-000000000046, stored as Data1 LE, Data2 LE, Data3 LE, Data4 bytes.
        return v.u64(rootEntry + 0x50, "MSI CLSID") == MSI_CLSID_LOW
                && v.u64(rootEntry + 0x58, "MSI CLSID") == 0x46000000000000C0L;
    }

    private static boolean startsWith(ByteView v, long offset, int... magic) throws TruncatedException {
        if (!v.has(offset, magic.length)) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (v.u8(offset + i, "magic") != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
