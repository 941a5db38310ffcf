package org.crustyclaw.security.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPath;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import jdk.security.jarsigner.JarSigner;

import org.crustyclaw.api.hook.HookEvent;
import org.crustyclaw.api.hook.HookResult;
import org.crustyclaw.security.audit.SqliteAuditLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedPluginHookTest {

    @TempDir
    Path dir;
    SqliteAuditLog audit;

    @BeforeEach
    void setUp() throws Exception {
        audit = new SqliteAuditLog(dir.resolve("crustyclaw.db"), s -> s, Duration.ofSeconds(10));
    }

    @AfterEach
    void tearDown() {
        audit.close();
    }

    /** A key pair and self-signed certificate made by the JDK's keytool. */
    private KeyStore.PrivateKeyEntry keyPair(String alias) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + alias,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        return (KeyStore.PrivateKeyEntry) ks.getEntry(alias, new KeyStore.PasswordProtection("changeit".toCharArray()));
    }

    private Path pem(X509Certificate cert) throws Exception {
        String body = java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded());
        return Files.writeString(dir.resolve("trust.pem"), "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
    }

    private Path plainJar(String name) throws IOException {
        Path jar = dir.resolve(name);
        Manifest mf = new Manifest();
        mf.getMainAttributes().putValue("Manifest-Version", "1.0");
        mf.getMainAttributes().putValue("Bundle-SymbolicName", "org.example.plugin");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            out.putNextEntry(new JarEntry("org/example/Plugin.class"));
            out.write("original bytes".getBytes());
            out.closeEntry();
        }
        return jar;
    }

    private Path sign(Path jar, KeyStore.PrivateKeyEntry key) throws Exception {
        Path signed = dir.resolve("signed-" + jar.getFileName());
        PrivateKey pk = key.getPrivateKey();
        CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(key.getCertificateChain()));
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream out = Files.newOutputStream(signed)) {
            new JarSigner.Builder(pk, path).build().sign(in, out);
        }
        return signed;
    }

    private HookResult install(SignedPluginHook hook, Path jar) {
        return hook.onEvent(HookEvent.of("plugin.install", true, Map.of("file", jar.toString())));
    }

    @Test
    void aJarSignedByATrustedKeyIsInstalled() throws Exception {
        var key = keyPair("plugins");
        SignedPluginHook hook = new SignedPluginHook(true, pem((X509Certificate) key.getCertificate()).toString(), audit);
        assertThat(install(hook, sign(plainJar("p.jar"), key))).isEqualTo(HookResult.CONTINUE);
        assertThat(audit.tail(5)).isEmpty();
    }

    @Test
    void anUnsignedJarIsRefusedAndTheRefusalAudited() throws Exception {
        var key = keyPair("plugins");
        SignedPluginHook hook = new SignedPluginHook(true, pem((X509Certificate) key.getCertificate()).toString(), audit);
        HookResult result = install(hook, plainJar("p.jar"));
        assertThat(result).isInstanceOf(HookResult.Veto.class);
        assertThat(((HookResult.Veto) result).reason()).contains("p.jar is not signed");
        assertThat(audit.tail(1).get(0).type()).isEqualTo("plugin.refused");
        assertThat(audit.tail(1).get(0).payload()).containsEntry("file", dir.resolve("p.jar").toString());
    }

    @Test
    void aJarSignedByAStrangerIsRefused() throws Exception {
        var trusted = keyPair("plugins");
        var stranger = keyPair("mallory");
        SignedPluginHook hook = new SignedPluginHook(true, pem((X509Certificate) trusted.getCertificate()).toString(), audit);
        HookResult result = install(hook, sign(plainJar("p.jar"), stranger));
        assertThat(((HookResult.Veto) result).reason()).contains("CN=mallory").contains("does not trust");
    }

    @Test
    void aTamperedJarIsRefused() throws Exception {
        var key = keyPair("plugins");
        SignedPluginHook hook = new SignedPluginHook(true, pem((X509Certificate) key.getCertificate()).toString(), audit);
        Path signed = sign(plainJar("p.jar"), key);
        Path tampered = dir.resolve("tampered.jar");
        try (ZipFile in = new ZipFile(signed.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tampered))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                byte[] bytes = in.getInputStream(e).readAllBytes();
                out.write(e.getName().endsWith(".class") ? "evil bytes!!!!".getBytes() : bytes);
                out.closeEntry();
            }
        }
        HookResult result = install(hook, tampered);
        assertThat(((HookResult.Veto) result).reason()).contains("tampered").contains("org/example/Plugin.class");
        try (JarFile unused = new JarFile(tampered.toFile())) {
            assertThat(unused.getManifest()).isNotNull();
        }
    }

    @Test
    void nothingIsCheckedWhenSigningIsNotRequired() throws Exception {
        SignedPluginHook hook = new SignedPluginHook(false, "", audit);
        assertThat(install(hook, plainJar("p.jar"))).isEqualTo(HookResult.CONTINUE);
    }

    @Test
    void requiredWithoutATrustStoreRefusesEverythingAndSaysWhy() throws Exception {
        SignedPluginHook hook = new SignedPluginHook(true, "", audit);
        assertThat(((HookResult.Veto) install(hook, plainJar("p.jar"))).reason()).contains("trust_store is not set");
    }
}
