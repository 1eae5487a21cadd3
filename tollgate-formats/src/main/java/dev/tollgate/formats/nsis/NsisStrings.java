package dev.tollgate.formats.nsis;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import java.util.Map;

/**
 * The string table of an NSIS header (block NB_STRINGS): NUL-terminated strings, addressed by their offset in
 * characters from the start of the block. Characters are bytes in ANSI installers (NSIS 2, and NSIS 3 without
 * {@code Unicode true}) and UTF-16LE code units in Unicode ones.
 *
 * <p>Variables, shell folders and language strings are stored as a code character followed by a 2-byte parameter
 * (NSIS's {@code GetNSISString}): {@link #render} writes them back as the script wrote them ({@code $INSTDIR},
 * {@code $LOCALAPPDATA}, {@code $(LSTR_12)}). NSIS 3 uses the codes 1 (language string), 2 (shell folder), 3
 * (variable) and 4 (the next character is literal); NSIS 2 ANSI builds used 255, 254, 253 and 252.
 */
public final class NsisStrings {

    /** The longest string the stub handles (NSIS_MAX_STRLEN); longer text in the table is cut there. */
    public static final int MAX_CHARS = 1024;

    private static final int NSIS3_LANG = 1;
    private static final int NSIS3_SHELL = 2;
    private static final int NSIS3_VAR = 3;
    private static final int NSIS3_SKIP = 4;
    private static final int NSIS2_SKIP = 252;
    private static final int NSIS2_VAR = 253;
    private static final int NSIS2_SHELL = 254;
    private static final int NSIS2_LANG = 255;

    /** Variables 20 and up, in the order makensis numbers them; 0-9 are $0-$9 and 10-19 $R0-$R9. */
    private static final String[] NAMED_VARIABLES = {
        "CMDLINE",
        "INSTDIR",
        "OUTDIR",
        "EXEDIR",
        "LANGUAGE",
        "TEMP",
        "PLUGINSDIR",
        "EXEPATH",
        "EXEFILE",
        "HWNDPARENT",
        "_CLICK",
        "_OUTDIR"
    };

    /** Shell folder constants by their (current user CSIDL, all users CSIDL) pair, as makensis defines them. */
    private static final Map<Integer, String> SHELL_FOLDERS = Map.ofEntries(
            shell(0x24, 0x24, "WINDIR"),
            shell(0x25, 0x25, "SYSDIR"),
            shell(0x02, 0x17, "SMPROGRAMS"),
            shell(0x07, 0x18, "SMSTARTUP"),
            shell(0x10, 0x19, "DESKTOP"),
            shell(0x0B, 0x16, "STARTMENU"),
            shell(0x1A, 0x1A, "QUICKLAUNCH"),
            shell(0x05, 0x2E, "DOCUMENTS"),
            shell(0x09, 0x09, "SENDTO"),
            shell(0x08, 0x08, "RECENT"),
            shell(0x06, 0x1F, "FAVORITES"),
            shell(0x0D, 0x35, "MUSIC"),
            shell(0x27, 0x36, "PICTURES"),
            shell(0x0E, 0x37, "VIDEOS"),
            shell(0x13, 0x13, "NETHOOD"),
            shell(0x14, 0x14, "FONTS"),
            shell(0x15, 0x2D, "TEMPLATES"),
            shell(0x1A, 0x23, "APPDATA"),
            shell(0x1C, 0x23, "LOCALAPPDATA"),
            shell(0x1B, 0x1B, "PRINTHOOD"),
            shell(0x20, 0x20, "INTERNET_CACHE"),
            shell(0x21, 0x21, "COOKIES"),
            shell(0x22, 0x22, "HISTORY"),
            shell(0x28, 0x28, "PROFILE"),
            shell(0x30, 0x2F, "ADMINTOOLS"),
            shell(0x38, 0x38, "RESOURCES"),
            shell(0x39, 0x39, "RESOURCES_LOCALIZED"),
            shell(0x3B, 0x3B, "CDBURN_AREA"),
            shell(0x1A, 0x5A, "USERAPPDATA"),
            shell(0x1C, 0x1C, "USERLOCALAPPDATA"),
            shell(0x15, 0x15, "USERTEMPLATES"),
            shell(0x0B, 0x0B, "USERSTARTMENU"),
            shell(0x02, 0x02, "USERSMPROGRAMS"),
            shell(0x10, 0x10, "USERDESKTOP"),
            shell(0x23, 0x23, "COMMONLOCALAPPDATA"));

    /** Folders read from HKLM\Software\Microsoft\Windows\CurrentVersion, by the value name the table holds. */
    private static final Map<String, String> REGISTRY_FOLDERS =
            Map.of("ProgramFilesDir", "PROGRAMFILES", "CommonFilesDir", "COMMONFILES");

    private static Map.Entry<Integer, String> shell(int user, int common, String name) {
        return Map.entry(user | common << 8, name);
    }

    private final ByteView block;
    private final boolean unicode;
    private final boolean nsis2Codes;

    private NsisStrings(ByteView block, boolean unicode, boolean nsis2Codes) {
        this.block = block;
        this.unicode = unicode;
        this.nsis2Codes = nsis2Codes;
    }

