package dev.tollgate.formats.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.formats.ByteView;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporary unpack directories do not outlive their run: removed when the JVM is stopped by SIGINT or SIGTERM (a
 * shutdown hook), and, when a run was killed outright, by the next run: only directories of this kind, and only when
 * the process named in them is gone.
 */
class SpoolCleanupTest {

    @TempDir
    Path root;

    /** Unpacks sample.tar.gz with every entry spooled to disk, so that the private directory is made. */
    private static void unpackToDisk(Path root, EntryVisitor visitor) throws IOException {
        byte[] bytes = Collected.fixture("sample.tar.gz");
        try (Unpacker u = Unpacker.create(Limits.defaults().withMemoryThreshold(1), bytes.length, root)) {
            u.unpack("sample.tar.gz", ByteView.of(bytes), ContainerType.GZIP, 0, visitor);
        }
    }

    private List<String> children() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void theDirectoryNameCarriesThePid() throws IOException {
        String[] seen = new String[1];
        unpackToDisk(root, new Collected() {
            @Override
            public void file(Entry entry, ByteView content) {
                try {
                    seen[0] = children().getFirst();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });

        assertThat(seen[0])
                .startsWith("tollgate-unpack-" + ProcessHandle.current().pid() + "-");
        assertThat(children()).isEmpty();
    }

    @Test
    void removesTheStaleDirectoriesOfDeadRunsOnly() throws Exception {
        Process live = new ProcessBuilder("sleep", "60").start();
        try {
            long dead = deadPid();
            Path stale = Files.createDirectories(root.resolve("tollgate-unpack-" + dead + "-123"));
            Files.writeString(stale.resolve("entry-1.bin"), "left by a killed run");
            Files.createDirectories(root.resolve("tollgate-unpack-" + live.pid() + "-456"));
            Files.createDirectories(root.resolve("tollgate-unpack-" + dead + "-notmine"));
            Files.createDirectories(root.resolve("other-" + dead + "-789"));
            Files.createDirectories(root.resolve("tollgate-unpack-4242424242"));

            unpackToDisk(root, new Collected());

            assertThat(children())
                    .containsExactlyInAnyOrder(
                            "tollgate-unpack-" + live.pid() + "-456",
                            "tollgate-unpack-" + dead + "-notmine",
                            "other-" + dead + "-789",
                            "tollgate-unpack-4242424242");
        } finally {
            live.destroy();
        }
    }

    @Test
    @Timeout(60)
    void sigtermRemovesTheDirectory() throws Exception {
        stopsAndCleansUp(Process::destroy);
    }

    @Test
    @Timeout(60)
    void sigintRemovesTheDirectory() throws Exception {
        stopsAndCleansUp(p -> {
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(p.pid()))
                        .start()
                        .waitFor();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void stopsAndCleansUp(java.util.function.Consumer<Process> signal) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        SpoolCleanupTest.class.getName(),
                        root.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                // the child's other output, if any
            }
            assertThat(line).isEqualTo("ready");
            assertThat(children()).singleElement().asString().startsWith("tollgate-unpack-" + child.pid() + "-");

            signal.accept(child);

            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(children()).isEmpty();
    }

    /** The child: unpacks to disk under {@code args[0]} and waits, mid-entry, to be stopped. */
    public static void main(String[] args) throws Exception {
        unpackToDisk(Path.of(args[0]), new Collected() {
            @Override
            public void file(Entry entry, ByteView content) {
                System.out.println("ready");
                System.out.flush();
                try {
                    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }
}
