package dev.tollgate.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class IndicatorIndexTest {

    private static final IndicatorSource FEED = new IndicatorSource(
            "feed.csv", FeedFormat.CSV, "test", Optional.empty(), Optional.empty(), Optional.empty());
    private static final IndicatorSource OTHER = new IndicatorSource(
            "other.csv", FeedFormat.CSV, "other", Optional.empty(), Optional.empty(), Optional.empty());

    private static IndicatorIndex index(IndicatorType type, String... values) {
        IndicatorIndex.Builder builder = IndicatorIndex.builder();
        for (String value : values) {
            builder.add(Indicator.of(type, value, FEED));
        }
        return builder.build();
    }

    @Test
    void domainMatchesItselfAndEverySubdomain() {
        IndicatorIndex index = index(IndicatorType.DOMAIN, "example.com");

        assertThat(index.matchDomain("example.com"))
                .extracting(Indicator::value)
                .containsExactly("example.com");
        assertThat(index.matchDomain("cdn.example.com"))
                .extracting(Indicator::value)
                .containsExactly("example.com");
        assertThat(index.matchDomain("a.b.c.example.com")).hasSize(1);
    }

    @Test
    void domainDoesNotMatchAMereStringSuffixOrAParent() {
        IndicatorIndex index = index(IndicatorType.DOMAIN, "example.com", "cdn.example.org");

        assertThat(index.matchDomain("notexample.com")).isEmpty();
        assertThat(index.matchDomain("example.com.evil.net")).isEmpty();
        assertThat(index.matchDomain("example.org")).isEmpty();
        assertThat(index.matchDomain("com")).isEmpty();
    }

    @Test
    void domainMatchingIgnoresCaseTrailingDotsAndUnicodeSpelling() {
        IndicatorIndex index = index(IndicatorType.DOMAIN, "MSStorageAzure.COM.", "bücher.example");

        assertThat(index.matchDomain("update.msstorageazure.com.")).hasSize(1);
        assertThat(index.matchDomain("xn--bcher-kva.example"))
                .extracting(Indicator::value)
                .containsExactly("xn--bcher-kva.example");
        assertThat(index.matchDomain("WWW.BÜCHER.example")).hasSize(1);
    }

    @Test
    void bothParentAndChildIndicatorsAreReported() {
        IndicatorIndex index = index(IndicatorType.DOMAIN, "journalide.org", "www.journalide.org");

        assertThat(index.matchDomain("www.journalide.org"))
                .extracting(Indicator::value)
                .containsExactly("www.journalide.org", "journalide.org");
    }

    @Test
    void hashesMatchInAnyCaseAndOnlyTheirOwnAlgorithm() {
        String sha = "7986bbaee8940da11ce089383521ab420c443ab7b15ed42aed91fd31ce833896";
        IndicatorIndex index = index(IndicatorType.SHA256, sha.toUpperCase(java.util.Locale.ROOT));

        assertThat(index.matchFileHash(IndicatorType.SHA256, sha))
                .extracting(Indicator::value)
                .containsExactly(sha);
        assertThat(index.matchFileHash(IndicatorType.SHA256, sha.toUpperCase(java.util.Locale.ROOT)))
                .hasSize(1);
        assertThat(index.matchFileHash(IndicatorType.SHA256, sha.replace('7', '8')))
                .isEmpty();
        assertThat(index.matchFileHash(IndicatorType.MD5, sha.substring(0, 32))).isEmpty();
        assertThat(index.matchFileHash(IndicatorType.SHA256, "not hex")).isEmpty();
    }

    @Test
    void sha1DigestsDifferingOnlyInTheirLastDigitsAreDistinct() {
        String a = "bf939c9c261d27ee7bb92325cc588624fca75429";
        String b = "bf939c9c261d27ee7bb92325cc588624fca75420";
        IndicatorIndex index = index(IndicatorType.SHA1, a);

        assertThat(index.matchFileHash(IndicatorType.SHA1, a)).hasSize(1);
        assertThat(index.matchFileHash(IndicatorType.SHA1, b)).isEmpty();
    }

    @Test
    void theSameHashFromTwoFeedsNamesBothAndDuplicatesCollapse() {
        String md5 = "660ea9b8205fbd2da59fefd26ae5115c";
        IndicatorIndex index = IndicatorIndex.builder()
                .add(Indicator.of(IndicatorType.MD5, md5, FEED))
                .add(Indicator.of(IndicatorType.MD5, md5, OTHER))
                .add(Indicator.of(IndicatorType.MD5, md5, FEED))
                .build();

        assertThat(index.matchFileHash(IndicatorType.MD5, md5))
                .extracting(i -> i.source().feed())
                .containsExactlyInAnyOrder("feed.csv", "other.csv");
        assertThat(index.size(IndicatorType.MD5)).isEqualTo(2);
    }

    @Test
    void manyHashesAllFoundAfterSorting() {
        IndicatorIndex.Builder builder = IndicatorIndex.builder();
        java.util.Random random = new java.util.Random(7);
        String[] values = new String[5000];
        for (int i = 0; i < values.length; i++) {
            values[i] = String.format(
                    "%016x%016x%016x%016x", random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
            builder.add(Indicator.of(IndicatorType.SHA256, values[i], FEED));
        }
        IndicatorIndex index = builder.build();

        for (String value : values) {
            assertThat(index.matchFileHash(IndicatorType.SHA256, value)).hasSize(1);
        }
        assertThat(index.matchFileHash(IndicatorType.SHA256, "0".repeat(64))).isEmpty();
        assertThat(index.matchFileHash(IndicatorType.SHA256, "f".repeat(64))).isEmpty();
    }

    @Test
    void urlsMatchAfterNormalization() {
        IndicatorIndex index =
                index(IndicatorType.URL, "HTTPS://Raw.GitHubUserContent.com:443/IconStorages/images/main/icon13.ico");

        assertThat(index.matchUrl("https://raw.githubusercontent.com/IconStorages/images/main/icon13.ico"))
                .hasSize(1);
        assertThat(index.matchUrl("https://raw.githubusercontent.com/IconStorages/images/main/icon13.ico#x"))
                .hasSize(1);
        assertThat(index.matchUrl("https://raw.githubusercontent.com/iconstorages/images/main/icon13.ico"))
                .isEmpty();
        assertThat(index.matchUrl("https://raw.githubusercontent.com:8443/IconStorages/images/main/icon13.ico"))
                .isEmpty();
        assertThat(index.matchUrl("not a url")).isEmpty();
    }

    @Test
    void urlNormalizationRules() {
        assertThat(IndicatorType.URL.normalize("http://Example.COM")).isEqualTo("http://example.com/");
        assertThat(IndicatorType.URL.normalize("http://example.com:80/a?b")).isEqualTo("http://example.com/a?b");
        assertThat(IndicatorType.URL.normalize("https://example.com:8443?q")).isEqualTo("https://example.com:8443/?q");
        assertThat(IndicatorType.URL.normalize("example.com/path")).isEqualTo("http://example.com/path");
        assertThat(IndicatorType.URL.normalize("http://[2001:DB8::1]:80/")).isEqualTo("http://[2001:db8::1]/");
        assertThat(IndicatorType.URL.normalize("http://user@host.example/")).isEqualTo("http://user@host.example/");
        assertThat(IndicatorType.URL.normalize("evil.example/r?u=http://x"))
                .isEqualTo("http://evil.example/r?u=http://x");
        assertThatThrownBy(() -> IndicatorType.URL.normalize("http://exa mple.com/"))
                .hasMessageContaining("whitespace");
        assertThatThrownBy(() -> IndicatorType.URL.normalize("http:///path")).hasMessageContaining("no host");
        assertThatThrownBy(() -> IndicatorType.URL.normalize("http://host.example:99999/"))
                .hasMessageContaining("bad port");
    }

    @Test
    void ipsMatchExactlyAndWithinNetworks() {
        IndicatorIndex index =
                index(IndicatorType.IP, "198.51.100.0/24", "203.0.113.7", "2001:db8::/32", "2001:db8:1::5");

        assertThat(index.matchIp("198.51.100.200")).extracting(Indicator::value).containsExactly("198.51.100.0/24");
        assertThat(index.matchIp("198.51.101.1")).isEmpty();
        assertThat(index.matchIp("203.0.113.7")).hasSize(1);
        assertThat(index.matchIp("203.0.113.8")).isEmpty();
        assertThat(index.matchIp("2001:0DB8:0001:0000:0000:0000:0000:0005"))
                .extracting(Indicator::value)
                .containsExactlyInAnyOrder("2001:db8::/32", "2001:db8:1::5");
        assertThat(index.matchIp("2001:db9::1")).isEmpty();
        assertThat(index.matchIp("::ffff:203.0.113.7")).hasSize(1);
        assertThat(index.matchIp("example.com")).isEmpty();
    }

    @Test
    void ipNormalizationIsStrictAndNeverResolvesNames() {
        assertThat(IndicatorType.IP.normalize("10.1.2.3/16")).isEqualTo("10.1.0.0/16");
        assertThat(IndicatorType.IP.normalize("10.1.2.3/32")).isEqualTo("10.1.2.3");
        assertThat(IndicatorType.IP.normalize("2001:DB8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IndicatorType.IP.normalize("2001:db8::/128")).isEqualTo("2001:db8::");
        assertThatThrownBy(() -> IndicatorType.IP.normalize("localhost")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> IndicatorType.IP.normalize("10.1")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> IndicatorType.IP.normalize("256.1.1.1")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> IndicatorType.IP.normalize("10.0.0.0/33")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> IndicatorType.IP.normalize("0.0.0.0/0")).hasMessageContaining("too broad");
        assertThatThrownBy(() -> IndicatorType.IP.normalize("fe80::1%eth0")).hasMessageContaining("not an IP address");
    }

    @Test
    void certificateSerialsIgnoreSeparatorsCaseAndDerLeadingZeros() {
        IndicatorIndex index = index(IndicatorType.CERT_SERIAL, "00:1B:66:11:DF:9C:9A:4D:6E:CC:8E:D5:0C:9B:91:78:73");

        assertThat(index.matchCertificate(IndicatorType.CERT_SERIAL, "1b6611df9c9a4d6ecc8ed50c9b917873"))
                .extracting(Indicator::value)
                .containsExactly("1b6611df9c9a4d6ecc8ed50c9b917873");
        assertThat(index.matchCertificate(IndicatorType.CERT_SERIAL, "1b6611df9c9a4d6ecc8ed50c9b917874"))
                .isEmpty();
        assertThat(index.matchCertificate(IndicatorType.CERT_SHA256, "1b6611df9c9a4d6ecc8ed50c9b917873"))
                .isEmpty();
    }

    @Test
    void domainIndicatorsMustBeSpecificEnough() {
        assertThatThrownBy(() -> IndicatorType.DOMAIN.normalize("com")).hasMessageContaining("at least two labels");
        assertThatThrownBy(() -> IndicatorType.DOMAIN.normalize("192.0.2.1")).hasMessageContaining("looks like an IP");
        assertThatThrownBy(() -> IndicatorType.DOMAIN.normalize("a..example"))
                .hasMessageContaining("not a domain name");
        assertThatThrownBy(() -> IndicatorType.DOMAIN.normalize("x".repeat(64) + ".example"))
                .hasMessageContaining("not a domain name");
    }

    @Test
    void indicatorsMustBeCanonicalAndTheBuilderIsSingleUse() {
        assertThatThrownBy(() -> new Indicator(IndicatorType.MD5, "660EA9B8205FBD2DA59FEFD26AE5115C", FEED))
                .hasMessageContaining("not in canonical form");
        IndicatorIndex.Builder builder = IndicatorIndex.builder();
        builder.build();
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void emptyIndexMatchesNothing() {
        IndicatorIndex index = IndicatorIndex.empty();

        assertThat(index.size()).isZero();
        assertThat(index.matchFileHash(IndicatorType.MD5, "660ea9b8205fbd2da59fefd26ae5115c"))
                .isEmpty();
        assertThat(index.matchDomain("example.com")).isEmpty();
        assertThat(index.matchIp("192.0.2.1")).isEmpty();
    }
}
