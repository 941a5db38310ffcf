package org.crustyclaw.config.internal;

import java.lang.reflect.Array;
import java.util.List;

import org.crustyclaw.config.toml.TomlArray;
import org.crustyclaw.config.toml.TomlBoolean;
import org.crustyclaw.config.toml.TomlFloat;
import org.crustyclaw.config.toml.TomlInteger;
import org.crustyclaw.config.toml.TomlString;
import org.crustyclaw.config.toml.TomlValue;

/** Converts TOML values to the ConfigAdmin property types a metatype attribute declares. */
final class Values {

    private Values() {}

    /** @throws IllegalArgumentException saying what was expected and what was found */
    static Object convert(TomlValue value, Schema.Attr attr) {
        if (!attr.multiple()) {
            if (value instanceof TomlArray) {
                throw new IllegalArgumentException("expected " + describe(attr) + " (a single value), found an array");
            }
            return scalar(value, attr);
        }
        if (!(value instanceof TomlArray a)) {
            // A list key given one bare value ("x" for ["x"]) is a mistake worth naming, not a list of one.
            throw new IllegalArgumentException("expected a list of " + plural(attr) + ", e.g. [" + example(attr) + "], found "
                    + value.typeName() + " " + shown(value, attr));
        }
        List<TomlValue> items = a.values();
        if (attr.cardinality() > 0 && items.size() > attr.cardinality()) {
            throw new IllegalArgumentException("expected at most " + attr.cardinality() + " values, found " + items.size());
        }
        Object array = Array.newInstance(javaType(attr.type()), items.size());
        for (int i = 0; i < items.size(); i++) {
            Array.set(array, i, scalar(items.get(i), attr));
        }
        return array;
    }

    private static Object scalar(TomlValue value, Schema.Attr attr) {
        Object converted = switch (attr.type()) {
            case "String", "Password", "Char", "Character" -> text(value, attr);
            case "Boolean" -> {
                if (value instanceof TomlBoolean b) {
                    yield b.value();
                }
                throw mismatch(value, attr);
            }
            case "Double", "Float" -> {
                double d;
                if (value instanceof TomlFloat f) {
                    d = f.value();
                } else if (value instanceof TomlInteger i) {
                    d = i.value();
                } else {
                    throw mismatch(value, attr);
                }
                checkRange(d, attr, value);
                yield attr.type().equals("Float") ? (Object) (float) d : (Object) d;
            }
            case "Long", "Integer", "Short", "Byte" -> {
                if (!(value instanceof TomlInteger i)) {
                    throw mismatch(value, attr);
                }
                long n = i.value();
                checkRange(n, attr, value);
                yield switch (attr.type()) {
                    case "Integer" -> bounded(n, Integer.MIN_VALUE, Integer.MAX_VALUE, attr, (int) n);
                    case "Short" -> bounded(n, Short.MIN_VALUE, Short.MAX_VALUE, attr, (short) n);
                    case "Byte" -> bounded(n, Byte.MIN_VALUE, Byte.MAX_VALUE, attr, (byte) n);
                    default -> n;
                };
            }
            default -> throw new IllegalArgumentException("attribute type " + attr.type() + " is not supported");
        };
        if (!attr.options().isEmpty() && !attr.options().contains(String.valueOf(converted))) {
            throw new IllegalArgumentException("expected one of " + attr.options() + ", found " + shown(value, attr));
        }
        return converted;
    }

    private static String text(TomlValue value, Schema.Attr attr) {
        if (value instanceof TomlString s) {
            return s.value();
        }
        throw mismatch(value, attr);
    }

    private static Object bounded(long n, long min, long max, Schema.Attr attr, Object narrowed) {
        if (n < min || n > max) {
            throw new IllegalArgumentException("expected " + describe(attr) + " between " + min + " and " + max + ", found " + n);
        }
        return narrowed;
    }

    private static void checkRange(double n, Schema.Attr attr, TomlValue value) {
        if (attr.min().isPresent() && n < Double.parseDouble(attr.min().get())
                || attr.max().isPresent() && n > Double.parseDouble(attr.max().get())) {
            throw new IllegalArgumentException("expected " + describe(attr) + " from " + attr.min().orElse("-inf") + " to "
                    + attr.max().orElse("inf") + ", found " + shown(value, attr));
        }
    }

    private static IllegalArgumentException mismatch(TomlValue value, Schema.Attr attr) {
        return new IllegalArgumentException("expected " + describe(attr) + ", found " + value.typeName() + " "
                + shown(value, attr));
    }

    private static String plural(Schema.Attr attr) {
        return switch (attr.type()) {
            case "Password", "String", "Char", "Character" -> "strings";
            case "Boolean" -> "true or false values";
            case "Double", "Float" -> "numbers";
            default -> "integers";
        };
    }

    private static String example(Schema.Attr attr) {
        return switch (attr.type()) {
            case "Password", "String", "Char", "Character" -> "\"a\", \"b\"";
            case "Boolean" -> "true, false";
            case "Double", "Float" -> "1.5, 2.0";
            default -> "1, 2";
        };
    }

    private static String describe(Schema.Attr attr) {
        return switch (attr.type()) {
            case "Password", "String", "Char", "Character" -> "a string";
            case "Boolean" -> "true or false";
            case "Double", "Float" -> "a number";
            default -> "an integer";
        };
    }

    /** The offending value as it may be shown: never the value of a sensitive attribute. */
    private static String shown(TomlValue value, Schema.Attr attr) {
        if (attr.sensitive() || Redaction.sensitiveName(attr.id())) {
            return "<redacted>";
        }
        String text;
        if (value instanceof TomlString s) {
            text = '"' + s.value() + '"';
        } else if (value instanceof TomlInteger i) {
            text = Long.toString(i.value());
        } else if (value instanceof TomlFloat f) {
            text = Double.toString(f.value());
        } else if (value instanceof TomlBoolean b) {
            text = Boolean.toString(b.value());
        } else {
            text = value.typeName();
        }
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    private static Class<?> javaType(String type) {
        return switch (type) {
            case "Boolean" -> Boolean.class;
            case "Double" -> Double.class;
            case "Float" -> Float.class;
            case "Long" -> Long.class;
            case "Integer" -> Integer.class;
            case "Short" -> Short.class;
            case "Byte" -> Byte.class;
            default -> String.class;
        };
    }
}
