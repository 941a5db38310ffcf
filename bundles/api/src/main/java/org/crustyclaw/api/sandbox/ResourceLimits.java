package org.crustyclaw.api.sandbox;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt]?)(i?b)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /**
     * Parses a size as users write it: {@code 512k}, {@code 256m}, {@code 2g}, {@code 1GiB},
     * plain bytes; units are powers of 1024 and case does not matter.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("size '" + text + "' is not a number with an optional unit k, m, g or t"
                    + " (e.g. 256m)");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        long value = Long.parseLong(m.group(1));
        if (value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size '" + text + "' is too large");
        }
        return value << shift;
    }

    /**
     * Parses a duration as users write it: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("duration '" + text + "' is not a number with a unit ms, s, m or h"
                    + " (e.g. 30s)");
        }
        long value = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(value);
            case "s" -> Duration.ofSeconds(value);
            case "m" -> Duration.ofMinutes(value);
            default -> Duration.ofHours(value);
        };
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

    public ResourceLimits withDisk(long bytes) {
        return new ResourceLimits(memoryBytes, cpus, maxProcesses, timeout, bytes);
    }
}
