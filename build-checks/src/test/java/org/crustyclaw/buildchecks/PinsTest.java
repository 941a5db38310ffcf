package org.crustyclaw.buildchecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checksum pins (.mvn/checksums, checked by Maven's resolver as .mvn/maven.config sets it up)
 * and the enforcer rules fail a build the way docs/supply-chain.md says. Each case builds a
 * one-dependency project that inherits the real parent POM and copies the real .mvn/maven.config
 * and pins, with the real Maven of ./mvnw; its local repository is a fresh one in front of this
 * build's own (read-only, Maven's tail repository), so a changed file never reaches the real one.
 */
class PinsTest {

    static final Path ROOT = RepositoryTestSourcesTest.ROOT;
    static final Path BUILD_REPO = Path.of(System.getProperty("crustyclaw.localRepository",
            System.getProperty("user.home") + "/.m2/repository"));
    static final String DEPENDENCY = "org/osgi/osgi.annotation/8.1.0/osgi.annotation-8.1.0.jar";

    @TempDir
    Path dir;
    Path project;
    Path repo;

    @BeforeEach
    void project() throws IOException {
        project = Files.createDirectories(dir.resolve("probe"));
        repo = Files.createDirectories(dir.resolve("repo"));
        Files.createDirectories(project.resolve(".mvn/checksums"));
        Files.copy(ROOT.resolve(".mvn/maven.config"), project.resolve(".mvn/maven.config"));
        Files.copy(ROOT.resolve(".mvn/checksums/checksums.sha256"), project.resolve(".mvn/checksums/checksums.sha256"));
        assertThat(BUILD_REPO.resolve(DEPENDENCY)).as("this build resolved %s", DEPENDENCY).isRegularFile();
    }

    void pom(String dependency) throws IOException {
        Files.writeString(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <parent>
                    <groupId>org.crustyclaw</groupId><artifactId>crustyclaw-parent</artifactId><version>0.1.0-SNAPSHOT</version>
                    <relativePath>%s</relativePath>
                  </parent>
                  <artifactId>pins-probe</artifactId>
                  <dependencies>%s</dependencies>
                </project>
                """.formatted(ROOT.resolve("pom.xml"), dependency));
    }

    static final String OSGI_ANNOTATION =
            "<dependency><groupId>org.osgi</groupId><artifactId>osgi.annotation</artifactId><version>8.1.0</version></dependency>";

    record Build(int exit, String log) {}

    Build build() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("mvnw").toString(), "-B", "-ntp", "-f",
                project.resolve("pom.xml").toString(), "-Dmaven.repo.local=" + repo, "-Dmaven.repo.local.tail=" + BUILD_REPO,
                "compile"));
        Path log = dir.resolve("build.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the probe build hung: " + Files.readString(log));
        }
        return new Build(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void aPinnedDependencyBuilds() throws Exception {
        pom(OSGI_ANNOTATION);
        Build b = build();
        assertThat(b.exit()).as(b.log()).isZero();
        assertThat(b.log()).contains("trusted checksums from " + project.resolve(".mvn/checksums/checksums.sha256"));
    }

    @Test
    void aDependencyChangedInTheLocalRepositoryFailsNamingIt() throws Exception {
        pom(OSGI_ANNOTATION);
        Path changed = Files.createDirectories(repo.resolve(DEPENDENCY).getParent()).resolve(Path.of(DEPENDENCY).getFileName());
        Files.copy(BUILD_REPO.resolve(DEPENDENCY), changed);
        Files.write(changed, new byte[] {0}, StandardOpenOption.APPEND);
        Build b = build();
        assertThat(b.exit()).as(b.log()).isNotZero();
        assertThat(b.log()).contains("Artifact org.osgi:osgi.annotation:jar:8.1.0 trusted checksum mismatch");
    }

    @Test
    void anArtifactMissingFromThePinsFails() throws Exception {
        pom(OSGI_ANNOTATION);
        Path pins = project.resolve(".mvn/checksums/checksums.sha256");
        String without = Files.readAllLines(pins).stream().filter(l -> !l.endsWith(DEPENDENCY))
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(pins, without);
        Build b = build();
        assertThat(b.exit()).as(b.log()).isNotZero();
        assertThat(b.log()).contains("Missing from summaryFile trusted checksum(s) [SHA-256] for artifact org.osgi:osgi.annotation:jar:8.1.0");
    }

    @Test
    void aSnapshotFromOutsideTheProjectFails() throws Exception {
        Path snapshot = Files.createDirectories(repo.resolve("org/example/outside/1.0-SNAPSHOT"));
        Files.writeString(snapshot.resolve("outside-1.0-SNAPSHOT.pom"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
                <groupId>org.example</groupId><artifactId>outside</artifactId><version>1.0-SNAPSHOT</version></project>
                """);
        Files.write(snapshot.resolve("outside-1.0-SNAPSHOT.jar"), new byte[0]);
        pom(OSGI_ANNOTATION + "<dependency><groupId>org.example</groupId><artifactId>outside</artifactId>"
                + "<version>1.0-SNAPSHOT</version></dependency>");
        Build b = build();
        assertThat(b.exit()).as(b.log()).isNotZero();
        assertThat(b.log()).contains("BanDynamicVersions").contains("org.example:outside:jar:1.0-SNAPSHOT");
    }
}
