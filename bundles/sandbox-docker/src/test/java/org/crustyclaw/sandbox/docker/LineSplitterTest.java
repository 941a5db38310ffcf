package org.crustyclaw.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.crustyclaw.api.sandbox.OutputLine;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    @Test
    void joinsFramesCutMidLineAndKeepsTheLastUnterminatedLine() {
        List<OutputLine> lines = new ArrayList<>();
        LineSplitter split = new LineSplitter(OutputLine.Stream.STDERR, lines::add);
        split.accept("hel".getBytes(StandardCharsets.UTF_8));
        split.accept("lo\r\nwor".getBytes(StandardCharsets.UTF_8));
        split.accept("ld\n\nlast".getBytes(StandardCharsets.UTF_8));
        assertThat(lines).extracting(OutputLine::text).containsExactly("hello", "world", "");
        split.finish();
        assertThat(lines).extracting(OutputLine::text).containsExactly("hello", "world", "", "last");
        assertThat(lines).allMatch(l -> l.stream() == OutputLine.Stream.STDERR);
    }

    @Test
    void keepsAMultiByteCharacterSplitAcrossFrames() {
        List<OutputLine> lines = new ArrayList<>();
        LineSplitter split = new LineSplitter(OutputLine.Stream.STDOUT, lines::add);
        byte[] crab = "🦀\n".getBytes(StandardCharsets.UTF_8);
        split.accept(new byte[] {crab[0], crab[1]});
        split.accept(new byte[] {crab[2], crab[3], crab[4]});
        assertThat(lines).extracting(OutputLine::text).containsExactly("🦀");
    }

    @Test
    void theEnvironmentIsExactlyWhatWasGivenPlusPathAndHome() {
        assertThat(DockerSandbox.environment(Path.of("/w"), Map.of("A", "1")))
                .containsExactlyInAnyOrder("PATH=" + DockerSandbox.DEFAULT_PATH, "HOME=/w", "A=1");
        assertThatThrownBy(() -> DockerSandbox.environment(Path.of("/w"), Map.of("A=B", "1")))
                .hasMessageContaining("'A=B'");
    }
}
