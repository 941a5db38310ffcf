package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.crustyclaw.itests.Installation.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SIGHUP re-reads the configuration file: a good one applies without a restart, a broken one is rejected. */
class ReloadTest {

    Installation dist;
    Path config;
    long pid;

    @BeforeEach
    void start() throws IOException {
        dist = Installation.create("reload");
        config = dist.write("crustyclaw.toml",
                Files.readString(Installation.HOME.resolve("etc/crustyclaw.toml")) + "\n[tool.echo]\nprefix = \"before\"\n");
        Files.copy(Installation.exampleJar(), dist.deploy.resolve("echo.jar"));
        dist.config(config);
        pid = dist.start();
        // later commands ask the daemon, which knows its file (with --config they would read the file itself)
        dist.config(null);
        Result show = Installation.await(Duration.ofSeconds(5), () -> dist.run("config", "show"),
                r -> r.out().contains("prefix = \"before\""));
        assertThat(show.out()).as("%s", show).contains("prefix = \"before\"");
    }

    @AfterEach
    void stop() {
        dist.close();
    }

    private String shown() {
        Result r = dist.run("config", "show");
        assertThat(r.exit()).as("%s", r).isZero();
        return r.out();
    }

    @Test
    void sighupAppliesAGoodFileWithoutRestart() throws IOException {
        Files.writeString(config, Files.readString(config).replace("prefix = \"before\"", "prefix = \"x\""));
        dist.signal("HUP", pid);
        String after = Installation.await(Duration.ofSeconds(5), this::shown, s -> s.contains("prefix = \"x\""));
        assertThat(after).contains("prefix = \"x\"").doesNotContain("prefix = \"before\"");
        assertThat(dist.run("status", "--json").json().path("pid").asLong()).as("same process").isEqualTo(pid);
        assertThat(Installation.await(Duration.ofSeconds(5), dist::logText, l -> l.contains("reloaded"))).contains("reloaded");
    }

    @Test
    void verbsGivenTheSameConfigOptionStillReachTheDaemon() {
        dist.config(config);
        Result r = dist.run("plugins", "list", "--json");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.json().path("plugins").toString()).contains("org.crustyclaw.tool.echo");
    }

    @Test
    void sighupRejectsABrokenFileAndKeepsTheOldConfiguration() throws IOException {
        String before = shown();
        Files.writeString(config, Files.readString(config).replace("prefix = \"before\"", "prefix = 5\nbogus = true"));
        dist.signal("HUP", pid);
        String log = Installation.await(Duration.ofSeconds(5), dist::logText, l -> l.contains("rejected"));
        assertThat(log).contains("rejected").contains(config + ":").contains("tool.echo.prefix");
        assertThat(shown()).as("the old configuration stays in force").isEqualTo(before);
        assertThat(dist.run("status").exit()).as("the daemon still answers").isZero();
        assertThat(Installation.alive(pid)).isTrue();

        Files.writeString(config, Files.readString(config).replace("[daemon]", "[daemon\n"));
        dist.signal("HUP", pid);
        String again = Installation.await(Duration.ofSeconds(60), dist::logText, l -> l.split("rejected", -1).length > 2);
        assertThat(again.split("rejected", -1)).as("the second reload is rejected too:%n%s", again).hasSizeGreaterThan(2);
        assertThat(again.substring(again.lastIndexOf("rejected"))).as(again).contains(config + ":");
        assertThat(shown()).as("a syntax error changes nothing either").isEqualTo(before);
    }
}
