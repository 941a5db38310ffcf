package org.crustyclaw.provider.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** How a streamed body splits into {@link Frame}s. */
public enum Framing {

    /**
     * Server-sent events as the HTML living standard defines them: {@code field: value} lines, a
     * blank line dispatches, {@code :} starts a comment, {@code data} lines join with LF; an event
     * the stream ends in the middle of is dropped, as the standard says.
     */
    SSE {
        @Override
        Optional<Frame> next(LineReader lines, State state) throws IOException {
            while (true) {
                Optional<LineReader.Line> read = lines.next();
                if (read.isEmpty() || !read.get().complete()) {
                    return Optional.empty();
                }
                String line = read.get().text();
                if (line.isEmpty()) {
                    if (state.data == null) {
                        state.event = null;
                        continue;
                    }
                    Frame frame = new Frame(state.event == null ? "message" : state.event, state.data.toString());
                    state.event = null;
                    state.data = null;
                    return Optional.of(frame);
                }
                if (line.charAt(0) == ':') {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("data")) {
                    if (state.data == null) {
                        state.data = new StringBuilder(value);
                    } else {
                        state.data.append('\n').append(value);
                    }
                } else if (field.equals("event")) {
                    state.event = value;
                }
                // id and retry matter for reconnecting EventSource clients; a chat stream is not resumed
            }
        }
    },

    /** Newline-delimited JSON: one object a line, blank lines skipped, a line cut by the end dropped. */
    NDJSON {
        @Override
        Optional<Frame> next(LineReader lines, State state) throws IOException {
            while (true) {
                Optional<LineReader.Line> read = lines.next();
                if (read.isEmpty() || !read.get().complete()) {
                    return Optional.empty();
                }
                if (!read.get().text().isBlank()) {
                    return Optional.of(new Frame("line", read.get().text()));
                }
            }
        }
    };

    /** Longest line accepted: a server streaming one endless line is cut off, not buffered. */
    static final int MAX_LINE_BYTES = 4 << 20;

    abstract Optional<Frame> next(LineReader lines, State state) throws IOException;

    /** Reads frames off a body, in order. */
    public Reader reader(InputStream body) {
        return new Reader(this, new LineReader(body, MAX_LINE_BYTES));
    }

    /** Parser state between frames of an SSE stream. */
    static final class State {
        String event;
        StringBuilder data;
    }

    /** The frames of one body. */
    public static final class Reader {
        private final Framing framing;
        private final LineReader lines;
        private final State state = new State();

        Reader(Framing framing, LineReader lines) {
            this.framing = framing;
            this.lines = lines;
        }

        /** The next complete frame, or empty when the body ended (complete or cut). */
        public Optional<Frame> next() throws IOException {
            return framing.next(lines, state);
        }
    }
}
