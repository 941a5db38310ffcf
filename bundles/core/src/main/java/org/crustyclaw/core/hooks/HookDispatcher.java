package org.crustyclaw.core.hooks;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import org.crustyclaw.api.hook.Hook;
import org.crustyclaw.api.hook.HookEvent;
import org.crustyclaw.api.hook.HookResult;
import org.crustyclaw.api.hook.Hooks;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Delivers events to hook services: whiteboard, highest priority first, ties by service id. */
@Component
public final class HookDispatcher implements Hooks {

    private static final System.Logger LOG = System.getLogger(HookDispatcher.class.getName());

    /** A registered hook with what it asked for. Ordered by priority, then registration. */
    record Registration(Hook hook, String name, List<String> patterns, int priority, long serviceId) {

        static final Comparator<Registration> ORDER = Comparator.comparingInt(Registration::priority).reversed()
                .thenComparingLong(Registration::serviceId);

        boolean wants(String type) {
            for (String p : patterns) {
                if (p.equals("*") || p.equals(type) || p.endsWith(".*") && type.startsWith(p.substring(0, p.length() - 1))) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Map<Long, Registration> hooks = new ConcurrentSkipListMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addHook(Hook hook, Map<String, Object> properties) {
        long id = (Long) properties.get(Constants.SERVICE_ID);
        hooks.put(id, new Registration(hook, String.valueOf(properties.getOrDefault("component.name", hook.getClass().getName())),
                patterns(properties.get("crustyclaw.hook.events")), priority(properties.get("crustyclaw.hook.priority")), id));
    }

    void removeHook(Hook hook, Map<String, Object> properties) {
        hooks.remove((Long) properties.get(Constants.SERVICE_ID));
    }

    @Override
    public Outcome fire(HookEvent event) {
        List<Registration> ordered = new ArrayList<>(hooks.values());
        ordered.sort(Registration.ORDER);
        int delivered = 0;
        for (Registration r : ordered) {
            if (!r.wants(event.type())) {
                continue;
            }
            delivered++;
            HookResult result;
            try {
                result = r.hook().onEvent(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "hook " + r.name() + " failed on " + event.type() + "; treated as continue", e);
                continue;
            }
            if (result instanceof HookResult.Veto veto) {
                if (event.vetoable()) {
                    return new Outcome.Vetoed(r.name(), veto.reason());
                }
                LOG.log(Level.WARNING, "hook " + r.name() + " vetoed " + event.type() + ", which cannot be vetoed: " + veto.reason());
            }
        }
        return new Outcome.Delivered(delivered);
    }

    static List<String> patterns(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof String[] a) {
            return List.of(a);
        }
        return List.of();
    }

    static int priority(Object value) {
        return value instanceof Integer i ? i : value instanceof Number n ? n.intValue() : 0;
    }
}
