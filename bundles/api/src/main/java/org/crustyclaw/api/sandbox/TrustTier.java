package org.crustyclaw.api.sandbox;

import java.util.Locale;

/** Who wrote the code that is about to run, and so how strongly it must be isolated. */
public enum TrustTier {
    /** Operator-written skills. */
    TRUSTED(IsolationLevel.L1),
    /** Vetted team skills. */
    INTERNAL(IsolationLevel.L2),
    /** Third-party code. */
    UNTRUSTED(IsolationLevel.L3),
    /** Code a model wrote. */
    LLM_GENERATED(IsolationLevel.L3);

    private final IsolationLevel required;

    TrustTier(IsolationLevel required) {
        this.required = required;
    }

    /** The weakest isolation this tier may run under by default. */
    public IsolationLevel requiredLevel() {
        return required;
    }

    /**
     * Parses {@code trusted}, {@code internal}, {@code untrusted} or {@code llm-generated}
     * (case and {@code -}/{@code _} do not matter).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static TrustTier parse(String text) {
        String key = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (TrustTier tier : values()) {
            if (tier.name().equals(key)) {
                return tier;
            }
        }
        throw new IllegalArgumentException("unknown trust tier '" + text
                + "': expected one of trusted, internal, untrusted, llm-generated");
    }

    /** The form users write: lower case with dashes. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
