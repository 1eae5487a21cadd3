package dev.tollgate.formats.cab;

import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.cab.LzxTestEncoder.Block;
import dev.tollgate.formats.cab.LzxTestEncoder.Frame;
import dev.tollgate.formats.cab.LzxTestEncoder.Kind;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Measures LZX decode throughput (MB of output per CPU second of the decoding thread). Run by {@code
 * bench/lzx-decode.sh}; not a test, so that no unit test depends on machine speed. Input: the files given as
 * arguments (default: the JDK's lib/modules, a realistic mix of code and data), truncated to 16 MiB, encoded once by
 * {@link LzxTestEncoder} with a 2 MiB window and E8 translation, then decoded repeatedly.
 */
public final class LzxDecodeBenchmark {

    private LzxDecodeBenchmark() {}

    public static void main(String[] args) throws IOException, FormatException {
        Path input = args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.home"), "lib", "modules");
        int limit = args.length > 1 ? Integer.parseInt(args[1]) << 20 : 16 << 20;
        byte[] data;
        try (var in = Files.newInputStream(input)) {
            data = in.readNBytes(limit);
        }
        long encodeStart = System.nanoTime();
        // blocks of 1 MiB (a block's size field has 24 bits), alternately verbatim and aligned
        List<Block> plan = new java.util.ArrayList<>();
        for (int i = 0; i <= data.length >> 20; i++) {
            plan.add(new Block(i % 2 == 0 ? Kind.VERBATIM : Kind.ALIGNED, 1 << 20));
        }
        List<Frame> frames = LzxTestEncoder.encode(data, 21, 12_000_000, plan);
        long compressed = frames.stream().mapToLong(f -> f.data().length).sum();
        System.out.printf(
                "input %s: %,d bytes, LZX %,d bytes (%.1f%%), encoded in %d ms%n",
                input,
                data.length,
                compressed,
                100.0 * compressed / data.length,
                (System.nanoTime() - encodeStart) / 1_000_000);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 6; round++) {
            long wall = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            long out = 0;
            LzxDecoder decoder = LzxDecoder.forWindow(21, 0);
            for (Frame f : frames) {
                out += decoder.decode(f.data(), f.uncompressed(), 0).length;
            }
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
            double wallSeconds = (System.nanoTime() - wall) / 1e9;
            System.out.printf(
                    "%s round %d: %,d bytes out, %.1f MB/s per CPU second (%.1f MB/s wall)%n",
                    round < 2 ? "warm-up" : "measured", round, out, out / 1e6 / cpuSeconds, out / 1e6 / wallSeconds);
        }
    }
}
