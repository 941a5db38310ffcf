package org.crustyclaw.security.redact;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

import org.crustyclaw.api.secret.Secret;
import org.crustyclaw.api.secret.Sensitive;

/** Renders values with every {@link Sensitive} record component and every {@link Secret} redacted. */
public final class Renderer {

    private static final int MAX_DEPTH = 16;

    private Renderer() {}

    public static String render(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value, 0);
        return out.toString();
    }

    /** Whether a record component is marked {@link Sensitive} (on the component or its accessor). */
    public static boolean isSensitive(RecordComponent c) {
        return c.isAnnotationPresent(Sensitive.class) || c.getAccessor().isAnnotationPresent(Sensitive.class);
    }

    /** A record component's value, for redaction-aware walkers. */
    public static Object valueOf(Record record, RecordComponent c) {
        try {
            var accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "<unreadable: " + e.getClass().getSimpleName() + ">";
        }
    }

    private static void append(StringBuilder out, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            out.append("...");
        } else if (value == null) {
            out.append("null");
        } else if (value instanceof Secret secret) {
            out.append(secret);
        } else if (value instanceof Optional<?> optional) {
            if (optional.isPresent()) {
                append(out, optional.get(), depth + 1);
            } else {
                out.append("-");
            }
        } else if (value instanceof Record record) {
            out.append(record.getClass().getSimpleName()).append('[');
            RecordComponent[] components = record.getClass().getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                if (i > 0) {
                    out.append(", ");
                }
                out.append(components[i].getName()).append('=');
                if (isSensitive(components[i])) {
                    out.append(Secret.REDACTED);
                } else {
                    append(out, valueOf(record, components[i]), depth + 1);
                }
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                out.append(e.getKey()).append('=');
                append(out, e.getValue(), depth + 1);
                if (it.hasNext()) {
                    out.append(", ");
                }
            }
            out.append('}');
        } else if (value instanceof Collection<?> items) {
            out.append('[');
            Iterator<?> it = items.iterator();
            while (it.hasNext()) {
                append(out, it.next(), depth + 1);
                if (it.hasNext()) {
                    out.append(", ");
                }
            }
            out.append(']');
        } else {
            out.append(value);
        }
    }
}
