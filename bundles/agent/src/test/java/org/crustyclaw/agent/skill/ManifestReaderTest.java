package org.crustyclaw.agent.skill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.crustyclaw.api.agent.SkillManifest;
import org.crustyclaw.api.sandbox.TrustTier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

    @TempDir
    Path dir;

    private Path skill(String name, String toml) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("skill.toml"), toml);
        Files.writeString(d.resolve("prompt.md"), "You answer questions.");
        return d;
    }

    @Test
    void readsEveryField() throws IOException {
        Path d = skill("qa", """
                name = "qa"
                description = "answers"
                version = "1.2.0"
                tier = "internal"
                prompt = "prompt.md"
                tools = ["fs_read", "shell"]
                egress_hosts = ["*.example.org"]
                secrets = ["github-token"]
                [model]
                provider = "openai"
                model = "gpt-4o-mini"
                [limits]
                memory = "128m"
                timeout = "30s"
                [budgets]
                iterations = 5
                tokens = 1000
                wall_clock = "2m"
                cost_usd = 0.25
                [review]
                mode = "human"
                """);
        SkillManifest m = ((ManifestReader.Loaded) ManifestReader.read(d)).manifest();
        assertThat(m.name()).isEqualTo("qa");
        assertThat(m.tier()).isEqualTo(TrustTier.INTERNAL);
        assertThat(m.systemPrompt()).isEqualTo("You answer questions.");
        assertThat(m.tools()).containsExactly("fs_read", "shell");
        assertThat(m.allowsHost("api.example.org")).isTrue();
        assertThat(m.allowsHost("example.com")).isFalse();
        assertThat(m.allowsSecret("github-token")).isTrue();
        assertThat(m.model()).isEqualTo(new SkillManifest.ModelChoice("openai", "gpt-4o-mini"));
        assertThat(m.limits().memoryBytes()).isEqualTo(128L << 20);
        assertThat(m.limits().timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(m.budgets().iterations()).isEqualTo(5);
        assertThat(m.budgets().costMicroUsd()).isEqualTo(250_000);
        assertThat(m.budgets().wallClock()).isEqualTo(Duration.ofMinutes(2));
        assertThat(m.review().mode()).isEqualTo("human");
        assertThat(m.source()).isEqualTo("dir:" + d.resolve("skill.toml"));
    }

    @Test
    void everyProblemIsReportedWithItsPosition() throws IOException {
        Path d = skill("bad", """
                name = "bad"
                description = "x"
                prompt = "prompt.md"
                colour = "blue"
                tier = "godlike"
                tools = ["fs_read", 3]
                [model]
                provider = "openai"
                [budgets]
                iterations = 0
                """);
        var rejected = (ManifestReader.Rejected) ManifestReader.read(d);
        assertThat(rejected.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p)
                .isEqualTo(d.resolve("skill.toml") + ":4:1: colour: unknown key; expected one of budgets, description,"
                        + " egress_hosts, limits, model, name, prompt, review, secrets, tier, tools, version"));
        assertThat(rejected.problems()).extracting(Object::toString)
                .anySatisfy(p -> assertThat(p).contains(":5:").contains("tier: unknown trust tier 'godlike'"))
                .anySatisfy(p -> assertThat(p).contains(":6:").contains("tools: expected a tool name (a string), found integer"))
                .anySatisfy(p -> assertThat(p).contains("model.model: missing; expected a string"))
                .anySatisfy(p -> assertThat(p).contains(":10:").contains("budgets.iterations: 0 is out of range; expected 1..1000"));
    }

    @Test
    void syntaxErrorsCarryTheParsersPosition() throws IOException {
        Path d = skill("syn", "name = \"syn\"\ndescription = \n");
        var rejected = (ManifestReader.Rejected) ManifestReader.read(d);
        assertThat(rejected.problems()).hasSize(1);
        assertThat(rejected.problems().get(0).line()).isEqualTo(2);
    }

    @Test
    void promptOutsideTheSkillDirectoryIsRefused() throws IOException {
        Files.writeString(dir.resolve("secret.txt"), "not a prompt");
        Path d = skill("esc", """
                name = "esc"
                description = "x"
                prompt = "../secret.txt"
                [model]
                provider = "p"
                model = "m"
                """);
        var rejected = (ManifestReader.Rejected) ManifestReader.read(d);
        assertThat(rejected.problems()).extracting(Object::toString)
                .anySatisfy(p -> assertThat(p).contains(":3:").contains("prompt: '../secret.txt' is not a regular file inside"));
        Files.createSymbolicLink(d.resolve("link.md"), dir.resolve("secret.txt"));
        Files.writeString(d.resolve("skill.toml"), Files.readString(d.resolve("skill.toml")).replace("../secret.txt", "link.md"));
        assertThat(ManifestReader.read(d)).isInstanceOf(ManifestReader.Rejected.class);
    }

    @Test
    void registryListsDirectorySkillsAndReportsBrokenOnes() throws IOException {
        skill("good", """
                name = "good"
                description = "fine"
                prompt = "prompt.md"
                [model]
                provider = "p"
                model = "m"
                """);
        skill("misnamed", """
                name = "other"
                description = "fine"
                prompt = "prompt.md"
                [model]
                provider = "p"
                model = "m"
                """);
        SkillRegistry registry = new SkillRegistry(dir.getParent(), new String[] {dir.getFileName().toString()});
        assertThat(registry.list()).extracting(SkillManifest::name).containsExactly("good");
        assertThat(registry.problems()).extracting(Object::toString)
                .anySatisfy(p -> assertThat(p).contains("skill name 'other' differs from its directory 'misnamed'"));
        assertThat(registry.validate(dir.resolve("good"))).isEmpty();
    }
}
