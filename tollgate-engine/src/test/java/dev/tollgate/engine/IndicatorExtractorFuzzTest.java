package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import dev.tollgate.model.NetworkIndicators;
import java.util.Locale;

/**
 * Fuzz target for the indicator extractor, which reads the bytes of hostile files: on any sequence of printable runs
 * (as the string scanner delivers them, each placed at an arbitrary offset in a larger array), it must not fail, must
 * give the same indicators as the String entry point does for the same strings, must keep within its bound, and
 * everything it reports must be well formed: domains are lower-case names under a public suffix, IPs parse, URLs
 * have a scheme. Without {@code JAZZER_FUZZ=1} it runs once per kept input in
 * {@code IndicatorExtractorFuzzTestInputs/}.
 */
class IndicatorExtractorFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void reportsOnlyWellFormedIndicatorsWhateverTheBytes(FuzzedDataProvider data) {
        IndicatorExtractor fromBytes = new IndicatorExtractor();
        IndicatorExtractor fromStrings = new IndicatorExtractor();
        byte[] array = new byte[StringScanner.MAX_LENGTH + 64];
        while (data.remainingBytes() > 0) {
            int offset = data.consumeInt(0, 63);
            byte[] run = data.consumeBytes(data.consumeInt(1, StringScanner.MAX_LENGTH));
            for (int i = 0; i < run.length; i++) {
                run[i] = (byte) (0x20 + Math.floorMod(run[i], 0x5f)); // printable ASCII, as the scanner delivers
            }
            java.util.Arrays.fill(array, (byte) '.'); // bytes around the run that would change it if read
            System.arraycopy(run, 0, array, offset, run.length);
            fromBytes.accept(array, offset, run.length);
            fromStrings.accept(new String(run, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        NetworkIndicators found = fromBytes.indicators();

        assertThat(found).isEqualTo(fromStrings.indicators());
        assertThat(found.urls().size() + found.domains().size() + found.ips().size())
                .isLessThanOrEqualTo(IndicatorExtractor.MAX_INDICATORS);
        assertThat(found.domains()).allSatisfy(domain -> {
            assertThat(domain).isEqualTo(domain.toLowerCase(Locale.ROOT));
            assertThat(InternetDomainName.from(domain).isUnderPublicSuffix()).isTrue();
        });
        assertThat(found.ips())
                .allSatisfy(ip -> assertThat(InetAddresses.isInetAddress(ip)).isTrue());
        assertThat(found.urls()).allSatisfy(url -> assertThat(url).matches("(?i)(https?|ftp|wss?)://.+"));
    }
}
