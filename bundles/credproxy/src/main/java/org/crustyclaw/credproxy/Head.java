package org.crustyclaw.credproxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A parsed request or response head. For a request {@code first} is the method, {@code second}
 * the target; for a response {@code first} is the version and {@code second} the status code.
 *
 * @param first   method, or version of a response
 * @param second  target, or status code
 * @param third   version, or reason phrase
 * @param headers names as sent, values trimmed; order kept
 */
record Head(String first, String second, String third, List<Header> headers) {

    record Header(String name, String value) {}

    Head {
        headers = List.copyOf(headers);
    }

    List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                values.add(h.value());
            }
        }
        return values;
    }

    Optional<String> one(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Whether a {@code Connection}-style list header names {@code token}. */
    boolean listHas(String name, String token) {
        for (String v : all(name)) {
            for (String t : v.split(",")) {
                if (t.strip().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}
