package dev.tollgate.analysis;

import dev.tollgate.formats.ByteView;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import java.util.List;

/**
 * A check run on every vetted file (top-level or inside a container) once the file is profiled: threat-intel matching,
 * YARA rules, and what later issues add. Implementations are thread-safe: one instance serves a whole parallel scan.
 */
public interface FileAnalyzer {

    /** A short name for messages, e.g. {@code yara} or {@code intel}. */
    String name();

    /**
     * Findings about {@code file}, whose bytes are {@code content}. Findings are data; throw {@link AnalysisException}
     * only when the check could not be evaluated (the engine turns that into a finding so the scan is held).
     */
    List<Finding> analyze(FileRecord file, ByteView content) throws AnalysisException;
}
