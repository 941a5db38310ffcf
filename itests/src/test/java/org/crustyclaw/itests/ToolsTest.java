package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in tools in the running distribution, tried through {@code crustyclaw tools}. */
class ToolsTest {

    static Installation dist;

    @BeforeAll
    static void start() throws IOException {
        dist = Installation.create("tools");
        dist.start();
    }

    @AfterAll
    static void stop() {
        dist.close();
    }

    @Test
    void everyBuiltInToolIsInstalled() {
        var result = dist.run("tools", "list", "--json");
        assertThat(result.exit()).as(result.toString()).isZero();
        List<String> names = new ArrayList<>();
        for (JsonNode row : result.json()) {
            names.add(row.path("name").asText());
        }
        assertThat(names).as(result.toString()).contains("file_read", "file_write", "file_list", "file_search_name",
                "file_search_content", "file_apply_diff", "shell", "git_status", "git_diff", "git_log", "git_add",
                "git_commit", "http_fetch");
        var show = dist.run("tools", "show", "--json", "file_read");
        assertThat(show.json().path("inputSchema").asText()).contains("\"path\"", "\"additionalProperties\":false");
    }

    @Test
    void aCallRunsInAFreshWorkspaceSandboxAndIsAudited() throws Exception {
        var result = dist.run("tools", "call", "--tier", "internal", "--json", "shell",
                "{\"command\":\"echo made > out.txt; echo in $(pwd)\"}");
        assertThat(result.exit()).as(result.toString()).isZero();
        Path ws = Path.of(result.json().path("workspace").asText());
        assertThat(result.json().path("text").asText()).contains("exit code 0", "in " + ws);
        assertThat(Files.readString(ws.resolve("out.txt"))).isEqualTo("made\n");
        var audit = dist.run("audit", "tail", "--json");
        assertThat(audit.out()).as(audit.toString()).contains("tool.call", "tools-call-", "policy.decision",
                "tool.shell");
    }

    @Test
    void escapesAndBadInputAreRefusedWithTheReason() {
        var escape = dist.run("tools", "call", "file_read", "{\"path\":\"../../etc/shadow\"}");
        assertThat(escape.exit()).as(escape.toString()).isEqualTo(1);
        assertThat(escape.out()).contains("contains '..'");
        var absolute = dist.run("tools", "call", "file_read", "{\"path\":\"/etc/shadow\"}");
        assertThat(absolute.out()).as(absolute.toString()).contains("is outside the workspace");
        var badJson = dist.run("tools", "call", "file_read", "{path");
        assertThat(badJson.exit()).as(badJson.toString()).isEqualTo(2);
        assertThat(badJson.err()).contains("arguments '{path' are not JSON");
        var unknown = dist.run("tools", "call", "nosuch", "{}");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no tool 'nosuch'");
        var badArg = dist.run("tools", "call", "file_list", "{\"depth\":\"deep\"}");
        assertThat(badArg.out()).as(badArg.toString()).contains("argument 'depth' is the string \"deep\"; expected an"
                + " integer from 1 to 10");
        var fetch = dist.run("tools", "call", "http_fetch", "{\"url\":\"https://example.com/\"}");
        assertThat(fetch.exit()).isEqualTo(1);
        assertThat(fetch.out()).contains("no egress session");
    }
}
