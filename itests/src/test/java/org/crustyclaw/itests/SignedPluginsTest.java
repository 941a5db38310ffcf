package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.crustyclaw.itests.Installation.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Signing is the default (issue 8): under the shipped configuration an unsigned jar or one
 * signed by a stranger is refused with its reason, the build-signed example installs, and
 * {@code config validate} flags signing with no usable trust store.
 */
class SignedPluginsTest {

    static Installation dist;

    @BeforeAll
    static void start() throws IOException {
        dist = Installation.create("signed");
        dist.start();
    }

    @AfterAll
    static void stop() {
        if (dist != null) {
            dist.close();
        }
    }

    static Path bundleJar(Path out, String bsn) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", "1.0.0");
        try (OutputStream o = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(o, m)) {
            jar.putNextEntry(new JarEntry("org/example/readme.txt"));
            jar.write("a plugin".getBytes());
            jar.closeEntry();
        }
        return out;
    }

    static int logged(String line) {
        return dist.logText().split(java.util.regex.Pattern.quote(line), -1).length - 1;
    }

    static String problemOf(String file) {
        JsonNode l = Installation.await(HotDeployTest.HANG_GUARD, () -> dist.run("plugins", "list", "--json").json(),
                x -> x.path("problems").toString().contains(file));
        for (JsonNode p : l.path("problems")) {
            if (p.path("file").asText().equals(file)) {
                return p.path("reason").asText();
            }
        }
        throw new AssertionError("no problem for " + file + " in " + l);
    }

    @Test
    void theShippedConfigurationRequiresSigningAndNamesItsTrustStore() throws IOException {
        String toml = Files.readString(Installation.HOME.resolve("etc/crustyclaw.toml"));
        assertThat(toml).contains("require_signed_plugins = true").contains("trust_store = \"etc/plugin-signers.pem\"");
        assertThat(Files.readString(Installation.HOME.resolve("etc/plugin-signers.pem"))).contains("BEGIN CERTIFICATE");
        Result shown = dist.run("config", "show");
        assertThat(shown.out()).as("%s", shown).contains("require_signed_plugins = true");
    }

    @Test
    void anUnsignedJarInDeployIsRefusedWithAClearLine() throws IOException {
        bundleJar(dist.deploy.resolve("unsigned.jar"), "org.example.unsigned");
        String reason = problemOf("unsigned.jar");
        assertThat(reason).contains("refused by").contains("unsigned.jar is not signed")
                .contains("expected a jar signed by a certificate of " + Installation.HOME.resolve("etc/plugin-signers.pem"));
        assertThat(dist.run("plugins", "list").out()).contains("unsigned.jar: refused by");
        Result bundles = dist.run("plugins", "list", "--all");
        assertThat(bundles.out()).doesNotContain("org.example.unsigned");
        Files.delete(dist.deploy.resolve("unsigned.jar"));
    }

    @Test
    void aJarSignedByAStrangerIsRefusedAndTheExampleInstalls() throws Exception {
        TestSigner stranger = TestSigner.create(dist.root, "stranger");
        Path plain = bundleJar(dist.root.resolve("plain.jar"), "org.example.stranger");
        stranger.sign(plain, dist.deploy.resolve("stranger.jar"));
        assertThat(problemOf("stranger.jar")).contains("signed by CN=stranger, which the trust store does not trust");

        int deployed = logged("deployed echo.jar as " + HotDeployTest.ECHO);
        Files.copy(Installation.exampleJar(), dist.deploy.resolve("echo.jar"));
        JsonNode list = Installation.await(HotDeployTest.HANG_GUARD, () -> dist.run("plugins", "list", "--json").json(),
                l -> l.toString().contains("\"" + HotDeployTest.ECHO + "\""));
        assertThat(list.toString()).as("%s", list).contains("\"" + HotDeployTest.ECHO + "\"");
        assertThat(logged("deployed echo.jar as " + HotDeployTest.ECHO)).isGreaterThan(deployed);
        assertThat(list.path("problems").toString()).doesNotContain("echo.jar");
        Files.delete(dist.deploy.resolve("stranger.jar"));
        Files.delete(dist.deploy.resolve("echo.jar"));
    }

    @Test
    void configValidateFlagsSigningWithoutATrustStore() throws IOException {
        String shipped = Files.readString(Installation.HOME.resolve("etc/crustyclaw.toml"));
        Path empty = dist.write("empty-store.toml", shipped.replace("trust_store = \"etc/plugin-signers.pem\"", "trust_store = \"\""));
        Result r = dist.run("config", "validate", empty.toString());
        assertThat(r.exit()).as("%s", r).isNotZero();
        assertThat(r.all()).contains(empty + ":").contains("security.trust_store").contains("trust_store is empty")
                .contains("every plugin jar in deploy/ would be refused");

        Path missing = dist.write("missing-store.toml", shipped.replace("etc/plugin-signers.pem", "etc/nobody.pem"));
        Result m = dist.run("config", "validate", missing.toString());
        assertThat(m.exit()).as("%s", m).isNotZero();
        assertThat(m.all()).contains(Installation.HOME.resolve("etc/nobody.pem").toString()).contains("does not exist");

        Path off = dist.write("signing-off.toml", shipped.replace("require_signed_plugins = true", "require_signed_plugins = false")
                .replace("trust_store = \"etc/plugin-signers.pem\"", "trust_store = \"\""));
        Result o = dist.run("config", "validate", off.toString());
        assertThat(o.exit()).as("signing off needs no trust store: %s", o).isZero();
    }
}
