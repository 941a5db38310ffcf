package org.crustyclaw.api.sandbox;

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
}
