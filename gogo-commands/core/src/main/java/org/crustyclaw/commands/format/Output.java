package org.crustyclaw.commands.format;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Renders command results. Records become {@code key: value} lines, lists of records
 * become aligned tables with a header, maps become {@code key: value} lines; JSON uses
 * the record component names as field names.
 */
public final class Output {

    /** Built on first JSON use only: Jackson's set-up costs a noticeable part of a cold command. */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    private Output() {}

    /** The JSON form when {@code json} is set, the human form otherwise. */
    public static String render(Object data, boolean json) {
        return json ? json(data) : human(data);
    }

    public static String json(Object data) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot render " + data.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    public static String human(Object data) {
        if (data instanceof Collection<?> rows) {
            return table(List.copyOf(rows));
        }
        if (data instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder();
            map.forEach((k, v) -> out.append(k).append(": ").append(cell(v)).append('\n'));
            return out.toString();
        }
        if (data instanceof Record record) {
            StringBuilder out = new StringBuilder();
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                out.append(words(c.getName())).append(": ").append(cell(value(record, c))).append('\n');
            }
            return out.toString();
        }
        return cell(data) + "\n";
    }

    /** An aligned table; rows are records of one type (other values print one per line). */
    public static String table(List<?> rows) {
        if (rows.isEmpty()) {
            return "(none)\n";
        }
        if (!(rows.get(0) instanceof Record first)) {
            StringBuilder out = new StringBuilder();
            rows.forEach(r -> out.append(cell(r)).append('\n'));
            return out.toString();
        }
        RecordComponent[] columns = first.getClass().getRecordComponents();
        List<String[]> cells = new ArrayList<>();
        String[] header = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            header[i] = words(columns[i].getName()).toUpperCase(java.util.Locale.ROOT);
        }
        cells.add(header);
        for (Object row : rows) {
            String[] line = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                line[i] = cell(value((Record) row, columns[i]));
            }
            cells.add(line);
        }
        int[] widths = new int[columns.length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                out.append(line[i]);
                if (i < line.length - 1) {
                    out.append(" ".repeat(widths[i] - line[i].length() + 2));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** A value as one table cell: optionals unwrapped, durations and instants short. */
    public static String cell(Object value) {
        if (value instanceof Optional<?> optional) {
            return optional.map(Output::cell).orElse("-");
        }
        if (value instanceof Duration d) {
            return duration(d);
        }
        if (value instanceof Instant i) {
            return i.truncatedTo(ChronoUnit.SECONDS).toString();
        }
        if (value instanceof Collection<?> c) {
            return c.isEmpty() ? "-" : String.join(",", c.stream().map(Output::cell).toList());
        }
        String text = String.valueOf(value);
        return text.isEmpty() ? "-" : text.replace('\n', ' ');
    }

    /** {@code 3d 4h}, {@code 2m 5s}, {@code 350ms}: the two largest units. */
    public static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s < 60) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        if (s < 86400) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        }
        return (s / 86400) + "d " + (s % 86400 / 3600) + "h";
    }

    private static Object value(Record record, RecordComponent c) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + record.getClass().getName(), e);
        }
    }

    /** {@code peakMemoryBytes} → {@code peak memory bytes}. */
    static String words(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }
}
