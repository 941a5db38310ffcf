package org.crustyclaw.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DockerSandboxTest {

    @Test
    void theEnvironmentIsExactlyWhatWasGivenPlusPathAndHome() {
        assertThat(DockerSandbox.environment(Path.of("/w"), Map.of("A", "1")))
                .containsExactlyInAnyOrder("PATH=" + DockerSandbox.DEFAULT_PATH, "HOME=/w", "A=1");
        assertThatThrownBy(() -> DockerSandbox.environment(Path.of("/w"), Map.of("A=B", "1")))
                .hasMessageContaining("'A=B'");
    }
}
