package dev.tollgate.intel;

import dev.tollgate.analysis.RecordAnalyzer;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import dev.tollgate.model.FindingCode;
import dev.tollgate.model.SignatureInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Matches each vetted file against threat intel: its SHA-256, SHA-1 and MD5; its signers' certificate serials and
 * SHA-256 and SHA-1 thumbprints; and the domains, URLs (and their hosts) and IP addresses the engine extracted from its content.
 * Each (indicator, feed entry) pair yields at most one finding per file, with the indicator's value, what matched, and
 * the indicator's name, feed, author and id in the evidence. Findings are {@code intel.hash}, {@code intel.domain},
 * {@code intel.url}, {@code intel.ip} (docs/DESIGN.md, "Finding codes") and {@code intel.certificate}, all critical by default.
 */
public final class IntelAnalyzer implements RecordAnalyzer {

    public static final String HASH = "intel.hash";
    public static final String DOMAIN = "intel.domain";
    public static final String URL = "intel.url";
    public static final String IP = "intel.ip";
    public static final String CERTIFICATE = "intel.certificate";

    /** The finding codes this analyzer emits. */
    public static final Set<String> CODES = Set.of(HASH, DOMAIN, URL, IP, CERTIFICATE);

    private static final int MAX_DESCRIPTION = 500;

    private final IndicatorIndex index;

    public IntelAnalyzer(IndicatorIndex index) {
        this.index = Objects.requireNonNull(index, "index");
    }

    @Override
    public String name() {
        return "intel";
    }

    @Override
    public List<Finding> analyze(FileRecord file) {
        Hits hits = new Hits(file.path());
        hits.add(
                HASH,
                file.hashes().sha256(),
                index.matchFileHash(IndicatorType.SHA256, file.hashes().sha256()),
                Map.of());
        hits.add(
                HASH,
                file.hashes().sha1(),
                index.matchFileHash(IndicatorType.SHA1, file.hashes().sha1()),
                Map.of());
        hits.add(
                HASH,
                file.hashes().md5(),
                index.matchFileHash(IndicatorType.MD5, file.hashes().md5()),
                Map.of());
        for (SignatureInfo signature : file.signatures()) {
            Map<String, Object> signer = Map.of("signer", signature.signer(), "issuer", signature.issuer());
            if (!signature.thumbprintSha256().isEmpty()) {
                hits.add(
                        CERTIFICATE,
                        signature.thumbprintSha256(),
                        index.matchCertificate(IndicatorType.CERT_SHA256, signature.thumbprintSha256()),
                        signer);
            }
            if (!signature.thumbprintSha1().isEmpty()) {
                hits.add(
                        CERTIFICATE,
                        signature.thumbprintSha1(),
                        index.matchCertificate(IndicatorType.CERT_SHA1, signature.thumbprintSha1()),
                        signer);
            }
            if (!signature.serial().isEmpty()) {
                hits.add(
                        CERTIFICATE,
                        signature.serial(),
                        index.matchCertificate(IndicatorType.CERT_SERIAL, signature.serial()),
                        signer);
            }
        }
        for (String domain : file.indicators().domains()) {
            hits.add(DOMAIN, domain, index.matchDomain(domain), Map.of());
        }
        for (String ip : file.indicators().ips()) {
            hits.add(IP, ip, index.matchIp(ip), Map.of());
        }
        for (String url : file.indicators().urls()) {
            hits.add(URL, url, index.matchUrl(url), Map.of());
            IndicatorValues.ParsedUrl parsed;
            try {
                parsed = IndicatorValues.ParsedUrl.parse(url);
            } catch (IllegalArgumentException e) {
                continue;
            }
            // a URL's host is a network indicator of its own, even when the engine listed only the URL
            Map<String, Object> via = Map.of("url", url);
            if (parsed.hostIsIp()) {
                hits.add(IP, parsed.host(), index.matchIp(parsed.host()), via);
            } else {
                hits.add(DOMAIN, parsed.host(), index.matchDomain(parsed.host()), via);
            }
        }
        return hits.findings;
    }

    /** Findings for one file, one per indicator and feed entry. */
    private static final class Hits {
        private final String path;
        private final List<Finding> findings = new ArrayList<>();
        private final Set<Indicator> seen = new HashSet<>();

        Hits(String path) {
            this.path = path;
        }

        void add(String code, String matched, List<Indicator> indicators, Map<String, Object> extra) {
            for (Indicator indicator : indicators) {
                if (seen.add(indicator)) {
                    findings.add(finding(code, matched, indicator, extra));
                }
            }
        }

        private Finding finding(String code, String matched, Indicator indicator, Map<String, Object> extra) {
            IndicatorSource source = indicator.source();
            Map<String, Object> evidence = new LinkedHashMap<>(extra);
            evidence.put("indicator", indicator.value());
            evidence.put("indicatorType", indicator.type().label());
            evidence.put("algorithm", indicator.type().algorithm());
            evidence.put("matched", matched);
            evidence.put("name", source.name());
            evidence.put("feed", source.feed());
            evidence.put("feedFormat", source.format().label());
            source.id().ifPresent(id -> evidence.put("id", id));
            source.author().ifPresent(author -> evidence.put("author", author));
            source.description()
                    .ifPresent(d -> evidence.put(
                            "description", d.length() > MAX_DESCRIPTION ? d.substring(0, MAX_DESCRIPTION) + "..." : d));
            // Every intel code is in the catalog (FindingCodeCatalogTest), critical by default.
            return Finding.of(FindingCode.of(code).orElseThrow(), path, message(code, matched, indicator), evidence);
        }

        private static String message(String code, String matched, Indicator indicator) {
            IndicatorSource source = indicator.source();
            String what =
                    switch (code) {
                        case HASH -> "the file's " + indicator.type().algorithm() + " is";
                        case CERTIFICATE ->
                            "the signing certificate's " + indicator.type().algorithm() + " " + matched + " is";
                        default -> {
                            String kind = code.substring("intel.".length());
                            yield matched.equals(indicator.value())
                                    ? "the file contains " + kind + " " + matched + ", which is"
                                    : "the file contains " + kind + " " + matched + ", covered by " + indicator.value()
                                            + ",";
                        }
                    };
            return what + " in threat intel: " + IndicatorValues.clip(source.name()) + " (" + source.feed() + ")";
        }
    }
}
