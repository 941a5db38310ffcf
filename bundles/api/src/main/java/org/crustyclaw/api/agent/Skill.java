package org.crustyclaw.api.agent;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A skill shipped in a bundle: register a DS component implementing it and the skill is
 * available while the bundle runs (hot-deployed through {@code deploy/}). Directory skills
 * ({@code skills/NAME/skill.toml}) need no code.
 */
@ConsumerType
public interface Skill {

    /** The manifest; its {@code source} should be {@code bundle:<symbolic name>}. */
    SkillManifest manifest();
}
