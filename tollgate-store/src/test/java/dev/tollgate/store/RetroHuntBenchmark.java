package dev.tollgate.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Times the retro-hunt of {@link IntelRepository#huntFeed} on the local PostgreSQL: 100,000 new indicators (50,000
 * SHA-256, 50,000 domains; about 1% of each naming stored files) against 100,000 and then 1,000,000 synthetic
 * {@code release_files} rows, each with one domain (and its parents in {@code release_file_domains}). Run by {@code
 * bench/retro-hunt.sh}; not a test, so that no test depends on machine speed. Uses a database of its own, dropped at
 * the end.
 */
public final class RetroHuntBenchmark {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final int RELEASES = 1000;
    private static final int INDICATORS = 100_000;

    private RetroHuntBenchmark() {}

    public static void main(String[] args) throws Exception {
        String name = "tollgate_bench_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        try {
            DataSource dataSource =
                    new SimpleDriverDataSource(new org.postgresql.Driver(), SERVER + name, "postgres", "");
            Migrations.apply(dataSource);
            JdbcClient jdbc = JdbcClient.create(dataSource);
            IntelRepository intel = new IntelRepository(dataSource);
            jdbc.sql("""
                    INSERT INTO products (id, vendor, name, max_release_bytes, created_by, created_at)
                    VALUES ('p', 'Bench', 'bench', 1, 'system', CURRENT_TIMESTAMP)""").update();
            jdbc.sql("""
                    INSERT INTO releases (id, product_id, version, file_name, blob_sha256, size_bytes, status, verdict,
                                          approval, submitted_by, created_at)
                    SELECT 'r' || g, 'p', 'v' || g, 'bench.zip', md5('r' || g) || md5('s' || g), 1, 'done', 'allow',
                           'approved', 'system', CURRENT_TIMESTAMP FROM generate_series(0, ?) g""").param(RELEASES - 1).update();
            long loaded = 0;
            System.out.printf(
                    "%-10s %-12s %-12s %-14s %-8s%n", "files", "load (s)", "import (ms)", "hunt (ms)", "hits");
            for (long target : new long[] {100_000, 1_000_000}) {
                long start = System.nanoTime();
                load(jdbc, loaded, target);
                loaded = target;
                jdbc.sql("ANALYZE").update();
                double loadSeconds = (System.nanoTime() - start) / 1e9;

                String feedId = Ids.next();
                intel.insertFeed(new IntelFeedRow(feedId, "bench", "csv", "", 0, 0, 0, "system", Instant.now()));
                long importStart = System.nanoTime();
                intel.insertIndicators(feedId, feed(target, new Random(target)), Instant.now());
                jdbc.sql("ANALYZE intel_indicators").update();
                long importMs = (System.nanoTime() - importStart) / 1_000_000;

                intel.huntFeed(feedId); // once to warm the caches, then measured
                long best = Long.MAX_VALUE;
                int hits = 0;
                for (int run = 0; run < 3; run++) {
                    long huntStart = System.nanoTime();
                    hits = intel.huntFeed(feedId).size();
                    best = Math.min(best, (System.nanoTime() - huntStart) / 1_000_000);
                }
                System.out.printf("%-10d %-12.1f %-12d %-14d %-8d%n", target, loadSeconds, importMs, best, hits);
            }
        } finally {
            try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE " + name);
            }
        }
    }

    /** Files {@code from} (inclusive) to {@code to} (exclusive): hashes from md5 of the number, one domain each. */
    private static void load(JdbcClient jdbc, long from, long to) {
        jdbc.sql("""
                INSERT INTO release_files (id, release_id, path, sha256, sha1, md5, size_bytes, file_type)
                SELECT 'f' || g, 'r' || (g % ?), 'bench.zip!file' || g || '.dll', md5('a' || g) || md5('b' || g),
                       substr(md5('c' || g) || md5('d' || g), 1, 40), md5('e' || g), 1000, 'pe'
                FROM generate_series(?, ?) g""").params(RELEASES, from, to - 1).update();
        jdbc.sql("""
                INSERT INTO release_file_indicators (release_file_id, indicator_type, indicator_value)
                SELECT 'f' || g, 'domain', 'h' || g || '.vendor' || (g % 5000) || '.example'
                FROM generate_series(?, ?) g""").params(from, to - 1).update();
        jdbc.sql("""
                INSERT INTO release_file_domains (release_file_id, domain, observed)
                SELECT 'f' || g, d.domain, 'h' || g || '.vendor' || (g % 5000) || '.example'
                FROM generate_series(?, ?) g CROSS JOIN LATERAL (VALUES
                    ('h' || g || '.vendor' || (g % 5000) || '.example'),
                    ('vendor' || (g % 5000) || '.example'),
                    ('example')) AS d(domain)""").params(from, to - 1).update();
    }

    /**
     * 50,000 SHA-256 and 50,000 domains: 500 of each name stored files (host names exactly), 10 domains are vendors'
     * parent domains (each the parent of one file in 5,000), the rest name nothing stored.
     */
    private static List<IntelRepository.NewIndicator> feed(long files, Random random) throws Exception {
        List<IntelRepository.NewIndicator> out = new ArrayList<>(INDICATORS);
        java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < INDICATORS / 2; i++) {
            String value;
            if (i < 500) {
                long g = (long) (random.nextDouble() * files);
                value = hex.formatHex(md5.digest(("a" + g).getBytes()))
                        + hex.formatHex(md5.digest(("b" + g).getBytes()));
            } else {
                byte[] bytes = new byte[32];
                random.nextBytes(bytes);
                value = hex.formatHex(bytes);
            }
            out.add(new IntelRepository.NewIndicator("sha256", value, null));
        }
        for (int i = 0; i < INDICATORS / 2; i++) {
            String value;
            if (i < 500) {
                long g = (long) (random.nextDouble() * files);
                value = "h" + g + ".vendor" + (g % 5000) + ".example";
            } else if (i < 510) {
                value = "vendor" + random.nextInt(5000) + ".example";
            } else {
                value = "c2-" + Long.toHexString(random.nextLong()) + ".example.net";
            }
            out.add(new IntelRepository.NewIndicator("domain", value, null));
        }
        return out;
    }
}
