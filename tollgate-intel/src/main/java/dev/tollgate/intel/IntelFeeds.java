package dev.tollgate.intel;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads threat-intel feeds: STIX 2.1 bundles, MISP events and CSV/TSV lists, told apart by their content (and a
 * {@code .json}, {@code .csv} or {@code .tsv} extension). Indicators that are revoked, outside their validity window at
 * {@code now}, or that cannot be evaluated per file are skipped and counted by reason; entries that are wrong are
 * reported with their position and the rest of the feed is loaded. A file that is not a feed at all, or that is over a
 * limit, is refused with one {@link IntelFeedException} naming the file and the position.
 */
public final class IntelFeeds {

    private static final int SNIFF_BYTES = 64 << 10;
    private static final Pattern STIX_HINT =
            Pattern.compile("\"type\"\\s*:\\s*\"bundle\"|\"spec_version\"\\s*:|\"objects\"\\s*:\\s*\\[");
    private static final Pattern MISP_HINT = Pattern.compile("\"(Event|Attribute|response)\"\\s*:");

    private IntelFeeds() {}

    /** Reads one feed with the default limits. */
    public static FeedSummary read(Path file, Instant now, Consumer<Indicator> sink) throws IntelFeedException {
        return read(file, now, FeedLimits.DEFAULT, sink);
    }

    /**
     * Reads one feed, handing each indicator in force at {@code now} to {@code sink}.
     *
     * @throws IntelFeedException when the file cannot be read, is not a feed, or exceeds {@code limits}
     */
    public static FeedSummary read(Path file, Instant now, FeedLimits limits, Consumer<Indicator> sink)
            throws IntelFeedException {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(sink, "sink");
        String feed = file.toString();
        try {
            if (!Files.isRegularFile(file)) {
                throw new IntelFeedException(feed, "", "no such file");
            }
            long size = Files.size(file);
            if (size > limits.maxFileBytes()) {
                throw new IntelFeedException(
                        feed, "", size + " bytes, over the limit of " + limits.maxFileBytes() + " bytes");
            }
            FeedFormat format = detect(file, feed);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                return read(feed, format, in, now, limits, sink);
            }
        } catch (IOException e) {
            throw new IntelFeedException(
                    feed, "", "cannot read: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Reads a feed of a known format from a stream; the fuzz tests enter here. */
    static FeedSummary read(
            String feed, FeedFormat format, InputStream in, Instant now, FeedLimits limits, Consumer<Indicator> sink)
            throws IOException, IntelFeedException {
        FeedContext context = new FeedContext(feed, format, now, limits, sink);
        switch (format) {
            case STIX, MISP -> readJson(in, context);
            case CSV -> CsvFeedReader.read(utf8(in), context);
        }
        return context.summary();
    }

    /** Reads every feed into one index; the first feed that cannot be read stops the load. */
    public static LoadedIntel load(List<Path> files, Instant now, FeedLimits limits) throws IntelFeedException {
        IndicatorIndex.Builder builder = IndicatorIndex.builder();
        List<FeedSummary> summaries = new ArrayList<>();
        for (Path file : files) {
            summaries.add(read(file, now, limits, builder));
        }
        return new LoadedIntel(builder.build(), summaries);
    }

    private static void readJson(InputStream in, FeedContext context) throws IOException, IntelFeedException {
        ObjectMapper mapper = JsonFeeds.mapper(context.limits());
        JsonParser created;
        try {
            created = mapper.createParser(in);
        } catch (CharConversionException e) {
            throw new IntelFeedException(context.feed(), "1:1", "not valid JSON text: " + firstLine(e.getMessage()));
        }
        try (JsonParser parser = created) {
            try {
                if (context.format() == FeedFormat.STIX) {
                    StixBundleReader.read(parser, context);
                } else {
                    MispEventReader.read(parser, context);
                }
            } catch (StreamConstraintsException e) {
                throw new IntelFeedException(
                        context.feed(),
                        JsonFeeds.position(parser.currentLocation()),
                        "over a limit: " + firstLine(e.getOriginalMessage()));
            } catch (CharConversionException e) {
                // Jackson guesses UTF-16/32 from the first bytes; a feed that then breaks off mid-character is not text
                throw new IntelFeedException(
                        context.feed(),
                        JsonFeeds.position(parser.currentLocation()),
                        "not valid JSON text: " + firstLine(e.getMessage()));
            } catch (JsonProcessingException e) {
                String position =
                        JsonFeeds.position(e.getLocation() != null ? e.getLocation() : parser.currentLocation());
                throw new IntelFeedException(
                        context.feed(), position, "malformed JSON: " + firstLine(e.getOriginalMessage()));
            }
        }
    }

    private static String firstLine(String message) {
        String text = message == null ? "" : message;
        int newline = text.indexOf('\n');
        return IndicatorValues.clip(newline < 0 ? text : text.substring(0, newline))
                .replace("?", " ");
    }

    /** Decodes UTF-8, replacing malformed bytes so a stray Latin-1 note does not refuse the whole list. */
    private static Reader utf8(InputStream in) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new InputStreamReader(in, decoder);
    }

    static FeedFormat detect(Path file, String feed) throws IOException, IntelFeedException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF_BYTES);
        }
        for (byte b : head) {
            if (b == 0) {
                throw new IntelFeedException(
                        feed, "", "binary data, not an intel feed (STIX 2.1 or MISP JSON, CSV or TSV)");
            }
        }
        String text = new String(head, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String start = text.stripLeading();
        String name =
                file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean json = start.startsWith("{") || start.startsWith("[");
        if (!json) {
            if (name.endsWith(".json")) {
                throw new IntelFeedException(
                        feed, "1:1", "not JSON (a .json feed must be a STIX 2.1 bundle or a MISP event)");
            }
            return FeedFormat.CSV;
        }
        if (STIX_HINT.matcher(text).find()) {
            return FeedFormat.STIX;
        }
        if (MISP_HINT.matcher(text).find()) {
            return FeedFormat.MISP;
        }
        throw new IntelFeedException(feed, "1:1", "JSON, but neither a STIX 2.1 bundle nor a MISP event");
    }
}
