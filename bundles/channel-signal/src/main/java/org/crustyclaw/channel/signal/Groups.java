package org.crustyclaw.channel.signal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Who administers which group ({@code GET /v1/groups/{number}}), kept for a minute so a busy
 * group does not cost one listing per message. A group the server does not list has no admins.
 */
final class Groups {

    private static final Duration FRESH = Duration.ofMinutes(1);

    private final SignalClient client;
    private final String number;
    private Map<String, Set<String>> admins = Map.of();
    private Instant fetched = Instant.EPOCH;

    Groups(SignalClient client, String number) {
        this.client = client;
        this.number = number;
    }

    /** Whether {@code member} administers the group the send API knows as {@code groupRecipient}. */
    synchronized boolean isAdmin(String groupRecipient, String member) throws IOException {
        if (Instant.now().isAfter(fetched.plus(FRESH)) || !admins.containsKey(groupRecipient)) {
            Map<String, Set<String>> next = new HashMap<>();
            for (JsonNode g : client.groups(number)) {
                Set<String> a = new java.util.HashSet<>();
                g.path("admins").forEach(n -> a.add(n.asText()));
                next.put(g.path("id").asText(), Set.copyOf(a));
            }
            admins = Map.copyOf(next);
            fetched = Instant.now();
        }
        return admins.getOrDefault(groupRecipient, Set.of()).contains(member);
    }
}
