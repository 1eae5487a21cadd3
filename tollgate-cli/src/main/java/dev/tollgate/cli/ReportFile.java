package dev.tollgate.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a report file atomically: into a temporary file in the same directory, then renamed over the target, so a
 * reader (or a CI step) never sees half a report and a failed scan leaves any previous report intact. A target that
 * exists but is not a regular file ({@code /dev/null}, a FIFO) is written in place.
 */
final class ReportFile {

    /** Produces the content. */
    @FunctionalInterface
    interface Content {
        void writeTo(Writer out) throws IOException;
    }

    private ReportFile() {}

    static void write(Path target, Content content) throws IOException {
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            // A device or FIFO such as /dev/null or /dev/stdout: renaming over it would replace the device.
            try (Writer out = new OutputStreamWriter(
                    Files.newOutputStream(target, StandardOpenOption.WRITE), StandardCharsets.UTF_8)) {
                content.writeTo(out);
            }
            return;
        }
        // Through a symbolic link, replace the file it points at rather than the link.
        Path absolute = Files.exists(target) ? target.toRealPath() : target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        try {
            try (Writer out = new OutputStreamWriter(Files.newOutputStream(temp), StandardCharsets.UTF_8)) {
                content.writeTo(out);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
