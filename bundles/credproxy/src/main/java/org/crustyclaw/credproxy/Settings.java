package org.crustyclaw.credproxy;

import java.nio.file.Path;

/**
 * The proxy's own settings (not a policy's).
 *
 * @param runDir              where each session's Unix socket directory is made
 * @param headTimeoutMillis   a request head must be complete this long after the connection opened
 * @param idleTimeoutMillis   a connection on which nothing moves this long is closed
 * @param connectTimeoutMillis how long connecting upstream may take
 * @param maxHeadBytes        largest request or response head
 * @param maxHeaders          most header fields in a head
 * @param maxConnections      connections at once over all sessions (each has its own limit too)
 * @param allowPrivateUpstreams whether names may resolve to loopback, private or link-local addresses
 */
record Settings(Path runDir, long headTimeoutMillis, long idleTimeoutMillis, long connectTimeoutMillis,
        int maxHeadBytes, int maxHeaders, int maxConnections, boolean allowPrivateUpstreams) {

    Settings {
        if (headTimeoutMillis < 1 || idleTimeoutMillis < 1 || connectTimeoutMillis < 1) {
            throw new IllegalArgumentException("egress timeouts must be at least 1 ms: head=" + headTimeoutMillis
                    + ", idle=" + idleTimeoutMillis + ", connect=" + connectTimeoutMillis);
        }
        if (maxHeadBytes < 1024 || maxHeaders < 8 || maxConnections < 1) {
            throw new IllegalArgumentException("egress head limits too small: max_head_bytes=" + maxHeadBytes
                    + " (>= 1024), max_headers=" + maxHeaders + " (>= 8), max_connections=" + maxConnections + " (>= 1)");
        }
    }
}
