package dev.tollgate.engine;

import static dev.tollgate.report.RecordCodec.array;
import static dev.tollgate.report.RecordCodec.fields;
import static dev.tollgate.report.RecordCodec.number;
import static dev.tollgate.report.RecordCodec.oneLine;
import static dev.tollgate.report.RecordCodec.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.PeSummary;
import dev.tollgate.model.SectionInfo;
import dev.tollgate.report.RecordCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One scan cache entry on disk: a JSON object naming its key, then the records of one top-level file in
 * {@link RecordCodec}'s lossless form, so a record read back equals the record written.
 *
 * <pre>
 * { "format": "tollgate-scan-cache/2", "context": hex, "name": "ffmpeg.dll", "sha256": hex, "size": 123,
 *   "files": [ { "path": "", "size": 123, "sha256": …, "sha1": …, "md5": …, "type": "pe", "entropy": 6.1,
 *                "signatures": [ … ], "indicators": { … }, "pe": { … }, "referencedFiles": [ … ],
 *                "npmPackages": [ { "name", "version", "path" } ] }, … ] }
 * </pre>
 *
 * Reading is strict: exactly these fields with these types, no duplicates, nothing after the object, the key fields
 * equal to the key asked for, the first record the file itself with the key's hash and size. Anything else is an
 * {@link InvalidEntryException}, and the whole entry is rejected.
 */
final class ScanCacheEntry {

    /** Changes whenever the layout or the meaning of a field changes; older entries then miss. */
    static final String FORMAT = "tollgate-scan-cache/2";

    /** Records per entry: a container with more files than this is not worth a cache entry. */
    static final int MAX_RECORDS = 200_000;

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private ScanCacheEntry() {}

    /** Why an entry cannot be used, in one line. */
    static final class InvalidEntryException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidEntryException(String message) {
            super(message);
        }
    }

    /**
     * The entry for {@code key} holding {@code records} (relative paths, the first {@code ""}).
     *
     * @throws IllegalArgumentException when the records cannot be an entry (not relative, not finite, too many)
     */
    static byte[] write(ScanCache.Key key, List<FileRecord> records) {
        requireCacheable(key, records);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeStringField("context", key.context());
            g.writeStringField("name", key.name());
            g.writeStringField("sha256", key.sha256());
            g.writeNumberField("size", key.size());
            g.writeArrayFieldStart("files");
            for (FileRecord r : records) {
                RecordCodec.write(g, r);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private static void requireCacheable(ScanCache.Key key, List<FileRecord> records) {
        if (records.isEmpty() || records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("an entry holds 1 to " + MAX_RECORDS + " records: " + records.size());
        }
        FileRecord top = records.getFirst();
        if (!top.path().isEmpty() || !top.hashes().sha256().equals(key.sha256()) || top.size() != key.size()) {
            throw new IllegalArgumentException("the first record is not the file of the key: " + top.path());
        }
        for (FileRecord r : records.subList(1, records.size())) {
            if (!r.path().startsWith("!")) {
                throw new IllegalArgumentException("an inner record's path must start with '!': " + r.path());
            }
            for (SectionInfo s : r.pe().map(PeSummary::sections).orElse(List.of())) {
                if (!Double.isFinite(s.entropy())) {
                    throw new IllegalArgumentException("section entropy is not finite: " + r.path());
                }
            }
        }
        top.pe().ifPresent(pe -> pe.sections().forEach(s -> {
            if (!Double.isFinite(s.entropy())) {
                throw new IllegalArgumentException("section entropy is not finite in the top-level file");
            }
        }));
    }

    /**
     * The records of the entry {@code bytes}, which must be the entry for {@code key}.
     *
     * @throws InvalidEntryException naming the first thing that is wrong
     */
    static List<FileRecord> read(byte[] bytes, ScanCache.Key key) throws InvalidEntryException {
        JsonNode root;
        try {
            root = RecordCodec.READER.readTree(bytes);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new InvalidEntryException("not valid JSON (" + oneLine(String.valueOf(why)) + ")");
        } catch (NumberFormatException e) {
            // Jackson's BigDecimal parsing throws this unwrapped for an exponent beyond an int (4.6e5330455369).
            throw new InvalidEntryException("not valid JSON (" + oneLine(String.valueOf(e.getMessage())) + ")");
        }
        try {
            return records(root, key);
        } catch (RecordCodec.MalformedRecordException e) {
            throw new InvalidEntryException(e.getMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            // The model's compact constructors reject what the field checks let through (bad hex, negative sizes).
            throw new InvalidEntryException("invalid record: " + oneLine(String.valueOf(e.getMessage())));
        }
    }

    private static List<FileRecord> records(JsonNode root, ScanCache.Key key)
            throws InvalidEntryException, RecordCodec.MalformedRecordException {
        fields(root, "entry", Set.of("format", "context", "name", "sha256", "size", "files"));
        String format = text(root, "format");
        if (!format.equals(FORMAT)) {
            throw new InvalidEntryException("format " + format + ", expected " + FORMAT);
        }
        if (!text(root, "context").equals(key.context())
                || !text(root, "name").equals(key.name())
                || !text(root, "sha256").equals(key.sha256())
                || number(root, "size") != key.size()) {
            throw new InvalidEntryException("written for another file or another Tollgate build");
        }
        JsonNode files = array(root, "files");
        if (files.isEmpty() || files.size() > MAX_RECORDS) {
            throw new InvalidEntryException("holds " + files.size() + " records, expected 1 to " + MAX_RECORDS);
        }
        List<FileRecord> records = new ArrayList<>(files.size());
        for (JsonNode node : files) {
            records.add(RecordCodec.read(node));
        }
        FileRecord top = records.getFirst();
        if (!top.path().isEmpty() || !top.hashes().sha256().equals(key.sha256()) || top.size() != key.size()) {
            throw new InvalidEntryException("its first record is not the file " + key.name());
        }
        for (FileRecord r : records.subList(1, records.size())) {
            if (!r.path().startsWith("!")) {
                throw new InvalidEntryException("inner record path does not start with '!': " + oneLine(r.path()));
            }
        }
        return List.copyOf(records);
    }
}
