package org.crustyclaw.commands.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.crustyclaw.api.command.AreaUsage;
import org.junit.jupiter.api.Test;

class UsageTextTest {

    @Test
    void aVerbShowsItsUsageOptionsAndExample() {
        assertThat(UsageText.verb("audit", ArgumentCheckTest.TAIL)).isEqualTo("""
                usage: crustyclaw audit tail [-n N] [-f] [--json]
                shows the last events

                options:
                  -n, --lines N   how many events
                  -f, --follow    follow
                  --json          print JSON instead of the human form

                example:
                  crustyclaw audit tail -n 5
                """);
    }

    @Test
    void requiredOptionsComeFirstAndArgumentsLast() {
        assertThat(UsageText.line("policy", ArgumentCheckTest.CHECK)).isEqualTo("usage: crustyclaw policy check --role ROLE [--json]");
        assertThat(UsageText.line("sandbox", ArgumentCheckTest.RUN)).isEqualTo("usage: crustyclaw sandbox run [--tier TIER] [--json] CMD...");
    }

    @Test
    void anAreaListsEveryVerb() {
        String text = UsageText.area(new AreaUsage("policy", "the access policy", List.of(ArgumentCheckTest.CHECK, ArgumentCheckTest.TEST)));
        assertThat(text).startsWith("usage: crustyclaw policy VERB [OPTIONS]\npolicy: the access policy\n\nverbs:\n")
                .contains("  crustyclaw policy check --role ROLE [--json]\n      decides\n")
                .contains("  crustyclaw policy test [--json] FILE\n      runs cases\n")
                .contains("'crustyclaw policy VERB --help'");
    }

    @Test
    void anErrorSaysWhatIsWrongThenTheUsage() {
        assertThat(UsageText.error("policy", ArgumentCheckTest.CHECK, "missing --role ROLE (the role)")).isEqualTo("""
                usage error: policy check: missing --role ROLE (the role)
                usage: crustyclaw policy check --role ROLE [--json]
                (run 'crustyclaw policy check --help' for its options and an example)""");
    }
}
