package org.crustyclaw.api.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.crustyclaw.api.config.ConfigProblem;
import org.osgi.annotation.versioning.ProviderType;

/** The skills known now: directory skills and bundle skills. Implemented by the agent bundle. */
@ProviderType
public interface Skills {

    /** Every loadable skill, by name. */
    List<SkillManifest> list();

    Optional<SkillManifest> find(String name);

    /** Skill directories that failed to load, each problem with file:line:column. */
    List<ConfigProblem> problems();

    /**
     * Checks a skill directory (or its {@code skill.toml}) without installing it.
     *
     * @return every problem found, empty when the skill loads
     */
    List<ConfigProblem> validate(Path skill);
}
