package org.crustyclaw.security.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

import org.crustyclaw.api.secret.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedStoreFileTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsAndUsesAFreshNonceEachWrite() throws Exception {
        EncryptedStoreFile store = new EncryptedStoreFile(dir.resolve("s"), dir.resolve("k"));
        Map<String, byte[]> entries = new TreeMap<>(Map.of("a", new byte[] {1, 2, 3}));
        store.write(entries);
        byte[] first = Files.readAllBytes(dir.resolve("s"));
        store.write(entries);
        assertThat(Files.readAllBytes(dir.resolve("s"))).isNotEqualTo(first);
        assertThat(store.read().get("a")).containsExactly(1, 2, 3);
    }

    @Test
    void aChangedByteIsDetected() throws Exception {
        EncryptedStoreFile store = new EncryptedStoreFile(dir.resolve("s"), dir.resolve("k"));
        store.write(new TreeMap<>(Map.of("a", new byte[] {1})));
        byte[] bytes = Files.readAllBytes(dir.resolve("s"));
        bytes[bytes.length - 1] ^= 1;
        Files.write(dir.resolve("s"), bytes);
        assertThatThrownBy(store::read).isInstanceOf(IOException.class).hasMessageContaining("failed authentication");
    }

    @Test
    void worldReadableKeyFileIsRefused() throws Exception {
        Files.write(dir.resolve("k"), new byte[32]);
        Files.setPosixFilePermissions(dir.resolve("k"), PosixFilePermissions.fromString("rw-r--r--"));
        EncryptedStoreFile store = new EncryptedStoreFile(dir.resolve("s"), dir.resolve("k"));
        assertThatThrownBy(() -> store.write(new TreeMap<>())).isInstanceOf(SecurityException.class)
                .hasMessageContaining("rw-r--r--");
    }

    @Test
    void keyOfTheWrongLengthIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new Aes256Key(new byte[16])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an AES-256 key is 32 bytes, got 16");
        assertThat(new Aes256Key(new byte[32]).toString()).doesNotContain("0");
    }

    @Test
    void secretIsRedactedAndZeroedOnClose() {
        Secret s = Secret.ofUtf8("x", "value".toCharArray());
        assertThat(s.toString()).isEqualTo("Secret[x=<redacted>]");
        s.close();
        assertThatThrownBy(s::reveal).isInstanceOf(IllegalStateException.class);
    }
}
