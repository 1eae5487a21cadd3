package dev.tollgate.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** What {@code --format} accepts. */
enum ReportFormat {
    TEXT,
    JSON,
    SARIF;

    /** Accepts the lower-case names shown in the help. */
    static final class Converter implements ITypeConverter<ReportFormat> {
        @Override
        public ReportFormat convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "text" -> TEXT;
                case "json" -> JSON;
                case "sarif" -> SARIF;
                default ->
                    throw new TypeConversionException("unknown format '" + value + "' (expected text, json or sarif)");
            };
        }
    }
}
