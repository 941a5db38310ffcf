package org.crustyclaw.api.config;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Owns a top-level table of {@code crustyclaw.toml} whose shape ConfigAdmin cannot hold
 * (arrays of tables such as {@code [[policy.rules]]}). The config bundle hands the whole
 * file to every handler on validation and reload; a reload is applied only when no
 * handler and no metatype check found a problem, so the old configuration stays in force
 * otherwise. Register as an OSGi service.
 */
@ConsumerType
public interface ConfigSectionHandler {

    /** The top-level table this handler owns, e.g. {@code policy}. */
    String section();

    /**
     * Checks the section without applying it.
     *
     * @param file the file name to put in problems
     * @param toml the whole file's text (already known to be valid TOML)
     */
    List<ConfigProblem> check(String file, String toml);

    /** Applies a section that {@link #check} accepted. Absent section means defaults. */
    void apply(String file, String toml);
}
