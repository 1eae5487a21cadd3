package dev.tollgate.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import dev.tollgate.model.ChangeKind;
import dev.tollgate.model.DiffSection;
import dev.tollgate.model.FileChange;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import dev.tollgate.model.NetworkIndicators;
import dev.tollgate.model.Report;
import dev.tollgate.model.SignatureInfo;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The JSON report (docs/DESIGN.md, "JSON report"). The contract's fields come first in the contract's order; the extra
 * fields follow: {@code reasons} at the top; per file {@code sha1}, {@code md5}, {@code entropy}, {@code indicators}
 * and {@code pe} (only for files that parsed as PE), {@code npmPackages} (only for containers that hold npm packages:
 * {@code name}, {@code version} and the {@code path} of each {@code package.json}); per signature {@code kind}, {@code digestAlgorithm},
 * {@code signingTime} and {@code timestampAuthority} (only when known), {@code nested} and {@code problems}. Absent
 * values are left out rather than written as null.
 */
final class JsonReportWriter implements ReportWriter {

    static final JsonReportWriter INSTANCE = new JsonReportWriter();

    private JsonReportWriter() {}

    @Override
    public void write(Report report, Writer out) throws IOException {
        try (JsonGenerator g = JsonOutput.generator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("tool");
            g.writeStringField("name", ReportWriter.TOOL_NAME);
            g.writeStringField("version", report.toolVersion());
            g.writeEndObject();
            g.writeStringField("verdict", report.verdict().label());
            JsonOutput.writeStrings(g, "reasons", report.reasons());
            g.writeFieldName("files");
            // The array goes straight to the writer: the generator writes the separator before it and then knows
            // the field has its value, and what it holds is flushed first.
            g.writeRawValue("");
            g.flush();
            writeFilesArray(report.files(), out);
            g.writeArrayFieldStart("findings");
            for (Finding finding : report.findings()) {
                writeFinding(g, finding);
            }
            g.writeEndArray();
            if (report.diff().isPresent()) {
                writeDiff(g, report.diff().get());
            }
            g.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    /** Reports with fewer files are written on the calling thread alone. */
    static final int PARALLEL_MIN_FILES = 64;

    /**
     * Writes the {@code files} array to {@code out}, exactly as writing its elements one by one would give it. A large
     * report's files are written in slices on several threads: this runs after the scan, while the cores are
     * otherwise idle, and the libwine report (9 MB) took 0.3 s on one thread. Each slice is written as the same
     * document around it ({@code {"files" : [...]}}, so at the same nesting and indentation), and its elements are cut
     * out and written to {@code out} in order, with no copy of the whole array.
     */
    static void writeFilesArray(List<FileRecord> files, Writer out) throws IOException {
        int threads = files.size() < PARALLEL_MIN_FILES
                ? 1
                : Math.min(Runtime.getRuntime().availableProcessors(), 8);
        if (threads == 1) {
            out.write(slice(files));
            return;
        }
        int per = (files.size() + threads - 1) / threads;
        List<Callable<String>> slices = new ArrayList<>();
        for (int from = 0; from < files.size(); from += per) {
            List<FileRecord> part = files.subList(from, Math.min(files.size(), from + per));
            slices.add(() -> slice(part));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tollgate-report");
            t.setDaemon(true);
            return t;
        })) {
            boolean first = true;
            for (Future<String> slice : pool.invokeAll(slices)) {
                String elements = slice.get();
                // "[" + elements + "\n  ]": keep the elements, joined as the array writes them.
                out.write(first ? '[' : ',');
                out.write(elements, 1, elements.length() - 1 - ARRAY_END.length());
                first = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("writing the report was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("writing the report failed: " + e.getCause(), e.getCause());
        }
        out.write(ARRAY_END);
    }

    /** How the pretty printer closes a non-empty array of the report's top-level object. */
    private static final String ARRAY_END = "\n  ]";

    /** The {@code files} array of {@code files} as it reads in the report, written on this thread. */
    static String slice(List<FileRecord> files) throws IOException {
        // Jackson's own unsynchronised writer: a StringWriter appends to a StringBuffer, a lock per flush.
        SegmentedStringWriter out = new SegmentedStringWriter(new BufferRecycler());
        try (JsonGenerator g = JsonOutput.generator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("files");
            for (FileRecord file : files) {
                writeFile(g, file);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        String document = out.getAndClear(); // {\n  "files": [...]\n}
        int open = document.indexOf('[');
        String end = "\n}";
        if (open < 0 || !document.endsWith(end)) {
            throw new IllegalStateException("unexpected layout of a report slice");
        }
        return document.substring(open, document.length() - end.length());
    }

    /**
     * The {@code diff} section: the previous release, counts per kind, and each file that was added, removed, changed
     * or moved with its old and new hashes; unchanged files are only counted.
     */
    private static void writeDiff(JsonGenerator g, DiffSection diff) throws IOException {
        g.writeObjectFieldStart("diff");
        JsonOutput.writeStrings(g, "previous", diff.previous());
        g.writeObjectFieldStart("counts");
        for (Map.Entry<ChangeKind, Long> e : diff.counts().entrySet()) {
            g.writeNumberField(e.getKey().label(), e.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("changes");
        for (FileChange c : diff.changes()) {
            if (c.kind() == ChangeKind.UNCHANGED) {
                continue;
            }
            g.writeStartObject();
            g.writeStringField("kind", c.kind().label());
            g.writeStringField("key", c.key());
            if (c.previous().isPresent()) {
                g.writeStringField("previousPath", c.previous().get().path());
                g.writeStringField("previousSha256", c.previous().get().hashes().sha256());
                g.writeNumberField("previousSize", c.previous().get().size());
            }
            if (c.next().isPresent()) {
                g.writeStringField("path", c.next().get().path());
                g.writeStringField("sha256", c.next().get().hashes().sha256());
                g.writeNumberField("size", c.next().get().size());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeFile(JsonGenerator g, FileRecord file) throws IOException {
        g.writeStartObject();
        g.writeStringField("path", file.path());
        g.writeStringField("sha256", file.hashes().sha256());
        g.writeNumberField("size", file.size());
        g.writeStringField("type", file.type().label());
        g.writeArrayFieldStart("signatures");
        for (SignatureInfo s : file.signatures()) {
            writeSignature(g, s);
        }
        g.writeEndArray();
        g.writeStringField("sha1", file.hashes().sha1());
        g.writeStringField("md5", file.hashes().md5());
        g.writeFieldName("entropy");
        JsonOutput.writeRounded(g, file.entropy());
        writeIndicators(g, file.indicators());
        if (!file.referencedFiles().isEmpty()) {
            JsonOutput.writeStrings(g, "referencedFiles", file.referencedFiles());
        }
        if (file.pe().isPresent()) {
            RecordCodec.writePe(g, file.pe().get(), false);
        }
        if (!file.npmPackages().isEmpty()) {
            JsonOutput.writeNpmPackages(g, file.npmPackages());
        }
        g.writeEndObject();
    }

    private static void writeSignature(JsonGenerator g, SignatureInfo s) throws IOException {
        g.writeStartObject();
        g.writeStringField("status", s.status().label());
        g.writeStringField("signer", s.signer());
        g.writeStringField("issuer", s.issuer());
        g.writeStringField("serial", s.serial());
        g.writeStringField("thumbprintSha256", s.thumbprintSha256());
        if (!s.thumbprintSha1().isEmpty()) {
            g.writeStringField("thumbprintSha1", s.thumbprintSha1());
        }
        if (!s.rootThumbprintSha256().isEmpty()) {
            g.writeStringField("rootThumbprintSha256", s.rootThumbprintSha256());
        }
        g.writeStringField("kind", s.kind());
        g.writeStringField("digestAlgorithm", s.digestAlgorithm());
        if (s.signingTime().isPresent()) {
            g.writeStringField("signingTime", s.signingTime().get().toString());
        }
        if (s.timestampAuthority().isPresent()) {
            g.writeStringField("timestampAuthority", s.timestampAuthority().get());
        }
        g.writeNumberField("nested", s.nested());
        JsonOutput.writeStrings(g, "problems", s.problems());
        g.writeEndObject();
    }

    private static void writeIndicators(JsonGenerator g, NetworkIndicators indicators) throws IOException {
        g.writeObjectFieldStart("indicators");
        JsonOutput.writeStrings(g, "urls", indicators.urls());
        JsonOutput.writeStrings(g, "domains", indicators.domains());
        JsonOutput.writeStrings(g, "ips", indicators.ips());
        g.writeEndObject();
    }

    private static void writeFinding(JsonGenerator g, Finding f) throws IOException {
        g.writeStartObject();
        g.writeStringField("code", f.code());
        g.writeStringField("severity", f.severity().label());
        g.writeStringField("path", f.path());
        g.writeStringField("message", f.message());
        g.writeFieldName("evidence");
        JsonOutput.writeValue(g, f.evidence());
        g.writeEndObject();
    }
}
