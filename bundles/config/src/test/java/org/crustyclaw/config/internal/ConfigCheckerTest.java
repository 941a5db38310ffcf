package org.crustyclaw.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.config.toml.Toml;
import org.crustyclaw.config.toml.TomlException;
import org.junit.jupiter.api.Test;

class ConfigCheckerTest {

    static Schema.Attr attr(String id, String type, int cardinality, List<String> options, String min, String max) {
        return new Schema.Attr(id, type, cardinality, List.of(), options, Optional.ofNullable(min), Optional.ofNullable(max), "");
    }

    static final Schema SCHEMA = new Schema(Map.of(
            "org.crustyclaw.daemon", new Schema.Ocd("org.crustyclaw.daemon", "Daemon", "", Map.of(
                    "shutdownTimeoutSeconds", attr("shutdownTimeoutSeconds", "Integer", 0, List.of(), "1", "3600"),
                    "jvmOptions", attr("jvmOptions", "String", -100, List.of(), null, null),
                    "mode", attr("mode", "String", 0, List.of("fast", "safe"), null, null),
                    "apiToken", attr("apiToken", "Password", 0, List.of(), null, null)), "test"),
            "org.crustyclaw.sandbox.bwrap", new Schema.Ocd("org.crustyclaw.sandbox.bwrap", "bwrap", "", Map.of(
                    "binary", attr("binary", "String", 0, List.of(), null, null),
                    "enabled", attr("enabled", "Boolean", 0, List.of(), null, null)), "test")),
            Set.of("policy"));

    static ConfigChecker.Result check(String toml) throws TomlException {
        return ConfigChecker.check(Toml.parse(toml, "c.toml"), SCHEMA, SCHEMA.handlerSections());
    }

    @Test
    void validFileBecomesTypedPropertiesPerPid() throws TomlException {
        var result = check("""
                [daemon]
                shutdown_timeout_seconds = 12
                jvm_options = ["-Xmx64m", "-Xss1m"]
                mode = "safe"
                [sandbox.bwrap]
                binary = "/usr/bin/bwrap"
                enabled = true
                [[policy.rules]]
                role = "admin"
                """);
        assertThat(result.problems()).isEmpty();
        assertThat(result.properties().get("org.crustyclaw.daemon"))
                .containsEntry("shutdownTimeoutSeconds", 12).containsEntry("mode", "safe");
        assertThat((String[]) result.properties().get("org.crustyclaw.daemon").get("jvmOptions")).containsExactly("-Xmx64m", "-Xss1m");
        assertThat(result.properties().get("org.crustyclaw.sandbox.bwrap")).containsEntry("enabled", true);
        assertThat(result.properties()).doesNotContainKey("org.crustyclaw.policy");
    }

    @Test
    void everyProblemNamesFileLineColumnKeyAndWhatWasExpected() throws TomlException {
        var problems = check("""
                [daemon]
                shutdown_timeout_seconds = "soon"
                mode = "turbo"
                colour = 3
                [sandbox.bwrap]
                enabled = "yes"
                [nosuch]
                x = 1
                """).problems();
        assertThat(problems).extracting(ConfigProblem::toString).containsExactly(
                "c.toml:2:1: daemon.shutdown_timeout_seconds: expected an integer, found string \"soon\"",
                "c.toml:3:1: daemon.mode: expected one of [fast, safe], found \"turbo\"",
                "c.toml:4:1: daemon.colour: unknown key 'colour'; expected one of: api_token, jvm_options, mode, shutdown_timeout_seconds",
                "c.toml:6:1: sandbox.bwrap.enabled: expected true or false, found string \"yes\"",
                "c.toml:7:1: nosuch: unknown section [nosuch]: no installed bundle declares configuration org.crustyclaw.nosuch; "
                        + "known sections: [daemon], [sandbox.bwrap], [policy]");
    }

    @Test
    void rangesFromTheMetatypeAreEnforced() throws TomlException {
        assertThat(check("[daemon]\nshutdown_timeout_seconds = 0\n").problems()).singleElement()
                .extracting(ConfigProblem::message).isEqualTo("expected an integer from 1 to 3600, found 0");
        assertThat(check("[daemon]\nshutdown_timeout_seconds = 9999999999\n").problems()).singleElement()
                .extracting(ConfigProblem::message).asString().contains("from 1 to 3600");
    }

    @Test
    void sensitiveValuesAreNeverShownInErrors() throws TomlException {
        assertThat(check("[daemon]\napi_token = 12345\n").problems()).singleElement()
                .extracting(ConfigProblem::message).isEqualTo("expected a string, found integer <redacted>");
    }

    @Test
    void scalarAtTopLevelAndArraysForSingleValuesAreRejected() throws TomlException {
        assertThat(check("loose = 1\n").problems()).singleElement().extracting(ConfigProblem::message)
                .isEqualTo("a top-level key must be a table such as [loose], found integer");
        assertThat(check("[daemon]\nmode = [\"fast\"]\n").problems()).singleElement().extracting(ConfigProblem::message)
                .isEqualTo("expected a string (a single value), found an array");
    }

    @Test
    void aBareValueWhereAListIsExpectedIsAProblem() throws TomlException {
        assertThat(check("[daemon]\njvm_options = \"x\"\n").problems()).singleElement().hasToString(
                "c.toml:2:1: daemon.jvm_options: expected a list of strings, e.g. [\"a\", \"b\"], found string \"x\"");
    }

    @Test
    void aHugeKeyIsCutInTheProblemButTheLocationIsKept() throws TomlException {
        String key = "k".repeat(1 << 20);
        ConfigProblem p = check("[daemon]\n" + key + " = 1\n").problems().get(0);
        assertThat(p.toString()).startsWith("c.toml:2:1: daemon.kkkk").contains("(1048583 characters)", "(1048579 characters)")
                .contains("expected one of: api_token, jvm_options").hasSizeLessThan(1000);
        assertThat(p.line()).isEqualTo(2);
        assertThat(p.column()).isEqualTo(1);
    }

    @Test
    void keysMapBetweenSnakeAndCamelCase() {
        assertThat(Keys.camel("require_signed_plugins")).isEqualTo("requireSignedPlugins");
        assertThat(Keys.snake("requireSignedPlugins")).isEqualTo("require_signed_plugins");
        assertThat(Keys.camel(Keys.snake("deployPollMillis"))).isEqualTo("deployPollMillis");
    }
}
