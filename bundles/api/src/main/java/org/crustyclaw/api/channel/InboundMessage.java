package org.crustyclaw.api.channel;

import java.time.Instant;
import java.util.Optional;

/**
 * A message a person sent through a channel.
 *
 * @param channel the channel's name, e.g. {@code signal}
 * @param sender  the channel-specific sender id (a phone number, a Unix user)
 * @param group   the group it was sent to, if any
 * @param text    the message text
 * @param at      when the channel received it
 */
public record InboundMessage(String channel, String sender, Optional<String> group, String text, Instant at) {}
