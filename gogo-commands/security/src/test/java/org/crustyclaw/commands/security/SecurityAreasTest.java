package org.crustyclaw.commands.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.crustyclaw.commands.format.UsageCheck;
import org.junit.jupiter.api.Test;

class SecurityAreasTest {

    @Test
    void theUsageDescribesTheCommandsExactly() {
        assertThat(UsageCheck.mismatches(PolicyCommands.class, SecurityAreas.POLICY)).isEmpty();
        assertThat(UsageCheck.mismatches(AuditCommands.class, SecurityAreas.AUDIT)).isEmpty();
        assertThat(UsageCheck.mismatches(ReviewCommands.class, SecurityAreas.REVIEW)).isEmpty();
        assertThat(UsageCheck.mismatches(SecretsCommands.class, SecurityAreas.SECRETS)).isEmpty();
        assertThat(UsageCheck.mismatches(EgressCommands.class, SecurityAreas.EGRESS)).isEmpty();
    }
}
