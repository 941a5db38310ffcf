package org.crustyclaw.security.secret;

import java.util.Arrays;

import javax.crypto.spec.SecretKeySpec;

/** An AES-256 key: exactly 32 bytes, zeroed on close, never printed. */
public final class Aes256Key implements AutoCloseable {

    public static final int LENGTH = 32;

    private final byte[] bytes;

    /** Copies {@code bytes}; throws naming the length when it is not 32. */
    public Aes256Key(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an AES-256 key is " + LENGTH + " bytes, got " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    SecretKeySpec spec() {
        return new SecretKeySpec(bytes, "AES");
    }

    @Override
    public void close() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "Aes256Key[<redacted>]";
    }
}
