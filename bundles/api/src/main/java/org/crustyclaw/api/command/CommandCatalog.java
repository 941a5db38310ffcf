package org.crustyclaw.api.command;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Every registered {@link CommandArea}, as the core collected them. */
@ProviderType
public interface CommandCatalog {

    /** The areas, by name. */
    List<AreaUsage> areas();

    Optional<AreaUsage> area(String name);

    /**
     * Checks the arguments of {@code area verb} (the words after the verb) against its usage.
     *
     * @return the problem as a user reads it (what is wrong, naming the option and the value,
     *         then the verb's usage line), or empty when they fit or the verb is not catalogued
     */
    Optional<String> check(String area, String verb, List<String> arguments);
}
