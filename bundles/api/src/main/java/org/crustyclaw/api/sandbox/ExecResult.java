package org.crustyclaw.api.sandbox;

import java.time.Duration;

/**
 * How a sandboxed process ended. A limit that was hit is an outcome, not an exception.
 *
 * @param exitCode        the exit status, or -1 when the process did not exit by itself
 * @param ending          why it ended
 * @param elapsed         wall-clock time from start to end
 * @param peakMemoryBytes the highest memory use observed, 0 when the backend cannot tell
 */
public record ExecResult(int exitCode, Ending ending, Duration elapsed, long peakMemoryBytes) {

    public enum Ending {
        /** The process exited by itself; see the exit code. */
        EXITED,
        /** The wall-clock limit was hit and the whole tree was killed. */
        TIMED_OUT,
        /** The memory limit was hit and the process was killed. */
        OUT_OF_MEMORY,
        /** The daemon cancelled the run (SIGTERM, then SIGKILL after a grace period). */
        CANCELLED
    }

    public boolean succeeded() {
        return ending == Ending.EXITED && exitCode == 0;
    }
}
