package org.crustyclaw.api.sandbox;

import java.util.Locale;

/** How strongly a sandbox separates its code from the host, weakest first. */
public enum IsolationLevel {
    /** A container or namespaces sharing the host kernel (Docker with runc, bubblewrap). */
    L1,
    /** A user-space kernel (gVisor) or hardened namespaces with a seccomp filter. */
    L2,
    /** A virtual machine with its own kernel (QEMU microVM, Firecracker). */
    L3;

    public boolean atLeast(IsolationLevel other) {
        return compareTo(other) >= 0;
    }

    /**
     * Parses {@code L1}, {@code L2} or {@code L3} (case does not matter).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static IsolationLevel parse(String text) {
        String key = text.trim().toUpperCase(Locale.ROOT);
        for (IsolationLevel level : values()) {
            if (level.name().equals(key)) {
                return level;
            }
        }
        throw new IllegalArgumentException("unknown isolation level '" + text + "': expected L1, L2 or L3");
    }
}
