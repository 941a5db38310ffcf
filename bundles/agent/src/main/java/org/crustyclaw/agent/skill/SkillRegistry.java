package org.crustyclaw.agent.skill;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.crustyclaw.agent.internal.AgentConfig;
import org.crustyclaw.api.agent.Skill;
import org.crustyclaw.api.agent.SkillManifest;
import org.crustyclaw.api.agent.Skills;
import org.crustyclaw.api.config.ConfigProblem;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Directory skills, read afresh on every look-up (a new or edited {@code skill.toml} counts at
 * once), and bundle skills from the {@link Skill} whiteboard. A bundle skill of the same name
 * as a directory skill wins; two bundle skills of one name: the first registered stays.
 */
@Component(service = Skills.class, configurationPid = AgentConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class SkillRegistry implements Skills {

    private final Path home;
    private final List<Skill> bundleSkills = new CopyOnWriteArrayList<>();
    private volatile List<Path> dirs;

    @Activate
    public SkillRegistry(BundleContext context, AgentConfig config) {
        this(Path.of(Objects.requireNonNullElse(context.getProperty("crustyclaw.home"), ".")), config.skillDirs());
    }

    SkillRegistry(Path home, String[] dirs) {
        this.home = home.toAbsolutePath().normalize();
        configure(dirs);
    }

    @Modified
    void modified(AgentConfig config) {
        configure(config.skillDirs());
    }

    private void configure(String[] names) {
        List<Path> list = new ArrayList<>();
        for (String n : names) {
            list.add(home.resolve(n).normalize());
        }
        this.dirs = List.copyOf(list);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSkill(Skill skill) {
        bundleSkills.add(skill);
    }

    void removeSkill(Skill skill) {
        bundleSkills.remove(skill);
    }

    @Override
    public List<SkillManifest> list() {
        return List.copyOf(scan().skills.values());
    }

    @Override
    public Optional<SkillManifest> find(String name) {
        return Optional.ofNullable(scan().skills.get(name));
    }

    @Override
    public List<ConfigProblem> problems() {
        return scan().problems;
    }

    @Override
    public List<ConfigProblem> validate(Path skill) {
        ManifestReader.Result r = ManifestReader.read(skill);
        if (r instanceof ManifestReader.Rejected rejected) {
            return rejected.problems();
        }
        return nameMatchesDirectory(((ManifestReader.Loaded) r).manifest()).map(List::of).orElse(List.of());
    }

    private record Scan(Map<String, SkillManifest> skills, List<ConfigProblem> problems) {}

    private Scan scan() {
        Map<String, SkillManifest> skills = new TreeMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
                for (Path entry : entries) {
                    if (!Files.exists(entry.resolve(ManifestReader.FILE))) {
                        continue;
                    }
                    ManifestReader.Result r = ManifestReader.read(entry);
                    if (r instanceof ManifestReader.Rejected rejected) {
                        problems.addAll(rejected.problems());
                        continue;
                    }
                    SkillManifest m = ((ManifestReader.Loaded) r).manifest();
                    Optional<ConfigProblem> misnamed = nameMatchesDirectory(m);
                    if (misnamed.isPresent()) {
                        problems.add(misnamed.get());
                    } else {
                        skills.putIfAbsent(m.name(), m);
                    }
                }
            } catch (IOException e) {
                problems.add(new ConfigProblem(dir.toString(), 0, 0, "", "cannot list skills: " + e.getMessage()));
            }
        }
        Map<String, SkillManifest> fromBundles = new TreeMap<>();
        for (Skill s : bundleSkills) {
            try {
                SkillManifest m = s.manifest();
                fromBundles.putIfAbsent(m.name(), m);
            } catch (RuntimeException e) {
                problems.add(new ConfigProblem(s.getClass().getName(), 0, 0, "", "bundle skill failed: " + e.getMessage()));
            }
        }
        skills.putAll(fromBundles);
        return new Scan(skills, List.copyOf(problems));
    }

    /** A directory skill's name is its directory's name, so the two cannot disagree. */
    private static Optional<ConfigProblem> nameMatchesDirectory(SkillManifest m) {
        if (!m.source().startsWith("dir:")) {
            return Optional.empty();
        }
        Path file = Path.of(m.source().substring(4));
        String dir = file.getParent().getFileName().toString();
        if (dir.equals(m.name())) {
            return Optional.empty();
        }
        return Optional.of(new ConfigProblem(file.toString(), 1, 1, "name", "skill name '" + m.name()
                + "' differs from its directory '" + dir + "'"));
    }
}
