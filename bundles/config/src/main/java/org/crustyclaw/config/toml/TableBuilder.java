package org.crustyclaw.config.toml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable document tree used while parsing, enforcing TOML's rules on defining tables:
 * no key twice, no table twice, no extending inline tables or static arrays, and dotted keys
 * only within the section that created them.
 */
final class TableBuilder {

    /** How a table came to exist; decides what may still add to it. */
    enum Kind {
        /** Root, {@code [header]}, {@code [[header]]} element, or inline table being read. */
        EXPLICIT,
        /** Created only as the parent of a header, e.g. {@code a} in {@code [a.b]}. */
        IMPLICIT,
        /** Created (or claimed) by a dotted key in a key/value pair. */
        DOTTED
    }

    sealed interface Node permits Table, TableArray, Leaf {
        Position position();
    }

    static final class Table implements Node {
        final Map<String, Node> entries = new LinkedHashMap<>();
        final int depth;
        Kind kind;
        Position position;
        /** The section (header or inline table) that defined or last claimed this table. */
        int section;

        Table(Kind kind, Position position, int depth, int section) {
            this.kind = kind;
            this.position = position;
            this.depth = depth;
            this.section = section;
        }

        @Override
        public Position position() {
            return position;
        }
    }

    /** An array of tables, appended to by {@code [[header]]}. */
    record TableArray(List<Table> tables, Position position, int depth) implements Node {
    }

    /** A finished value: scalar, static array, or inline table (frozen). */
    record Leaf(TomlValue value) implements Node {
        @Override
        public Position position() {
            return value.position();
        }
    }

    private final TomlLexer lx;
    private int keyCount;
    private int section;

    TableBuilder(TomlLexer lx) {
        this.lx = lx;
    }

    /** Creates the document root or an inline table; each starts its own section. */
    Table newRoot(Position position, int depth) {
        return new Table(Kind.EXPLICIT, position, depth, ++section);
    }

    /** Handles {@code [path]}: returns the table that following key/value pairs go into. */
    Table defineTable(Table root, List<TomlKey> path, Position header) throws TomlException {
        section++;
        Table parent = walkHeader(root, path);
        TomlKey last = path.get(path.size() - 1);
        Node existing = parent.entries.get(last.name());
        String name = "[" + TomlKeys.display(path, path.size()) + "]";
        if (existing == null) {
            return put(parent, last, new Table(Kind.EXPLICIT, header, childDepth(parent, last), section));
        }
        if (existing instanceof Table t) {
            if (t.kind == Kind.IMPLICIT) {
                t.kind = Kind.EXPLICIT;
                t.position = header;
                t.section = section;
                return t;
            }
            String how = t.kind == Kind.DOTTED ? "first by dotted keys at " : "first at ";
            throw lx.error(header, "table " + name + " defined twice (" + how + t.position.lineColumn() + ")");
        }
        if (existing instanceof Leaf leaf && leaf.value() instanceof TomlTable) {
            throw lx.error(header, notATable(path, path.size(), existing));
        }
        throw lx.error(header, "cannot define table " + name + ": key '" + TomlKeys.display(path, path.size())
                + "' is already " + describe(existing));
    }

    /** Handles {@code [[path]]}: appends a new table to the array and returns it. */
    Table defineArrayTable(Table root, List<TomlKey> path, Position header) throws TomlException {
        section++;
        Table parent = walkHeader(root, path);
        TomlKey last = path.get(path.size() - 1);
        Node existing = parent.entries.get(last.name());
        TableArray array;
        String name = "[[" + TomlKeys.display(path, path.size()) + "]]";
        if (existing == null) {
            array = put(parent, last, new TableArray(new ArrayList<>(), header, childDepth(parent, last)));
        } else if (existing instanceof TableArray a) {
            array = a;
        } else if (existing instanceof Leaf leaf && leaf.value() instanceof TomlArray) {
            throw lx.error(header, "cannot append to static array '" + TomlKeys.display(path, path.size())
                    + "' (defined at " + existing.position().lineColumn() + ") with " + name);
        } else {
            throw lx.error(header, "cannot define array of tables " + name + ": key '"
                    + TomlKeys.display(path, path.size()) + "' is already " + describe(existing));
        }
        countKey(header);
        Table element = new Table(Kind.EXPLICIT, header, checkDepth(array.depth() + 1, last), section);
        array.tables().add(element);
        return element;
    }

