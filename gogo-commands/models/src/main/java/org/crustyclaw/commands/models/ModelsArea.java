package org.crustyclaw.commands.models;

import java.util.List;

import org.crustyclaw.api.command.AreaUsage;
import org.crustyclaw.api.command.CommandArea;
import org.crustyclaw.api.command.OptionUsage;
import org.crustyclaw.api.command.VerbUsage;
import org.osgi.service.component.annotations.Component;

/** Usage of {@link ModelsCommands}. */
@Component(service = CommandArea.class)
public final class ModelsArea implements CommandArea {

    static final AreaUsage USAGE = new AreaUsage("models", "model providers: which answer and how to configure them", List.of(
            VerbUsage.of("list", "lists the model providers, whether each one's server answers, its models, and what to"
                    + " configure when not", List.of(OptionUsage.JSON), List.of(), "crustyclaw models list --json")));

    @Override
    public AreaUsage usage() {
        return USAGE;
    }
}
