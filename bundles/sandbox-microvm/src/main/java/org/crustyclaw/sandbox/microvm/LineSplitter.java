package org.crustyclaw.sandbox.microvm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reassembles the lines of one output stream from the chunks the guest sends, which may
 * split or join lines. A line longer than {@link #MAX_LINE} bytes is cut so that a guest
 * writing without newlines cannot make the host buffer without bound.
 */
final class LineSplitter {

    static final int MAX_LINE = 64 * 1024;

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final Consumer<String> lines;

    LineSplitter(Consumer<String> lines) {
        this.lines = lines;
    }

    void accept(byte[] chunk) {
        for (byte b : chunk) {
            if (b == '\n') {
                emit();
            } else {
                pending.write(b);
                if (pending.size() >= MAX_LINE) {
                    emit();
                }
            }
        }
    }

    /** Emits what is left after the last newline, if anything. */
    void finish() {
        if (pending.size() > 0) {
            emit();
        }
    }

    private void emit() {
        String text = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        lines.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
    }
}