    /** Handles {@code key = value} inside {@code table} (a section or an inline table). */
    void putValue(Table table, List<TomlKey> key, TomlValue value) throws TomlException {
        int sec = table.section;
        Table parent = table;
        for (int k = 0; k < key.size() - 1; k++) {
            TomlKey part = key.get(k);
            Node existing = parent.entries.get(part.name());
            if (existing == null) {
                parent = put(parent, part, new Table(Kind.DOTTED, part.position(), childDepth(parent, part), sec));
            } else if (existing instanceof Table t && (t.kind == Kind.IMPLICIT
                    || (t.kind == Kind.DOTTED && t.section == sec))) {
                t.kind = Kind.DOTTED;
                t.section = sec;
                parent = t;
            } else if (existing instanceof Table t) {
                throw lx.error(part.position(), "cannot add keys to table '" + TomlKeys.display(key, k + 1)
                        + "' (defined at " + t.position.lineColumn() + ") using dotted keys");
            } else {
                throw lx.error(part.position(), notATable(key, k + 1, existing));
            }
        }
        TomlKey last = key.get(key.size() - 1);
        Node existing = parent.entries.get(last.name());
        if (existing != null) {
            throw lx.error(last.position(), "duplicate key '" + TomlKeys.display(key, key.size())
                    + "' (first defined at " + existing.position().lineColumn() + ")");
        }
        childDepth(parent, last);
        put(parent, last, new Leaf(value));
    }

    /** Walks the parents of a header path, creating implicit tables as needed. */
    private Table walkHeader(Table root, List<TomlKey> path) throws TomlException {
        Table parent = root;
        for (int k = 0; k < path.size() - 1; k++) {
            TomlKey part = path.get(k);
            Node existing = parent.entries.get(part.name());
            if (existing == null) {
                Table created = new Table(Kind.IMPLICIT, part.position(), childDepth(parent, part), section);
                parent = put(parent, part, created);
            } else if (existing instanceof Table t) {
                parent = t;
            } else if (existing instanceof TableArray a) {
                parent = a.tables().get(a.tables().size() - 1);
            } else {
                throw lx.error(part.position(), notATable(path, k + 1, existing));
            }
        }
        return parent;
    }

    /** Why a key on the way to a table cannot be used as one. */
    private static String notATable(List<TomlKey> path, int count, Node existing) {
        String key = "'" + TomlKeys.display(path, count) + "'";
        if (existing instanceof Leaf leaf && (leaf.value() instanceof TomlTable || leaf.value() instanceof TomlArray)) {
            String what = leaf.value() instanceof TomlTable ? "inline table " : "static array ";
            return "cannot extend " + what + key + " (defined at " + existing.position().lineColumn() + ")";
        }
        return "cannot use key " + key + " as a table: it is already " + describe(existing);
    }

    private static String describe(Node node) {
        String what;
        if (node instanceof TableArray) {
            what = "an array of tables";
        } else if (node instanceof Table) {
            what = "a table";
        } else {
            TomlValue value = ((Leaf) node).value();
            what = value instanceof TomlTable ? "an inline table"
                    : value instanceof TomlArray ? "a static array"
                    : value instanceof TomlInteger ? "an integer"
                    : "a " + value.typeName();
        }
        return what + " (defined at " + node.position().lineColumn() + ")";
    }

    private <N extends Node> N put(Table parent, TomlKey key, N node) throws TomlException {
        countKey(key.position());
        parent.entries.put(key.name(), node);
        return node;
    }

    private void countKey(Position at) throws TomlException {
        if (++keyCount > Toml.MAX_KEYS) {
            throw lx.error(at, "too many keys: the limit is " + Toml.MAX_KEYS);
        }
    }

    private int childDepth(Table parent, TomlKey key) throws TomlException {
        return checkDepth(parent.depth + 1, key);
    }

    private int checkDepth(int depth, TomlKey key) throws TomlException {
        if (depth > Toml.MAX_DEPTH) {
            throw lx.error(key.position(), "nesting depth exceeds the limit of " + Toml.MAX_DEPTH);
        }
        return depth;
    }

    /** Converts the finished tree into immutable values. */
    static TomlTable freeze(Table table) {
        Map<String, TomlValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : table.entries.entrySet()) {
            out.put(e.getKey(), freeze(e.getValue()));
        }
        return new TomlTable(out, table.position);
    }

    private static TomlValue freeze(Node node) {
        if (node instanceof Table t) {
            return freeze(t);
        }
        if (node instanceof TableArray a) {
            List<TomlValue> tables = new ArrayList<>(a.tables().size());
            for (Table t : a.tables()) {
                tables.add(freeze(t));
            }
            return new TomlArray(tables, a.position());
        }
        return ((Leaf) node).value();
    }
}
