package dev.tollgate.report;

import dev.tollgate.model.Report;
import java.io.IOException;
import java.io.Writer;

/** Writes a report in one machine-readable format. Implementations are stateless and thread-safe. */
public interface ReportWriter {

    /** The tool name in reports ({@code tool.name}). */
    String TOOL_NAME = "tollgate";

    /** Writes {@code report} to {@code out}, ending with a newline; does not close {@code out}. */
    void write(Report report, Writer out) throws IOException;

    /** The JSON contract of docs/DESIGN.md ("JSON report"), pretty-printed, with the extra per-file fields. */
    static ReportWriter json() {
        return JsonReportWriter.INSTANCE;
    }

    /** SARIF 2.1.0, for CI systems and code-scanning dashboards. */
    static ReportWriter sarif() {
        return SarifReportWriter.INSTANCE;
    }
}
