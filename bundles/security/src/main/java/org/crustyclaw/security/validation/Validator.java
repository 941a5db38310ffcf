package org.crustyclaw.security.validation;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.crustyclaw.api.secret.Secret;
import org.crustyclaw.security.redact.Renderer;

/**
 * Checks the constraint annotations on a record and, recursively, on the records it holds
 * (directly, in collections, map values and optionals). Reports every violation, not
 * just the first.
 */
public final class Validator {

    private static final int MAX_DEPTH = 32;
    private static final int MAX_SHOWN = 80;
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private Validator() {}

    /** Every violation in {@code root}; empty when it is valid. */
    public static List<Violation> validate(Object root) {
        List<Violation> out = new ArrayList<>();
        walk(root, "", false, out, 0);
        return List.copyOf(out);
    }

    /** Throws {@link IllegalArgumentException} listing every violation, one per line. */
    public static <T> T require(T root) {
        List<Violation> violations = validate(root);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", violations.stream().map(Violation::toString).toList()));
        }
        return root;
    }

    private static void walk(Object value, String path, boolean sensitive, List<Violation> out, int depth) {
        if (depth > MAX_DEPTH || value == null) {
            return;
        }
        if (value instanceof Record record) {
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                String child = path.isEmpty() ? c.getName() : path + "." + c.getName();
                boolean childSensitive = sensitive || Renderer.isSensitive(c);
                Object v = Renderer.valueOf(record, c);
                check(c, v, child, childSensitive, out);
                walk(v, child, childSensitive, out, depth + 1);
            }
        } else if (value instanceof Optional<?> o) {
            o.ifPresent(v -> walk(v, path, sensitive, out, depth + 1));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, sensitive, out, depth + 1));
        } else if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", sensitive, out, depth + 1);
            }
        }
    }

    private static void check(RecordComponent c, Object raw, String path, boolean sensitive, List<Violation> out) {
        Object v = raw instanceof Optional<?> o ? o.orElse(null) : raw;
        NotEmpty notEmpty = c.getAnnotation(NotEmpty.class);
        if (notEmpty != null && isEmpty(raw)) {
            out.add(new Violation(path, shown(v, sensitive), "must not be empty"));
        }
        if (v == null) {
            return;
        }
        Range range = c.getAnnotation(Range.class);
        if (range != null && v instanceof Number n) {
            long x = n.longValue();
            if (x < range.min() || x > range.max()) {
                out.add(new Violation(path, shown(v, sensitive), "is out of range: expected " + bounds(range.min(), range.max())));
            }
        }
        Length length = c.getAnnotation(Length.class);
        if (length != null) {
            int size = v instanceof CharSequence s ? s.toString().codePointCount(0, s.length())
                    : v instanceof Collection<?> items ? items.size() : v instanceof Map<?, ?> m ? m.size() : -1;
            if (size >= 0 && (size < length.min() || size > length.max())) {
                out.add(new Violation(path, shown(v, sensitive), "has length " + size + ": expected "
                        + bounds(length.min(), length.max())));
            }
        }
        Matches matches = c.getAnnotation(Matches.class);
        if (matches != null && v instanceof CharSequence s) {
            Pattern p = PATTERNS.computeIfAbsent(matches.value(), Pattern::compile);
            if (!p.matcher(s).matches()) {
                String what = matches.description().isEmpty() ? "to match " + matches.value() : "to be " + matches.description();
                out.add(new Violation(path, shown(v, sensitive), "does not match: expected " + what));
            }
        }
    }

    private static boolean isEmpty(Object v) {
        return v == null
                || v instanceof CharSequence s && s.toString().isBlank()
                || v instanceof Collection<?> c && c.isEmpty()
                || v instanceof Map<?, ?> m && m.isEmpty()
                || v instanceof Optional<?> o && (o.isEmpty() || isEmpty(o.get()));
    }

    private static String bounds(long min, long max) {
        if (min == Long.MIN_VALUE || min == 0 && max != Long.MAX_VALUE && max != Integer.MAX_VALUE) {
            return min == Long.MIN_VALUE ? "at most " + max : "between " + min + " and " + max;
        }
        return max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
    }

    private static String shown(Object v, boolean sensitive) {
        if (sensitive || v instanceof Secret) {
            return Secret.REDACTED;
        }
        String text = v == null ? "" : String.valueOf(v);
        return text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "..." : text;
    }
}
