package dev.tollgate.formats.cab;

import dev.tollgate.formats.FormatException;

/** Decodes one CFDATA block's payload into exactly {@code uncompressedSize} bytes. */
interface BlockDecoder {

    /**
     * @param offset the block's file offset, for messages
     * @return the block's uncompressed bytes, exactly {@code uncompressedSize} of them
     */
    byte[] decode(byte[] block, int uncompressedSize, long offset) throws FormatException;

    static BlockDecoder stored() {
        return (block, uncompressedSize, offset) -> {
            if (block.length != uncompressedSize) {
                throw new FormatException(
                        offset, "stored CFDATA block has " + block.length + " bytes but declares " + uncompressedSize);
            }
            return block;
        };
    }
}
