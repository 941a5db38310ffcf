package org.crustyclaw.security.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.crustyclaw.api.secret.Sensitive;
import org.junit.jupiter.api.Test;

class ValidatorTest {

    record Channel(@NotEmpty @Matches(value = "[a-z][a-z0-9-]*", description = "a lower-case name") String name,
            @Sensitive @Length(min = 20) String token) {}

    record Daemon(@Range(min = 1, max = 65535) int port, @Length(max = 3) List<Channel> channels,
            @Length(min = 3) Optional<String> motd, @NotEmpty String home) {}

    @Test
    void everyViolationIsReportedWithPathAndValue() {
        Daemon d = new Daemon(70000, List.of(new Channel("signal", "x".repeat(25)), new Channel("Bad Name", "short")),
                Optional.of("hi"), " ");
        List<Violation> violations = Validator.validate(d);
        assertThat(violations).extracting(Violation::toString).containsExactly(
                "port: '70000' is out of range: expected between 1 and 65535",
                "channels[1].name: 'Bad Name' does not match: expected to be a lower-case name",
                "channels[1].token: '<redacted>' has length 5: expected at least 20",
                "motd: 'hi' has length 2: expected at least 3",
                "home: ' ' must not be empty");
    }

    @Test
    void sensitiveValuesNeverAppearInMessages() {
        assertThatThrownBy(() -> Validator.require(new Channel("ok", "hunter2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token").hasMessageNotContaining("hunter2");
    }

    @Test
    void validRecordPasses() {
        Channel ok = new Channel("signal", "a".repeat(20));
        assertThat(Validator.validate(ok)).isEmpty();
        assertThat(Validator.require(ok)).isSameAs(ok);
    }
}
