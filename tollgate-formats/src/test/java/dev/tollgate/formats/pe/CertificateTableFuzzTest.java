package dev.tollgate.formats.pe;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.formats.ByteView;
import java.security.NoSuchAlgorithmException;

/**
 * Fuzzes the certificate table reader through a well-formed PE image whose certificate table, directory entry and
 * trailing data come from the fuzzer, so that mutations land in the table rather than in the headers. The image must
 * always parse; the table and the digest ranges must respect their invariants.
 */
class CertificateTableFuzzTest {

    private static final byte[] IMAGE = PeImageBuilder.pe32Plus()
            .section(".text", PeImageBuilder.CODE, new byte[] {(byte) 0xC3})
            .build();
    private static final PeImageBuilder LAYOUT = PeImageBuilder.pe32Plus();

    @FuzzTest(maxDuration = "60s")
    void certificateTable(FuzzedDataProvider in) throws NoSuchAlgorithmException {
        boolean lieAboutLocation = in.consumeBoolean();
        long offsetDelta = in.consumeInt(-64, 64);
        long sizeDelta = in.consumeInt(-64, 64);
        int trailing = in.consumeInt(0, 64);
        byte[] table = in.consumeRemainingAsBytes();

        byte[] file = new byte[IMAGE.length + table.length + trailing];
        System.arraycopy(IMAGE, 0, file, 0, IMAGE.length);
        System.arraycopy(table, 0, file, IMAGE.length, table.length);
        long offset = IMAGE.length + (lieAboutLocation ? offsetDelta : 0);
        long size = table.length + (lieAboutLocation ? sizeDelta : 0);
        long entry = LAYOUT.directoryEntryOffset(DataDirectory.CERTIFICATE);
        PeImageBuilder.putU32(file, entry, offset);
        PeImageBuilder.putU32(file, entry + 4, size);

        PeFile pe;
        try {
            pe = PeFile.parse(ByteView.of(file));
        } catch (PeFormatException e) {
            throw new AssertionError("a valid image with a damaged certificate table must parse", e);
        }
        PeFileFuzzTest.PeInvariants.check(pe, file.length);
        if (!lieAboutLocation && table.length > 0) {
            CertificateTable t = pe.certificateTable().orElseThrow(() -> new AssertionError("table not found"));
            long covered = t.uncovered().stream().mapToLong(ByteRange::length).sum();
            for (CertificateEntry e : t.entries()) {
                covered += PeImageBuilder.align(e.length(), 8);
            }
            // Every byte of a well-placed table is in an entry, its padding, or an uncovered range.
            PeFileFuzzTest.PeInvariants.require(covered >= size, "table bytes unaccounted for: " + t);
        }
    }
}
