package org.crustyclaw.api.egress;

/**
 * Ceilings per session (one sandbox). Beyond the rate or the connection count a request is
 * refused with 429; beyond the bandwidth it is slowed; beyond the total bytes the transfer
 * is cut and later requests are refused.
 *
 * @param requestsPerSecond requests started per second, sustained (bursts up to the same count)
 * @param bytesPerSecond    bytes per second both ways together
 * @param totalBytes        bytes both ways over the session's life
 * @param connections       client connections open at once
 */
public record EgressLimits(int requestsPerSecond, long bytesPerSecond, long totalBytes, int connections) {

    /** 50 requests/s, 50 MiB/s, 1 GiB, 32 connections. */
    public static final EgressLimits DEFAULT = new EgressLimits(50, 50L << 20, 1L << 30, 32);

    public EgressLimits {
        if (requestsPerSecond < 1 || bytesPerSecond < 1 || totalBytes < 1 || connections < 1) {
            throw new IllegalArgumentException("egress limits must all be at least 1: requests_per_second="
                    + requestsPerSecond + ", bytes_per_second=" + bytesPerSecond + ", total_bytes=" + totalBytes
                    + ", connections=" + connections);
        }
    }
}
