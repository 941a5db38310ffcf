package org.crustyclaw.api.channel;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.crustyclaw.api.policy.Principal;

/**
 * A message a person sent through a channel. Its text and attachments are untrusted input.
 *
 * @param channel     the channel's name, e.g. {@code signal}
 * @param sender      the channel-specific sender id (a phone number, a Unix user)
 * @param principal   the sender as the channel authenticated them, with the roles the
 *                    configuration maps them to ({@code anonymous} for a sender it does not know)
 * @param group       the group it was sent to, if any; replies go there
 * @param text        the message text
 * @param at          when the channel received it
 * @param id          the channel's id of the message (unique per channel and sender), for
 *                    replies, reactions and receipts
 * @param attachments files that came with it, stored by the channel under generated names
 */
public record InboundMessage(String channel, String sender, Principal.Authenticated principal, Optional<String> group,
        String text, Instant at, String id, List<Attachment> attachments) {

    public InboundMessage {
        attachments = List.copyOf(attachments);
        if (channel.isBlank() || sender.isBlank()) {
            throw new IllegalArgumentException("inbound message without channel or sender: '" + channel + "', '"
                    + sender + "'");
        }
    }

    /**
     * A file that came with a message.
     *
     * @param contentType the type the sender declared, e.g. {@code image/png}
     * @param size        its size in bytes
     * @param file        where the channel stored it (a name the channel generated, never the sender's)
     */
    public record Attachment(String contentType, long size, Path file) {
        public Attachment {
            if (size < 0) {
                throw new IllegalArgumentException("attachment size is negative: " + size);
            }
        }
    }
}
