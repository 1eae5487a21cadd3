package dev.tollgate.formats.msi;

/**
 * MSI stream names. Windows Installer packs table and stream names into the CFB's 31-character limit: a character in
 * 0x3800..0x47FF holds two symbols of a 64-symbol alphabet, one in 0x4800..0x483F holds one, and 0x4840 prefixes
 * the name of a table's stream. (Documented by the Wine and msitools implementations of the format.)
 */
public final class MsiNames {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._";
    private static final char TABLE_PREFIX = 0x4840;

    private MsiNames() {}

    /** The readable name; a table's stream is returned with a leading {@code !} (e.g. {@code !File}). */
    public static String decode(String stored) {
        StringBuilder b = new StringBuilder(stored.length() * 2);
        for (int i = 0; i < stored.length(); i++) {
            char c = stored.charAt(i);
            if (c == TABLE_PREFIX && i == 0) {
                b.append('!');
            } else if (c >= 0x3800 && c < 0x4800) {
                int x = c - 0x3800;
                b.append(ALPHABET.charAt(x & 0x3F)).append(ALPHABET.charAt((x >> 6) & 0x3F));
            } else if (c >= 0x4800 && c < 0x4840) {
                b.append(ALPHABET.charAt(c - 0x4800));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
