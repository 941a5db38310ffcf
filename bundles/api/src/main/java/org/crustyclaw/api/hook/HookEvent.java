package org.crustyclaw.api.hook;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Something the runtime is about to do or has done.
 *
 * @param type     dotted lower-case name such as {@code task.created} or {@code sandbox.exec}
 * @param payload  details; values are strings, numbers, booleans, lists or maps, never secrets
 * @param vetoable true when a hook may stop the action ({@code *.before}-style events)
 * @param at       when it happened
 */
public record HookEvent(String type, Map<String, Object> payload, boolean vetoable, Instant at) {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

    public HookEvent {
        payload = Map.copyOf(payload);
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("hook event type '" + type
                    + "' is not dotted lower case like 'task.created'");
        }
    }

    public static HookEvent of(String type, boolean vetoable, Map<String, Object> payload) {
        return new HookEvent(type, payload, vetoable, Instant.now());
    }
}
