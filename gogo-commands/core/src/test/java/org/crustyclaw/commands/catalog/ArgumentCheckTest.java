package org.crustyclaw.commands.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.crustyclaw.api.command.ArgumentUsage;
import org.crustyclaw.api.command.OptionUsage;
import org.crustyclaw.api.command.VerbUsage;
import org.junit.jupiter.api.Test;

class ArgumentCheckTest {

    static final VerbUsage TAIL = VerbUsage.of("tail", "shows the last events",
            List.of(OptionUsage.integer(List.of("-n", "--lines"), "N", "how many events"), OptionUsage.flag("-f", "--follow", "follow"),
                    OptionUsage.JSON), List.of(), "crustyclaw audit tail -n 5");
    static final VerbUsage CHECK = VerbUsage.of("check", "decides",
            List.of(OptionUsage.text("--role", "ROLE", "the role").asRequired(), OptionUsage.JSON), List.of(),
            "crustyclaw policy check --role x");
    static final VerbUsage TEST = VerbUsage.of("test", "runs cases", List.of(OptionUsage.JSON),
            List.of(ArgumentUsage.required("FILE", "the file of [[case]] tables")), "crustyclaw policy test f.toml");
    static final VerbUsage RUN = VerbUsage.of("run", "runs", List.of(OptionUsage.text("--tier", "TIER", "tier"), OptionUsage.JSON),
            List.of(ArgumentUsage.rest("CMD", "the command")), "crustyclaw sandbox run echo hi");

    @Test
    void fittingArgumentsPass() {
        assertThat(ArgumentCheck.problem(TAIL, List.of("-n", "5", "-f", "--json"))).isEmpty();
        assertThat(ArgumentCheck.problem(TAIL, List.of())).isEmpty();
        assertThat(ArgumentCheck.problem(CHECK, List.of("--json", "--role", "operator"))).isEmpty();
        assertThat(ArgumentCheck.problem(TEST, List.of("cases.toml"))).isEmpty();
        assertThat(ArgumentCheck.problem(RUN, List.of("--tier", "internal", "sh", "-c", "echo -x"))).isEmpty();
        assertThat(ArgumentCheck.problem(RUN, List.of("--", "-weird-command"))).isEmpty();
    }

    @Test
    void aWrongValueNamesTheOptionAndTheValue() {
        assertThat(ArgumentCheck.problem(TAIL, List.of("-n", "abc")))
                .contains("-n 'abc' is not a whole number: expected N (how many events)");
        assertThat(ArgumentCheck.problem(TAIL, List.of("--lines"))).contains("--lines needs a value: expected N (how many events)");
    }

    @Test
    void missingAndUnexpectedWordsAreNamed() {
        assertThat(ArgumentCheck.problem(CHECK, List.of())).contains("missing --role ROLE (the role)");
        assertThat(ArgumentCheck.problem(TEST, List.of())).contains("missing FILE (the file of [[case]] tables)");
        assertThat(ArgumentCheck.problem(TEST, List.of("a.toml", "b.toml"))).contains("unexpected argument 'b.toml': it takes FILE");
        assertThat(ArgumentCheck.problem(TAIL, List.of("--frob"))).contains("unknown option '--frob': it takes -n|--lines, -f|--follow, --json");
        assertThat(ArgumentCheck.problem(RUN, List.of("--tier", "x"))).contains("missing CMD (the command)");
        assertThat(ArgumentCheck.problem(RUN, List.of("--frob", "ls"))).get().asString().startsWith("unknown option '--frob'");
    }

    @Test
    void aHugeValueIsCutWithItsLength() {
        String huge = "k".repeat(1 << 20);
        Optional<String> problem = ArgumentCheck.problem(TAIL, List.of("-n", huge));
        assertThat(problem).get().asString().hasSizeLessThan(300).contains("(1048576 characters)").contains("-n 'kkkk");
    }
}
