package org.crustyclaw.config.toml;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders a {@link TomlTable} as TOML text; see {@link Toml#write(TomlTable)}. */
final class TomlWriter {

    private final StringBuilder out = new StringBuilder();

    String write(TomlTable root) {
        writeBody(root, new ArrayList<>());
        return out.toString();
    }

    /** True for values written as their own section: tables and non-empty arrays of tables. */
    private static boolean isSection(TomlValue value) {
        if (value instanceof TomlTable) {
            return true;
        }
        if (!(value instanceof TomlArray array) || array.values().isEmpty()) {
            return false;
        }
        for (TomlValue element : array.values()) {
            if (!(element instanceof TomlTable)) {
                return false;
            }
        }
        return true;
    }

    /** Writes a table's plain values, then its sections, under the given key path. */
    private void writeBody(TomlTable table, List<String> path) {
        for (Map.Entry<String, TomlValue> e : table.entries().entrySet()) {
            if (!isSection(e.getValue())) {
                out.append(TomlKeys.format(e.getKey())).append(" = ");
                writeInline(e.getValue());
                out.append('\n');
            }
        }
        for (Map.Entry<String, TomlValue> e : table.entries().entrySet()) {
            TomlValue value = e.getValue();
            if (!isSection(value)) {
                continue;
            }
            path.add(e.getKey());
            if (value instanceof TomlTable sub) {
                if (needsHeader(sub)) {
                    header("[", path, "]");
                }
                writeBody(sub, path);
            } else {
                for (TomlValue element : ((TomlArray) value).values()) {
                    header("[[", path, "]]");
                    writeBody((TomlTable) element, path);
                }
            }
            path.remove(path.size() - 1);
        }
    }

    /**
     * A table made only of sections needs no header of its own: the sections' headers create
     * it. Empty tables and tables with plain values do.
     */
    private static boolean needsHeader(TomlTable table) {
        if (table.isEmpty()) {
            return true;
        }
        for (TomlValue value : table.entries().values()) {
            if (!isSection(value)) {
                return true;
            }
        }
        return false;
    }

    private void header(String open, List<String> path, String close) {
        if (out.length() > 0) {
            out.append('\n');
        }
        out.append(open).append(TomlKeys.format(path)).append(close).append('\n');
    }

    private void writeInline(TomlValue value) {
        if (value instanceof TomlString s) {
            out.append(TomlKeys.quote(s.value()));
        } else if (value instanceof TomlInteger i) {
            out.append(i.value());
        } else if (value instanceof TomlFloat f) {
            out.append(formatFloat(f.value()));
        } else if (value instanceof TomlBoolean b) {
            out.append(b.value());
        } else if (value instanceof TomlDateTime d) {
            out.append(formatDateTime(d.value()));
        } else if (value instanceof TomlArray a) {
            out.append('[');
            for (int i = 0; i < a.values().size(); i++) {
                out.append(i == 0 ? "" : ", ");
                writeInline(a.values().get(i));
            }
            out.append(']');
        } else {
            TomlTable t = (TomlTable) value;
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, TomlValue> e : t.entries().entrySet()) {
                out.append(first ? " " : ", ").append(TomlKeys.format(e.getKey())).append(" = ");
                writeInline(e.getValue());
                first = false;
            }
            out.append(first ? "}" : " }");
        }
    }

    static String formatFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        // Double.toString always yields digits '.' digits, optionally followed by E and exponent.
        return Double.toString(d);
    }

    static String formatDateTime(Temporal t) {
        if (t instanceof OffsetDateTime odt) {
            return formatLocal(odt.toLocalDateTime()) + formatOffset(odt.getOffset());
        }
        if (t instanceof LocalDateTime ldt) {
            return formatLocal(ldt);
        }
        if (t instanceof LocalDate ld) {
            return formatDate(ld);
        }
        return formatTime((LocalTime) t);
    }

    private static String formatLocal(LocalDateTime ldt) {
        return formatDate(ldt.toLocalDate()) + "T" + formatTime(ldt.toLocalTime());
    }

    private static String formatDate(LocalDate d) {
        return String.format("%04d-%02d-%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    private static String formatTime(LocalTime t) {
        String hms = String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
        if (t.getNano() == 0) {
            return hms;
        }
        String nanos = String.format("%09d", t.getNano());
        int end = nanos.length();
        while (nanos.charAt(end - 1) == '0') {
            end--;
        }
        return hms + "." + nanos.substring(0, end);
    }

    private static String formatOffset(ZoneOffset offset) {
        int total = offset.getTotalSeconds();
        if (total == 0) {
            return "Z";
        }
        int minutes = Math.abs(total) / 60;
        return String.format("%s%02d:%02d", total < 0 ? "-" : "+", minutes / 60, minutes % 60);
    }
}
