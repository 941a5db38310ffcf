package org.crustyclaw.tools.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.tool.ToolContext;

/** A command run in the task's sandbox, its output collected up to the cap and streamed as progress. */
final class Sandboxed {

    /** What the sandbox sees: no host variables, a fixed PATH, a writable HOME in the workspace's /tmp. */
    static final Map<String, String> ENV = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", "/tmp",
            "LANG", "C.UTF-8", "TERM", "dumb");

    record Ran(ExecResult result, String output) {
        String describe() {
            return switch (result.ending()) {
                case EXITED -> "exit code " + result.exitCode();
                case TIMED_OUT -> "killed: the sandbox's time limit was hit";
                case OUT_OF_MEMORY -> "killed: the sandbox's memory limit was hit";
                case CANCELLED -> "cancelled";
            };
        }
    }

    private Sandboxed() {}

    static Ran run(ToolContext context, List<String> command, Map<String, String> env, boolean stream)
            throws SandboxException {
        Capped out = new Capped(context.maxOutputChars());
        ExecResult r = context.exec(command, env, line -> {
            String text = line.stream() == OutputLine.Stream.STDERR ? "[stderr] " + line.text() : line.text();
            out.line(text);
            if (stream) {
                context.progress(text);
            }
        });
        return new Ran(r, out.text());
    }

    static List<String> with(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all;
    }
}
