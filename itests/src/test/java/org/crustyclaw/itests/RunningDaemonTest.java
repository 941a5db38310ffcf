package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.crustyclaw.itests.Installation.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** One daemon shared by read-only checks: what {@code status}, {@code version}, the socket and the CLI show. */
class RunningDaemonTest {

    static Installation dist;
    static long pid;

    @BeforeAll
    static void start() throws IOException {
        dist = Installation.create("running");
        pid = dist.start();
    }

    @AfterAll
    static void stop() {
        if (dist != null) {
            dist.close();
        }
    }

    @Test
    void statusJsonDescribesTheRunningDaemon() {
        Result r = dist.run("status", "--json");
        assertThat(r.exit()).as("%s", r).isZero();
        JsonNode s = r.json();
        assertThat(s.path("running").asBoolean()).as("%s", r).isTrue();
        assertThat(s.path("pid").asLong()).isEqualTo(pid);
        assertThat(Installation.alive(pid)).isTrue();
        assertThat(s.path("uptime").asText()).startsWith("PT");
        assertThat(s.path("version").asText()).isNotBlank().isNotEqualTo("unknown");
        assertThat(s.path("commit").asText()).isNotBlank();
        assertThat(s.path("bundles").path("active").asInt()).as("active bundles in %s", r).isGreaterThanOrEqualTo(10);
        List<String> states = new ArrayList<>();
        s.path("bundles").fieldNames().forEachRemaining(states::add);
        assertThat(states).as("no bundle is left installed or resolved").containsOnly("active");
        assertThat(s.path("plugins").isObject()).as("%s", r).isTrue();
        assertThat(s.path("plugins").has("tool adapters")).as("no tool deployed yet: %s", r).isFalse();
        assertThat(s.path("channels").isArray()).as("%s", r).isTrue();
        assertThat(s.path("deployProblems").asInt()).isZero();
    }

    @Test
    void statusInHumanFormSaysRunning() {
        Result r = dist.run("status");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).contains("running").contains(Long.toString(pid));
    }

    @Test
    void versionJsonNamesVersionCommitBuildTimeAndJava() {
        Result r = dist.run("version", "--json");
        assertThat(r.exit()).as("%s", r).isZero();
        JsonNode v = r.json();
        assertThat(v.path("version").asText()).isEqualTo(dist.run("status", "--json").json().path("version").asText())
                .matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(v.path("commit").asText()).matches("[0-9a-f]{7,40}(-dirty)?");
        assertThat(v.path("buildTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*");
        assertThat(v.path("javaVersion").asText()).contains(Integer.toString(Runtime.version().feature()));
    }

    @Test
    void adminSocketIsOwnerOnly() throws IOException {
        assertThat(Files.exists(dist.socket())).as("socket %s", dist.socket()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dist.socket()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dist.socket().getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void secondStartIsRefused() {
        Result r = dist.run("start");
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.all()).contains("already running").contains(Long.toString(pid));
        assertThat(dist.pid()).as("the first daemon keeps its pid file").contains(pid);
        assertThat(dist.run("status").exit()).isZero();
    }

    @Test
    void configPathAndShowReportTheConfigurationInUse() {
        Result path = dist.run("config", "path");
        assertThat(path.exit()).as("%s", path).isZero();
        assertThat(path.out().trim()).isEqualTo(Installation.HOME.resolve("etc/crustyclaw.toml").toString());
        Result show = dist.run("config", "show");
        assertThat(show.exit()).as("%s", show).isZero();
        assertThat(show.out()).contains("[daemon]").contains("shutdown_timeout_seconds = 30");
    }

    @Test
    void configValidateThroughTheDaemon() throws IOException {
        Result good = dist.run("config", "validate", dist.write("good.toml", "[daemon]\nshutdown_timeout_seconds = 5\n").toString());
        assertThat(good.exit()).as("%s", good).isZero();
        assertThat(good.out()).contains("valid");
        String file = dist.write("wrong-type.toml", "[daemon]\nshutdown_timeout_seconds = \"ten\"\n").toString();
        Result bad = dist.run("config", "validate", file);
        assertThat(bad.exit()).as("%s", bad).isEqualTo(1);
        assertThat(bad.all()).contains(file + ":2:1: daemon.shutdown_timeout_seconds: expected an integer");
        assertThat(dist.run("status").exit()).as("the daemon is unaffected").isZero();
    }

    @Test
    void usageErrorsExitTwoWithADaemonRunning() {
        for (String[] args : new String[][] {{"status", "--bogus"}, {"nosuch", "verb"}, {"plugins", "frobnicate"}}) {
            Result r = dist.run(args);
            assertThat(r.exit()).as("%s", r).isEqualTo(2);
            assertThat(r.err()).as("names the offending word: %s", r).contains(args[args.length - 1]);
        }
    }
}
