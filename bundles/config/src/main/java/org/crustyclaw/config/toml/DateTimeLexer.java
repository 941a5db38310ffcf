package org.crustyclaw.config.toml;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;

/** Parses the four TOML (RFC 3339) date-time forms from a token, checking every field. */
final class DateTimeLexer {

    /** ZoneOffset cannot represent offsets beyond this, though TOML syntax allows up to 23:59. */
    private static final int MAX_OFFSET_HOURS = 18;

    private final String t;
    private final TomlLexer lx;
    private final Position start;
    private int i;

    private DateTimeLexer(String token, TomlLexer lx, Position start) {
        this.t = token;
        this.lx = lx;
        this.start = start;
    }

    /** True for tokens that start like a date ({@code 1234-}) or a time ({@code 12:}). */
    static boolean looksLikeDateTime(String t) {
        if (t.length() >= 5 && allDigits(t, 0, 4) && t.charAt(4) == '-') {
            return true;
        }
        return t.length() >= 3 && allDigits(t, 0, 2) && t.charAt(2) == ':';
    }

    /** True if {@code src} has a {@code YYYY-MM-DD} shape at {@code from}. */
    static boolean isFullDate(String src, int from) {
        return from + 10 <= src.length() && allDigits(src, from, 4) && src.charAt(from + 4) == '-'
                && allDigits(src, from + 5, 2) && src.charAt(from + 7) == '-' && allDigits(src, from + 8, 2);
    }

    private static boolean allDigits(String s, int from, int count) {
        for (int k = from; k < from + count; k++) {
            if (!ScalarLexer.isDigit(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    static Temporal parse(String token, TomlLexer lx, Position start) throws TomlException {
        return new DateTimeLexer(token, lx, start).parse();
    }

    private Temporal parse() throws TomlException {
        if (t.charAt(2) == ':') {
            LocalTime time = time();
            end("time");
            return time;
        }
        int year = number(4, "year");
        expect('-', "after the year");
        int month = number(2, "month");
        expect('-', "after the month");
        int day = number(2, "day");
        if (month < 1 || month > 12) {
            throw invalid("month must be 01..12");
        }
        int days = month == 2 ? (Year.isLeap(year) ? 29 : 28)
                : (month == 4 || month == 6 || month == 9 || month == 11) ? 30 : 31;
        if (day < 1 || day > days) {
            throw invalid("day must be 01.." + days + " for that month");
        }
        LocalDate date = LocalDate.of(year, month, day);
        if (i == t.length()) {
            return date;
        }
        char sep = t.charAt(i);
        if (sep != 'T' && sep != 't' && sep != ' ') {
            throw invalid("expected 'T' or end of date, found " + found());
        }
        i++;
        LocalDateTime local = LocalDateTime.of(date, time());
        if (i == t.length()) {
            return local;
        }
        char c = t.charAt(i);
        if (c == 'Z' || c == 'z') {
            i++;
            end("offset");
            return OffsetDateTime.of(local, ZoneOffset.UTC);
        }
        if (c != '+' && c != '-') {
            throw invalid("expected 'Z', an offset like '+01:00' or end of date-time, found " + found());
        }
        i++;
        int hours = number(2, "offset hour");
        expect(':', "in the offset");
        int minutes = number(2, "offset minute");
        end("offset");
        if (hours > 23 || minutes > 59) {
            throw invalid("offset must be within -23:59..+23:59");
        }
        if (hours > MAX_OFFSET_HOURS || (hours == MAX_OFFSET_HOURS && minutes > 0)) {
            throw invalid("offsets beyond +-18:00 are not supported");
        }
        int sign = c == '-' ? -1 : 1;
        return OffsetDateTime.of(local, ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes));
    }

    private LocalTime time() throws TomlException {
        int hour = number(2, "hour");
        expect(':', "after the hour");
        int minute = number(2, "minute");
        expect(':', "after the minute (seconds are required)");
        int second = number(2, "second");
        int nanos = 0;
        if (i < t.length() && t.charAt(i) == '.') {
            i++;
            int from = i;
            while (i < t.length() && ScalarLexer.isDigit(t.charAt(i))) {
                if (i - from < 9) {
                    nanos = nanos * 10 + (t.charAt(i) - '0');
                }
                i++;
            }
            if (i == from) {
                throw invalid("expected a digit after '.', found " + found());
            }
            for (int k = i - from; k < 9; k++) {
                nanos *= 10;
            }
        }
        if (hour > 23) {
            throw invalid("hour must be 00..23");
        }
        if (minute > 59) {
            throw invalid("minute must be 00..59");
        }
        if (second > 59) {
            throw invalid("second must be 00..59 (leap seconds are not supported)");
        }
        return LocalTime.of(hour, minute, second, nanos);
    }

    private int number(int digits, String what) throws TomlException {
        if (i + digits > t.length() || !allDigits(t, i, digits)) {
            throw invalid("expected " + digits + " digits for the " + what + ", found " + found());
        }
        int value = Integer.parseInt(t, i, i + digits, 10);
        i += digits;
        return value;
    }

    private void expect(char c, String where) throws TomlException {
        if (i >= t.length() || t.charAt(i) != c) {
            throw invalid("expected '" + c + "' " + where + ", found " + found());
        }
        i++;
    }

    private void end(String after) throws TomlException {
        if (i < t.length()) {
            throw invalid("unexpected " + found() + " after the " + after);
        }
    }

    private String found() {
        return i < t.length() ? TomlLexer.describe(t.codePointAt(i)) : "end of value";
    }

    private TomlException invalid(String detail) {
        return lx.error(start, "invalid date-time '" + TomlKeys.cut(t) + "': " + detail);
    }
}
