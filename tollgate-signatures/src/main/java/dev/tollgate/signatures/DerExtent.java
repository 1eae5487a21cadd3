package dev.tollgate.signatures;

import dev.tollgate.formats.FormatException;

/**
 * Measures the first ASN.1 element of untrusted bytes without building it: how many bytes its encoding spans, and that
 * every nested element fits inside its parent. Run before Bouncy Castle sees the bytes, so that excess nesting is
 * refused here (iteratively) rather than as a deep recursion inside the ASN.1 parser.
 *
 * <p>Encoding rules: ITU-T X.690 §8.1 (identifier, length and contents octets). Definite lengths and, for BER
 * producers, the indefinite form (§8.1.3.6, closed by end-of-contents octets) are accepted.
 */
final class DerExtent {

    private DerExtent() {}

    /**
     * The number of bytes the element starting at offset 0 spans, identifier and length octets included.
     *
     * @throws FormatException when the element is truncated, a length is malformed, or nesting exceeds {@code maxDepth}
     */
    static long of(byte[] data, int maxDepth) throws FormatException {
        // ends[d] is the end offset of the open constructed element at depth d, or -1 for an indefinite length.
        long[] ends = new long[maxDepth + 1];
        int depth = 0;
        ends[0] = data.length;
        int pos = 0;
        boolean started = false;
        while (true) {
            if (started && depth == 0) {
                return pos;
            }
            if (depth > 0 && ends[depth] >= 0 && pos == ends[depth]) {
                depth--;
                continue;
            }
            started = true;
            int start = pos;
            if (pos >= limitOf(ends, depth, data.length)) {
                throw new FormatException(pos, "ASN.1 element truncated: identifier expected");
            }
            int identifier = data[pos++] & 0xff;
            if ((identifier & 0x1f) == 0x1f) {
                // High tag number form (§8.1.2.4): base-128 digits until one without the top bit.
                int digits = 0;
                do {
                    if (pos >= data.length || ++digits > 4) {
                        throw new FormatException(start, "ASN.1 tag number truncated or too long");
                    }
                } while ((data[pos++] & 0x80) != 0);
            }
            if (pos >= data.length) {
                throw new FormatException(pos, "ASN.1 element truncated: length expected");
            }
            int first = data[pos++] & 0xff;
            boolean constructed = (identifier & 0x20) != 0;
            if (first == 0x80) {
                if (!constructed) {
                    throw new FormatException(start, "ASN.1 indefinite length on a primitive element");
                }
                if (depth == maxDepth) {
                    throw new FormatException(start, "ASN.1 nesting deeper than " + maxDepth);
                }
                ends[++depth] = -1;
                continue;
            }
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7f;
                if (count > 4) {
                    throw new FormatException(start, "ASN.1 length uses " + count + " octets; at most 4 accepted");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    if (pos >= data.length) {
                        throw new FormatException(pos, "ASN.1 length truncated");
                    }
                    length = (length << 8) | (data[pos++] & 0xff);
                }
            }
            if (identifier == 0 && length == 0) {
                // End-of-contents octets close the innermost indefinite-length element.
                if (depth == 0 || ends[depth] >= 0) {
                    throw new FormatException(start, "ASN.1 end-of-contents outside an indefinite-length element");
                }
                depth--;
                continue;
            }
            long limit = limitOf(ends, depth, data.length);
            if (length > limit - pos) {
                throw new FormatException(
                        start, "ASN.1 length " + length + " exceeds the " + (limit - pos) + " bytes available");
            }
            if (constructed && length > 0) {
                if (depth == maxDepth) {
                    throw new FormatException(start, "ASN.1 nesting deeper than " + maxDepth);
                }
                ends[++depth] = pos + length;
            } else {
                pos += (int) length;
            }
        }
    }

    /** The end of the innermost definite-length element that encloses depth {@code depth}. */
    private static long limitOf(long[] ends, int depth, int dataLength) {
        for (int d = depth; d > 0; d--) {
            if (ends[d] >= 0) {
                return ends[d];
            }
        }
        return dataLength;
    }
}
