package org.crustyclaw.config.toml;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.temporal.Temporal;
import java.util.Objects;

/**
 * A TOML date-time in one of its four forms: offset date-time ({@link OffsetDateTime}), local
 * date-time ({@link LocalDateTime}), local date ({@link LocalDate}) or local time
 * ({@link LocalTime}). Years must lie in 0000..9999 and offsets must be whole minutes, since
 * TOML cannot express anything else.
 *
 * @param value    the value, one of the four types above
 * @param position where the value was defined
 */
public record TomlDateTime(Temporal value, Position position) implements TomlValue {

    public TomlDateTime {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(position, "position");
        LocalDate date;
        if (value instanceof OffsetDateTime odt) {
            date = odt.toLocalDate();
            if (odt.getOffset().getTotalSeconds() % 60 != 0) {
                throw new IllegalArgumentException("offset must be whole minutes: " + odt.getOffset());
            }
        } else if (value instanceof LocalDateTime ldt) {
            date = ldt.toLocalDate();
        } else if (value instanceof LocalDate ld) {
            date = ld;
        } else if (value instanceof LocalTime) {
            date = null;
        } else {
            throw new IllegalArgumentException("unsupported temporal type " + value.getClass().getName());
        }
        if (date != null && (date.getYear() < 0 || date.getYear() > 9999)) {
            throw new IllegalArgumentException("year must be in 0..9999: " + date.getYear());
        }
    }

    @Override
    public String typeName() {
        return "datetime";
    }

    @Override
    public boolean sameValue(TomlValue other) {
        return other instanceof TomlDateTime d && d.value.equals(value);
    }
}
