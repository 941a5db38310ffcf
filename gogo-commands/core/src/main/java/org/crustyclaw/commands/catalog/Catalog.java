package org.crustyclaw.commands.catalog;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.crustyclaw.api.command.AreaUsage;
import org.crustyclaw.api.command.CommandArea;
import org.crustyclaw.api.command.CommandCatalog;
import org.crustyclaw.api.command.VerbUsage;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** The {@link CommandCatalog}: every {@link CommandArea} service, read each time it is asked. */
@Component(service = CommandCatalog.class)
public final class Catalog implements CommandCatalog {

    private static final System.Logger LOG = System.getLogger(Catalog.class.getName());

    private final Map<CommandArea, Boolean> areas = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addArea(CommandArea area) {
        areas.put(area, Boolean.TRUE);
    }

    void removeArea(CommandArea area) {
        areas.remove(area);
    }

    @Override
    public List<AreaUsage> areas() {
        return areas.keySet().stream().flatMap(a -> usage(a).stream()).sorted(Comparator.comparing(AreaUsage::name)).toList();
    }

    @Override
    public Optional<AreaUsage> area(String name) {
        return areas().stream().filter(a -> a.name().equals(name)).findFirst();
    }

    @Override
    public Optional<String> check(String area, String verb, List<String> arguments) {
        Optional<VerbUsage> usage = area(area).flatMap(a -> a.verb(verb));
        return usage.flatMap(v -> ArgumentCheck.problem(v, arguments).map(p -> UsageText.error(area, v, p)));
    }

    /** A plugin's area that throws is left out (and logged), not allowed to break help for the others. */
    private static Optional<AreaUsage> usage(CommandArea area) {
        try {
            return Optional.of(area.usage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "command area " + area.getClass().getName() + " has no usable usage: " + e.getMessage());
            return Optional.empty();
        }
    }
}
