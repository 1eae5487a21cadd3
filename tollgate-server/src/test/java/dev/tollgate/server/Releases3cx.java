package dev.tollgate.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Releases made in the test from the engine's fixtures (fixtures/README.md): a clean OrbitPhone release, and the
 * 3CX-style update where d3dcompiler_47.dll carries a payload in its certificate table (orbit-sigflip.dll) and
 * ffmpeg.dll is rebuilt with new code under the old version (orbit-trojanized.dll).
 */
final class Releases3cx {

    static final Path FIXTURES = locateFixtures();

    private Releases3cx() {}

    static Http.NamedBytes clean() {
        return zip(
                "OrbitPhone-1.0.0.zip",
                Map.of("ffmpeg.dll", "pe/orbit-signed.dll", "d3dcompiler_47.dll", "pe/orbit-signed.dll"));
    }

    static Http.NamedBytes trojanized() {
        return zip(
                "OrbitPhone-1.1.0.zip",
                Map.of("ffmpeg.dll", "pe/orbit-trojanized.dll", "d3dcompiler_47.dll", "pe/orbit-sigflip.dll"));
    }

    /** An unsigned DLL alone: {@code signature.missing}, which a policy can make hold. */
    static Http.NamedBytes unsigned(String name) {
        return zip(name, Map.of("orbit.dll", "pe/orbit.dll"));
    }

    static String rootPem() {
        try {
            return Files.readString(FIXTURES.resolve("pki/root.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Http.NamedBytes zip(String name, Map<String, String> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : new TreeMap<>(entries).entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTime(0);
                zip.putNextEntry(entry);
                zip.write(Files.readAllBytes(FIXTURES.resolve(e.getValue())));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Http.NamedBytes(name, bytes.toByteArray());
    }

    private static Path locateFixtures() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("fixtures/pe"))) {
                return dir.resolve("fixtures");
            }
        }
        throw new IllegalStateException(
                "fixtures/ not found above " + Path.of("").toAbsolutePath());
    }
}
