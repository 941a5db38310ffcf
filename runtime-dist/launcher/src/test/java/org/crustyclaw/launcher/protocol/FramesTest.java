package org.crustyclaw.launcher.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void commandsExitCodesAndTextRoundTrip() throws IOException {
        var bytes = new ByteArrayOutputStream();
        var out = new DataOutputStream(bytes);
        Frames.command(out, List.of("config:validate", "/tmp/a b.toml", "$x;|'\""));
        Frames.write(out, Frames.STDOUT, "héllo\n");
        Frames.exit(out, 3);
        var in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(Frames.read(in).arguments()).containsExactly("config:validate", "/tmp/a b.toml", "$x;|'\"");
        assertThat(Frames.read(in).text()).isEqualTo("héllo\n");
        assertThat(Frames.read(in).exitCode()).isEqualTo(3);
        assertThat(Frames.read(in)).isNull();
    }

    @Test
    void outputLongerThanAFrameGoesAsSeveralThatAReaderAccepts() throws IOException {
        var bytes = new ByteArrayOutputStream();
        var out = new DataOutputStream(bytes);
        byte[] big = new byte[Frames.MAX_PAYLOAD * 2 + 5];
        java.util.Arrays.fill(big, (byte) 'e');
        Frames.write(out, Frames.STDERR, big, 0, big.length);
        var in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        var joined = new ByteArrayOutputStream();
        for (Frames.Frame f = Frames.read(in); f != null; f = Frames.read(in)) {
            assertThat(f.type()).isEqualTo(Frames.STDERR);
            joined.write(f.payload());
        }
        assertThat(joined.toByteArray()).isEqualTo(big);
        assertThatThrownBy(() -> Frames.write(out, Frames.COMMAND, big, 0, big.length)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than");
    }

    @Test
    void oversizedAndTruncatedFramesAreRefused() throws IOException {
        var bytes = new ByteArrayOutputStream();
        var out = new DataOutputStream(bytes);
        out.writeByte('O');
        out.writeInt(Frames.MAX_PAYLOAD + 1);
        assertThatThrownBy(() -> Frames.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
                .isInstanceOf(IOException.class).hasMessageContaining("refused");
        assertThatThrownBy(() -> Frames.read(new DataInputStream(new ByteArrayInputStream(new byte[] {'O', 0}))))
                .isInstanceOf(IOException.class).hasMessageContaining("inside a frame header");
    }

    @Test
    void argumentsWithNulAreRejected() {
        assertThatThrownBy(() -> Frames.command(new DataOutputStream(new ByteArrayOutputStream()), List.of("a:b", "x\0y")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
    }
}
