package org.crustyclaw.credproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.api.egress.EgressLimits;
import org.crustyclaw.api.egress.EgressPolicy;
import org.crustyclaw.api.egress.EgressRule;
import org.crustyclaw.api.egress.HostPattern;
import org.crustyclaw.api.egress.SecretGrant;
import org.junit.jupiter.api.Test;

class EgressConfigTest {

    @Test
    void aSkillsRulesSecretsAndLimitsAreRead() {
        EgressConfig.Parsed parsed = EgressConfig.parse("c.toml", """
                [egress.skills.forge]
                requests_per_second = 5
                connections = 4

                [[egress.skills.forge.rules]]
                name = "github"
                host = "API.github.com"
                methods = ["get", "CONNECT"]

                [[egress.skills.forge.rules]]
                name = "uploads"
                host = "*.githubusercontent.com"
                ports = [443]
                methods = ["PUT"]
                action = "ask"

                [[egress.skills.forge.secrets]]
                secret = "GITHUB_TOKEN"
                hosts = ["api.github.com"]
                """);

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.policies()).containsOnlyKeys("forge");
        EgressPolicy p = parsed.policies().get("forge");
        assertThat(p.rules()).containsExactly(
                new EgressRule("github", HostPattern.parse("api.github.com"), Set.of(80, 443), Set.of("GET", "CONNECT"),
                        EgressRule.Action.ALLOW),
                new EgressRule("uploads", HostPattern.parse("*.githubusercontent.com"), Set.of(443), Set.of("PUT"),
                        EgressRule.Action.ASK));
        assertThat(p.secrets()).containsExactly(new SecretGrant("GITHUB_TOKEN", "GITHUB_TOKEN",
                List.of(HostPattern.parse("api.github.com"))));
        assertThat(p.limits()).isEqualTo(new EgressLimits(5, EgressLimits.DEFAULT.bytesPerSecond(),
                EgressLimits.DEFAULT.totalBytes(), 4));
    }

    @Test
    void problemsNameTheLineKeyAndWhatWasExpected() {
        EgressConfig.Parsed parsed = EgressConfig.parse("c.toml", """
                [egress.skills.forge]
                speed = 1

                [[egress.skills.forge.rules]]
                name = "ip"
                host = "10.0.0.1"
                methods = ["GET"]
                action = "maybe"

                [[egress.skills.forge.secrets]]
                secret = "T"
                hosts = []
                """);

        assertThat(parsed.policies()).isEmpty();
        assertThat(parsed.problems()).extracting(ConfigProblem::toString).anySatisfy(s -> assertThat(s)
                .startsWith("c.toml:2:").contains("egress.skills.forge.speed", "unknown key"))
                .anySatisfy(s -> assertThat(s).contains("'maybe' is not 'allow' or 'ask'"))
                .anySatisfy(s -> assertThat(s).contains("IP address"))
                .anySatisfy(s -> assertThat(s).contains("egress.skills.forge.secrets.hosts", "non-empty"));
    }

    @Test
    void noSectionMeansNoPolicies() {
        assertThat(EgressConfig.parse("c.toml", "[other]\na = 1\n")).isEqualTo(new EgressConfig.Parsed(
                java.util.Map.of(), List.of()));
    }
}
