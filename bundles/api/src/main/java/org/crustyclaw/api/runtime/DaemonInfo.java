package org.crustyclaw.api.runtime;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Facts about the running daemon.
 *
 * @param version     the CrustyClaw version
 * @param commit      the git commit it was built from
 * @param buildTime   when it was built
 * @param javaVersion the JVM it runs on
 * @param pid         its process id
 * @param startedAt   when it started
 * @param stateDir    its state directory
 * @param configFile  the configuration file in force
 */
public record DaemonInfo(String version, String commit, String buildTime, String javaVersion, long pid,
        Instant startedAt, Path stateDir, Path configFile) {}
