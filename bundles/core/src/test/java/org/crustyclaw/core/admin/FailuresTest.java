package org.crustyclaw.core.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.util.Optional;

import org.crustyclaw.api.runtime.CommandFailedException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void commandFailuresKeepTheirCodeAndMessage() {
        var e = new RuntimeException(new CommandFailedException(1, "c.toml: 2 problems"));
        assertThat(AdminConnection.Failures.exitCode(e, Optional.empty())).isEqualTo(1);
        assertThat(AdminConnection.Failures.message(e, Optional.empty())).isEqualTo("c.toml: 2 problems");
    }

    @Test
    void coercionFailuresAreUsageErrors() {
        var e = new IllegalArgumentException("Cannot coerce status(String) to any of [(boolean)]");
        assertThat(AdminConnection.Failures.exitCode(e, Optional.empty())).isEqualTo(2);
        assertThat(AdminConnection.Failures.message(e, Optional.empty()))
                .isEqualTo("usage error: the arguments do not fit the command 'status' (run it with --help for its usage and an example)")
                .doesNotContain("String", "boolean", "coerce");
    }

    @Test
    void otherFailuresAreExitOneWithTheRootMessage() {
        var e = new InvocationTargetException(new IllegalArgumentException("no plugin 'x' was deployed"));
        assertThat(AdminConnection.Failures.exitCode(e, Optional.empty())).isEqualTo(1);
        assertThat(AdminConnection.Failures.message(e, Optional.empty())).isEqualTo("error: no plugin 'x' was deployed");
    }

    @Test
    void aCommandWhoseServiceIsMissingIsNamedAsUnavailable() {
        var gogo = new NullPointerException("Cannot invoke \"Object.getClass()\" because \"target\" is null");
        gogo.setStackTrace(new StackTraceElement[] {new StackTraceElement("org.apache.felix.gogo.runtime.Reflective", "invoke", null, 1)});
        assertThat(AdminConnection.Failures.serviceMissing(new RuntimeException(gogo))).isTrue();
        assertThat(AdminConnection.Failures.unavailable("audit:tail"))
                .isEqualTo("error: 'audit tail' is not available: a service it needs did not start (run 'crustyclaw status';"
                        + " details in the daemon log)");
        var ours = new NullPointerException("x");
        ours.setStackTrace(new StackTraceElement[] {new StackTraceElement("org.crustyclaw.commands.X", "run", null, 1),
                new StackTraceElement("org.apache.felix.gogo.runtime.Reflective", "invoke", null, 1)});
        assertThat(AdminConnection.Failures.serviceMissing(ours)).as("a bug of ours is not a missing service").isFalse();
    }
}
