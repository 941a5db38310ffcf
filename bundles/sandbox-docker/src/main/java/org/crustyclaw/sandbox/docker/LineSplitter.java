package org.crustyclaw.sandbox.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.crustyclaw.api.sandbox.OutputLine;

/** Docker sends output in frames cut anywhere; this turns one stream's frames back into lines. */
final class LineSplitter {

    private final OutputLine.Stream stream;
    private final Consumer<OutputLine> sink;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LineSplitter(OutputLine.Stream stream, Consumer<OutputLine> sink) {
        this.stream = stream;
        this.sink = sink;
    }

    void accept(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n') {
                emit();
            } else {
                pending.write(b);
            }
        }
    }

    /** The last line, when the output did not end with a newline. */
    void finish() {
        if (pending.size() > 0) {
            emit();
        }
    }

    private void emit() {
        String text = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        sink.accept(new OutputLine(stream, text.endsWith("\r") ? text.substring(0, text.length() - 1) : text));
    }
}
