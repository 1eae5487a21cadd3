package dev.tollgate.formats;

/**
 * Untrusted bytes do not follow their format. The message names the offset and the expected and actual values, so a
 * person can find the problem with a hex viewer.
 */
public class FormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long offset;

    public FormatException(long offset, String message) {
        super(message + " (at offset 0x" + Long.toHexString(offset) + ")");
        this.offset = offset;
    }

    public FormatException(long offset, String message, Throwable cause) {
        super(message + " (at offset 0x" + Long.toHexString(offset) + ")", cause);
        this.offset = offset;
    }

    /** The file offset where the problem was seen. */
    public long offset() {
        return offset;
    }
}
