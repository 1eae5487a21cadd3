package dev.tollgate.formats.pe;

import dev.tollgate.formats.ByteView;
import java.util.Objects;

/**
 * One {@code WIN_CERTIFICATE} entry of the attribute certificate table (PE/COFF specification, "The Attribute
 * Certificate Table (Image Only)").
 *
 * @param offset the entry's file offset
 * @param length {@code dwLength}: the entry's length including its 8-byte header, excluding alignment padding
 * @param revision {@code wRevision} (0x0200 for WIN_CERT_REVISION_2_0)
 * @param type {@code wCertificateType} (2 for WIN_CERT_TYPE_PKCS_SIGNED_DATA)
 * @param content {@code bCertificate}: the {@code length - 8} bytes after the header, for a PKCS#7 entry a DER
 *     SignedData possibly followed by bytes the DER does not account for
 */
public record CertificateEntry(long offset, long length, int revision, int type, ByteView content) {

    public static final int REVISION_1_0 = 0x0100;
    public static final int REVISION_2_0 = 0x0200;
    public static final int TYPE_X509 = 0x0001;
    public static final int TYPE_PKCS_SIGNED_DATA = 0x0002;
    public static final int TYPE_TS_STACK_SIGNED = 0x0004;

    /** The size of the dwLength, wRevision and wCertificateType fields. */
    public static final int HEADER_SIZE = 8;

    public CertificateEntry {
        Objects.requireNonNull(content, "content");
        if (offset < 0 || length < HEADER_SIZE || content.size() != length - HEADER_SIZE) {
            throw new IllegalArgumentException("invalid certificate entry at offset " + offset + ", length " + length
                    + ", content " + content.size());
        }
    }

    /** True for a PKCS#7 SignedData entry (an Authenticode signature). */
    public boolean isPkcsSignedData() {
        return type == TYPE_PKCS_SIGNED_DATA;
    }

    /** The entry's bytes in the file, header included, padding excluded. */
    public ByteRange range() {
        return new ByteRange(offset, length);
    }
}
