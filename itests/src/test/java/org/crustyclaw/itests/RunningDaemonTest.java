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
        List<String> tools = new ArrayList<>();
        s.path("plugins").path("tool adapters").forEach(t -> tools.add(t.asText()));
        assertThat(tools).as("the echo example is not deployed yet: %s", r).doesNotContain("echo");
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

    @Test
    void everyAreaAndVerbHasHelpWithAnExample() {
        for (String area : List.of("policy", "audit", "review", "sandbox", "secrets", "config", "plugins")) {
            Result listing = dist.run("help", area);
            assertThat(listing.exit()).as("%s", listing).isZero();
            assertThat(listing.out()).as("%s", listing).startsWith("usage: crustyclaw " + area + " VERB");
            JsonNode usage = dist.run("help", area, "--json").json();
            assertThat(usage.path("verbs").size()).as("%s", usage).isPositive();
            for (JsonNode verb : usage.path("verbs")) {
                String name = verb.path("name").asText();
                assertThat(listing.out()).contains("crustyclaw " + area + " " + name);
                Result help = dist.run(area, name, "--help");
                assertThat(help.exit()).as("%s", help).isZero();
                assertThat(help.out()).as("%s", help).startsWith("usage: crustyclaw " + area + " " + name)
                        .containsPattern("examples?:\n  .*crustyclaw " + area + " " + name);
            }
        }
    }

    @Test
    void usageErrorsNameTheOptionTheValueAndTheUsage() {
        String[][] cases = {
                {"audit tail -n abc", "-n 'abc' is not a whole number", "usage: crustyclaw audit tail [-n N]"},
                {"audit export --since", "--since needs a value", "usage: crustyclaw audit export"},
                {"secrets rm", "missing NAME", "usage: crustyclaw secrets rm"},
                {"review reject", "missing ID", "usage: crustyclaw review reject"},
                {"plugins install", "missing FILE", "usage: crustyclaw plugins install [--json] FILE"},
                {"policy test", "missing FILE", "usage: crustyclaw policy test"},
                {"policy check --action tool.call", "missing --role ROLE", "usage: crustyclaw policy check --role ROLE"},
                {"sandbox list --frob", "unknown option '--frob'", "usage: crustyclaw sandbox list"},
                {"review show a b", "unexpected argument 'b'", "usage: crustyclaw review show"}};
        for (String[] c : cases) {
            Result r = dist.run(c[0].split(" "));
            assertThat(r.exit()).as("%s", r).isEqualTo(2);
            assertThat(r.err()).as("%s", r).contains("usage error: " + String.join(" ", List.of(c[0].split(" ")).subList(0, 2)) + ": " + c[1])
                    .contains(c[2]).doesNotContain("coerce", "String", "CommandSession", "Exception");
        }
    }

    @Test
    void helpListsTheAreasOfTheRunningDaemon() {
        Result r = dist.run("help");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).contains("Areas of the running daemon:").containsPattern("\n  sandbox +sandboxes:");
    }

    @Test
    void anUnknownVerbListsTheAreas() {
        for (String[] args : new String[][] {{"frobnicate"}, {"frobnicate", "now"}}) {
            Result r = dist.run(args);
            assertThat(r.exit()).as("%s", r).isEqualTo(2);
            assertThat(r.err()).as("%s", r).contains("unknown").contains("frobnicate")
                    .contains("audit", "config", "plugins", "policy", "review", "sandbox", "secrets");
        }
    }
}
