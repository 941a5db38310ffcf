package org.crustyclaw.commands.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.crustyclaw.commands.format.UsageCheck;
import org.junit.jupiter.api.Test;

class AreasTest {

    @Test
    void theUsageDescribesTheCommandsExactly() {
        assertThat(UsageCheck.mismatches(ConfigCommands.class, ConfigArea.USAGE)).isEmpty();
        assertThat(UsageCheck.mismatches(PluginCommands.class, PluginsArea.USAGE)).isEmpty();
    }

    @Test
    void aDriftingUsageIsFound() {
        assertThat(UsageCheck.mismatches(PluginCommands.class, ConfigArea.USAGE))
                .contains("config show: no public method show in " + PluginCommands.class.getName())
                .contains("config: method install of " + PluginCommands.class.getName() + " has no verb in the usage");
    }
}
