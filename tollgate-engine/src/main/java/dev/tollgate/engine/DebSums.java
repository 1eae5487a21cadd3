package dev.tollgate.engine;

import dev.tollgate.formats.ByteView;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import dev.tollgate.model.FindingCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The integrity claim of a Debian package: its {@code control.tar} may hold {@code md5sums} (deb(5), dh_md5sums), the
 * MD5 of each file of its {@code data.tar}. Every file it lists is compared with the MD5 that vetting computed of the
 * file itself; a file that does not match was changed after the package was built ({@code deb.md5sums-mismatch},
 * high). A package without {@code md5sums} claims nothing, and files it does not list (conffiles) are not compared.
 * One instance per top-level file, on its one thread: the md5sums are kept until their package is done.
 */
final class DebSums {

    /** Larger md5sums files are not read: 16 MiB lists about 200,000 files. */
    private static final long MAX_MD5SUMS = 16L << 20;

    private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{32}) [ *]?(.+)");

    /** Package path to (file path inside data.tar to the MD5 the package claims). */
    private final Map<String, Map<String, String>> claims = new HashMap<>();

    /**
     * Takes note of {@code content} when it is a package's md5sums: the entry {@code md5sums} of a {@code control.tar*}
     * that is itself a member of a package, {@code app.deb!control.tar.xz}.
     */
    void offer(String containerPath, String entryPath, ByteView content) {
        int bang = containerPath.lastIndexOf('!');
        if (!entryPath.equals("md5sums")
                || bang < 0
                || !containerPath.startsWith("control.tar", bang + 1)
                || content.size() > MAX_MD5SUMS) {
            return;
        }
        Map<String, String> sums = new LinkedHashMap<>();
        String text = new String(content.toArray(), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                String path = m.group(2);
                while (path.startsWith("./") || path.startsWith("/")) {
                    path = path.substring(path.startsWith("./") ? 2 : 1);
                }
                sums.putIfAbsent(path, m.group(1).toLowerCase(Locale.ROOT));
            }
        }
        claims.put(containerPath.substring(0, bang), sums);
    }

    /**
     * The files of the package at {@code packagePath} ({@code files}: the records of everything vetted inside it) whose
     * MD5 is not the one its md5sums gives.
     */
    List<Finding> check(String packagePath, List<FileRecord> files) {
        Map<String, String> sums = claims.remove(packagePath);
        if (sums == null || sums.isEmpty()) {
            return List.of();
        }
        String data = packagePath + "!data.tar";
        List<Finding> findings = new ArrayList<>();
        for (FileRecord r : files) {
            if (!r.path().startsWith(data)) {
                continue;
            }
            int bang = r.path().indexOf('!', data.length());
            if (bang < 0) {
                continue;
            }
            String inner = r.path().substring(bang + 1);
            String claimed = sums.get(inner);
            if (claimed != null && !claimed.equals(r.hashes().md5())) {
                findings.add(Finding.of(
                        FindingCode.DEB_MD5SUMS_MISMATCH,
                        r.path(),
                        "the package's md5sums gives " + inner + " the MD5 " + claimed + ", but the file's MD5 is "
                                + r.hashes().md5() + ": it was changed after the package was built",
                        Map.of(
                                "file",
                                inner,
                                "claimed",
                                claimed,
                                "md5",
                                r.hashes().md5())));
            }
        }
        return findings;
    }
}
