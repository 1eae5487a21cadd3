package dev.tollgate.formats;

/** A structure runs past the end of the data: the file is truncated or a size field lies. */
public final class TruncatedException extends FormatException {

    private static final long serialVersionUID = 1L;

    private final long needed;
    private final long available;

    public TruncatedException(long offset, long needed, long available, String what) {
        super(offset, what + " needs " + needed + " bytes but only " + Math.max(0, available) + " remain");
        this.needed = needed;
        this.available = available;
    }

    public long needed() {
        return needed;
    }

    public long available() {
        return available;
    }
}
