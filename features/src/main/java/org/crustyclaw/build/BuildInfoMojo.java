package org.crustyclaw.build;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Writes version, git commit and build time to a properties file for {@code crustyclaw version}. */
@Mojo(name = "build-info", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class BuildInfoMojo extends AbstractMojo {

    @Parameter(required = true)
    private File outputFile;

    @Parameter(defaultValue = "${project.version}", readonly = true)
    private String version;

    @Parameter(defaultValue = "${project.basedir}", readonly = true)
    private File basedir;

    @Override
    public void execute() throws MojoExecutionException {
        String text = "version=" + version + "\n"
                + "commit=" + commit() + "\n"
                + "buildTime=" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
        try {
            Files.createDirectories(outputFile.toPath().getParent());
            Files.writeString(outputFile.toPath(), text);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + outputFile + ": " + e.getMessage(), e);
        }
    }

    private String commit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").directory(basedir)
                    .redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            boolean done = git.waitFor(10, TimeUnit.SECONDS);
            if (done && git.exitValue() == 0 && out.matches("[0-9a-f]{7,40}")) {
                Process dirty = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no")
                        .directory(basedir).redirectErrorStream(true).start();
                boolean modified = !new String(dirty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).isBlank();
                dirty.waitFor(10, TimeUnit.SECONDS);
                return modified ? out + "-dirty" : out;
            }
            getLog().warn("git rev-parse failed (" + out + "); recording commit as 'unknown'");
        } catch (IOException e) {
            getLog().warn("git not available (" + e.getMessage() + "); recording commit as 'unknown'");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }
}
