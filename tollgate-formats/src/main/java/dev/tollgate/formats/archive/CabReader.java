package dev.tollgate.formats.archive;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.cab.CabFile;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Cabinets: each supported folder is decoded once, front to back, and its files are cut out of the stream. */
final class CabReader {

    private CabReader() {}

    static void read(Walk walk) throws IOException, Refusal, FormatException {
        read(walk, walk.content(), Function.identity());
    }

    /** Reads the cabinet {@code content}, reporting each file under {@code rename.apply(its cabinet name)}. */
    static void read(Walk walk, ByteView content, Function<String, String> rename)
            throws IOException, Refusal, FormatException {
        CabFile cab = CabFile.parse(content);
        for (CabFile.File f : cab.files()) {
            if (f.spansCabinets()) {
                walk.problem(
                        ProblemKind.UNSUPPORTED,
                        f.name(),
                        "cabinet file " + f.name() + " continues in another cabinet; not vetted",
                        Map.of("folder", f.folder()));
            }
        }
        for (CabFile.Folder folder : cab.folders()) {
            List<CabFile.File> files = cab.files().stream()
                    .filter(f -> f.folder() == folder.index())
                    .sorted(Comparator.comparingLong(CabFile.File::offset))
                    .toList();
            if (!CabFile.supports(folder.compression())) {
                for (CabFile.File f : files) {
                    walk.problem(
                            ProblemKind.UNSUPPORTED,
                            f.name(),
                            "cabinet file " + f.name() + " is compressed with "
                                    + CabFile.compressionName(folder.compression()) + ", which is not supported yet; "
                                    + "not vetted",
                            Map.of("compression", CabFile.compressionName(folder.compression())));
                }
                continue;
            }
            folder(walk, cab, folder, files, rename);
        }
    }

    private static void folder(
            Walk walk, CabFile cab, CabFile.Folder folder, List<CabFile.File> files, Function<String, String> rename)
            throws IOException, Refusal, FormatException {
        Counting in = new Counting(walk.metered(cab.open(folder)));
        for (CabFile.File f : files) {
            Optional<String> path = walk.admit(f.name(), rename.apply(f.name()));
            if (path.isEmpty()) {
                continue;
            }
            if (f.offset() < in.position) {
                // Two files share bytes: decode the folder again rather than keep it all.
                in = new Counting(walk.metered(cab.open(folder)));
            }
            long gap = f.offset() - in.position;
            if (in.skip(gap) != gap) {
                throw new EOFException("cabinet folder " + folder.index() + " ends before file " + f.name()
                        + " at offset " + f.offset());
            }
            walk.file(Entry.file(f.name(), path.get(), f.size()), new ExactInputStream(in, f.size(), f.name()));
        }
    }

    /** Tracks the position in the folder's uncompressed stream. */
    private static final class Counting extends InputStream {
        private final InputStream in;
        private long position;

        Counting(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                position++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] sink = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }
    }
}
