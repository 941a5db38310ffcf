package org.crustyclaw.api.policy;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Decides whether a subject may take an action on a resource, with the policy loaded from
 * {@code [[policy.rules]]} of {@code crustyclaw.toml}. Implemented by the security bundle.
 */
@ProviderType
public interface PolicyEngine {

    /**
     * Decides with the policy in force and records the decision in the audit log before
     * returning it. No matching rule means {@link Effect#DENY} with rule
     * {@link Verdict#DEFAULT_DENY}; when the decision cannot be recorded the answer is
     * {@link Effect#DENY} with rule {@link Verdict#AUDIT_UNAVAILABLE} (fail closed).
     *
     * @param action   dotted action such as {@code sandbox.exec} or {@code tool.call}
     * @param resource dotted resource such as {@code tool.echo}
     */
    Verdict decide(Subject subject, String action, String resource);

    /** The policy in force. */
    Policy current();

    /**
     * Compiles the {@code [[policy.rules]]} of a TOML file without putting it in force,
     * so a policy can be checked in CI without a daemon.
     *
     * @throws PolicyException listing every problem with file, line and reason
     */
    Policy load(Path file) throws PolicyException;

    /**
     * Runs table-driven expectations ({@code [[case]]} tables with {@code role},
     * {@code action}, {@code resource}, optional {@code channel} and {@code tier},
     * {@code expect} = allow|deny|ask and optional {@code rule}) against {@code policy}.
     *
     * @throws PolicyException when the cases file itself is invalid
     */
    List<PolicyCaseResult> test(Path cases, Policy policy) throws PolicyException;
}
