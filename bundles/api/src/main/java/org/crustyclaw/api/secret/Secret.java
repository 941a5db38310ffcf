package org.crustyclaw.api.secret;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A secret value held as bytes, never as a {@link String}. {@link #toString()} is always
 * redacted and {@link #close()} zeroes the bytes; using a closed secret throws.
 */
public final class Secret implements AutoCloseable {

    public static final String REDACTED = "<redacted>";

    private final String name;
    private final byte[] value;
    private volatile boolean closed;

    /** Copies {@code value}; the caller should zero its own copy. */
    public Secret(String name, byte[] value) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("secret name is blank");
        }
        this.name = name;
        this.value = value.clone();
    }

    public static Secret ofUtf8(String name, char[] chars) {
        var buffer = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(chars));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        Arrays.fill(buffer.array(), (byte) 0);
        try {
            return new Secret(name, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    public String name() {
        return name;
    }

    /** The name, for bean-style serializers (Jackson) and renderers. */
    public String getName() {
        return name;
    }

    /**
     * Always {@value #REDACTED}: what bean-style serializers (Jackson) and reflective renderers
     * see in place of the value. Use {@link #reveal()} for the bytes.
     */
    public String getValue() {
        return REDACTED;
    }

    /** A copy of the bytes; zero it when done. */
    public byte[] reveal() {
        if (closed) {
            throw new IllegalStateException("secret '" + name + "' is closed");
        }
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        Arrays.fill(value, (byte) 0);
    }

    @Override
    public String toString() {
        return "Secret[" + name + "=" + REDACTED + "]";
    }
}
