package org.crustyclaw.commands.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class OutputTest {

    record Row(String name, int peakCount, Optional<String> reason) {}

    @Test
    void tableAlignsColumnsUnderAHeader() {
        String text = Output.table(List.of(new Row("bwrap", 2, Optional.empty()), new Row("docker-runsc", 10, Optional.of("no engine"))));
        assertThat(text).isEqualTo("""
                NAME          PEAK COUNT  REASON
                bwrap         2           -
                docker-runsc  10          no engine
                """);
    }

    @Test
    void jsonUsesComponentNamesAndUnwrapsOptionals() {
        assertThat(Output.json(new Row("bwrap", 2, Optional.of("x"))))
                .contains("\"name\" : \"bwrap\"", "\"peakCount\" : 2", "\"reason\" : \"x\"");
        assertThat(Output.json(new Row("bwrap", 2, Optional.empty()))).contains("\"reason\" : null");
    }

    @Test
    void recordRendersAsKeyValueLines() {
        assertThat(Output.human(new Row("a", 1, Optional.empty()))).isEqualTo("name: a\npeak count: 1\nreason: -\n");
    }

    @Test
    void durationsShowTheTwoLargestUnits() {
        assertThat(Output.duration(Duration.ofMillis(350))).isEqualTo("350ms");
        assertThat(Output.duration(Duration.ofSeconds(125))).isEqualTo("2m 5s");
        assertThat(Output.duration(Duration.ofHours(27))).isEqualTo("1d 3h");
    }

    @Test
    void emptyListSaysNone() {
        assertThat(Output.human(List.of())).isEqualTo("(none)\n");
    }
}
