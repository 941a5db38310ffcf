package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.crustyclaw.itests.Installation.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the CLI does with no daemon: validation, refused starts, usage errors and help. */
class NoDaemonTest {

    static Installation dist;

    @BeforeAll
    static void create() throws IOException {
        dist = Installation.create("nodaemon");
        // the example plugin's schema is known to validation once its jar is in deploy/
        Files.copy(Installation.exampleJar(), dist.deploy.resolve(Installation.exampleJar().getFileName()));
    }

    @AfterAll
    static void close() {
        dist.close();
    }

    @Test
    void statusSaysNotRunningWithExitThree() {
        Result r = dist.run("status");
        assertThat(r.exit()).as("%s", r).isEqualTo(3);
        assertThat(r.all()).contains("not running");
        Result json = dist.run("status", "--json");
        assertThat(json.exit()).as("%s", json).isEqualTo(3);
        assertThat(json.json().path("running").asBoolean(true)).isFalse();
    }

    @Test
    void stopWhenNotRunningSucceeds() {
        Result r = dist.run("stop");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.all()).contains("not running");
    }

    @Test
    void versionJsonWithoutDaemon() {
        Result r = dist.run("version", "--json");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.json().path("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(r.json().path("commit").asText()).isNotBlank();
        assertThat(r.json().path("buildTime").asText()).isNotBlank();
        assertThat(r.json().path("javaVersion").asText()).isNotBlank();
        // the digest of the SBOM this installation ships (issue 19), to match a daemon to its bill of materials
        java.nio.file.Path sbom = Installation.HOME.resolve("sbom.cyclonedx.json");
        assertThat(r.json().path("sbom").asText()).isEqualTo(sbom.toString());
        try {
            assertThat(r.json().path("sbomSha256").asText()).isEqualTo(java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(sbom))));
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void validateAcceptsTheShippedAndAGoodFile() throws IOException {
        Result shipped = dist.run("config", "validate");
        assertThat(shipped.exit()).as("%s", shipped).isZero();
        assertThat(shipped.out()).contains(Installation.HOME.resolve("etc/crustyclaw.toml") + ": valid");
        Path good = dist.write("good.toml", "[daemon]\nshutdown_timeout_seconds = 5\n\n[tool.echo]\nprefix = \"> \"\n");
        Result r = dist.run("config", "validate", good.toString());
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).contains(good + ": valid");
    }

    @Test
    void validateReportsWrongTypeWithLineColumnAndExpectedValue() throws IOException {
        Path file = dist.write("wrong-type.toml", "# comment\n[daemon]\nshutdown_timeout_seconds = \"ten\"\n");
        Result r = dist.run("config", "validate", file.toString());
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.all()).contains(file + ":3:1: daemon.shutdown_timeout_seconds: expected an integer, found string \"ten\"");
    }

    @Test
    void validateReportsUnknownKeyWithTheKeysExpected() throws IOException {
        Path file = dist.write("unknown-key.toml", "[daemon]\nshutdown_timeout_seconds = 5\nbogus_key = 1\n");
        Result r = dist.run("config", "validate", file.toString());
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.all()).contains(file + ":3:1: daemon.bogus_key: unknown key").contains("shutdown_timeout_seconds");
    }

    @Test
    void validateChecksADeployedPluginsSection() throws IOException {
        Path file = dist.write("plugin-type.toml", "[tool.echo]\nprefix = 5\n");
        Result r = dist.run("config", "validate", file.toString());
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.all()).contains(file + ":2:1: tool.echo.prefix: expected a string");
    }

    @Test
    void validateReportsSyntaxErrorsWithLineAndColumn() throws IOException {
        Path file = dist.write("syntax.toml", "[daemon]\nshutdown_timeout_seconds = 5\n[tool.echo\n");
        Result r = dist.run("config", "validate", file.toString());
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.all()).contains(file + ":3:11:").contains("expected ']'");
    }

    @Test
    void validateReportsAMissingFile() {
        Path file = dist.root.resolve("nope.toml");
        Result r = dist.run("config", "validate", file.toString());
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.all()).contains(file.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[daemon]\nbogus_key = 1\n|2:1", "[daemon]\nshutdown_timeout_seconds = \"x\"\n|2:1",
            "[daemon]\nshutdown_timeout_seconds = \n|2:28"})
    void startIsRefusedWithABrokenConfig(String spec) throws IOException {
        String[] parts = spec.split("\\|");
        Path file = dist.write("broken-start.toml", parts[0]);
        try (Installation own = Installation.create("broken-start")) {
            own.config(file);
            Result r = own.run("start");
            assertThat(r.exit()).as("%s", r).isEqualTo(1);
            assertThat(r.all()).contains(file + ":" + parts[1] + ":");
            assertThat(own.run("status").exit()).as("no daemon runs").isEqualTo(3);
            assertThat(own.socket()).doesNotExist();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"status --bogus", "version --bogus", "start --bogus", "nosuch verb", "config nosuch",
            "plugins frobnicate"})
    void usageErrorsExitTwo(String line) {
        Result r = dist.run(line.split(" "));
        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        String[] words = line.split(" ");
        assertThat(r.err()).as("names the offending word: %s", r).contains(words[words.length - 1]);
        assertThat(dist.socket()).as("a usage error starts nothing").doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"start", "stop", "status", "version", "config", "plugins", "shell", "config validate",
            "config show", "config path", "plugins list", "plugins install", "plugins uninstall"})
    void helpOnEveryVerb(String verb) {
        String[] words = (verb + " --help").split(" ");
        Result r = dist.run(words);
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).as("%s", r).contains("usage: crustyclaw " + verb.split(" ")[0]);
        assertThat(dist.socket()).as("--help starts nothing").doesNotExist();
    }

    @Test
    void topLevelHelpListsTheVerbs() {
        Result r = dist.run("--help");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).contains("start", "stop", "status", "config", "plugins", "version");
    }

    @Test
    void areaHelpAndUsageWorkWithoutADaemon() {
        Result area = dist.run("help", "audit");
        assertThat(area.exit()).as("%s", area).isZero();
        assertThat(area.out()).contains("crustyclaw audit tail [-n N] [-f] [--json]", "crustyclaw audit verify");
        Result verb = dist.run("policy", "check", "--help");
        assertThat(verb.exit()).as("%s", verb).isZero();
        assertThat(verb.out()).startsWith("usage: crustyclaw policy check --role ROLE --action ACTION").contains("example:");
        assertThat(dist.socket()).as("help starts no daemon").doesNotExist();
    }

    @Test
    void unknownVerbsListTheAreasAndKnownOnesSayNotRunning() {
        Result unknown = dist.run("frobnicate");
        assertThat(unknown.exit()).as("%s", unknown).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown verb 'frobnicate'", "audit", "config", "plugins", "policy", "review", "sandbox",
                "secrets");
        Result known = dist.run("audit", "tail");
        assertThat(known.exit()).as("%s", known).isEqualTo(3);
        assertThat(known.err()).contains("not running");
    }
}
