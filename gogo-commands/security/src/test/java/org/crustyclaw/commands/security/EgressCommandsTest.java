package org.crustyclaw.commands.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.secret.Secret;
import org.crustyclaw.api.secret.SecretStore;
import org.crustyclaw.credproxy.CredProxyService;
import org.crustyclaw.security.audit.SqliteAuditLog;
import org.crustyclaw.security.redact.RedactionService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code egress list|test} over the real credential proxy service and its [egress] section. */
class EgressCommandsTest {

    static final String EGRESS = """
            [[egress.skills.forge.rules]]
            name = "github"
            host = "api.github.com"
            ports = [443]
            methods = ["GET", "CONNECT"]

            [[egress.skills.forge.rules]]
            name = "uploads"
            host = "*.example.com"
            methods = ["PUT"]
            action = "ask"

            [[egress.skills.forge.secrets]]
            secret = "GITHUB_TOKEN"
            env = "GH_TOKEN"
            hosts = ["api.github.com"]
            """;

    @TempDir
    Path dir;
    SqliteAuditLog audit;
    CredProxyService proxy;
    EgressCommands commands;

    @BeforeEach
    void setUp() throws Exception {
        audit = new SqliteAuditLog(dir.resolve("crustyclaw.db"), new RedactionService()::scrub, Duration.ofSeconds(10));
        CredProxyService.Config config = (CredProxyService.Config) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {CredProxyService.Config.class},
                (p, m, a) -> m.getName().equals("annotationType") ? CredProxyService.Config.class : m.getDefaultValue());
        proxy = new CredProxyService(config, audit, new NoSecrets());
        proxy.apply("crustyclaw.toml", EGRESS);
        commands = new EgressCommands(proxy);
    }

    @AfterEach
    void tearDown() {
        audit.close();
    }

    @Test
    void listShowsEveryRuleAndGrant() {
        String human = commands.list(false);
        assertThat(human).contains("github", "api.github.com", "443", "CONNECT,GET", "allow", "uploads", "ask",
                "GITHUB_TOKEN as $GH_TOKEN", "sentinel");
        assertThat(commands.list(true, "forge")).contains("\"kind\" : \"secret\"");
        assertThatThrownBy(() -> commands.list(false, "nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nope' has no [egress.skills.nope] policy").hasMessageContaining("configured: forge");
    }

    @Test
    void testDecidesAndNamesTheSecretsThatWouldBeSwappedIn() {
        assertThat(commands.test(true, "GET", "forge", "https://api.github.com/repos"))
                .contains("\"decision\" : \"allow\"", "\"rule\" : \"github\"", "\"GITHUB_TOKEN\"");
        assertThat(commands.test(false, "PUT", "forge", "http://a.example.com/x")).contains("decision: ask", "rule: uploads");
        assertThat(commands.test(false, "GET", "forge", "http://evil.test/")).contains("decision: deny", "rule: default-deny",
                "no rule of skill forge allows host evil.test");
        assertThat(commands.test(false, "GET", "other", "http://api.github.com/")).contains("decision: deny",
                "has no [egress.skills.other] policy");
        assertThatThrownBy(() -> commands.test(false, "GET", "forge", "ftp://x/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ftp://x/'");
        assertThatThrownBy(() -> commands.test(false, "G ET", "forge", "http://x/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--method 'G ET'");
    }

    @Test
    void aBrokenSectionIsRefusedAndTheRulesInForceStay() {
        assertThat(proxy.check("crustyclaw.toml", "[egress.skills.forge]\nconnections = 0\n")).singleElement()
                .asString().contains("crustyclaw.toml:2:", "egress.skills.forge.connections", "1 to");
        assertThatThrownBy(() -> proxy.apply("crustyclaw.toml", "[egress.skills.forge]\nconnections = 0\n"))
                .hasMessageContaining("previous rules stay in force");
        assertThat(proxy.policy("forge")).isPresent();
        assertThat(audit.tail(1).get(0).payload()).containsEntry("section", "egress").containsEntry("skills", "forge");
    }

    /** No secrets are needed to list and test rules. */
    static final class NoSecrets implements SecretStore {
        @Override
        public Optional<Secret> get(String name) {
            return Optional.empty();
        }

        @Override
        public Set<String> names() {
            return Set.of();
        }

        @Override
        public List<SecretEntry> list() {
            return List.of();
        }

        @Override
        public void set(Secret secret) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean remove(String name) {
            return false;
        }
    }
}
