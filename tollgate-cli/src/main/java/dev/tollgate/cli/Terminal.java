package dev.tollgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the CLI writes and what those streams are: colour and progress bars are for terminals only, never for files,
 * pipes or tests. A stream counts as a terminal only when it is the process's own stdout or stderr and that file
 * descriptor is a TTY (read from {@code /proc/self/fd}; elsewhere nothing is a terminal, which is the safe side).
 *
 * @param out the report's stream
 * @param err progress, logs and errors
 * @param outIsTerminal stdout is a TTY
 * @param errIsTerminal stderr is a TTY
 * @param colorWanted neither {@code NO_COLOR} (no-color.org) nor {@code TERM=dumb} is set
 */
record Terminal(PrintStream out, PrintStream err, boolean outIsTerminal, boolean errIsTerminal, boolean colorWanted) {

    static Terminal detect(PrintStream out, PrintStream err) {
        String noColor = System.getenv("NO_COLOR");
        boolean colorWanted = (noColor == null || noColor.isEmpty()) && !"dumb".equals(System.getenv("TERM"));
        return new Terminal(out, err, out == System.out && isTty(1), err == System.err && isTty(2), colorWanted);
    }

    private static boolean isTty(int fd) {
        try {
            String target =
                    Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /**
     * Text from analysed files (paths, signer names, messages) made safe for a terminal on one line: control
     * characters, including ESC and the C1 range, become {@code \xNN}, so a hostile name cannot move the cursor or
     * rewrite what was printed.
     */
    static String oneLine(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
            if (control && b == null) {
                b = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (b != null) {
                if (control) {
                    b.append(String.format("\\x%02x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? text : b.toString();
    }
}
