package org.crustyclaw.api.channel;

import java.util.Optional;

/**
 * A message to a person or group.
 *
 * @param recipient channel-specific recipient id
 * @param group     send to this group instead of the recipient alone
 * @param text      the text; channels split it if they must
 */
public record OutboundMessage(String recipient, Optional<String> group, String text) {}
