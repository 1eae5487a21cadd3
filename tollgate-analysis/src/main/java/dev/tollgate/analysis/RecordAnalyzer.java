package dev.tollgate.analysis;

import dev.tollgate.formats.ByteView;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import java.util.List;

/**
 * A check that needs only a file's stored record (its hashes, signers and network indicators), never its bytes: threat
 * intel. It runs during a scan like any {@link FileAnalyzer}, and again later on records read back from wherever they
 * are kept (a server's database, when a new indicator arrives), without the bytes and without the engine.
 */
public interface RecordAnalyzer extends FileAnalyzer {

    /**
     * Findings about {@code file}. Findings are data; throw {@link AnalysisException} only when the check could not be
     * evaluated.
     */
    List<Finding> analyze(FileRecord file) throws AnalysisException;

    /** The record alone decides: the bytes are not read. */
    @Override
    default List<Finding> analyze(FileRecord file, ByteView content) throws AnalysisException {
        return analyze(file);
    }
}
