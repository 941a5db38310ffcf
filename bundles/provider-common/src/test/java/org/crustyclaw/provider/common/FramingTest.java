package org.crustyclaw.provider.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class FramingTest {

    private static List<Frame> frames(Framing framing, String body) throws IOException {
        Framing.Reader reader = framing.reader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        List<Frame> out = new ArrayList<>();
        for (Optional<Frame> f = reader.next(); f.isPresent(); f = reader.next()) {
            out.add(f.get());
        }
        return out;
    }

    @Test
    void sseJoinsDataLinesSkipsCommentsAndTakesEveryLineEnding() throws IOException {
        String body = ": keep-alive\r\n\r\nevent: content_block_delta\r\ndata: {\"a\":\r\ndata:1}\r\n\r\n"
                + "data:no-space\rid: 7\rretry: 100\r\rdata: x\n\n";
        assertThat(frames(Framing.SSE, body)).containsExactly(new Frame("content_block_delta", "{\"a\":\n1}"),
                new Frame("message", "no-space"), new Frame("message", "x"));
    }

    @Test
    void sseDropsAnEventTheStreamEndsInsideOf() throws IOException {
        assertThat(frames(Framing.SSE, "data: one\n\ndata: two\n")).containsExactly(new Frame("message", "one"));
        assertThat(frames(Framing.SSE, "data: one\n\ndata: tw")).containsExactly(new Frame("message", "one"));
    }

    @Test
    void ndjsonSkipsBlankLinesAndDropsACutLastLine() throws IOException {
        assertThat(frames(Framing.NDJSON, "{\"a\":1}\n\n{\"b\":2}\r\n{\"c\":")).extracting(Frame::data)
                .containsExactly("{\"a\":1}", "{\"b\":2}");
    }

    @Test
    void multiByteCharactersSplitAcrossReadsStayWhole() throws IOException {
        byte[] bytes = "data: Grüße 🦀\n\n".getBytes(StandardCharsets.UTF_8);
        // one byte per read: every multi-byte character is cut by a read boundary
        var oneByte = new java.io.InputStream() {
            int at;

            @Override
            public int read() {
                return at < bytes.length ? bytes[at++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
        assertThat(Framing.SSE.reader(oneByte).next()).contains(new Frame("message", "Grüße 🦀"));
    }

    @Test
    void anEndlessLineIsRefusedNotBuffered() {
        byte[] huge = new byte[Framing.MAX_LINE_BYTES + 10];
        java.util.Arrays.fill(huge, (byte) 'a');
        assertThatThrownBy(() -> Framing.NDJSON.reader(new ByteArrayInputStream(huge)).next())
                .isInstanceOf(WireException.class).hasMessageContaining("longer than");
    }
}
