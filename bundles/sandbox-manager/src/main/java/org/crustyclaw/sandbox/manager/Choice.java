package org.crustyclaw.sandbox.manager;

import java.util.List;

import org.crustyclaw.api.sandbox.BackendStatus;
import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.Sandboxes.Chosen;
import org.crustyclaw.api.sandbox.Sandboxes.Refusal;
import org.crustyclaw.api.sandbox.Sandboxes.Selection;

/**
 * What the selector found. The backend service itself stays inside the manager, which runs
 * it only after its policy and audit checks; callers of {@code select} get a {@link Chosen}
 * with its status, name and level.
 */
sealed interface Choice permits Choice.Backend, Choice.Refused {

    /** The answer callers see. */
    Selection selection();

    record Backend(SandboxBackend backend, IsolationLevel required) implements Choice {
        @Override
        public Selection selection() {
            return new Chosen(BackendStatus.of(backend), required);
        }
    }

    record Refused(Refusal refusal) implements Choice {
        @Override
        public Selection selection() {
            return refusal;
        }
    }

    static Refused refused(String reason, List<SandboxBackend> backends) {
        return new Refused(Selector.refuse(reason, backends));
    }
}
