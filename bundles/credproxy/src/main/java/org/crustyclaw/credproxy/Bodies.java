package org.crustyclaw.credproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies a message body from one side to the other: decodes the incoming framing, passes
 * the bytes through a {@link Swap.Sink} and re-encodes them (the same Content-Length, or
 * fresh chunks). Chunk-size lines, extensions and trailers are bounded; a chunk larger than
 * what the session may still move is refused before a byte of it is read.
 */
final class Bodies {

    private static final int MAX_CHUNK_LINE = 1024;
    private static final int MAX_TRAILERS = 8192;

    /** Counts and limits the bytes a body moves. */
    interface Meter {
        /** Called before {@code n} bytes move; may wait (bandwidth) or throw (total bytes). */
        void take(long n) throws IOException;

        /** How many more bytes may move at all. */
        long remaining();
    }

    private Bodies() {}

    /** Reads the framed body from {@code in} into {@code sink}; {@code sink.finish()} is called at its end. */
    static void copy(InputStream in, Framing framing, Swap.Sink sink, Meter meter, boolean request)
            throws IOException, BadMessage {
        byte[] buf = new byte[65536];
        if (framing instanceof Framing.Length l) {
            if (l.length() > meter.remaining()) {
                throw new BadMessage(413, "body of " + l.length() + " bytes is more than the session may still move ("
                        + meter.remaining() + ")");
            }
            copyExactly(in, l.length(), sink, meter, buf);
        } else if (framing instanceof Framing.Chunked) {
            while (true) {
                long size = chunkSize(in, request);
                if (size > meter.remaining()) {
                    throw new BadMessage(413, "chunk of " + size + " bytes is more than the session may still move ("
                            + meter.remaining() + ")");
                }
                if (size == 0) {
                    skipTrailers(in);
                    break;
                }
                copyExactly(in, size, sink, meter, buf);
                if (in.read() != '\r' || in.read() != '\n') {
                    throw new BadMessage(400, "chunk data not followed by CRLF");
                }
            }
        } else if (framing instanceof Framing.UntilClose) {
            int n;
            while ((n = in.read(buf)) > 0) {
                meter.take(n);
                sink.write(buf, 0, n);
            }
        }
        sink.finish();
    }

    private static void copyExactly(InputStream in, long length, Swap.Sink sink, Meter meter, byte[] buf)
            throws IOException, BadMessage {
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new BadMessage(400, "connection closed " + left + " bytes before the end of the body");
            }
            meter.take(n);
            sink.write(buf, 0, n);
            left -= n;
        }
    }

    /** {@code 1*HEXDIG [; ext] CRLF}, at most 15 hex digits. */
    static long chunkSize(InputStream in, boolean request) throws IOException, BadMessage {
        String line = HeadParser.readLine(in, new HeadParser.Budget(MAX_CHUNK_LINE), false);
        int semi = line.indexOf(';');
        String hex = (semi >= 0 ? line.substring(0, semi) : line);
        if (!hex.matches("[0-9A-Fa-f]{1,15}")) {
            throw new BadMessage(request ? 400 : 502, "chunk size '" + HeadParser.printable(hex)
                    + "' is not 1-15 hex digits");
        }
        return Long.parseLong(hex, 16);
    }

    private static void skipTrailers(InputStream in) throws IOException, BadMessage {
        HeadParser.Budget budget = new HeadParser.Budget(MAX_TRAILERS);
        while (!HeadParser.readLine(in, budget, false).isEmpty()) {
            // trailer fields are dropped: none is forwarded
        }
    }

    /** Writes bytes as they come, checking the count promised by a Content-Length. */
    static Swap.Sink raw(OutputStream out, long expected) {
        return new Swap.Sink() {
            private long written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                out.write(b, off, len);
            }

            @Override
            public void finish() throws IOException {
                if (expected >= 0 && written != expected) {
                    throw new IOException("body of " + written + " bytes where " + expected + " were announced");
                }
                out.flush();
            }
        };
    }

    /** Writes bytes as chunks and the last chunk at the end. */
    static Swap.Sink chunked(OutputStream out) {
        return new Swap.Sink() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 0) {
                    out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(b, off, len);
                    out.write('\r');
                    out.write('\n');
                }
            }

            @Override
            public void finish() throws IOException {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        };
    }
}
