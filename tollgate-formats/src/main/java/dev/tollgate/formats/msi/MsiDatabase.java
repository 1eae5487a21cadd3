package dev.tollgate.formats.msi;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The relational database inside an MSI: the string pool ({@code _StringPool}, {@code _StringData}), the
 * {@code _Columns} catalogue, and tables stored column by column in streams named {@code !Table}. Integer cells are
 * stored with their top bit flipped (0 means null); string cells are string pool indices of 2 bytes, or 3 when the
 * pool's header says so. Layout as documented by the Wine and msitools implementations.
 */
final class MsiDatabase {

    private static final long MAX_TABLE_STREAM = 64L << 20;
    private static final long MAX_POOL = 64L << 20;
    private static final int TYPE_STRING = 0x0800;
    private static final int TYPE_VALID = 0x0100;
    private static final int TYPE_NULLABLE = 0x1000;

    /** One table: its column names, in order, and its rows (String, Integer or null cells). */
    record Table(List<String> columns, List<List<Object>> rows) {

        Optional<Object> cell(List<Object> row, String column) {
            int i = columns.indexOf(column);
            return i < 0 || i >= row.size() ? Optional.empty() : Optional.ofNullable(row.get(i));
        }

        String string(List<Object> row, String column) {
            return cell(row, column).map(Object::toString).orElse("");
        }

        Optional<Integer> integer(List<Object> row, String column) {
            return cell(row, column).filter(Integer.class::isInstance).map(Integer.class::cast);
        }
    }

    private record Column(String name, int type) {}

    private final CompoundFile cfb;
    private final Map<String, CompoundFile.Node> streams;
    private final List<String> strings;
    private final int stringRefSize;
    private final Map<String, List<Column>> schema;

    private MsiDatabase(
            CompoundFile cfb, Map<String, CompoundFile.Node> streams, List<String> strings, int stringRefSize)
            throws FormatException {
        this.cfb = cfb;
        this.streams = streams;
        this.strings = strings;
        this.stringRefSize = stringRefSize;
        this.schema = new HashMap<>();
        Table columns = read(
                "_Columns",
                List.of(
                        new Column("Table", TYPE_STRING | TYPE_VALID | 64),
                        new Column("Number", TYPE_VALID | 2),
                        new Column("Name", TYPE_STRING | TYPE_VALID | 64),
                        new Column("Type", TYPE_VALID | 2)));
        Map<String, Map<Integer, Column>> byTable = new HashMap<>();
        for (List<Object> row : columns.rows()) {
            String table = columns.string(row, "Table");
            int number = columns.integer(row, "Number").orElse(0);
            int type = columns.integer(row, "Type").orElse(0);
            byTable.computeIfAbsent(table, t -> new java.util.TreeMap<>())
                    .put(number, new Column(columns.string(row, "Name"), type & 0xFFFF));
        }
        byTable.forEach((t, cols) -> schema.put(t, List.copyOf(cols.values())));
    }

    static MsiDatabase open(CompoundFile cfb) throws FormatException {
        Map<String, CompoundFile.Node> streams = new HashMap<>();
        for (CompoundFile.Node n : cfb.children(cfb.root())) {
            if (n.type() == CompoundFile.STREAM) {
                streams.putIfAbsent(MsiNames.decode(n.name()), n);
            }
        }
        CompoundFile.Node pool = streams.get("!_StringPool");
        CompoundFile.Node data = streams.get("!_StringData");
        if (pool == null || data == null) {
            throw new FormatException(0, "MSI has no string pool (_StringPool, _StringData)");
        }
        byte[] poolBytes = cfb.read(pool, MAX_POOL);
        byte[] dataBytes = cfb.read(data, MAX_POOL);
        ByteView p = ByteView.of(poolBytes);
        long header = p.u32(0, "_StringPool header");
        int codepage = (int) (header & 0x7FFFFFFFL);
        int refSize = (header & 0x80000000L) != 0 ? 3 : 2;
        Charset charset = charset(codepage);
        List<String> strings = new ArrayList<>();
        strings.add("");
        long dataAt = 0;
        long entries = poolBytes.length / 4;
        for (long i = 1; i < entries; i++) {
            long length = p.u16(i * 4, "_StringPool length");
            int refs = p.u16(i * 4 + 2, "_StringPool refcount");
            if (length == 0 && refs != 0 && i + 1 < entries) {
                // A string of 64 KiB or more: this entry holds the high word, the next one the low word.
                length = ((long) refs << 16) | p.u16((i + 1) * 4, "_StringPool length");
                i++;
            }
            if (dataAt + length > dataBytes.length) {
                throw new FormatException(
                        i * 4,
                        "_StringPool entry " + strings.size() + " needs " + length + " bytes of _StringData at "
                                + dataAt + " but only " + (dataBytes.length - dataAt) + " remain");
            }
            strings.add(new String(dataBytes, (int) dataAt, (int) length, charset));
            dataAt += length;
        }
        return new MsiDatabase(cfb, Map.copyOf(streams), List.copyOf(strings), refSize);
    }

