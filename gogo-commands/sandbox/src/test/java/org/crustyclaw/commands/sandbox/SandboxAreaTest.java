package org.crustyclaw.commands.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.crustyclaw.commands.format.UsageCheck;
import org.junit.jupiter.api.Test;

class SandboxAreaTest {

    @Test
    void theUsageDescribesTheCommandsExactly() {
        assertThat(UsageCheck.mismatches(SandboxCommands.class, SandboxArea.USAGE)).isEmpty();
    }
}
