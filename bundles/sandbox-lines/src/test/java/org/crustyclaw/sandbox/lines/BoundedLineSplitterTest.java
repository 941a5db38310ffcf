package org.crustyclaw.sandbox.lines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BoundedLineSplitterTest {

    private final List<String> lines = new ArrayList<>();

    @Test
    void chunksCutAnywhereBecomeLines() {
        BoundedLineSplitter s = new BoundedLineSplitter(lines::add);
        s.accept("he".getBytes(StandardCharsets.UTF_8));
        s.accept("llo\r\nwor".getBytes(StandardCharsets.UTF_8));
        s.accept("ld\n\nlast".getBytes(StandardCharsets.UTF_8));
        s.finish();
        assertThat(lines).containsExactly("hello", "world", "", "last");
    }

    @Test
    void aLineOverTheCapKeepsItsStartAndIsMarked() {
        BoundedLineSplitter s = new BoundedLineSplitter(lines::add);
        byte[] big = "x".repeat(BoundedLineSplitter.MAX_LINE + 1000).getBytes(StandardCharsets.UTF_8);
        s.accept(big);
        s.accept("\nnext\n".getBytes(StandardCharsets.UTF_8));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("x".repeat(BoundedLineSplitter.MAX_LINE)).endsWith(" [line cut: 1000 more bytes]")
                .hasSize(BoundedLineSplitter.MAX_LINE + " [line cut: 1000 more bytes]".length());
        assertThat(lines.get(1)).isEqualTo("next");
    }

    @Test
    void anEndlessLineStaysBoundedAndIsMarkedAtTheEnd() {
        BoundedLineSplitter s = new BoundedLineSplitter(lines::add, 16);
        byte[] chunk = "y".repeat(1 << 16).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 64; i++) {
            s.accept(chunk);
        }
        s.finish();
        assertThat(lines).containsExactly("y".repeat(16) + " [line cut: " + (64L * (1 << 16) - 16) + " more bytes]");
    }

    @Test
    void theCutNeverSplitsACharacter() {
        BoundedLineSplitter s = new BoundedLineSplitter(lines::add, 5);
        s.accept("abcdé€\n".getBytes(StandardCharsets.UTF_8));
        assertThat(lines).containsExactly("abcd [line cut: 5 more bytes]");
    }

    @Test
    void readLineConsumesOnlyItsLine() throws IOException {
        var in = new ByteArrayInputStream("READY\nrest".getBytes(StandardCharsets.UTF_8));
        assertThat(BoundedLineSplitter.readLine(in)).isEqualTo("READY");
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("rest");
        assertThat(BoundedLineSplitter.readLine(new ByteArrayInputStream(new byte[0]))).isNull();
        assertThat(BoundedLineSplitter.readLines(new ByteArrayInputStream("a\nb\nc\nd".getBytes(StandardCharsets.UTF_8)), 3))
                .containsExactly("a", "b", "c");
    }
}
