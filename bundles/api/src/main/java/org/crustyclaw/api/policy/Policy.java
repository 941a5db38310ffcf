package org.crustyclaw.api.policy;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** A compiled, immutable rule set. Evaluating it records nothing. */
@ProviderType
public interface Policy {

    /** The rules in the order written. */
    List<PolicyRule> rules();

    /** Where the rules came from: a file name, or {@code (empty)} for the default deny-all policy. */
    String source();

    /**
     * Decides without recording: the matching rule of highest priority, deny before ask
     * before allow on ties; {@link Verdict#DEFAULT_DENY} when none matches.
     */
    Verdict evaluate(Subject subject, String action, String resource);
}
