package org.crustyclaw.api.config;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A rule that ties values of {@code crustyclaw.toml} together where the metatype of one
 * attribute cannot (one setting is useless, or unsafe, without another). Unlike a
 * {@link ConfigSectionHandler} it owns no section: the metatype check still runs on the keys,
 * and every registered rule is asked after it, by {@code config validate} and before a reload
 * is applied. Register as an OSGi service.
 */
@ConsumerType
public interface ConfigRule {

    /**
     * Checks the file; an empty list when the rule holds.
     *
     * @param file the file name to put in problems
     * @param toml the whole file's text (already known to be valid TOML)
     */
    List<ConfigProblem> check(String file, String toml);
}
