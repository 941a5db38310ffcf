package org.crustyclaw.api.config;

/**
 * One thing wrong with a configuration file.
 *
 * @param file    the file
 * @param line    1-based line, 0 when the problem is the whole file
 * @param column  1-based column, 0 when unknown
 * @param path    the dotted key path, e.g. {@code sandbox.bwrap.binary}, empty for syntax errors
 * @param message what is wrong and what was expected, with sensitive values redacted
 *
 * <p>A word of the path or the message longer than {@link #LONGEST_WORD} characters (a huge
 * key or value repeated in the text) is cut in the middle, naming its length, so that every
 * problem stays readable and fits a reply; the file, line and column are never cut.
 */
public record ConfigProblem(String file, int line, int column, String path, String message) {

    /** Longest run of non-blank characters kept whole in {@link #path} and {@link #message}. */
    public static final int LONGEST_WORD = 120;

    private static final java.util.regex.Pattern LONG_WORD = java.util.regex.Pattern.compile("\\S{" + (LONGEST_WORD + 1) + ",}");

    public ConfigProblem {
        java.util.Objects.requireNonNull(file, "file");
        path = cut(java.util.Objects.requireNonNull(path, "path"));
        message = cut(java.util.Objects.requireNonNull(message, "message"));
    }

    private static String cut(String text) {
        if (text.length() <= LONGEST_WORD) {
            return text;
        }
        return LONG_WORD.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group().substring(0, 60)
                + "...(" + m.group().length() + " characters)..." + m.group().substring(m.group().length() - 20)));
    }

    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line + ":" + column : file;
        return where + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
