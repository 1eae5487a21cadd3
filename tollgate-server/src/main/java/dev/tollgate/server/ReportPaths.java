package dev.tollgate.server;

import dev.tollgate.model.DiffSection;
import dev.tollgate.model.FileChange;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Report;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes the analysis directory from a report's paths, so that the server's report names files as the CLI's does
 * when run beside them, and no server path reaches a client. A pure function over the report's records.
 */
final class ReportPaths {

    private ReportPaths() {}

    static Report strip(Report report, List<String> prefixes) {
        ReportPaths.Stripper s = new Stripper(prefixes);
        return new Report(
                report.toolVersion(),
                report.verdict(),
                report.files().stream().map(s::file).toList(),
                report.findings().stream().map(s::finding).toList(),
                report.reasons().stream().map(s::text).toList(),
                report.diff().map(s::diff));
    }

    private record Stripper(List<String> prefixes) {

        String text(String value) {
            String result = value;
            for (String prefix : prefixes) {
                result = result.replace(prefix, "");
            }
            return result;
        }

        FileRecord file(FileRecord f) {
            return new FileRecord(
                    text(f.path()),
                    f.size(),
                    f.hashes(),
                    f.type(),
                    f.entropy(),
                    f.signatures(),
                    f.indicators(),
                    f.pe(),
                    f.referencedFiles(),
                    f.npmPackages());
        }

        Finding finding(Finding f) {
            Map<String, Object> evidence = new LinkedHashMap<>();
            f.evidence().forEach((k, v) -> evidence.put(k, value(v)));
            return new Finding(f.code(), f.severity(), text(f.path()), text(f.message()), evidence);
        }

        DiffSection diff(DiffSection d) {
            return new DiffSection(
                    d.previous().stream().map(this::text).toList(),
                    d.changes().stream()
                            .map(c -> new FileChange(
                                    c.kind(),
                                    text(c.key()),
                                    c.previous().map(this::file),
                                    c.next().map(this::file)))
                            .toList());
        }

        Object value(Object v) {
            return switch (v) {
                case String s -> text(s);
                case List<?> list -> {
                    List<Object> out = new ArrayList<>(list.size());
                    list.forEach(item -> out.add(value(item)));
                    yield out;
                }
                case Map<?, ?> map -> {
                    Map<Object, Object> out = new LinkedHashMap<>();
                    map.forEach((k, item) -> out.put(k, value(item)));
                    yield out;
                }
                default -> v;
            };
        }
    }
}
