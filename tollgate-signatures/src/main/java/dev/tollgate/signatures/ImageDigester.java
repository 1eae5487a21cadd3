package dev.tollgate.signatures;

import dev.tollgate.formats.FormatException;
import java.security.MessageDigest;

/**
 * Recomputes a signed file's digest the way its signature format defines it (for PE: the Authenticode image digest,
 * which skips the checksum, the certificate-table directory entry and the certificate table itself).
 */
@FunctionalInterface
interface ImageDigester {

    /** Feeds the signed ranges of the file to {@code digest} and returns the result. */
    byte[] digest(MessageDigest digest) throws FormatException;
}
