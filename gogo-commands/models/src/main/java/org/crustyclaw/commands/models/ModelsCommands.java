package org.crustyclaw.commands.models;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.model.ModelProvider;
import org.crustyclaw.api.model.ProviderState;
import org.crustyclaw.commands.format.Output;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code models:list}: every installed {@link ModelProvider} (whiteboard), probed at once, with
 * whether its server answers and, when not, why and what to configure.
 */
@Component(service = ModelsCommands.class, property = {"osgi.command.scope=models", "osgi.command.function=list"})
public final class ModelsCommands {

    private final List<ModelProvider> providers = new CopyOnWriteArrayList<>();

    /** One line of {@code models:list}. */
    public record ProviderRow(String provider, boolean reachable, String models, String detail) {}

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(ModelProvider provider) {
        providers.add(provider);
    }

    void removeProvider(ModelProvider provider) {
        providers.remove(provider);
    }

    @Descriptor("lists the model providers, whether each one's server answers, its models, and what to configure when not")
    public void list(@Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true")
            boolean json) {
        list(json, System.out);
    }

    void list(boolean json, PrintStream out) {
        List<ProviderRow> rows = rows(List.copyOf(providers));
        String text = Output.render(rows, json);
        if (!json && rows.isEmpty()) {
            text = "(none): no model provider bundle is installed (org.crustyclaw.provider.*)\n";
        }
        out.print(text.endsWith("\n") ? text : text + "\n");
        out.flush();
    }

    /** Probes all providers in parallel: each probe is bounded by that provider's connect timeout. */
    static List<ProviderRow> rows(List<ModelProvider> providers) {
        List<CompletableFuture<ProviderRow>> probes = providers.stream()
                .map(p -> CompletableFuture.supplyAsync(() -> row(p))).toList();
        return probes.stream().map(CompletableFuture::join).sorted(Comparator.comparing(ProviderRow::provider)).toList();
    }

    static ProviderRow row(ModelProvider p) {
        ProviderState state;
        try {
            state = p.state();
        } catch (RuntimeException e) {
            state = new ProviderState(false, "probe failed: " + e);
        }
        List<String> models = p.models();
        return new ProviderRow(p.name(), state.reachable(), models.isEmpty() ? "(any)" : String.join(", ", models),
                state.detail());
    }
}
