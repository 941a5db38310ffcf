package org.crustyclaw.security.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.crustyclaw.api.config.ConfigProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningConfigRuleTest {

    /** A real certificate (keytool-made, as in SignedPluginHookTest); the rule only needs it to parse. */
    static final String CERT = """
            -----BEGIN CERTIFICATE-----
            MIIBPDCB46ADAgECAghPTfNZo8vazTAKBggqhkjOPQQDAjATMREwDwYDVQQDEwh0
            cnVzdGVkMTAeFw0yNjEyMDQwMzM0MTBaFw0zNjEyMDEwMzM0MTBaMBMxETAPBgNV
            BAMTCHRydXN0ZWQxMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEMi6gXlHpXzgr
            irEK8wZPt6ULg30YqnLhNB+s0hHFbGJsNzyr9kosSS1t5OStP21FZ1vKXC7D9DBc
            FXdrFR9V3qMhMB8wHQYDVR0OBBYEFEiFtY241JiirzYpf9H9xavb8NUpMAoGCCqG
            SM49BAMCA0gAMEUCIEo41ILYAYy+SKZ8ed68n1HZ6Y9QDT/ossirKE2Ll91bAiEA
            tDYWR+fz4MJ5yQdG9iRxGiyUce55Fny6Jq9QxivKzg4=
            -----END CERTIFICATE-----
            """;

    @TempDir
    Path home;

    List<ConfigProblem> check(String toml) {
        return new SigningConfigRule(home).check("crustyclaw.toml", toml);
    }

    @Test
    void signingOnWithAnEmptyTrustStoreIsFlaggedAtTheKey() {
        List<ConfigProblem> problems = check("[security]\nrequire_signed_plugins = true\ntrust_store = \"\"\n");
        assertThat(problems).hasSize(1);
        ConfigProblem p = problems.get(0);
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.path()).isEqualTo("security.trust_store");
        assertThat(p.message()).contains("trust_store is empty").contains("every plugin jar in deploy/ would be refused");
        assertThat(p.toString()).startsWith("crustyclaw.toml:3:");
    }

    @Test
    void aMissingTrustStoreIsNamedWithWhereItWasLooked() {
        List<ConfigProblem> problems = check("[security]\ntrust_store = \"etc/nope.pem\"\n");
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).message()).contains("plugin signing is on by default")
                .contains(home.resolve("etc/nope.pem").toString()).contains("does not exist").contains("relative to " + home);
        assertThat(problems.get(0).line()).isEqualTo(2);
    }

    @Test
    void theDefaultTrustStoreMustExistWhenTheFileSaysNothing() throws Exception {
        assertThat(check("[daemon]\nshutdown_timeout_seconds = 3\n")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains(home.resolve(SignedPluginHook.DEFAULT_TRUST_STORE).toString()));
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve(SignedPluginHook.DEFAULT_TRUST_STORE), "# the build signer\n" + CERT);
        assertThat(check("[daemon]\nshutdown_timeout_seconds = 3\n")).isEmpty();
        assertThat(check("[security]\nrequire_signed_plugins = true\n")).isEmpty();
    }

    @Test
    void aFileWithoutCertificatesIsFlagged() throws Exception {
        Path pem = Files.writeString(home.resolve("empty.pem"), "not a certificate\n");
        assertThat(check("[security]\ntrust_store = \"" + pem + "\"\n")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains(pem.toString()).doesNotContain("relative to"));
    }

    @Test
    void signingOffNeedsNoTrustStoreAndWrongTypesAreLeftToTheMetatype() {
        assertThat(check("[security]\nrequire_signed_plugins = false\ntrust_store = \"\"\n")).isEmpty();
        assertThat(check("[security]\nrequire_signed_plugins = \"yes\"\n")).isEmpty();
        assertThat(check("[security]\ntrust_store = 3\n")).isEmpty();
    }
}
