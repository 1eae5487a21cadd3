package dev.tollgate.engine;

import dev.tollgate.model.Hashes;

/**
 * The SHA-256, SHA-1 and MD5 of one stream of bytes, fed in pieces. Reused: {@link #finish} gives the digests of
 * everything fed since the last {@code finish} and starts again. Not thread-safe: one per file being read.
 *
 * <p>Two implementations: {@link FusedDigests}, Tollgate's own kernel that computes the three in one interleaved pass
 * (about as fast as MD5 alone), and {@link Separate}, three {@link DigestStream}s (libcrypto or the JDK). The system
 * property {@value DigestStream#PROPERTY} picks: {@code fused}, {@code openssl}, {@code jdk} or {@code auto} (default:
 * the kernel when it loaded and passed its known-answer checks, else as {@link DigestStream} chooses).
 */
sealed interface FileDigests extends AutoCloseable permits FusedDigests, FileDigests.Separate {

    void update(byte[] bytes, int offset, int length);

    /**
     * Feeds {@code bytes[offset, offset + length)} and adds each byte value's count to {@code histogram[value]}: the
     * profiler's entropy counts come from the same pass (the one-pass kernel counts them while it hashes).
     *
     * @throws IllegalArgumentException when {@code histogram} does not have 256 counters
     */
    void update(byte[] bytes, int offset, int length, long[] histogram);

    /** Whether {@link #update(byte[], int, int, long[], long[], long)} marks dots and colons. */
    boolean marksPunctuation();

    /**
     * As {@link #update(byte[], int, int, long[])}, and, when {@link #marksPunctuation}, also sets bit
     * {@code markBit + i} of {@code marks} (bit {@code k} is bit {@code k % 64} of {@code marks[k / 64]}) for each
     * {@code bytes[offset + i]} that is a dot or a colon: the string scanner then visits only those bytes
     * ({@link StringScanner#scan(byte[], long, int, long, long, long[], StringScanner.Sink)}). The caller clears the
     * bits beforehand. Implementations that do not mark leave {@code marks} alone.
     *
     * @throws IllegalArgumentException when {@code histogram} does not have 256 counters, or {@code marks} cannot hold
     *     the bits
     */
    void update(byte[] bytes, int offset, int length, long[] histogram, long[] marks, long markBit);

    Hashes finish();

    /** Frees what the digests hold outside the Java heap; they are unusable afterwards. */
    @Override
    void close();

    /**
     * Digests by the implementation {@value DigestStream#PROPERTY} names.
     *
     * @throws IllegalStateException when {@code fused} or {@code openssl} is named and cannot be used, saying why
     */
    static FileDigests create() {
        return fusedChosen() ? new FusedDigests() : new Separate(DigestStream.useLibcrypto());
    }

    /** Whether {@value DigestStream#PROPERTY} asks for the one-pass kernel: {@code fused}, or {@code auto} when usable. */
    private static boolean fusedChosen() {
        String choice = System.getProperty(DigestStream.PROPERTY, "auto");
        return choice.equals("fused") || (choice.equals("auto") && FusedDigests.available());
    }

    /** Three separate streams, by libcrypto or by the JDK, as asked (tests compare the implementations). */
    static FileDigests separate(boolean libcrypto) {
        return new Separate(libcrypto);
    }

    /** Which implementation {@link #create} gives, in words for {@code --version}. */
    static String describe() {
        if (fusedChosen()) {
            return FusedDigests.available()
                    ? "one pass by " + FusedDigests.library()
                    : "none: the one-pass kernel was asked for and cannot be used (" + FusedDigests.unavailableReason()
                            + ")";
        }
        boolean auto = System.getProperty(DigestStream.PROPERTY, "auto").equals("auto");
        String why = auto ? "; no one-pass kernel: " + FusedDigests.unavailableReason() : "";
        return "three passes by " + DigestStream.describe() + why;
    }

    static void checkHistogram(long[] histogram) {
        if (histogram.length != 256) {
            throw new IllegalArgumentException("a byte histogram has 256 counters, not " + histogram.length);
        }
    }

    /** SHA-256, SHA-1 and MD5 as three {@link DigestStream}s, each fed every piece in turn. */
    final class Separate implements FileDigests {

        private final DigestStream sha256;
        private final DigestStream sha1;
        private final DigestStream md5;
        private final ByteCounter counter = new ByteCounter();

        private Separate(boolean libcrypto) {
            DigestStream first = DigestStream.create(DigestStream.Algorithm.SHA_256, libcrypto);
            DigestStream second = null;
            try {
                second = DigestStream.create(DigestStream.Algorithm.SHA_1, libcrypto);
                md5 = DigestStream.create(DigestStream.Algorithm.MD5, libcrypto);
            } catch (RuntimeException e) {
                first.close();
                if (second != null) {
                    second.close();
                }
                throw e;
            }
            sha256 = first;
            sha1 = second;
        }

        @Override
        public void update(byte[] bytes, int offset, int length) {
            sha256.update(bytes, offset, length);
            sha1.update(bytes, offset, length);
            md5.update(bytes, offset, length);
        }

        @Override
        public void update(byte[] bytes, int offset, int length, long[] histogram) {
            checkHistogram(histogram);
            update(bytes, offset, length);
            counter.add(bytes, offset, offset + length, histogram);
        }

        @Override
        public boolean marksPunctuation() {
            return false;
        }

        @Override
        public void update(byte[] bytes, int offset, int length, long[] histogram, long[] marks, long markBit) {
            update(bytes, offset, length, histogram);
        }

        @Override
        public Hashes finish() {
            return new Hashes(sha256.finishHex(), sha1.finishHex(), md5.finishHex());
        }

        @Override
        public void close() {
            sha256.close();
            sha1.close();
            md5.close();
        }
    }
}
