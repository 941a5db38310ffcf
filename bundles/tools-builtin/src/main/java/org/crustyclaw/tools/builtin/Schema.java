package org.crustyclaw.tools.builtin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tool's arguments: the JSON Schema the model reads and the check of what it sent, from one
 * declaration, so the two never drift. Only the schema subset the built-in tools use: an
 * object of strings, integers with bounds, booleans and arrays of strings, no other keys.
 */
final class Schema {

    enum Type { STRING, INTEGER, BOOLEAN, STRING_ARRAY }

    record Param(String name, Type type, boolean required, String description, long min, long max) {}

    private final Map<String, Param> params = new LinkedHashMap<>();

    Schema string(String name, boolean required, String description) {
        return add(new Param(name, Type.STRING, required, description, 0, Long.MAX_VALUE));
    }

    Schema integer(String name, long min, long max, String description) {
        return add(new Param(name, Type.INTEGER, false, description, min, max));
    }

    Schema bool(String name, String description) {
        return add(new Param(name, Type.BOOLEAN, false, description, 0, 0));
    }

    Schema strings(String name, boolean required, String description) {
        return add(new Param(name, Type.STRING_ARRAY, required, description, 1, 1000));
    }

    private Schema add(Param p) {
        params.put(p.name(), p);
        return this;
    }

    /** The JSON Schema text, {@code additionalProperties: false}. */
    String json() {
        StringBuilder out = new StringBuilder("{\"type\":\"object\",\"properties\":{");
        List<String> required = new ArrayList<>();
        String sep = "";
        for (Param p : params.values()) {
            out.append(sep).append(Json.quote(p.name())).append(":{");
            switch (p.type()) {
                case STRING -> out.append("\"type\":\"string\"");
                case BOOLEAN -> out.append("\"type\":\"boolean\"");
                case INTEGER -> out.append("\"type\":\"integer\",\"minimum\":").append(p.min())
                        .append(",\"maximum\":").append(p.max());
                case STRING_ARRAY -> out.append("\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":")
                        .append(p.min()).append(",\"maxItems\":").append(p.max());
            }
            out.append(",\"description\":").append(Json.quote(p.description())).append('}');
            sep = ",";
            if (p.required()) {
                required.add(Json.quote(p.name()));
            }
        }
        out.append("},\"required\":[").append(String.join(",", required)).append("],\"additionalProperties\":false}");
        return out.toString();
    }

    /**
     * Checks decoded JSON arguments (untrusted: they come from a model).
     *
     * @throws BadArgument naming the argument and what was expected
     */
    Args check(String tool, Map<String, Object> arguments) throws BadArgument {
        for (String key : arguments.keySet()) {
            if (!params.containsKey(key)) {
                throw new BadArgument(tool + ": unknown argument '" + Json.clip(key) + "'; expected "
                        + (params.isEmpty() ? "no arguments" : "only " + String.join(", ", params.keySet())));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Param p : params.values()) {
            Object v = arguments.get(p.name());
            if (v == null) {
                if (p.required()) {
                    throw new BadArgument(tool + ": argument '" + p.name() + "' is missing; expected "
                            + expected(p) + " (" + p.description() + ")");
                }
                continue;
            }
            values.put(p.name(), checked(tool, p, v));
        }
        return new Args(values);
    }

    private static Object checked(String tool, Param p, Object v) throws BadArgument {
        switch (p.type()) {
            case STRING -> {
                if (v instanceof String s) {
                    if (s.indexOf('\0') >= 0) {
                        throw new BadArgument(tool + ": argument '" + p.name() + "' contains a NUL character");
                    }
                    return s;
                }
            }
            case BOOLEAN -> {
                if (v instanceof Boolean b) {
                    return b;
                }
            }
            case INTEGER -> {
                Optional<Long> n = integral(v);
                if (n.isPresent()) {
                    long x = n.get();
                    if (x < p.min() || x > p.max()) {
                        throw new BadArgument(tool + ": argument '" + p.name() + "' is " + x + "; expected "
                                + expected(p));
                    }
                    return x;
                }
            }
            case STRING_ARRAY -> {
                if (v instanceof List<?> list) {
                    if (list.size() < p.min() || list.size() > p.max()) {
                        throw new BadArgument(tool + ": argument '" + p.name() + "' has " + list.size()
                                + " items; expected " + expected(p));
                    }
                    List<String> out = new ArrayList<>();
                    for (int i = 0; i < list.size(); i++) {
                        if (!(list.get(i) instanceof String s) || s.indexOf('\0') >= 0) {
                            throw new BadArgument(tool + ": argument '" + p.name() + "[" + i + "]' is "
                                    + describe(list.get(i)) + "; expected a string without NUL");
                        }
                        out.add(s);
                    }
                    return List.copyOf(out);
                }
            }
        }
        throw new BadArgument(tool + ": argument '" + p.name() + "' is " + describe(v) + "; expected " + expected(p));
    }

    private static Optional<Long> integral(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return Optional.of(((Number) v).longValue());
        }
        if (v instanceof java.math.BigInteger b && b.bitLength() < 64) {
            return Optional.of(b.longValue());
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Optional.of((long) d);
            }
        }
        return Optional.empty();
    }

    private static String expected(Param p) {
        return switch (p.type()) {
            case STRING -> "a string";
            case BOOLEAN -> "true or false";
            case INTEGER -> "an integer from " + p.min() + " to " + p.max();
            case STRING_ARRAY -> "an array of " + p.min() + " to " + p.max() + " strings";
        };
    }

    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "the string " + Json.quote(Json.clip(s));
        }
        if (v instanceof Number || v instanceof Boolean) {
            return (v instanceof Boolean ? "the boolean " : "the number ") + v;
        }
        if (v instanceof List<?>) {
            return "an array";
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        return "a " + v.getClass().getSimpleName();
    }

    /** Arguments that passed the schema. */
    static final class Args {
        private final Map<String, Object> values;

        private Args(Map<String, Object> values) {
            this.values = values;
        }

        String string(String name) {
            return (String) values.get(name);
        }

        String string(String name, String absent) {
            return (String) values.getOrDefault(name, absent);
        }

        Optional<String> optString(String name) {
            return Optional.ofNullable((String) values.get(name));
        }

        long integer(String name, long absent) {
            return (Long) values.getOrDefault(name, absent);
        }

        Optional<Long> optInteger(String name) {
            return Optional.ofNullable((Long) values.get(name));
        }

        boolean bool(String name, boolean absent) {
            return (Boolean) values.getOrDefault(name, absent);
        }

        @SuppressWarnings("unchecked")
        List<String> strings(String name) {
            return (List<String>) values.getOrDefault(name, List.of());
        }
    }

    /** Arguments that do not fit the schema; the message names the argument and what was expected. */
    static final class BadArgument extends Exception {
        private static final long serialVersionUID = 1L;

        BadArgument(String message) {
            super(message);
        }
    }
}
