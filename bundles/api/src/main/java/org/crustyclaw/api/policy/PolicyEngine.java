package org.crustyclaw.api.policy;

import org.osgi.annotation.versioning.ProviderType;

/** Decides whether a subject may take an action on a resource. Implemented by the security bundle. */
@ProviderType
public interface PolicyEngine {

    /**
     * Decides, records the decision in the audit log and returns it. No matching rule
     * means {@link Effect#DENY} with rule {@link Verdict#DEFAULT_DENY}.
     *
     * @param action   dotted action such as {@code sandbox.exec} or {@code tool.call}
     * @param resource dotted resource such as {@code tool.echo}
     */
    Verdict decide(Subject subject, String action, String resource);
}
