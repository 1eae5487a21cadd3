package dev.tollgate.model;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a file is, by its leading bytes (never by its name), or the container it was unpacked as. The labels are the
 * {@code type} values of the JSON report (docs/DESIGN.md, "JSON report") and of stored records: they never change.
 */
public enum FileType {
    EMPTY("empty"),
    PE("pe"),
    /** An MS-DOS executable that is not a PE image. */
    MSDOS("msdos"),
    ELF("elf"),
    MACHO("macho"),
    JAVA_CLASS("java-class"),
    ZIP("zip"),
    TAR("tar"),
    GZIP("gzip"),
    XZ("xz"),
    BZIP2("bzip2"),
    ZSTD("zstd"),
    SEVEN_ZIP("7z"),
    RAR("rar"),
    DEB("deb"),
    AR("ar"),
    RPM("rpm"),
    CAB("cab"),
    /** A compound file (OLE) that is not a Windows Installer package. */
    OLE("ole"),
    MSI("msi"),
    ASAR("asar"),
    /** A Nullsoft (NSIS) installer: a PE stub with its compressed payload appended. */
    NSIS("nsis"),
    PDF("pdf"),
    PNG("png"),
    JPEG("jpeg"),
    GIF("gif"),
    ICO("ico"),
    /** A text file that starts with {@code #!}. */
    SCRIPT("script"),
    TEXT("text"),
    DATA("data");

    private static final Map<String, FileType> BY_LABEL =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(FileType::label, Function.identity()));

    private final String label;

    FileType(String label) {
        this.label = label;
    }

    /** The stable lower-case name in reports and stored records, e.g. {@code pe}, {@code 7z}, {@code java-class}. */
    public String label() {
        return label;
    }

    /** The type with this label, if any. */
    public static Optional<FileType> fromLabel(String label) {
        return Optional.ofNullable(BY_LABEL.get(label));
    }

    /** Whether files of this type run code of their own when executed or loaded (what a diff calls executable). */
    public boolean executable() {
        return this == PE || this == ELF || this == MACHO || this == SCRIPT;
    }
}
