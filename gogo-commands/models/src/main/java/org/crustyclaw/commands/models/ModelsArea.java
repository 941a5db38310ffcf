package org.crustyclaw.commands.models;

import java.util.List;

import org.crustyclaw.api.command.AreaUsage;
import org.crustyclaw.api.command.ArgumentUsage;
import org.crustyclaw.api.command.CommandArea;
import org.crustyclaw.api.command.OptionUsage;
import org.crustyclaw.api.command.VerbUsage;
import org.osgi.service.component.annotations.Component;

/** Usage of {@link ModelsCommands}. */
@Component(service = CommandArea.class)
public final class ModelsArea implements CommandArea {

    static final AreaUsage USAGE = new AreaUsage("models", "model providers: which answer and how to configure them", List.of(
            VerbUsage.of("list", "lists the model providers, whether each one's server answers, its models, and what to"
                    + " configure when not", List.of(OptionUsage.JSON), List.of(), "crustyclaw models list --json"),
            VerbUsage.of("chat", "sends one message to a provider and streams its reply; exits 1 when the call fails",
                    List.of(OptionUsage.text("--model", "NAME", "the model (default: the provider's first configured one)"),
                            OptionUsage.integer(List.of("--max-tokens"), "N", "the reply's token budget").withDefault("1024"),
                            OptionUsage.flag("--json", "print JSON: one object per event")),
                    List.of(ArgumentUsage.required("PROVIDER", "the provider, e.g. ollama, openai, anthropic"),
                            ArgumentUsage.rest("TEXT", "the message")),
                    "crustyclaw models chat ollama --model qwen3:8b 'Say hello in five words'")));

    @Override
    public AreaUsage usage() {
        return USAGE;
    }
}
