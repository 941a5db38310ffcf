package org.crustyclaw.api.policy;

import java.util.Locale;

/** What a rule says about an action. Among rules of equal priority, DENY beats ASK beats ALLOW. */
public enum Effect {
    ALLOW, ASK, DENY;

    /** Parses {@code allow}, {@code ask} or {@code deny}; throws naming the value otherwise. */
    public static Effect parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "allow" -> ALLOW;
            case "ask" -> ASK;
            case "deny" -> DENY;
            default -> throw new IllegalArgumentException("unknown effect '" + text + "': expected allow, deny or ask");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
