package org.crustyclaw.commands.format;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.command.AreaUsage;
import org.crustyclaw.api.command.OptionUsage;
import org.crustyclaw.api.command.VerbUsage;

/**
 * For a command bundle's tests: where an area's usage and the Gogo command class it
 * describes disagree (a verb without a method, a method without a verb, an option spelled
 * differently). Help and the admin socket's argument check rely on the usage being true.
 */
public final class UsageCheck {

    private UsageCheck() {}

    /** Each disagreement as a sentence; empty when {@code usage} describes {@code commands} exactly. */
    public static List<String> mismatches(Class<?> commands, AreaUsage usage) {
        List<String> problems = new ArrayList<>();
        Set<String> methods = new TreeSet<>();
        for (Method m : commands.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()) {
                methods.add(m.getName());
            }
        }
        for (VerbUsage verb : usage.verbs()) {
            if (!methods.remove(verb.name())) {
                problems.add(usage.name() + " " + verb.name() + ": no public method " + verb.name() + " in " + commands.getName());
                continue;
            }
            Set<String> declared = new TreeSet<>();
            for (Method m : commands.getDeclaredMethods()) {
                if (m.getName().equals(verb.name()) && Modifier.isPublic(m.getModifiers())) {
                    for (var annotations : m.getParameterAnnotations()) {
                        for (var a : annotations) {
                            if (a instanceof Parameter p) {
                                declared.addAll(List.of(p.names()));
                            }
                        }
                    }
                }
            }
            Set<String> catalogued = new TreeSet<>();
            verb.options().stream().map(OptionUsage::names).forEach(catalogued::addAll);
            if (!declared.equals(catalogued)) {
                problems.add(usage.name() + " " + verb.name() + ": the method takes " + declared + ", the usage lists " + catalogued);
            }
        }
        methods.forEach(m -> problems.add(usage.name() + ": method " + m + " of " + commands.getName() + " has no verb in the usage"));
        return problems;
    }
}
