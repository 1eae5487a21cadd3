package dev.tollgate.intel;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

/**
 * Writes a large CSV feed shaped like the aggregated feeds firms subscribe to: mostly file hashes, then domains, URLs
 * and IP addresses, with descriptions drawn from a few dozen malware families. Deterministic for a given seed.
 */
final class MillionIndicatorFeed {

    static final int SHA256 = 600_000;
    static final int SHA1 = 150_000;
    static final int MD5 = 100_000;
    static final int DOMAINS = 100_000;
    static final int URLS = 30_000;
    static final int IPS = 20_000;
    static final int TOTAL = SHA256 + SHA1 + MD5 + DOMAINS + URLS + IPS;

    private static final HexFormat HEX = HexFormat.of();

    private MillionIndicatorFeed() {}

    /** Writes the feed; returns a SHA-256, a domain and an IP that it contains, to look up afterwards. */
    static String[] write(Path file, long seed) throws IOException {
        Random random = new Random(seed);
        String[] samples = new String[3];
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("type,value,description\n");
            for (int i = 0; i < SHA256; i++) {
                String value = hex(random, 32);
                if (i == SHA256 / 2) {
                    samples[0] = value;
                }
                line(out, "sha256", value, random);
            }
            for (int i = 0; i < SHA1; i++) {
                line(out, "sha1", hex(random, 20), random);
            }
            for (int i = 0; i < MD5; i++) {
                line(out, "md5", hex(random, 16), random);
            }
            for (int i = 0; i < DOMAINS; i++) {
                String value = "d" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + ".example";
                if (i == DOMAINS / 2) {
                    samples[1] = value;
                }
                line(out, "domain", value, random);
            }
            for (int i = 0; i < URLS; i++) {
                line(
                        out,
                        "url",
                        "https://u" + Integer.toString(random.nextInt() & Integer.MAX_VALUE, 36) + ".example/p/" + i,
                        random);
            }
            for (int i = 0; i < IPS; i++) {
                String value = "10." + (i >> 16 & 0xFF) + "." + (i >> 8 & 0xFF) + "." + (i & 0xFF);
                if (i == IPS / 2) {
                    samples[2] = value;
                }
                line(out, "ipv4", value, random);
            }
        }
        return samples;
    }

    static String hex(Random random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HEX.formatHex(b);
    }

    private static void line(BufferedWriter out, String type, String value, Random random) throws IOException {
        out.write(type);
        out.write(',');
        out.write(value);
        out.write(",family-");
        out.write(Integer.toString(random.nextInt(40)));
        out.write('\n');
    }
}