    /**
     * The string table {@code block}. For an ANSI table, NSIS 2's codes are assumed when they are what the table
     * holds: more code characters 253-255 followed by a coded parameter (both bytes with the top bit set) than codes
     * 1-3 followed by one.
     */
    static NsisStrings of(ByteView block, boolean unicode) {
        if (unicode) {
            return new NsisStrings(block, true, false);
        }
        byte[] bytes = block.toArray();
        int nsis3 = 0;
        int nsis2 = 0;
        for (int i = 0; i + 2 < bytes.length; i++) {
            int c = Byte.toUnsignedInt(bytes[i]);
            if (bytes[i + 1] < 0 && bytes[i + 2] < 0) {
                if (c >= NSIS3_LANG && c <= NSIS3_VAR) {
                    nsis3++;
                } else if (c >= NSIS2_VAR) {
                    nsis2++;
                }
            }
        }
        return new NsisStrings(block, false, nsis2 > nsis3);
    }

    /** True when characters are UTF-16 code units. */
    public boolean unicode() {
        return unicode;
    }

    /** True when the table uses NSIS 2's code characters (252-255). */
    public boolean nsis2Codes() {
        return nsis2Codes;
    }

    /**
     * The string at {@code offset} (in characters) with its codes written as NSIS script ({@code $INSTDIR\a.dll}). A
     * negative offset names a language string, written {@code $(LSTR_n)}.
     *
     * @throws FormatException when the offset is outside the table or the string has no terminating NUL
     */
    public String render(int offset) throws FormatException {
        return render(offset, 0);
    }

    /** Nested strings (a shell folder read from the registry names its value by a string) go one level deep. */
    private String render(int offset, int depth) throws FormatException {
        if (offset < 0) {
            return "$(LSTR_" + (-(long) offset - 1) + ")";
        }
        int width = unicode ? 2 : 1;
        long at = (long) offset * width;
        if (at >= block.size()) {
            throw new FormatException(
                    block.base() + Math.min(at, block.size()),
                    "NSIS string offset " + offset + " is outside the string table of " + block.size() / width
                            + " characters");
        }
        StringBuilder out = new StringBuilder();
        int read = 0;
        while (true) {
            int c = character(at);
            if (c == 0) {
                return out.toString();
            }
            if (++read > MAX_CHARS) {
                return out.toString();
            }
            at += width;
            int code = code(c);
            if (code == 0) {
                out.append((char) c);
                continue;
            }
            if (code == NSIS3_SKIP) {
                int literal = character(at);
                if (literal == 0) {
                    return out.toString();
                }
                out.append((char) literal);
                at += width;
                continue;
            }
            int low;
            int high;
            if (unicode) {
                int unit = character(at);
                low = unit & 0xFF;
                high = unit >>> 8;
                at += 2;
            } else {
                low = character(at);
                high = character(at + 1);
                at += 2;
            }
            int value = (high & 0x7F) << 7 | (low & 0x7F);
            switch (code) {
                case NSIS3_VAR -> out.append('$').append(variable(value));
                case NSIS3_SHELL -> out.append('$').append(shellFolder(low, high, depth));
                default -> out.append("$(LSTR_").append(value).append(')');
            }
        }
    }

    /** The NSIS 3 code of character {@code c} (mapping NSIS 2's), or 0 for an ordinary character. */
    private int code(int c) {
        if (nsis2Codes) {
            return switch (c) {
                case NSIS2_LANG -> NSIS3_LANG;
                case NSIS2_SHELL -> NSIS3_SHELL;
                case NSIS2_VAR -> NSIS3_VAR;
                case NSIS2_SKIP -> NSIS3_SKIP;
                default -> 0;
            };
        }
        return c >= NSIS3_LANG && c <= NSIS3_SKIP ? c : 0;
    }

    private int character(long at) throws FormatException {
        if (unicode) {
            if (!block.has(at, 2)) {
                throw new FormatException(block.base() + at, "NSIS string runs past the end of the string table");
            }
            return block.u16(at, "NSIS string character");
        }
        if (!block.has(at, 1)) {
            throw new FormatException(block.base() + at, "NSIS string runs past the end of the string table");
        }
        return block.u8(at, "NSIS string character");
    }

    private static String variable(int index) {
        if (index < 10) {
            return Integer.toString(index);
        }
        if (index < 20) {
            return "R" + (index - 10);
        }
        if (index - 20 < NAMED_VARIABLES.length) {
            return NAMED_VARIABLES[index - 20];
        }
        return "_VAR" + index;
    }

    private String shellFolder(int user, int common, int depth) throws FormatException {
        if ((user & 0x80) != 0 && depth == 0) {
            // Read from the registry: the low 6 bits are the string offset of the value name; 0x40 asks for the
            // 64-bit view ($PROGRAMFILES64).
            String value = render(user & 0x3F, depth + 1);
            String name = REGISTRY_FOLDERS.getOrDefault(value, "REGISTRY_" + value);
            return name + ((user & 0x40) != 0 ? "64" : "");
        }
        return SHELL_FOLDERS.getOrDefault(user | common << 8, String.format("SHELL_%02X_%02X", user, common));
    }
}
