package org.crustyclaw.commands.tools;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A configuration annotation with its defaults, some overridden, as SCR would hand it over. */
final class Defaults {

    private Defaults() {}

    static <A> A of(Class<A> type, Map<String, Object> overrides) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> type.getSimpleName() + overrides;
                    case "hashCode" -> overrides.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> overrides.getOrDefault(method.getName(), method.getDefaultValue());
                }));
    }
}
