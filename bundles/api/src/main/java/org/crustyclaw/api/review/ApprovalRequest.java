package org.crustyclaw.api.review;

import java.time.Instant;
import java.util.Optional;

/**
 * An action waiting for a human.
 *
 * @param id          unique, short enough to type
 * @param what        the action, e.g. {@code sandbox.exec rm -rf build}
 * @param why         the reason it needs approval
 * @param requestedBy the principal whose action waits
 * @param rule        the policy rule that asked
 * @param detail      a diff or command to show the approver
 * @param created     when it was asked
 * @param expires     when it is rejected automatically
 */
public record ApprovalRequest(String id, String what, String why, String requestedBy, String rule,
        Optional<String> detail, Instant created, Instant expires) {}
