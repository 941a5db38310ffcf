package org.crustyclaw.build;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * Lays out the bundles of the feature files: each bundle is taken from the reactor when it
 * is one of ours, from the Maven repositories otherwise, copied into {@code bundleDirectory},
 * and listed with its start order in {@code bundles.list}, which the launcher reads. The
 * feature files themselves are copied beside it so the daemon can report them.
 */
@Mojo(name = "assemble", defaultPhase = LifecyclePhase.PREPARE_PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class AssembleMojo extends AbstractMojo {

    @Parameter(required = true)
    private File featuresDirectory;

    /** The feature files to lay out, by file name; all *.json files when empty. */
    @Parameter
    private List<String> features = new ArrayList<>();

    @Parameter(required = true)
    private File bundleDirectory;

    /** Where to write the CycloneDX SBOM of the bundles and of the runtime dependencies (lib/); none when unset. */
    @Parameter
    private File sbomFile;

    @Parameter(defaultValue = "${project}", readonly = true)
    private MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true)
    private MavenSession session;

    @Component
    private RepositorySystem repositorySystem;

    @Override
    public void execute() throws MojoExecutionException {
        try {
            Path out = bundleDirectory.toPath();
            Files.createDirectories(out);
            Map<String, String> properties = new HashMap<>();
            project.getProperties().forEach((k, v) -> properties.put(k.toString(), v.toString()));
            properties.put("project.version", project.getVersion());
            Map<String, Feature.Bundle> all = new LinkedHashMap<>();
            for (Path file : selected()) {
                Feature feature = Feature.read(file, properties);
                getLog().info("feature " + feature.id() + ": " + feature.bundles().size() + " bundles");
                for (Feature.Bundle b : feature.bundles()) {
                    Feature.Bundle earlier = all.putIfAbsent(b.groupId() + ":" + b.artifactId(), b);
                    if (earlier != null && !earlier.equals(b)) {
                        throw new MojoExecutionException(file + ": " + b.coordinates() + " start-order " + b.startOrder()
                                + " conflicts with " + earlier.coordinates() + " start-order " + earlier.startOrder()
                                + " in another feature");
                    }
                }
                Files.copy(file, out.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            StringBuilder list = new StringBuilder("# start-order file (written by crustyclaw-feature:assemble)\n");
            List<Sbom.Component> shipped = new ArrayList<>();
            List<Feature.Bundle> ordered = new ArrayList<>(all.values());
            ordered.sort(Comparator.comparingInt(Feature.Bundle::startOrder).thenComparing(Feature.Bundle::artifactId));
            for (Feature.Bundle b : ordered) {
                Path jar = resolve(b);
                Files.copy(jar, out.resolve(b.fileName()), StandardCopyOption.REPLACE_EXISTING);
                shipped.add(new Sbom.Component(b.groupId(), b.artifactId(), b.version(), jar, "bundle"));
                list.append(b.startOrder()).append(' ').append(b.fileName()).append('\n');
            }
            Files.writeString(out.resolve("bundles.list"), list);
            List<Path> bundleJars = new ArrayList<>();
            for (Feature.Bundle b : ordered) {
                bundleJars.add(out.resolve(b.fileName()));
            }
            List<Path> libJars = new ArrayList<>();
            for (org.apache.maven.artifact.Artifact a : project.getArtifacts()) {
                if (a.getArtifactHandler().isAddedToClasspath() && !"provided".equals(a.getScope()) && !"test".equals(a.getScope())) {
                    libJars.add(a.getFile().toPath());
                }
            }
            checkClasses(bundleJars, libJars);
            if (sbomFile != null) {
                for (org.apache.maven.artifact.Artifact a : project.getArtifacts()) {
                    if (a.getArtifactHandler().isAddedToClasspath() && !"provided".equals(a.getScope()) && !"test".equals(a.getScope())) {
                        shipped.add(new Sbom.Component(a.getGroupId(), a.getArtifactId(), a.getVersion(), a.getFile().toPath(), "lib"));
                    }
                }
                Sbom.write(sbomFile.toPath(), "crustyclaw", project.getVersion(), shipped);
                getLog().info("SBOM: " + shipped.size() + " components in " + sbomFile);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    /** Fails on a class of an exported package two bundles hold, a class two lib/ jars hold, and class files newer than Java 17. */
    private void checkClasses(List<Path> bundleJars, List<Path> libJars) throws IOException, MojoExecutionException {
        List<String> problems = new ArrayList<>();
        ShippedClasses.duplicateBundleClasses(bundleJars).forEach(p -> problems.add("duplicate class in bundle/: " + p));
        ShippedClasses.duplicates(libJars).forEach(p -> problems.add("duplicate class in lib/: " + p));
        for (Path jar : bundleJars) {
            problems.addAll(ShippedClasses.newerThan(jar, ShippedClasses.JAVA_17));
        }
        for (Path jar : libJars) {
            problems.addAll(ShippedClasses.newerThan(jar, ShippedClasses.JAVA_17));
        }
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 50);
            throw new MojoExecutionException(problems.size() + " problem(s) with the classes the distribution ships:\n  "
                    + String.join("\n  ", problems.subList(0, shown)) + (shown < problems.size() ? "\n  ..." : ""));
        }
        getLog().info("classes checked: no duplicates in " + bundleJars.size() + " bundles and " + libJars.size()
                + " lib/ jars, none newer than Java 17");
    }

    private List<Path> selected() throws IOException, MojoExecutionException {
        List<Path> found = Feature.list(featuresDirectory.toPath());
        if (features.isEmpty()) {
            return found;
        }
        List<Path> chosen = new ArrayList<>();
        for (String name : features) {
            Path file = featuresDirectory.toPath().resolve(name);
            if (!found.contains(file)) {
                throw new MojoExecutionException("feature file " + file + " not found; present: " + found);
            }
            chosen.add(file);
        }
        return chosen;
    }

    private Path resolve(Feature.Bundle b) throws MojoExecutionException {
        for (MavenProject p : session.getProjects()) {
            if (p.getGroupId().equals(b.groupId()) && p.getArtifactId().equals(b.artifactId())
                    && p.getVersion().equals(b.version())) {
                File file = p.getArtifact().getFile();
                if (file == null || !file.isFile()) {
                    throw new MojoExecutionException(b.coordinates() + " is in this build but not packaged yet: "
                            + "build the whole reactor (mvn package from the top), not this module alone");
                }
                return file.toPath();
            }
        }
        try {
            var request = new ArtifactRequest(new DefaultArtifact(b.coordinates()), project.getRemoteProjectRepositories(), null);
            return repositorySystem.resolveArtifact(session.getRepositorySession(), request).getArtifact().getFile().toPath();
        } catch (ArtifactResolutionException e) {
            throw new MojoExecutionException("cannot resolve bundle " + b.coordinates() + ": " + e.getMessage(), e);
        }
    }
}
