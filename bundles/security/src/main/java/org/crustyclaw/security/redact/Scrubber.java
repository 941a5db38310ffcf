package org.crustyclaw.security.redact;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.crustyclaw.api.secret.Secret;

/**
 * Removes secrets from free text: the literal values of every secret loaded so far, and
 * common token shapes. Patterns use bounded quantifiers, so time is linear in the text.
 */
public final class Scrubber {

    private static final String R = Secret.REDACTED;
    private static final int MIN_LITERAL = 4;

    /** A token shape and what replaces it ({@code $1} keeps a harmless prefix). */
    private record Shape(Pattern pattern, String replacement) {}

    private static final List<Shape> SHAPES = List.of(
            new Shape(Pattern.compile("-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY-----[A-Za-z0-9+/=\\s:,-]{0,20000}?-----END \\1PRIVATE KEY-----"), R),
            new Shape(Pattern.compile("-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----[A-Za-z0-9+/=\\s:,-]*+"), R),
            new Shape(Pattern.compile("(?i)\\b(bearer|token|basic)(\\s{1,8})[A-Za-z0-9._~+/=-]{8,}+"), "$1$2" + R),
            new Shape(Pattern.compile("\\bsk-[A-Za-z0-9_-]{16,}+"), R),
            new Shape(Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{20,}+"), R),
            new Shape(Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{20,}+"), R),
            new Shape(Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b"), R),
            new Shape(Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,}+"), R),
            new Shape(Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}"), R),
            new Shape(Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}+\\.eyJ[A-Za-z0-9_-]{8,}+\\.[A-Za-z0-9_-]*+"), R),
            new Shape(Pattern.compile("\\b([a-zA-Z][a-zA-Z0-9+.-]{0,20}://[^\\s/:@]{1,256}:)[^\\s/@]{1,256}@"), "$1" + R + "@"),
            new Shape(Pattern.compile("(?i)\\b((?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)\"?\\s{0,4}[=:]\\s{0,4}\"?)[^\\s\"',;&]++"), "$1" + R));

    /** Loaded secret values by name, as chars for searching; replaced on reload. */
    private final Map<String, char[]> literals = new ConcurrentHashMap<>();

    /** Remembers a secret's value so that it is scrubbed from any text from now on. */
    public void remember(Secret secret) {
        byte[] bytes = secret.reveal();
        try {
            java.nio.CharBuffer decoded = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes));
            char[] exact = new char[decoded.remaining()];
            decoded.get(exact);
            java.util.Arrays.fill(decoded.array(), '\0');
            if (exact.length >= MIN_LITERAL) {
                char[] old = literals.put(secret.name(), exact);
                if (old != null) {
                    java.util.Arrays.fill(old, '\0');
                }
            }
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Forgets a removed secret. */
    public void forget(String name) {
        char[] old = literals.remove(name);
        if (old != null) {
            java.util.Arrays.fill(old, '\0');
        }
    }

    public String scrub(String text) {
        String out = text;
        for (char[] literal : literals.values()) {
            out = replaceLiteral(out, literal);
        }
        for (Shape shape : SHAPES) {
            Matcher m = shape.pattern.matcher(out);
            if (m.find()) {
                out = m.replaceAll(shape.replacement);
            }
        }
        return out;
    }

    private static String replaceLiteral(String text, char[] literal) {
        int at = indexOf(text, literal, 0);
        if (at < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (at >= 0) {
            out.append(text, from, at).append(R);
            from = at + literal.length;
            at = indexOf(text, literal, from);
        }
        return out.append(text, from, text.length()).toString();
    }

    private static int indexOf(String text, char[] literal, int from) {
        int last = text.length() - literal.length;
        outer:
        for (int i = from; i <= last; i++) {
            for (int j = 0; j < literal.length; j++) {
                if (text.charAt(i + j) != literal[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
