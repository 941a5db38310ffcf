package org.crustyclaw.api.review;

import org.osgi.annotation.versioning.ConsumerType;

/** An automated check over a run's artifacts: lint, tests, coverage, policy, secrets. */
@ConsumerType
public interface ReviewGate {

    String name();

    GateResult evaluate(Artifacts artifacts);
}
