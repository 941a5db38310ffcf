package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import org.crustyclaw.itests.Installation.Result;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** A state database that lost a table: status names each service's health, every verb fails in one clear line. */
class BrokenStateTest {

    @Test
    void aMissingTableShowsInStatusAndEveryVerbSaysSoInOneLine() throws Exception {
        try (Installation dist = Installation.create("broken-state")) {
            dist.start();
            Result healthy = dist.run("status", "--json");
            assertThat(healthy.exit()).as("%s", healthy).isZero();
            assertThat(healthy.json().path("healthy").asBoolean()).isTrue();
            assertThat(dist.run("stop").exit()).isZero();

            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dist.state.resolve("crustyclaw.db"));
                    Statement s = c.createStatement()) {
                s.execute("DROP TABLE audit_events");
            }

            Result start = dist.run("start");
            assertThat(start.exit()).as("start says the daemon is not well: %s", start).isEqualTo(1);
            assertThat(start.out()).contains("crustyclaw started");
            assertThat(start.err()).contains("not every service is healthy", "audit_events");

            Result status = dist.run("status");
            assertThat(status.exit()).as("%s", status).isEqualTo(1);
            assertThat(status.out()).contains("UNHEALTHY", "state database:   FAILING:", "lacks its table audit_events",
                    "audit log:        FAILING:");
            JsonNode json = dist.run("status", "--json").json();
            assertThat(json.path("running").asBoolean()).isTrue();
            assertThat(json.path("healthy").asBoolean()).isFalse();
            assertThat(json.path("health").findValuesAsText("service")).contains("state database", "audit log", "approvals");

            for (List<String> verb : List.of(List.of("audit", "tail"), List.of("audit", "verify"), List.of("review", "list"),
                    List.of("secrets", "list"), List.of("policy", "list"))) {
                Result r = dist.run(verb.toArray(String[]::new));
                assertThat(r.exit()).as("%s", r).isEqualTo(1);
                assertThat(r.err().strip().lines()).as("one line: %s", r).hasSize(1);
                assertThat(r.err()).as("%s", r).startsWith("error: ").contains("crustyclaw status")
                        .doesNotContain("Exception", "\tat ", "getClass");
                assertThat(r.out()).as("%s", r).doesNotContain("Exception", "\tat ");
            }
            assertThat(dist.logText()).as("the details are in the log").contains("no such table: audit_events");
        }
    }
}
