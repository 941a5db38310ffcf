package org.crustyclaw.provider.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads UTF-8 lines ending in LF, CR or CRLF, and tells a line cut by the end of the stream from a
 * complete one: a stream cut mid-line must not look like a complete last line.
 */
final class LineReader {

    /** A line and whether its terminator arrived. */
    record Line(String text, boolean complete) {}

    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final int maxLineBytes;
    private int pos;
    private int end;
    private boolean skipLf;

    LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line, or empty at the end of the stream. */
    Optional<Line> next() throws IOException {
        line.reset();
        while (true) {
            if (pos == end) {
                end = in.read(buffer);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    return line.size() == 0 ? Optional.empty() : Optional.of(new Line(text(), false));
                }
            }
            byte b = buffer[pos++];
            if (skipLf) {
                skipLf = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n' || b == '\r') {
                skipLf = b == '\r';
                return Optional.of(new Line(text(), true));
            }
            if (line.size() >= maxLineBytes) {
                throw new WireException("a line of the stream is longer than " + maxLineBytes + " bytes");
            }
            line.write(b);
        }
    }

    private String text() {
        return line.toString(StandardCharsets.UTF_8);
    }
}