    private static Charset charset(int codepage) {
        try {
            return switch (codepage) {
                case 0 -> Charset.forName("windows-1252");
                case 65001 -> StandardCharsets.UTF_8;
                default -> Charset.forName("windows-" + codepage);
            };
        } catch (RuntimeException e) {
            return Charset.forName("windows-1252");
        }
    }

    CompoundFile compoundFile() {
        return cfb;
    }

    /** Streams by decoded name (tables as {@code !Name}). */
    Map<String, CompoundFile.Node> streams() {
        return streams;
    }

    /** The named table, or empty when the package has none. */
    Optional<Table> table(String name) throws FormatException {
        List<Column> columns = schema.get(name);
        if (columns == null || !streams.containsKey("!" + name)) {
            return Optional.empty();
        }
        return Optional.of(read(name, columns));
    }

    private Table read(String name, List<Column> columns) throws FormatException {
        CompoundFile.Node node = streams.get("!" + name);
        if (node == null) {
            return new Table(columns.stream().map(Column::name).toList(), List.of());
        }
        byte[] bytes = cfb.read(node, MAX_TABLE_STREAM);
        int rowSize = 0;
        for (Column c : columns) {
            rowSize += width(c);
        }
        if (rowSize == 0) {
            throw new FormatException(0, "MSI table " + name + " has no columns");
        }
        int rows = bytes.length / rowSize;
        ByteView v = ByteView.of(bytes);
        List<List<Object>> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            out.add(new ArrayList<>(columns.size()));
        }
        long columnStart = 0;
        for (Column c : columns) {
            int w = width(c);
            for (int r = 0; r < rows; r++) {
                long at = columnStart + (long) r * w;
                out.get(r).add(cell(v, at, w, c));
            }
            columnStart += (long) w * rows;
        }
        List<List<Object>> frozen = new ArrayList<>(rows);
        for (List<Object> row : out) {
            frozen.add(java.util.Collections.unmodifiableList(row));
        }
        return new Table(columns.stream().map(Column::name).toList(), List.copyOf(frozen));
    }

    private int width(Column c) {
        boolean binary = (c.type() & ~TYPE_NULLABLE) == (TYPE_STRING | TYPE_VALID);
        if (binary) {
            return 2;
        }
        if ((c.type() & TYPE_STRING) != 0) {
            return stringRefSize;
        }
        return (c.type() & 0xFF) <= 2 ? 2 : 4;
    }

    private Object cell(ByteView v, long at, int width, Column c) throws FormatException {
        if ((c.type() & ~TYPE_NULLABLE) == (TYPE_STRING | TYPE_VALID)) {
            // A binary column: the data is in the stream "Table.Key", the cell only marks it present.
            return null;
        }
        if ((c.type() & TYPE_STRING) != 0) {
            long index = width == 3
                    ? v.u16(at, "string ref") | ((long) v.u8(at + 2, "string ref") << 16)
                    : v.u16(at, "string ref");
            if (index == 0) {
                return null;
            }
            if (index >= strings.size()) {
                throw new FormatException(at, "MSI cell refers to string " + index + " of " + strings.size());
            }
            return strings.get((int) index);
        }
        if (width == 2) {
            int raw = v.u16(at, "i2 cell");
            return raw == 0 ? null : raw - 0x8000;
        }
        long raw = v.u32(at, "i4 cell");
        return raw == 0 ? null : (int) (raw - 0x80000000L);
    }
}
