package org.crustyclaw.buildchecks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two rules the test suite keeps (issue 21): a test waits for the event it needs, never for
 * a length of time, and never asserts how long something took.
 *
 * <ul>
 * <li><b>sleep</b>: {@code Thread.sleep}, {@code TimeUnit.X.sleep}, {@code LockSupport.parkNanos}
 * and {@code parkUntil} are refused, except in a polling helper that says why on the same line
 * or the line above with a comment {@code test-rules: sleep allowed: <why>}.
 * <li><b>elapsed</b>: an assertion ({@code assert...(}, {@code assume...(}) may not use an
 * elapsed time: the difference of two clock readings ({@code System.nanoTime()},
 * {@code System.currentTimeMillis()}, {@code Instant.now()}, or a variable holding one), a
 * {@code Duration.between} of a reading, an {@code elapsed()} value, or a variable computed from
 * any of these. A timestamp checked against readings taken around it is not elapsed time.
 * </ul>
 *
 * Comments, string literals and text blocks are blanked before matching, so a sandbox script's
 * {@code sleep 1} in a string is not a call. A source-level check and not an ArchUnit rule:
 * bytecode does not show where a value came from, and this needs no dependency (ADR 0030).
 */
public final class TestSourceRules {

    /** One broken rule at {@code file:line}. */
    public record Violation(Path file, int line, String rule, String text) {
        public Violation {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(rule, "rule");
            if (line < 1) {
                throw new IllegalArgumentException("line numbers start at 1: " + line);
            }
        }

        @Override
        public String toString() {
            return file + ":" + line + ": " + rule + ": " + text.strip();
        }
    }

    static final String SLEEP_MARKER = "test-rules: sleep allowed:";
    static final String SLEEP_RULE = "sleeps instead of waiting for the event";
    static final String ELAPSED_RULE = "asserts elapsed time";
    /** What to do instead, for the report. */
    public static final String HOW_TO_FIX = SLEEP_RULE + ": wait on a latch, a future or an await helper with a"
            + " hang-guard deadline (a polling helper may sleep with a '// " + SLEEP_MARKER + " <why>' comment); "
            + ELAPSED_RULE + ": assert the event or outcome, put a deadline that only guards against hangs in"
            + " @Timeout or the await helper, and speed figures in bench/";

    private static final Pattern SLEEP = Pattern.compile("\\bsleep\\s*\\(|\\bpark(?:Nanos|Until)\\s*\\(");
    private static final Pattern READING = Pattern.compile(
            "System\\s*\\.\\s*(?:nanoTime|currentTimeMillis)\\s*\\(\\s*\\)|\\bInstant\\s*\\.\\s*now\\s*\\(\\s*\\)");
    private static final Pattern ELAPSED_CALL = Pattern.compile("\\.\\s*elapsed\\s*\\(\\s*\\)");
    private static final Pattern BETWEEN = Pattern.compile("\\bDuration\\s*\\.\\s*between\\s*\\(");
    private static final Pattern ASSERTION = Pattern.compile("\\b(?:assert|assume)(?!Timeout|Throws|DoesNotThrow)\\w*\\s*\\(");
    private static final Pattern ASSIGNMENT = Pattern.compile("\\b([A-Za-z_$][\\w$]*)\\s*(?<![<>!=+\\-*/%&|^])=(?!=)");
    /** A binary minus: not part of {@code ->}, {@code --} or {@code -=}, and not a sign after an operator. */
    private static final String MINUS = "(?<![-])-(?![->=])";

    private TestSourceRules() {}

    /** Every violation in the Java files under the {@code src/test/java} directories below {@code root}. */
    public static List<Violation> checkTree(Path root) throws IOException {
        List<Path> sources = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                return !dir.equals(root) && SKIPPED.contains(name) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (isTestSource(file)) {
                    sources.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        List<Violation> all = new ArrayList<>();
        for (Path file : sources.stream().sorted().toList()) {
            all.addAll(check(root.relativize(file), Files.readString(file, StandardCharsets.UTF_8)));
        }
        return all;
    }

    /** Build output, version control and package caches: never sources of ours. */
    private static final Set<String> SKIPPED = Set.of("target", ".git", "node_modules", ".mvn");

    static boolean isTestSource(Path file) {
        String path = file.toString().replace('\\', '/');
        return path.endsWith(".java") && path.contains("/src/test/java/") && !path.contains("/target/")
                && !path.contains("/.git/");
    }

    /** The violations in one file's text; {@code file} only names it. */
    public static List<Violation> check(Path file, String source) {
        String[] original = source.split("\n", -1);
        String code = blank(source);
        List<Violation> found = new ArrayList<>();
        Matcher sleep = SLEEP.matcher(code);
        while (sleep.find()) {
            int line = lineOf(code, sleep.start());
            if (!marked(original, line)) {
                found.add(new Violation(file, line, SLEEP_RULE, original[line - 1]));
            }
        }
        List<Statement> statements = statements(code);
        Set<String> readings = new HashSet<>();
        Set<String> elapsed = new HashSet<>();
        boolean changed = true;
        while (changed) { // a fixpoint over assignments, so the order of declarations does not matter
            changed = false;
            for (Statement s : statements) {
                Matcher a = ASSIGNMENT.matcher(s.text());
                if (!a.find() || ASSERTION.matcher(s.text().substring(0, a.start())).find()) {
                    continue;
                }
                String name = a.group(1);
                String value = s.text().substring(a.end());
                if (isElapsed(value, readings, elapsed)) {
                    changed |= elapsed.add(name);
                } else if (READING.matcher(value).find() || mentions(value, readings)) {
                    changed |= readings.add(name);
                }
            }
        }
        for (Statement s : statements) {
            if (ASSERTION.matcher(s.text()).find() && isElapsed(s.text(), readings, elapsed)) {
                found.add(new Violation(file, s.line(), ELAPSED_RULE, original[s.line() - 1]));
            }
        }
        found.sort((x, y) -> Integer.compare(x.line(), y.line()));
        return found;
    }

    private static boolean isElapsed(String text, Set<String> readings, Set<String> elapsed) {
        if (ELAPSED_CALL.matcher(text).find() || mentions(text, elapsed)) {
            return true;
        }
        String clock = "(?:" + READING.pattern() + names(readings) + ")";
        if (Pattern.compile(clock + "\\s*" + MINUS + "|" + MINUS + "\\s*\\(*\\s*" + clock).matcher(text).find()) {
            return true;
        }
        Matcher between = BETWEEN.matcher(text);
        while (between.find()) {
            String args = text.substring(between.end());
            if (READING.matcher(args).find() || mentions(args, readings)) {
                return true;
            }
        }
        return false;
    }

    /** {@code |name1|name2...} as whole identifiers, not fields or calls; empty for no names. */
    private static String names(Set<String> names) {
        StringBuilder out = new StringBuilder();
        for (String n : names) {
            out.append("|(?<![\\w$.])").append(Pattern.quote(n)).append("(?![\\w$(])");
        }
        return out.toString();
    }

    private static boolean mentions(String text, Set<String> names) {
        return !names.isEmpty() && Pattern.compile(names(names).substring(1)).matcher(text).find();
    }

    private static boolean marked(String[] lines, int line) {
        for (int i = Math.max(1, line - 1); i <= line; i++) {
            int at = lines[i - 1].indexOf(SLEEP_MARKER);
            if (at >= 0 && lines[i - 1].substring(at + SLEEP_MARKER.length()).strip().length() >= 10) {
                return true; // the reason must say something
            }
        }
        return false;
    }

    record Statement(int line, String text) {}

    /** Code split at {@code ;}, <code>{</code> and <code>}</code>; each piece starts at its first non-blank line. */
    static List<Statement> statements(String code) {
        List<Statement> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= code.length(); i++) {
            if (i == code.length() || code.charAt(i) == ';' || code.charAt(i) == '{' || code.charAt(i) == '}') {
                String text = code.substring(start, i);
                if (!text.isBlank()) {
                    int first = start;
                    while (Character.isWhitespace(code.charAt(first))) {
                        first++;
                    }
                    out.add(new Statement(lineOf(code, first), text.replaceAll("\\s+", " ")));
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The source with comments, strings, text blocks and char literals turned into spaces; lines stay where they were. */
    static String blank(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
                spaces(out, s, i, end);
                i = end;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < s.length() && !s.startsWith("\"\"\"", end)) {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(s.length(), end + 3);
                out.append('"');
                spaces(out, s, i + 1, end - 1);
                out.append('"');
                i = end;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < s.length() && s.charAt(end) != c && s.charAt(end) != '\n') {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(s.length(), end + 1);
                out.append(c);
                spaces(out, s, i + 1, end - 1);
                out.append(c);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void spaces(StringBuilder out, String s, int from, int to) {
        for (int j = from; j < to && j < s.length(); j++) {
            out.append(s.charAt(j) == '\n' ? '\n' : ' ');
        }
    }
}
