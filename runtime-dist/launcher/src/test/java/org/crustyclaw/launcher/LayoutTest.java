package org.crustyclaw.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutTest {

    @Test
    void stateDirComesFromTheEnvironmentFirstThenTheConfigThenHome(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("c.toml"), "[daemon]\nstate_dir = \"" + dir.resolve("fromconfig")
                + "\"\nshutdown_timeout_seconds = 7\njvm_options = [\"-Xmx64m\"]\n");
        Layout fromConfig = Layout.resolve(Optional.of(config), Map.of("CRUSTYCLAW_HOME", dir.toString()));
        assertThat(fromConfig.state()).isEqualTo(dir.resolve("fromconfig"));
        assertThat(fromConfig.shutdownTimeoutSeconds()).isEqualTo(7);
        assertThat(fromConfig.jvmOptions()).containsExactly("-Xmx64m");
        assertThat(fromConfig.socket()).isEqualTo(dir.resolve("fromconfig/run/admin.sock"));

        Layout fromEnv = Layout.resolve(Optional.of(config), Map.of("CRUSTYCLAW_STATE", dir.resolve("env").toString()));
        assertThat(fromEnv.state()).isEqualTo(dir.resolve("env"));

        Layout fallback = Layout.resolve(Optional.of(dir.resolve("missing.toml")), Map.of());
        assertThat(fallback.state()).isEqualTo(Path.of(System.getProperty("user.home"), ".crustyclaw"));
        assertThat(fallback.shutdownTimeoutSeconds()).isEqualTo(30);
    }
}
