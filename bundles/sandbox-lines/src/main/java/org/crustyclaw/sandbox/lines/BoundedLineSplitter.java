package org.crustyclaw.sandbox.lines;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reassembles the lines of one output stream from chunks that may split or join lines. A line
 * longer than {@link #MAX_LINE} bytes keeps its first {@code MAX_LINE} bytes (cut back to a
 * UTF-8 character boundary), the rest up to its newline is counted, not kept, and the line
 * ends with {@code [line cut: N more bytes]}: memory stays bounded whatever the sandboxed
 * code writes, and the reader sees the cut. A trailing {@code \r} is dropped. Not thread-safe:
 * one splitter per stream.
 */
public final class BoundedLineSplitter {

    /** Longest line kept whole, in bytes. */
    public static final int MAX_LINE = 64 * 1024;

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final Consumer<String> lines;
    private final int max;
    private long dropped;

    public BoundedLineSplitter(Consumer<String> lines) {
        this(lines, MAX_LINE);
    }

    BoundedLineSplitter(Consumer<String> lines, int max) {
        this.lines = lines;
        this.max = max;
    }

    public void accept(byte[] chunk) {
        accept(chunk, 0, chunk.length);
    }

    public void accept(byte[] chunk, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = chunk[i];
            if (b == '\n') {
                emit();
            } else if (pending.size() < max) {
                pending.write(b);
            } else {
                dropped++;
            }
        }
    }

    /** Emits what is left after the last newline, if anything; call once the stream ended. */
    public void finish() {
        if (pending.size() > 0 || dropped > 0) {
            emit();
        }
    }

    private void emit() {
        byte[] bytes = pending.toByteArray();
        int end = bytes.length;
        if (dropped > 0) {
            // do not end inside a UTF-8 sequence: back off over continuation bytes to the lead byte
            int lead = end;
            while (lead > 0 && (bytes[lead - 1] & 0xC0) == 0x80) {
                lead--;
            }
            if (lead > 0 && (bytes[lead - 1] & 0x80) != 0 && end - (lead - 1) < sequenceLength(bytes[lead - 1])) {
                dropped += end - (lead - 1);
                end = lead - 1;
            }
        }
        String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
        if (dropped == 0 && text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (dropped > 0) {
            text = text + " [line cut: " + dropped + " more bytes]";
        }
        pending.reset();
        dropped = 0;
        lines.accept(text);
    }

    private static int sequenceLength(byte lead) {
        int b = lead & 0xFF;
        return b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    }

    /** Reads {@code in} to its end (or until {@code limit} lines), splitting it into bounded lines. */
    public static List<String> readLines(InputStream in, int limit) throws IOException {
        List<String> out = new ArrayList<>();
        BoundedLineSplitter splitter = new BoundedLineSplitter(line -> {
            if (out.size() < limit) {
                out.add(line);
            }
        });
        byte[] buffer = new byte[8192];
        int n;
        while (out.size() < limit && (n = in.read(buffer)) >= 0) {
            splitter.accept(buffer, 0, n);
        }
        if (out.size() < limit) {
            splitter.finish();
        }
        return out;
    }

    /**
     * Reads one line directly from {@code in}, byte by byte so nothing after it is consumed
     * (the stream is handed to a pump afterwards); null at the end of the stream.
     */
    public static String readLine(InputStream in) throws IOException {
        List<String> one = new ArrayList<>(1);
        BoundedLineSplitter splitter = new BoundedLineSplitter(one::add);
        int b;
        while (one.isEmpty() && (b = in.read()) >= 0) {
            splitter.accept(new byte[] {(byte) b});
        }
        if (one.isEmpty()) {
            splitter.finish();
        }
        return one.isEmpty() ? null : one.get(0);
    }
}
