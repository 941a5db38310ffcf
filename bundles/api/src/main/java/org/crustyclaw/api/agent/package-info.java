/**
 * Agent tasks and skills. A skill (a directory with {@code skill.toml} or a bundle's DS
 * component implementing {@link org.crustyclaw.api.agent.Skill}) describes what an agent may
 * do; every run of one is a durable {@link org.crustyclaw.api.agent.Task} driven through
 * {@link org.crustyclaw.api.agent.Tasks}. The agent bundle implements {@link
 * org.crustyclaw.api.agent.Tasks} and {@link org.crustyclaw.api.agent.Skills}.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("1.0.0")
package org.crustyclaw.api.agent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
