package org.crustyclaw.api.agent;

import java.util.Locale;

/** Where a task is in its life. Terminal states never change again. */
public enum TaskState {
    QUEUED, RUNNING, WAITING_FOR_APPROVAL, SUCCEEDED, FAILED, CANCELLED,
    /** The loop stopped on a budget or limit and hands the task to a human. */
    ESCALATED;

    /** Whether the task has ended; {@link Tasks#resume} may still continue a failed or escalated one. */
    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == ESCALATED;
    }

    /** The form users read and write: lower case with dashes. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a {@link #label()} or a constant name; throws naming the value otherwise. */
    public static TaskState parse(String text) {
        String key = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (TaskState s : values()) {
            if (s.name().equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown task state '" + text + "': expected one of queued, running,"
                + " waiting-for-approval, succeeded, failed, cancelled, escalated");
    }
}
