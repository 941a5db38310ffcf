package org.crustyclaw.security.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import org.crustyclaw.api.audit.AuditEvent;
import org.crustyclaw.api.secret.Secret;
import org.crustyclaw.api.secret.SecretStore.SecretEntry;
import org.crustyclaw.security.audit.SqliteAuditLog;
import org.crustyclaw.security.redact.RedactionService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @TempDir
    Path dir;
    SqliteAuditLog audit;
    RedactionService redaction = new RedactionService();
    Secrets secrets;

    @BeforeEach
    void setUp() throws Exception {
        audit = new SqliteAuditLog(dir.resolve("crustyclaw.db"), redaction::scrub, Duration.ofSeconds(10));
        Files.createDirectories(dir.resolve("secrets"));
        secrets = new Secrets(new EncryptedStoreFile(dir.resolve("secrets.store"), dir.resolve("secrets.key")),
                dir.resolve("secrets"), Map.of("CRUSTYCLAW_SECRET_OPENAI_KEY", "from-env-value"), "CRUSTYCLAW_SECRET_",
                audit, redaction);
    }

    @AfterEach
    void tearDown() {
        audit.close();
    }

    private static String text(Secret s) {
        return new String(s.reveal(), StandardCharsets.UTF_8);
    }

    private void writeFile(String name, String value, String mode) throws IOException {
        Path f = dir.resolve("secrets").resolve(name);
        Files.writeString(f, value);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    }

    @Test
    void setStoresEncryptedAndGetReadsItBack() throws Exception {
        secrets.set(Secret.ofUtf8("github-token", "ghp_value-in-the-store".toCharArray()));
        assertThat(text(secrets.get("github-token").orElseThrow())).isEqualTo("ghp_value-in-the-store");
        byte[] onDisk = Files.readAllBytes(dir.resolve("secrets.store"));
        assertThat(new String(onDisk, StandardCharsets.ISO_8859_1)).doesNotContain("ghp_value-in-the-store")
                .doesNotContain("github-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets.store"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void environmentAndFilesAreSources() throws Exception {
        writeFile("db-password", "from-file-value\n", "rw-------");
        assertThat(text(secrets.get("openai.key").orElseThrow())).isEqualTo("from-env-value");
        assertThat(text(secrets.get("db-password").orElseThrow())).isEqualTo("from-file-value");
        assertThat(secrets.get("absent")).isEmpty();
        assertThat(secrets.list()).contains(new SecretEntry("OPENAI_KEY", "env"), new SecretEntry("db-password", "file"));
    }

    @Test
    void storeWinsOverEnvironment() {
        secrets.set(Secret.ofUtf8("OPENAI_KEY", "stored-value".toCharArray()));
        assertThat(text(secrets.get("OPENAI_KEY").orElseThrow())).isEqualTo("stored-value");
    }

    @Test
    void groupReadableFileIsRefusedNamingItsMode() throws Exception {
        writeFile("leaky", "value", "rw-r-----");
        assertThatThrownBy(() -> secrets.get("leaky")).isInstanceOf(SecurityException.class)
                .hasMessageContaining("leaky").hasMessageContaining("rw-r-----").hasMessageContaining("chmod 600");
    }

    @Test
    void accessIsAuditedByNameNeverByValue() throws Exception {
        secrets.set(Secret.ofUtf8("api", "super-secret-value-42".toCharArray()));
        secrets.get("api").orElseThrow().close();
        assertThat(audit.tail(10)).extracting(AuditEvent::type).containsExactly("secret.set", "secret.access");
        assertThat(audit.tail(10).toString()).contains("api").doesNotContain("super-secret-value-42");
    }

    @Test
    void loadedValuesAreScrubbedFromAnyText() {
        secrets.set(Secret.ofUtf8("db", "hunter2-correct-horse".toCharArray()));
        secrets.get("db").orElseThrow().close();
        assertThat(redaction.scrub("connecting with hunter2-correct-horse now"))
                .isEqualTo("connecting with <redacted> now");
    }

    @Test
    void removeDeletesFromTheStore() {
        secrets.set(Secret.ofUtf8("tmp", "value".toCharArray()));
        assertThat(secrets.remove("tmp")).isTrue();
        assertThat(secrets.remove("tmp")).isFalse();
        assertThat(secrets.get("tmp")).isEmpty();
    }

    @Test
    void badNameIsRefusedNamingIt() {
        assertThatThrownBy(() -> secrets.get("../etc/passwd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'../etc/passwd'");
    }
}
