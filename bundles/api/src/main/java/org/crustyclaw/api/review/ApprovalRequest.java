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
        Optional<String> detail, Instant created, Instant expires) {

    public ApprovalRequest {
        if (!id.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("approval id '" + id + "' is not 1-64 letters, digits, '_', '.' or '-'");
        }
        if (!expires.isAfter(created)) {
            throw new IllegalArgumentException("approval " + id + " expires (" + expires + ") before it is created (" + created + ")");
        }
    }
}
