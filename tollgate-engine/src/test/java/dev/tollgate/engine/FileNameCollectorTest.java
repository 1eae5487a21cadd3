package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FileNameCollectorTest {

    @Test
    void keepsTheFileNameOfPathsAndBareNames() {
        FileNameCollector c = new FileNameCollector();
        c.accept("%s\\D3DCompiler_47.dll");
        c.accept("C:\\Program Files\\3CXDesktopApp\\app\\ffmpeg.dll");
        c.accept("/usr/lib/libssl.so.3 and update.exe");

        assertThat(c.names()).containsExactly("d3dcompiler_47.dll", "ffmpeg.dll", "libssl.so", "update.exe");
    }

    @Test
    void ignoresOtherExtensionsAndRunOnExtensions() {
        FileNameCollector c = new FileNameCollector();
        c.accept("readme.txt config.json foo.dllx .dll 1.2.3");

        assertThat(c.names()).isEmpty();
    }

    @Test
    void readsOnlyItsPartOfALargerArray() {
        // Read beyond its part, the collector would see "xffmpeg.dll" and "update.exex".
        byte[] text = "xffmpeg.dll or UPDATE.EXEx".getBytes(StandardCharsets.US_ASCII);
        FileNameCollector c = new FileNameCollector();

        c.accept(text, 1, text.length - 2);

        assertThat(c.names()).containsExactly("ffmpeg.dll", "update.exe");
    }

    @Test
    void boundsTheNumberOfNamesAHostileFileCanAdd() {
        FileNameCollector c = new FileNameCollector();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            s.append("f").append(i).append(".dll ");
        }
        c.accept(s.toString());

        assertThat(c.names()).hasSize(FileNameCollector.MAX_NAMES);
    }
}
