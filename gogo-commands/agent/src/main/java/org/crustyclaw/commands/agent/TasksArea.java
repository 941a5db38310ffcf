package org.crustyclaw.commands.agent;

import org.crustyclaw.api.command.AreaUsage;
import org.crustyclaw.api.command.CommandArea;
import org.osgi.service.component.annotations.Component;

/** Registers the usage {@link AgentAreas#TASKS} with the command catalog. */
@Component(service = CommandArea.class)
public final class TasksArea implements CommandArea {

    @Override
    public AreaUsage usage() {
        return AgentAreas.TASKS;
    }
}
