package org.crustyclaw.api.hook;

/** What a hook answers. A veto on an event that is not vetoable is recorded and ignored. */
public sealed interface HookResult {

    HookResult CONTINUE = new Continue();

    record Continue() implements HookResult {}

    record Veto(String reason) implements HookResult {
        public Veto {
            if (reason.isBlank()) {
                throw new IllegalArgumentException("a veto needs a reason");
            }
        }
    }
}
