package org.crustyclaw.api.config;

/**
 * One thing wrong with a configuration file.
 *
 * @param file    the file
 * @param line    1-based line, 0 when the problem is the whole file
 * @param column  1-based column, 0 when unknown
 * @param path    the dotted key path, e.g. {@code sandbox.bwrap.binary}, empty for syntax errors
 * @param message what is wrong and what was expected, with sensitive values redacted
 */
public record ConfigProblem(String file, int line, int column, String path, String message) {

    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line + ":" + column : file;
        return where + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
