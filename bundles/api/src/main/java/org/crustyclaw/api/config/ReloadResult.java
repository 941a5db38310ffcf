package org.crustyclaw.api.config;

import java.util.List;

/** What a reload did. A rejected reload leaves the previous configuration in force. */
public sealed interface ReloadResult {

    /** The file was valid; {@code changed} lists the sections whose configuration changed. */
    record Applied(List<String> changed) implements ReloadResult {
        public Applied {
            changed = List.copyOf(changed);
        }
    }

    /** The file was invalid; nothing changed. */
    record Rejected(List<ConfigProblem> problems) implements ReloadResult {
        public Rejected {
            problems = List.copyOf(problems);
        }
    }
}
