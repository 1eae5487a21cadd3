package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.formats.archive.ProblemKind;
import dev.tollgate.intel.IntelAnalyzer;
import dev.tollgate.model.FindingCode;
import dev.tollgate.model.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One catalog of finding codes ({@link FindingCode}): every place that raises a finding names a catalogued code, every
 * code made at run time (unpacking problems, threat intel) is in the catalog, and the README lists every code.
 */
class FindingCodeCatalogTest {

    private static final Path ROOT = Path.of("..");

    /** {@code new Finding("some.code", ...)}: a code spelled as a string where the catalog should be named. */
    private static final Pattern LITERAL_CODE = Pattern.compile("new Finding\\(\\s*\"");

    @Test
    void everyPlaceThatRaisesAFindingNamesACataloguedCode() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT, 8)) {
            for (Path file : files.filter(
                            p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
                    .toList()) {
                Matcher m = LITERAL_CODE.matcher(Files.readString(file));
                while (m.find()) {
                    offenders.add(ROOT.relativize(file) + " at offset " + m.start());
                }
            }
        }
        assertThat(offenders)
                .as("findings raised with a code spelled as a string")
                .isEmpty();
    }

    @Test
    void everyUnpackingProblemHasItsCode() {
        for (ProblemKind kind : ProblemKind.values()) {
            assertThat(FindingCode.of("archive." + kind.code()))
                    .as("archive.%s", kind.code())
                    .isPresent();
        }
    }

    @Test
    void everyIntelCodeIsCataloguedAndCritical() {
        for (String code : IntelAnalyzer.CODES) {
            assertThat(FindingCode.of(code)).as(code).isPresent();
            assertThat(FindingCode.of(code).get().defaultSeverity()).as(code).isEqualTo(Severity.CRITICAL);
        }
    }

    @Test
    void theReadmeListsEveryCode() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> missing = Arrays.stream(FindingCode.values())
                .map(FindingCode::code)
                .filter(code -> !readme.contains("`" + code + "`"))
                .toList();
        assertThat(missing).as("codes the README does not list").isEmpty();
    }

    @Test
    void theCatalogAgreesWithTheDesignsDefaults() {
        // docs/DESIGN.md, "Finding codes": the contract's defaults.
        assertThat(FindingCode.SIGNATURE_APPENDED_DATA.defaultSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(FindingCode.SIGNATURE_DIGEST_MISMATCH.defaultSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(FindingCode.SIGNATURE_UNTRUSTED.defaultSeverity()).isEqualTo(Severity.HIGH);
        assertThat(FindingCode.SIGNATURE_MISSING.defaultSeverity()).isEqualTo(Severity.MEDIUM);
        assertThat(FindingCode.PE_OVERLAY.defaultSeverity()).isEqualTo(Severity.MEDIUM);
        assertThat(FindingCode.DIFF_SIGNER_CHANGED.defaultSeverity()).isEqualTo(Severity.HIGH);
        assertThat(FindingCode.DIFF_MODIFIED_SAME_VERSION.defaultSeverity()).isEqualTo(Severity.HIGH);
        assertThat(FindingCode.DIFF_NEW_IMPORT.defaultSeverity()).isEqualTo(Severity.MEDIUM);
        assertThat(FindingCode.DIFF_NEW_NETWORK_INDICATOR.defaultSeverity()).isEqualTo(Severity.MEDIUM);
        assertThat(FindingCode.ARCHIVE_BOMB.defaultSeverity()).isEqualTo(Severity.HIGH);
        assertThat(FindingCode.ARCHIVE_PATH_TRAVERSAL.defaultSeverity()).isEqualTo(Severity.HIGH);
    }
}
