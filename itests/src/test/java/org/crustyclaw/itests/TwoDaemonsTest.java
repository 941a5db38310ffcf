package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import org.crustyclaw.itests.Installation.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two daemons on one machine, each with its own state directory, as two users (or two
 * checkouts) would run them: each gets its own workspace root by default, and when they are
 * pointed at the same one the second says so and takes it over once the first stops, without
 * a restart.
 */
class TwoDaemonsTest {

    Installation first;
    Installation second;
    Path shared;

    @BeforeEach
    void create() throws IOException {
        first = Installation.create("two-a");
        second = Installation.create("two-b");
    }

    @AfterEach
    void stop() throws IOException {
        first.close();
        second.close();
        if (shared != null) {
            try (var files = Files.walk(shared)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Result run(Installation dist, String marker) {
        return dist.run("sandbox", "run", "--backend", "bwrap", "--", "sh", "-c", "echo " + marker + " > out.txt; cat out.txt");
    }

    /** The workspace a run's closing summary names (stderr, {@code workspace: DIR}). */
    private static Path workspaceOf(Result r) {
        return Path.of(r.err().replaceAll("(?s).*\\bworkspace: +(\\S+).*", "$1"));
    }

    @Test
    void eachDaemonMakesWorkspacesInItsOwnRootAndOutlivesTheOther() throws IOException {
        long firstPid = first.start();
        second.start();
        Result a = run(first, "from-a");
        Result b = run(second, "from-b");
        assertThat(a.exit()).as("%s", a).isZero();
        assertThat(b.exit()).as("%s", b).isZero();
        assertThat(a.out()).contains("from-a");
        assertThat(b.out()).contains("from-b");
        JsonNode statusA = first.run("status", "--json").json();
        JsonNode statusB = second.run("status", "--json").json();
        Path rootA = Path.of(statusA.path("workspaces").asText());
        Path rootB = Path.of(statusB.path("workspaces").asText());
        assertThat(rootA).as("%s", statusA).isNotEqualTo(rootB);
        assertThat(rootA.getFileName().toString()).startsWith("crustyclaw-workspaces-");
        assertThat(workspaceOf(a)).startsWith(rootA);
        assertThat(workspaceOf(b)).startsWith(rootB);
        assertThat(Files.readString(workspaceOf(b).resolve("out.txt"))).isEqualTo("from-b\n");
        assertThat(statusB.path("problems").isArray()).as("%s", statusB).isTrue();
        assertThat(statusB.path("problems")).as("%s", statusB).isEmpty();
        assertThat(second.run("sandbox", "list").out()).contains("workspaces: " + rootB + "\n");

        Result stopped = first.run("stop");
        assertThat(stopped.exit()).as("%s", stopped).isZero();
        Installation.await(Duration.ofSeconds(60), () -> Installation.alive(firstPid), alive -> !alive);
        assertThat(Installation.alive(firstPid)).as("the first daemon stopped").isFalse();
        Result again = run(second, "again-b");
        assertThat(again.exit()).as("%s", again).isZero();
        assertThat(again.out()).contains("again-b");
    }

    @Test
    void aDaemonThatFindsTheRootTakenSaysSoAndClaimsItOnceTheOtherStops() throws IOException {
        // under /tmp, not in an installation's private temp directory: the sandbox user must reach it
        shared = Files.createTempDirectory("crustyclaw-it-shared-workspaces-");
        String toml = Files.readString(Installation.HOME.resolve("etc/crustyclaw.toml"))
                .replaceFirst("(?m)^\\[sandbox\\.manager]\n", "[sandbox.manager]\nworkspace_root = \"" + shared + "\"\n");
        first.config(first.write("crustyclaw.toml", toml));
        second.config(second.write("crustyclaw.toml", toml));
        long firstPid = first.start();
        second.start();
        first.config(null); // later verbs ask the daemon
        second.config(null);

        Result owner = run(first, "from-a");
        assertThat(owner.exit()).as("%s", owner).isZero();
        assertThat(workspaceOf(owner)).startsWith(shared);

        Result refused = run(second, "from-b");
        assertThat(refused.exit()).as("%s", refused).isNotZero();
        assertThat(refused.err()).as("%s", refused).contains("workspace root " + shared,
                "in use by another CrustyClaw process (pid " + firstPid + ")", "workspace_root");
        JsonNode status = second.run("status", "--json").json();
        assertThat(status.path("problems").toString()).as("%s", status).contains("in use by another CrustyClaw process");
        Result human = second.run("status");
        assertThat(human.out()).as("%s", human).contains("workspaces: " + shared, "problem:", "pid " + firstPid);
        Result list = second.run("sandbox", "list");
        assertThat(list.out()).as("%s", list).contains("workspaces: " + shared + " (unavailable: ");

        Result stopped = first.run("stop");
        assertThat(stopped.exit()).as("%s", stopped).isZero();
        Installation.await(Duration.ofSeconds(60), () -> Installation.alive(firstPid), alive -> !alive);
        assertThat(Installation.alive(firstPid)).as("the first daemon stopped").isFalse();

        Result claimed = run(second, "from-b");
        assertThat(claimed.exit()).as("the second daemon runs without a restart: %s", claimed).isZero();
        assertThat(claimed.out()).contains("from-b");
        assertThat(workspaceOf(claimed)).startsWith(shared);
        assertThat(second.run("status", "--json").json().path("problems")).isEmpty();
        assertThat(second.run("sandbox", "list").out()).contains("workspaces: " + shared + "\n");
    }
}
