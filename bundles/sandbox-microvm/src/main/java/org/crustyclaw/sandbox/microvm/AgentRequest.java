package org.crustyclaw.sandbox.microvm;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Host-to-guest requests of guest/PROTOCOL.md, each encoded as the text written in one call. */
final class AgentRequest {

    private AgentRequest() {}

    /**
     * {@code RUN ... GO} for one command.
     *
     * @throws IllegalArgumentException for a bad id, an empty command or an environment name with {@code =}
     */
    static String run(String id, List<String> argv, Map<String, String> environment, String cwd, Duration timeout) {
        if (!GuestMessage.ID.matcher(id).matches()) {
            throw new IllegalArgumentException("command id '" + id + "' is not 1-64 of [A-Za-z0-9_.-]");
        }
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("command is empty: give the program to run");
        }
        StringBuilder out = new StringBuilder("RUN ").append(id).append('\n');
        for (String arg : argv) {
            out.append("ARG ").append(b64(arg)).append('\n');
        }
        for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().indexOf('=') >= 0) {
                throw new IllegalArgumentException("environment name '" + e.getKey() + "' is empty or holds '='");
            }
            out.append("ENV ").append(b64(e.getKey() + "=" + e.getValue())).append('\n');
        }
        out.append("CWD ").append(b64(cwd)).append('\n');
        long millis = Math.max(1, Math.min(timeout.toMillis(), 9_999_999_999L));
        out.append("TIMEOUT ").append(millis).append('\n');
        return out.append("GO ").append(id).append('\n').toString();
    }

    static String kill(String id) {
        return "KILL " + id + "\n";
    }

    static String poweroff() {
        return "POWEROFF\n";
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
