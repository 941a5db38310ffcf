package org.crustyclaw.api.runtime;

/**
 * One service's health as {@code status} shows it.
 *
 * @param service what was checked, e.g. {@code audit log}
 * @param healthy whether it can do its work
 * @param detail  one line: what is wrong and what to do, or "ok"
 */
public record Health(String service, boolean healthy, String detail) {

    public Health {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("a health result needs the service's name");
        }
        if (detail == null || detail.isBlank()) {
            throw new IllegalArgumentException("health of " + service + " needs a detail");
        }
        detail = detail.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    public static Health ok(String service) {
        return new Health(service, true, "ok");
    }

    public static Health failing(String service, String why) {
        return new Health(service, false, why);
    }
}
