package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tollgate.formats.ByteView;
import dev.tollgate.model.NetworkIndicators;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IndicatorExtractorTest {

    private static NetworkIndicators extract(String... strings) {
        IndicatorExtractor x = new IndicatorExtractor();
        for (String s : strings) {
            x.accept(s);
        }
        return x.indicators();
    }

    /** {@code s} in the middle of a larger array, between {@code before} and {@code after}. */
    private static byte[] embedded(String before, String s, String after) {
        return (before + s + after).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsOnlyItsPartOfALargerArray() {
        // Read beyond its part, the extractor would see "x_cdn.example.com" (an identifier), the URL ".../a_y", and
        // "x2001:db8::5g" (glued to letters).
        String run = "cdn.example.com, 198.51.100.7 and https://update.example.net/a";
        String address = "2001:db8::5";
        IndicatorExtractor x = new IndicatorExtractor();

        x.accept(embedded("x_", run, "_y"), 2, run.length());
        x.accept(embedded("x", address, "g"), 1, address.length());

        NetworkIndicators found = x.indicators();
        assertThat(found.domains()).containsExactly("cdn.example.com", "update.example.net");
        assertThat(found.ips()).containsExactly("198.51.100.7", "2001:db8::5");
        assertThat(found.urls()).containsExactly("https://update.example.net/a");
    }

    @Test
    void copiesAHeldManifestLineOutOfTheCallersBytes() {
        // The scanner reuses its bytes after each call: the held line must not change with them.
        String header = "Bundle-Description: Checks for updates at cdn.example.com each hour, fa";
        String continuation = " lling back to the mirror at mirror.cdn-updates.net";
        byte[] buffer = new byte[200];
        IndicatorExtractor x = new IndicatorExtractor();

        byte[] line = embedded("..", header, "");
        System.arraycopy(line, 0, buffer, 0, line.length);
        x.accept(buffer, 2, header.length());
        Arrays.fill(buffer, (byte) '.');
        line = embedded("...", continuation, "");
        System.arraycopy(line, 0, buffer, 0, line.length);
        x.accept(buffer, 3, continuation.length());
        Arrays.fill(buffer, (byte) '.');

        assertThat(x.indicators().domains()).containsExactlyInAnyOrder("cdn.example.com", "mirror.cdn-updates.net");
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
    void hostileDottedInputStaysLinear() {
        // 1 MB of dots, digits, colons and letters in the shapes the extractor looks for. Measured in CPU time, not
        // wall time, so a loaded CI machine does not fail it; the wall timeout only guards against a hang.
        StringBuilder s = new StringBuilder();
        while (s.length() < 1_000_000) {
            s.append("a.b.c.1.2.3.4.5:::ff::http://").append(s.length() % 7).append('.');
        }
        byte[] bytes = s.toString().getBytes(StandardCharsets.US_ASCII);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();

        FileProfile p = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            long start = threads.getCurrentThreadCpuTime();
            FileProfile profile = FileProfiler.profile(ByteView.of(bytes));
            assertThat(threads.getCurrentThreadCpuTime() - start).isLessThan(5_000_000_000L);
            return profile;
        });

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

    // Issue 4: bcprov-jdk18on 1.82's META-INF/MANIFEST.MF, lines 98-99 and 140-141 as delivered (CR LF ends each).
    @Test
    void javaPackageNamesInAFoldedManifestAreNotDomains() {
        NetworkIndicators found = extract(
                "Export-Package: org.bouncycastle;version=\"1.82\",org.bouncycastle.asn1;ver",
                " org.bouncycastle.crypto,org.bouncycastle.crypto.prng,org.bouncycastle",
                " .math.ec\",org.bouncycastle.crypto.signers;version=\"1.82\";uses:=\"org.b",
                " rg.bouncycastle.jce.spec,org.bouncycastle.math.ec\",org.bouncycastle.j",
                " cajce.provider.asymmetric.ec;version=\"1.82\";uses:=\"javax.crypto,org.b",
                "Require-Capability: osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version=1.8))\"");
        assertThat(found.domains()).isEmpty();
    }

    // The continuation " ass" of this line is too short for the string scanner to deliver.
    @Test
    void manifestEntryNamesAreNotDomainsEvenWhenTheirContinuationIsMissing() {
        NetworkIndicators found = extract(
                "Name: META-INF/versions/9/org/bouncycastle/crypto/engines/AESEngine.cl",
                "SHA-256-Digest: 8CsQ0gNnN0y4jqx0lOQe6u3sTMK5p0m1J0Y0w6m7q9A=");
        assertThat(found.domains()).isEmpty();
    }

    @Test
    void findsHostsInManifestLinesFoldedOrNot() {
        NetworkIndicators found = extract(
                "Bundle-Description: Checks for updates at cdn.example.com each hour, fa",
                " lling back to the mirror at mirror.cdn-updates.net",
                "X-Update-Endpoint: https://cdn.example.com/v1/check and backup.cdn.exam",
                " ple.org",
                "Import-Package: org.example.api;resolution:=optional,org.example.spi;x",
                " -docs=\"https://docs.example.net/spi\"");
        assertThat(found.domains())
                .containsExactlyInAnyOrder(
                        "cdn.example.com", "mirror.cdn-updates.net", "backup.cdn.example.org", "docs.example.net");
        assertThat(found.urls())
                .containsExactlyInAnyOrder("https://cdn.example.com/v1/check", "https://docs.example.net/spi");
    }

    // A Java-names header once held must not hide the bare names of any later string that starts with one space.
    @Test
    void aJavaNamesHeaderEndsAtTheFirstStringThatIsNoManifestLine() {
        NetworkIndicators found = extract(
                "Export-Package: org.example.api;version=\"1.0\"",
                "the payload is fetched from",
                " update-cdn-service.com");
        assertThat(found.domains()).containsExactly("update-cdn-service.com");
    }

    @Test
    void aLineStartingWithOneSpaceAfterAShortLineIsNotAContinuation() {
        NetworkIndicators found = extract("Error: no route", " https://evil-c2.example.com/beacon");
        assertThat(found.urls()).containsExactly("https://evil-c2.example.com/beacon");
    }

    // Issue 4: strings of META-INF/BC2048KE.DSA in bcprov-jdk18on 1.82, the DigiCert chain's AIA and CRL URIs.
    @Test
    void derEncodedUrlsEndBeforeTheNextElementsTag() {
        NetworkIndicators found = extract(
                "http://ocsp.digicert.com0]",
                "http://ocsp.digicert.com0A",
                "Qhttp://cacerts.digicert.com/DigiCertTrustedG4TimeStampingRSA4096SHA2562025CA1.crt0_",
                "5http://cacerts.digicert.com/DigiCertTrustedRootG4.crt0C",
                "2http://crl3.digicert.com/DigiCertTrustedRootG4.crl0 ");
        assertThat(found.urls())
                .containsExactlyInAnyOrder(
                        "http://ocsp.digicert.com",
                        "http://cacerts.digicert.com/DigiCertTrustedG4TimeStampingRSA4096SHA2562025CA1.crt",
                        "http://cacerts.digicert.com/DigiCertTrustedRootG4.crt",
                        "http://crl3.digicert.com/DigiCertTrustedRootG4.crl");
        assertThat(found.domains())
                .containsExactlyInAnyOrder("ocsp.digicert.com", "cacerts.digicert.com", "crl3.digicert.com");
    }

    // libwine's clock.exe manifest: the quote before the URL is 34, and the 34th character after it is a 0.
    @Test
    void aQuoteBeforeAUrlInTextIsNotADerLength() {
        NetworkIndicators found =
                extract("<asmv3:windowsSettings xmlns=\"http://schemas.microsoft.com/SMI/2005/WindowsSettings\">");
        assertThat(found.urls()).containsExactly("http://schemas.microsoft.com/SMI/2005/WindowsSettings");
    }

    // C2 domains of the 3CX payload (shared/data/3cx-indicators.tsv), written as DER would write them.
    @Test
    void findsA3cxC2HostInDerEncoding() {
        NetworkIndicators found = extract(
                "http://akamaicontainer.com0", "(https://msedgepackageinfo.com/icon13.ico0", "azuredeploystore.com0");
        assertThat(found.urls())
                .containsExactlyInAnyOrder("http://akamaicontainer.com", "https://msedgepackageinfo.com/icon13.ico");
        assertThat(found.domains())
                .containsExactlyInAnyOrder("akamaicontainer.com", "msedgepackageinfo.com", "azuredeploystore.com");
    }

    @Test
    void urlsThatReallyEndInADigitKeepIt() {
        NetworkIndicators found = extract("see https://example.com/v10 and http://mirror1.example.net/pub/1.0");
        assertThat(found.urls())
                .containsExactlyInAnyOrder("https://example.com/v10", "http://mirror1.example.net/pub/1.0");
    }

    // Issue 4: printable runs of the compressed streams in bcprov 1.82's jar, @esbuild/win32-x64 0.24.1's tarball and
    // libreoffice-core's data.tar.xz; Go symbol names in esbuild.exe.
    @Test
    void shortNamesFromBinaryNoiseAreNotDomains() {
        NetworkIndicators found = extract("/;ar.bg", "siy.sy", "lq.tr", "5y.hk", "rj.sj", "z-g.eu", "tog.qa", "os.mu");
        assertThat(found.domains()).isEmpty();
    }

    @Test
    void shortNamesInUrlsAndMailAddressesAndLongerBareNamesAreStillDomains() {
        NetworkIndicators found = extract("https://ya.ru/", "contact ops@web.de", "relay mail.ru", "cdn.gov.ua");
        assertThat(found.domains()).containsExactlyInAnyOrder("ya.ru", "web.de", "mail.ru", "cdn.gov.ua");
    }
}
