package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tollgate.formats.ByteView;
import dev.tollgate.model.NetworkIndicators;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IndicatorExtractorTest {

    private static NetworkIndicators extract(String... strings) {
        IndicatorExtractor x = new IndicatorExtractor();
        for (String s : strings) {
            x.accept(s);
        }
        return x.indicators();
    }

    @Test
    void keepsDomainsWithARealPublicSuffix() {
        NetworkIndicators found = extract("beacon to akamai-cdn-update.com now", "mirror www.example.co.uk ok");
        assertThat(found.domains()).containsExactly("akamai-cdn-update.com", "www.example.co.uk");
    }

    @Test
    void dllAndExeNamesAreNotDomains() {
        NetworkIndicators found =
                extract("ffmpeg.dll", "kernel32.dll", "d3dcompiler_47.dll", "setup.exe", "msvcp140.dll loaded");
        assertThat(found.isEmpty()).isTrue();
    }

    @Test
    void bareNamesUnderExtensionLikeTopLevelDomainsAreNotDomains() {
        NetworkIndicators found = extract("payload.zip", "libcrypto.so", "README.md", "install.sh", "clip.mov");
        assertThat(found.domains()).isEmpty();
    }

    @Test
    void urlHostsUnderExtensionLikeTopLevelDomainsAreStillDomains() {
        NetworkIndicators found = extract("GET https://github.zip/update");
        assertThat(found.urls()).containsExactly("https://github.zip/update");
        assertThat(found.domains()).containsExactly("github.zip");
    }

    @Test
    void dotNetNamespacesAreNotDomains() {
        assertThat(extract("System.IO", "System.Net", "System.Net.Http", "Microsoft.Win32.Registry")
                        .isEmpty())
                .isTrue();
    }

    @Test
    void aPublicSuffixAloneIsNotADomain() {
        assertThat(extract("co.uk only", "github.io only").domains()).isEmpty();
    }

    @Test
    void versionNumbersAreNotIpAddresses() {
        NetworkIndicators found =
                extract("10.0.19041.1", "1.2.3.4.5", "v1.2.3.4", "1.0.0.0", "6.1.7600.16385", "01.02.03.04");
        assertThat(found.ips()).isEmpty();
    }

    @Test
    void keepsIpv4AddressesStandingAlone() {
        NetworkIndicators found = extract("connect 203.0.113.7:443", "(198.51.100.23)", "256.1.1.1 is not one");
        assertThat(found.ips()).containsExactly("198.51.100.23", "203.0.113.7");
    }

    @Test
    void keepsIpv6AddressesInCanonicalForm() {
        NetworkIndicators found = extract("peer 2001:DB8:0:0:0:0:0:1 and http://[2001:db8::2]:8080/x", "std::string");
        assertThat(found.ips()).containsExactly("2001:db8::1", "2001:db8::2");
        assertThat(found.urls()).containsExactly("http://[2001:db8::2]:8080/x");
    }

    @Test
    void findsUrlsOfEverySchemeAndTrimsSentencePunctuation() {
        NetworkIndicators found = extract(
                "see (https://example.com/a?b=1).",
                "ftp://files.example.net/pub",
                "wss://push.example.org:9443/s,",
                "ws://198.51.100.9/",
                "gopher://example.com/ no",
                "http://localhost:8080/ has no public suffix");
        assertThat(found.urls())
                .containsExactly(
                        "ftp://files.example.net/pub",
                        "http://localhost:8080/",
                        "https://example.com/a?b=1",
                        "ws://198.51.100.9/",
                        "wss://push.example.org:9443/s");
        assertThat(found.domains()).containsExactly("example.com", "files.example.net", "push.example.org");
        assertThat(found.ips()).containsExactly("198.51.100.9");
    }

    @Test
    void windowsPathsAndIdentifiersAreNotDomains() {
        assertThat(extract("C:\\Windows\\System32\\drivers.net", "init_config.com_port")
                        .domains())
                .isEmpty();
    }

    @Test
    void boundsTheIndicatorsOfOneFile() {
        IndicatorExtractor x = new IndicatorExtractor();
        for (int i = 0; i < IndicatorExtractor.MAX_INDICATORS + 500; i++) {
            x.accept("host" + i + ".example.com");
        }
        assertThat(x.indicators().domains()).hasSize(IndicatorExtractor.MAX_INDICATORS);
        assertThat(x.truncated()).isTrue();
    }

    @Test
    void hostileDottedInputFinishesQuickly() {
        // 4 MB of dots, digits, colons and letters in the shapes the extractor looks for.
        StringBuilder s = new StringBuilder();
        while (s.length() < 4_000_000) {
            s.append("a.b.c.1.2.3.4.5:::ff::http://").append(s.length() % 7).append('.');
        }
        byte[] bytes = s.toString().getBytes(StandardCharsets.US_ASCII);

        FileProfile p =
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> FileProfiler.profile(ByteView.of(bytes)));

        int count = p.indicators().urls().size()
                + p.indicators().domains().size()
                + p.indicators().ips().size();
        assertThat(count).isLessThanOrEqualTo(IndicatorExtractor.MAX_INDICATORS);
    }

    @Test
    void propertyPathsPackageNamesAndFormatsAreNotDomains() {
        NetworkIndicators found = extract(
                "e.target.id",
                "value.is",
                "com.sun.net.httpserver",
                "jdk.internal.net",
                "hh.mm.ss",
                "basePosition.top",
                "array.renderer.crossings.int",
                "a.b.c.d.e.example.com",
                "x.com",
                "uprops.icu");
        assertThat(found.domains()).isEmpty();
    }

    @Test
    void urlsKeepHostsThatBareNamesWouldRefuse() {
        NetworkIndicators found = extract("https://offset.top/gate.php", "http://panel.example.icu/");
        assertThat(found.domains()).containsExactly("offset.top", "panel.example.icu");
    }

    @Test
    void objectIdentifiersAreNotIpAddresses() {
        NetworkIndicators found = extract("2.5.29.14", "1.3.6.1", "1.2.840.113549", "1.1.1.1", "2.200.1.1");
        assertThat(found.ips()).containsExactly("1.1.1.1", "2.200.1.1");
    }

    @Test
    void cppSymbolsAreNotIpv6Addresses() {
        assertThat(extract("Foo::Bar", "9::b", "73::", "a::b::c", "::1").ips()).isEmpty();
    }

    @Test
    void recognisesDottedQuads() {
        assertThat(IndicatorExtractor.isIpv4("192.168.1.1")).isTrue();
        assertThat(IndicatorExtractor.isIpv4("255.255.255.254")).isTrue();
        assertThat(IndicatorExtractor.isIpv4("1.2.3")).isFalse();
        assertThat(IndicatorExtractor.isIpv4("1.2.3.4.")).isFalse();
        assertThat(IndicatorExtractor.isIpv4("1.2.3.1000")).isFalse();
        assertThat(IndicatorExtractor.isIpv4("")).isFalse();
    }
}
