package org.crustyclaw.security.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Checks that every entry of a jar is signed, unchanged since signing, and signed by a
 * certificate of the trust store (the certificate itself, or one it issued).
 */
public final class JarSignatures {

    /** The outcome of a check. */
    public sealed interface Result {
        record Trusted(String signer) implements Result {}

        record Refused(String reason) implements Result {}
    }

    private final List<X509Certificate> trusted;

    public JarSignatures(List<X509Certificate> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** Reads every certificate of a PEM (or DER) file; throws naming the file when there is none. */
    public static List<X509Certificate> readTrustStore(Path pem) throws IOException {
        if (!Files.isRegularFile(pem)) {
            throw new IOException("trust store " + pem + " does not exist: expected a PEM file of the certificates trusted to sign plugins");
        }
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IOException("trust store " + pem + " holds no certificate: expected PEM blocks 'BEGIN CERTIFICATE'");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IOException("trust store " + pem + " is not a certificate file: " + e.getMessage(), e);
        }
    }

    public Result check(Path jar) {
        String signer = null;
        int checked = 0;
        try (JarFile file = new JarFile(jar.toFile(), true)) {
            if (file.getManifest() == null) {
                return new Result.Refused(jar.getFileName() + " is not signed: it has no manifest");
            }
            byte[] buffer = new byte[8192];
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.isDirectory() || isSignatureFile(entry.getName())) {
                    continue;
                }
                try (InputStream in = file.getInputStream(entry)) {
                    while (in.read(buffer) >= 0) {
                        // reading to the end makes JarFile check the digest
                    }
                } catch (SecurityException e) {
                    return new Result.Refused(jar.getFileName() + " was tampered with: entry " + entry.getName()
                            + " does not match its signature (" + e.getMessage() + ")");
                }
                CodeSigner[] signers = entry.getCodeSigners();
                if (signers == null || signers.length == 0) {
                    return new Result.Refused(jar.getFileName() + " is not signed"
                            + (checked > 0 ? ": entry " + entry.getName() + " was added after signing" : ""));
                }
                String by = trustedSigner(signers);
                if (by == null) {
                    return new Result.Refused(jar.getFileName() + " is signed by "
                            + ((X509Certificate) signers[0].getSignerCertPath().getCertificates().get(0)).getSubjectX500Principal().getName()
                            + ", which the trust store does not trust");
                }
                signer = by;
                checked++;
            }
        } catch (SecurityException e) {
            return new Result.Refused(jar.getFileName() + " has an invalid signature: " + e.getMessage());
        } catch (IOException e) {
            return new Result.Refused(jar.getFileName() + " cannot be read as a jar: " + e.getMessage());
        }
        if (checked == 0) {
            return new Result.Refused(jar.getFileName() + " holds no signed content");
        }
        return new Result.Trusted(signer);
    }

    private String trustedSigner(CodeSigner[] signers) {
        for (CodeSigner s : signers) {
            for (Certificate c : s.getSignerCertPath().getCertificates()) {
                X509Certificate cert = (X509Certificate) c;
                for (X509Certificate anchor : trusted) {
                    if (anchor.equals(cert) || issuedBy(cert, anchor)) {
                        return ((X509Certificate) s.getSignerCertPath().getCertificates().get(0))
                                .getSubjectX500Principal().getName();
                    }
                }
            }
        }
        return null;
    }

    private static boolean issuedBy(X509Certificate cert, X509Certificate anchor) {
        if (!cert.getIssuerX500Principal().equals(anchor.getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(anchor.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', 9) >= 0) {
            return false;
        }
        return upper.equals("META-INF/MANIFEST.MF") || upper.endsWith(".SF") || upper.endsWith(".RSA")
                || upper.endsWith(".DSA") || upper.endsWith(".EC") || upper.startsWith("META-INF/SIG-");
    }
}
