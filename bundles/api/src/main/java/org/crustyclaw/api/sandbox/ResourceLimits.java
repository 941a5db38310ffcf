package org.crustyclaw.api.sandbox;

import java.time.Duration;

/**
 * Ceilings a backend enforces on one sandbox. A limit that is hit ends the run with
 * the matching {@link ExecResult.Ending}; it is never silently ignored.
 *
 * @param memoryBytes  memory for the whole process tree, at least 16 MiB
 * @param cpus         CPU share in cores, above 0
 * @param maxProcesses processes and threads, at least 1
 * @param timeout      wall-clock ceiling for the whole process tree, positive
 * @param diskBytes    size of the writable scratch space, at least 1 MiB
 */
public record ResourceLimits(long memoryBytes, double cpus, int maxProcesses, Duration timeout, long diskBytes) {

    public static final ResourceLimits DEFAULT =
            new ResourceLimits(256L << 20, 1.0, 128, Duration.ofMinutes(5), 512L << 20);

    public ResourceLimits {
        if (memoryBytes < 16L << 20) {
            throw new IllegalArgumentException("memory limit below 16 MiB: " + memoryBytes + " bytes");
        }
        if (!(cpus > 0) || cpus > 1024) {
            throw new IllegalArgumentException("cpus must be above 0 and at most 1024: " + cpus);
        }
        if (maxProcesses < 1) {
            throw new IllegalArgumentException("process limit must be at least 1: " + maxProcesses);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (diskBytes < 1L << 20) {
            throw new IllegalArgumentException("disk limit below 1 MiB: " + diskBytes + " bytes");
        }
    }

    public ResourceLimits withMemory(long bytes) {
        return new ResourceLimits(bytes, cpus, maxProcesses, timeout, diskBytes);
    }

    public ResourceLimits withTimeout(Duration ceiling) {
        return new ResourceLimits(memoryBytes, cpus, maxProcesses, ceiling, diskBytes);
    }

    public ResourceLimits withMaxProcesses(int count) {
        return new ResourceLimits(memoryBytes, cpus, count, timeout, diskBytes);
    }
}
