package org.crustyclaw.commands.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.crustyclaw.commands.format.UsageCheck;
import org.junit.jupiter.api.Test;

class AgentAreasTest {

    @Test
    void theUsagesDescribeTheCommandsExactly() {
        assertThat(UsageCheck.mismatches(AgentCommands.class, AgentAreas.AGENT)).isEmpty();
        assertThat(UsageCheck.mismatches(TaskCommands.class, AgentAreas.TASKS)).isEmpty();
        assertThat(UsageCheck.mismatches(SkillCommands.class, AgentAreas.SKILLS)).isEmpty();
    }
}
