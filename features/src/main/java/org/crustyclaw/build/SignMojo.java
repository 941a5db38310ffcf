package org.crustyclaw.build;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import jdk.security.jarsigner.JarSigner;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Signs every jar of {@code directory} in place with the build's plugin-signing key and writes
 * that key's certificate as a PEM trust store. The key lives in {@code keystore}, outside the
 * distribution: when the file is missing a new EC P-256 key pair is made with the JDK's keytool
 * and a random password kept beside it (owner-only). A release passes its own keystore and
 * password instead, so its plugins are signed by a key the build machines keep.
 */
@Mojo(name = "sign", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class SignMojo extends AbstractMojo {

    /** The directory whose *.jar files are signed in place. */
    @Parameter(required = true)
    private File directory;

    /** PKCS#12 keystore holding the signing key; made when missing. Never inside the distribution. */
    @Parameter(property = "crustyclaw.signing.keystore", defaultValue = "${project.build.directory}/plugin-signing/signer.p12")
    private File keystore;

    /** The keystore's password; unset: read from {@code <keystore>.pass}, written when the keystore is made. */
    @Parameter(property = "crustyclaw.signing.storepass")
    private String storepass;

    @Parameter(property = "crustyclaw.signing.alias", defaultValue = "crustyclaw-plugins")
    private String alias;

    /** Subject of a generated certificate. */
    @Parameter(defaultValue = "CN=CrustyClaw example plugins (build-generated)")
    private String subject;

    /** Where the signer's certificate is written (PEM). */
    @Parameter(required = true)
    private File trustStore;

    @Override
    public void execute() throws MojoExecutionException {
        try {
            char[] password = password();
            KeyStore.PrivateKeyEntry key = load(password);
            X509Certificate cert = (X509Certificate) key.getCertificate();
            JarSigner signer = new JarSigner.Builder(key).digestAlgorithm("SHA-256").signerName("CRUSTYCL").build();
            List<Path> jars = jars();
            for (Path jar : jars) {
                Path signed = jar.resolveSibling(jar.getFileName() + ".signing");
                try (ZipFile in = new ZipFile(jar.toFile()); OutputStream out = Files.newOutputStream(signed)) {
                    signer.sign(in, out);
                }
                Files.move(signed, jar, StandardCopyOption.REPLACE_EXISTING);
                getLog().info("signed " + jar.getFileName() + " as " + cert.getSubjectX500Principal().getName());
            }
            Files.createDirectories(trustStore.toPath().toAbsolutePath().getParent());
            Files.writeString(trustStore.toPath(), pem(cert), StandardCharsets.US_ASCII);
            getLog().info("plugin trust store " + trustStore + ": " + cert.getSubjectX500Principal().getName()
                    + ", SHA-256 " + fingerprint(cert));
        } catch (IOException | GeneralSecurityException | jdk.security.jarsigner.JarSignerException e) {
            throw new MojoExecutionException("signing the jars of " + directory + " failed: " + e.getMessage(), e);
        }
    }

    private List<Path> jars() throws IOException, MojoExecutionException {
        if (!directory.isDirectory()) {
            throw new MojoExecutionException("no directory " + directory + " to sign jars in");
        }
        try (Stream<Path> files = Files.list(directory.toPath())) {
            List<Path> jars = new ArrayList<>(files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList());
            if (jars.isEmpty()) {
                throw new MojoExecutionException("no *.jar in " + directory + " to sign");
            }
            return jars;
        }
    }

    private char[] password() throws IOException, MojoExecutionException {
        if (storepass != null && !storepass.isEmpty()) {
            return storepass.toCharArray();
        }
        Path pass = Path.of(keystore.getPath() + ".pass");
        if (keystore.isFile()) {
            if (!Files.isRegularFile(pass)) {
                throw new MojoExecutionException("keystore " + keystore + " exists but neither crustyclaw.signing.storepass nor "
                        + pass + " gives its password");
            }
            return Files.readString(pass, StandardCharsets.US_ASCII).strip().toCharArray();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String made = HexFormat.of().formatHex(random);
        Files.createDirectories(pass.toAbsolutePath().getParent());
        Files.writeString(pass, made + "\n", StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file stays as the umask made it
        }
        return made.toCharArray();
    }

    private KeyStore.PrivateKeyEntry load(char[] password) throws IOException, GeneralSecurityException, MojoExecutionException {
        if (!keystore.isFile()) {
            generate(password);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore.toPath())) {
            ks.load(in, password);
        }
        KeyStore.Entry entry = ks.getEntry(alias, new KeyStore.PasswordProtection(password));
        if (!(entry instanceof KeyStore.PrivateKeyEntry key)) {
            throw new MojoExecutionException("keystore " + keystore + " has no private key under alias '" + alias
                    + "': expected the alias of the signing key (crustyclaw.signing.alias)");
        }
        return key;
    }

    private void generate(char[] password) throws IOException, MojoExecutionException {
        Files.createDirectories(keystore.toPath().toAbsolutePath().getParent());
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        ProcessBuilder pb = new ProcessBuilder(keytool, "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-validity", "3650", "-dname", subject, "-storetype", "PKCS12",
                "-keystore", keystore.getPath(), "-storepass:env", "CRUSTYCLAW_STOREPASS")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // the password reaches keytool through its environment, never its command line
        pb.environment().put("CRUSTYCLAW_STOREPASS", new String(password));
        Process p = pb.start();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new MojoExecutionException("keytool could not make the signing key in " + keystore + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("interrupted while keytool made the signing key", e);
        }
        getLog().info("made a new plugin-signing key in " + keystore + " (not part of the distribution)");
    }

    static String pem(X509Certificate cert) throws GeneralSecurityException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded());
        return "# " + cert.getSubjectX500Principal().getName() + " (SHA-256 " + fingerprint(cert) + ")\n"
                + "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
    }

    static String fingerprint(X509Certificate cert) throws GeneralSecurityException {
        return HexFormat.ofDelimiter(":").formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    }
}
