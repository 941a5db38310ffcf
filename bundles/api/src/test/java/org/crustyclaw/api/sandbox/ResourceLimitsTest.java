package org.crustyclaw.api.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ResourceLimitsTest {

    @Test
    void parsesSizesAsUsersWriteThem() {
        assertThat(ResourceLimits.parseSize("256m")).isEqualTo(256L << 20);
        assertThat(ResourceLimits.parseSize("2G")).isEqualTo(2L << 30);
        assertThat(ResourceLimits.parseSize("1GiB")).isEqualTo(1L << 30);
        assertThat(ResourceLimits.parseSize("512k")).isEqualTo(512L << 10);
        assertThat(ResourceLimits.parseSize("4096")).isEqualTo(4096L);
    }

    @Test
    void rejectsASizeNamingItAndTheExpectedForm() {
        assertThatThrownBy(() -> ResourceLimits.parseSize("12x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'12x'").hasMessageContaining("256m");
    }

    @Test
    void parsesDurations() {
        assertThat(ResourceLimits.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ResourceLimits.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ResourceLimits.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> ResourceLimits.parseDuration("soon")).hasMessageContaining("'soon'")
                .hasMessageContaining("30s");
    }

    @Test
    void refusesALimitBelowTheFloorNamingTheValue() {
        assertThatThrownBy(() -> ResourceLimits.DEFAULT.withMemory(1 << 20)).hasMessageContaining("1048576");
    }
}
