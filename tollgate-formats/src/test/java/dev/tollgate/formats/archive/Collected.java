package dev.tollgate.formats.archive;

import dev.tollgate.formats.ByteView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything a visitor saw, for assertions: file contents are copied out during the call. */
class Collected implements EntryVisitor {

    static final Path FIXTURES = Path.of("..", "fixtures", "archive");

    final Map<String, byte[]> files = new LinkedHashMap<>();
    final List<Entry> members = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();

    @Override
    public void file(Entry entry, ByteView content) {
        files.put(entry.path(), content.toArray());
    }

    @Override
    public void member(Entry entry) {
        members.add(entry);
    }

    @Override
    public void problem(Problem problem) {
        problems.add(problem);
    }

    List<ProblemKind> kinds() {
        return problems.stream().map(Problem::kind).toList();
    }

    static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(FIXTURES.resolve(name));
    }

    /** Unpacks a fixture one level with default limits, detecting its type. */
    static Collected unpack(String name) throws IOException {
        return unpack(name, Limits.defaults());
    }

    static Collected unpack(String name, Limits limits) throws IOException {
        byte[] bytes = fixture(name);
        return unpack(name, bytes, limits);
    }

    static Collected unpack(String name, byte[] bytes, Limits limits) {
        ByteView view = ByteView.of(bytes);
        ContainerType type = ContainerType.detect(view).orElseThrow(() -> new AssertionError(name + " not detected"));
        Collected c = new Collected();
        try (Unpacker u = Unpacker.create(limits, bytes.length)) {
            u.unpack(name, view, type, 0, c);
        }
        return c;
    }
}
