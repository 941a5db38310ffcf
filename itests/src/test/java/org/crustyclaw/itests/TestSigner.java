package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.zip.ZipFile;

import jdk.security.jarsigner.JarSigner;

/**
 * A plugin author's own signing key, made with the JDK's keytool as docs/security.md tells a
 * user to: it signs jars with jarsigner's API and gives its certificate as PEM, to append to a
 * trust store.
 */
final class TestSigner {

    private final KeyStore.PrivateKeyEntry key;

    private TestSigner(KeyStore.PrivateKeyEntry key) {
        this.key = key;
    }

    static TestSigner create(Path dir, String name) throws IOException, GeneralSecurityException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("keytool: %s", output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        return new TestSigner((KeyStore.PrivateKeyEntry) ks.getEntry(name, new KeyStore.PasswordProtection("changeit".toCharArray())));
    }

    /** Writes {@code jar} signed to {@code out}. */
    Path sign(Path jar, Path out) throws IOException, GeneralSecurityException {
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream o = Files.newOutputStream(out)) {
            new JarSigner.Builder(key).digestAlgorithm("SHA-256").build().sign(in, o);
        }
        return out;
    }

    String pem() throws GeneralSecurityException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getCertificate().getEncoded());
        return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
    }
}
