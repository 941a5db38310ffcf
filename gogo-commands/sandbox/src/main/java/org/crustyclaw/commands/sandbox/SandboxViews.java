package org.crustyclaw.commands.sandbox;

import java.time.Duration;
import java.util.List;

import org.crustyclaw.api.sandbox.BackendStatus;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.PoolStats;
import org.crustyclaw.api.sandbox.Sandboxes;

/** The shapes the sandbox commands print: each a record, so the human table and the JSON agree. */
public final class SandboxViews {

    private SandboxViews() {}

    /** One line of {@code sandbox:list}. */
    public record BackendRow(String name, String level, boolean available, String reason) {
        static BackendRow of(BackendStatus b) {
            return new BackendRow(b.name(), b.level().name(), b.available(), b.unavailableBecause().orElse(""));
        }
    }

    /** One line of {@code sandbox:pool}. */
    public record PoolRow(String image, String level, String backend, int size, int idle, int starting, int inUse,
            long handedOut, int refillsPerMinute, String acquireP50, String acquireP99, String lastError) {
        static PoolRow of(PoolStats p) {
            return new PoolRow(p.image(), p.level().name(), p.backend(), p.size(), p.idle(), p.starting(), p.inUse(),
                    p.handedOut(), p.refillsPerMinute(), millis(p.acquireP50Millis()), millis(p.acquireP99Millis()),
                    p.lastError());
        }

        private static String millis(double ms) {
            return String.format(java.util.Locale.ROOT, "%.1fms", ms);
        }
    }

    /** One output line in {@code --json} mode. */
    public record LineRow(String stream, String text) {
        static LineRow of(OutputLine line) {
            return new LineRow(line.stream().name().toLowerCase(java.util.Locale.ROOT), line.text());
        }
    }

    /** How a run ended. */
    public record RunView(String backend, String level, String workspace, boolean pooled, String ending, int exitCode,
            Duration elapsed, long peakMemoryBytes, List<String> notes) {
        static RunView of(Sandboxes.Ran ran) {
            return new RunView(ran.backend(), ran.level().name(), ran.workspace().toString(), ran.pooled(),
                    ran.result().ending().name(), ran.result().exitCode(), ran.result().elapsed(),
                    ran.result().peakMemoryBytes(), ran.notes());
        }
    }

    /** Why a run was refused, and what was installed. */
    public record RefusalView(String refused, List<BackendRow> installed) {
        static RefusalView of(Sandboxes.Refusal refusal) {
            return new RefusalView(refusal.reason(), refusal.installed().stream().map(BackendRow::of).toList());
        }
    }
}
