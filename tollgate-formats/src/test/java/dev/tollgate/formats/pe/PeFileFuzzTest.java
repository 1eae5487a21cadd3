package dev.tollgate.formats.pe;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.formats.ByteView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Fuzzes {@link PeFile#parse} with arbitrary bytes and reads every accessor: the only acceptable failure is
 * {@link PeFormatException}; results must respect the parser's invariants. Saved inputs (seeds and past findings) in
 * {@code PeFileFuzzTestInputs/parse} run as regression tests in every build; {@code JAZZER_FUZZ=1} fuzzes (see
 * {@code bin/fuzz}).
 */
class PeFileFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) throws NoSuchAlgorithmException {
        PeFile pe;
        try {
            pe = PeFile.parse(ByteView.of(data));
        } catch (PeFormatException expected) {
            return;
        }
        PeInvariants.check(pe, data.length);
    }

    /** What must hold for every parse result, whatever the input. */
    static final class PeInvariants {

        private PeInvariants() {}

        static void check(PeFile pe, long fileSize) throws NoSuchAlgorithmException {
            pe.machineName();
            pe.dll();
            pe.pe32Plus();
            pe.timeDateStamp();
            pe.subsystem();
            require(pe.dataDirectories().size() <= 16, "more than 16 directories");
            require(pe.sections().size() <= PeFile.MAX_SECTIONS, "too many sections");
            for (PeSection s : pe.sections()) {
                require(s.entropy() >= 0 && s.entropy() <= 8, "entropy out of range");
                pe.rvaToOffset(s.virtualAddress()).ifPresent(o -> require(o < fileSize, "RVA maps past EOF"));
            }
            require(pe.imports().size() <= PeFile.MAX_IMPORTS, "too many imports");
            for (PeImport i : pe.imports()) {
                require(i.qualifiedName().length() <= 2 * PeFile.MAX_NAME_LENGTH + 8, "name too long");
            }
            require(pe.exports().size() <= 2 * PeFile.MAX_EXPORTS, "too many exports");
            pe.exports().forEach(PeExport::displayName);
            pe.versionInfo().ifPresent(v -> v.strings().forEach((k, val) -> require(k != null, "null key")));
            require(pe.imageEnd() >= 0 && pe.imageEnd() <= fileSize, "image end outside file");
            require(pe.overlayOffset() + pe.overlayLength() == fileSize, "overlay does not end the file");
            for (ByteRange r : pe.overlayOutsideCertificateTable()) {
                require(r.offset() >= pe.overlayOffset() && r.end() <= fileSize, "overlay range outside overlay");
            }
            for (ByteRange r : pe.unexplainedOverlay()) {
                require(r.offset() >= pe.overlayOffset() && r.end() <= fileSize, "unexplained range outside overlay");
            }
            pe.coffSymbolTable().ifPresent(r -> require(r.end() <= fileSize, "symbol table past EOF"));
            pe.certificateTable().ifPresent(t -> checkTable(t, fileSize));
            checkRanges(pe.authenticodeDigestRanges(), fileSize);
            require(pe.anomalies().size() <= PeFile.MAX_ANOMALIES + 1, "too many anomalies");
            pe.anomalies().forEach(PeAnomaly::toString);
            pe.digest(MessageDigest.getInstance("SHA-256"));
        }

        static void checkTable(CertificateTable t, long fileSize) {
            long end = Math.min(fileSize, t.offset() + t.declaredSize());
            require(t.entries().size() <= PeFile.MAX_CERTIFICATE_ENTRIES, "too many certificate entries");
            long previousEnd = t.offset();
            for (CertificateEntry e : t.entries()) {
                require(e.offset() >= previousEnd && e.offset() + e.length() <= end, "entry outside table: " + e);
                require(e.content().size() == e.length() - 8, "content size");
                previousEnd = e.offset() + e.length();
            }
            for (ByteRange r : t.uncovered()) {
                require(r.offset() >= t.offset() && r.end() <= end && !r.isEmpty(), "uncovered outside table: " + r);
            }
        }

        static void checkRanges(List<ByteRange> ranges, long fileSize) {
            long previous = 0;
            for (ByteRange r : ranges) {
                require(!r.isEmpty() && r.offset() >= previous && r.end() <= fileSize, "digest ranges: " + ranges);
                previous = r.end();
            }
        }

        static void require(boolean condition, String what) {
            if (!condition) {
                throw new AssertionError(what);
            }
        }
    }
}
