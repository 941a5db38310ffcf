package org.crustyclaw.api.tool;

/**
 * What a tool's call can change, as the agent loop and the policy engine see it.
 *
 * <p>The loop sends every {@link #EXTERNAL} call through the policy with {@code tainted=true}
 * when untrusted content (a tool result, a fetched page, a file of the repository) is in the
 * conversation, so a rule can ask a human for exactly those calls.
 */
public enum SideEffects {
    /** Reads only: a file read, a listing, a search, {@code git status}. */
    NONE,
    /** Changes files inside the task's workspace and nothing else: a write, a diff, a commit. */
    WORKSPACE,
    /** Reaches outside the workspace: egress, {@code git push}, a secret's use, a message to someone. */
    EXTERNAL
}
