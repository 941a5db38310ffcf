package org.crustyclaw.channel.signal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One received envelope ({@code receive.MessageEnvelope} of the swagger), reduced to what the
 * channel acts on. Built from untrusted JSON: anything malformed is {@link Kind#MALFORMED},
 * types it does not act on are {@link Kind#OTHER}; parsing never throws.
 *
 * @param source      the sender's number (or uuid when the number is hidden)
 * @param timestamp   the message's id on Signal (sender + timestamp identify it)
 * @param group       the group's internal id as the envelope gives it, if sent to a group
 * @param attachments what came with a data message; file names are never used
 */
record Envelope(Kind kind, String account, String source, long timestamp, String text, Optional<String> group,
        List<AttachmentRef> attachments, Optional<String> quoteAuthor, List<String> mentions, String detail) {

    enum Kind { MESSAGE, REACTION, TYPING, RECEIPT, SYNC, OTHER, MALFORMED }

    record AttachmentRef(String id, String contentType, long size) {}

    /** Longest text or id kept from an envelope; the configured message limit applies after. */
    static final int MAX_FIELD = 1 << 20;

    Envelope {
        attachments = List.copyOf(attachments);
        mentions = List.copyOf(mentions);
    }

    /** The recipient to answer: the sender, or {@code group.<base64 id>} as the send API expects. */
    String replyTo() {
        return group.map(Envelope::groupRecipient).orElse(source);
    }

    static String groupRecipient(String internalId) {
        return "group." + Base64.getEncoder().encodeToString(internalId.getBytes(StandardCharsets.UTF_8));
    }

    static Envelope malformed(String why) {
        return new Envelope(Kind.MALFORMED, "", "", 0, "", Optional.empty(), List.of(), Optional.empty(), List.of(), why);
    }

    /** One {@code {account, envelope}} object, as the receive endpoint and the WebSocket frames carry it. */
    static Envelope parse(JsonNode message) {
        if (message == null || !message.isObject()) {
            return malformed("not a JSON object");
        }
        if (message.has("error") && !message.has("envelope")) {
            return malformed("the server reported: " + text(message.get("error")));
        }
        JsonNode e = message.get("envelope");
        if (e == null || !e.isObject()) {
            return malformed("no envelope object");
        }
        String account = text(message.get("account"));
        String source = text(e.get("sourceNumber"));
        if (source.isEmpty()) {
            source = text(e.get("source"));
        }
        if (source.isEmpty()) {
            source = text(e.get("sourceUuid"));
        }
        JsonNode ts = e.get("timestamp");
        if (source.isEmpty() || ts == null || !ts.canConvertToLong() || ts.asLong() <= 0) {
            return malformed("envelope without a source or a positive timestamp");
        }
        long timestamp = ts.asLong();
        JsonNode data = e.get("dataMessage");
        if (data != null && data.isObject()) {
            Optional<String> group = Optional.ofNullable(data.get("groupInfo")).filter(JsonNode::isObject)
                    .map(g -> text(g.get("groupId"))).filter(s -> !s.isEmpty());
            JsonNode reaction = data.get("reaction");
            if (reaction != null && reaction.isObject()) {
                return new Envelope(Kind.REACTION, account, source, timestamp, text(reaction.get("emoji")), group,
                        List.of(), Optional.empty(), List.of(), "");
            }
            List<AttachmentRef> attachments = new ArrayList<>();
            JsonNode list = data.get("attachments");
            if (list != null && list.isArray()) {
                for (JsonNode a : list) {
                    String id = text(a.get("id"));
                    JsonNode size = a.get("size");
                    if (id.isEmpty() || size == null || !size.canConvertToLong() || size.asLong() < 0) {
                        return malformed("attachment without an id or a size");
                    }
                    attachments.add(new AttachmentRef(id, text(a.get("contentType")), size.asLong()));
                }
            }
            Optional<String> quote = Optional.ofNullable(data.get("quote")).filter(JsonNode::isObject)
                    .map(q -> text(q.get("authorNumber")).isEmpty() ? text(q.get("author")) : text(q.get("authorNumber")))
                    .filter(s -> !s.isEmpty());
            List<String> mentions = new ArrayList<>();
            JsonNode ms = data.get("mentions");
            if (ms != null && ms.isArray()) {
                ms.forEach(m -> mentions.add(text(m.get("number")).isEmpty() ? text(m.get("uuid")) : text(m.get("number"))));
            }
            JsonNode body = data.get("message");
            if (body != null && !body.isNull() && !body.isTextual()) {
                return malformed("dataMessage.message is " + body.getNodeType() + ", expected a string");
            }
            return new Envelope(Kind.MESSAGE, account, source, timestamp, text(body), group, attachments, quote,
                    mentions, "");
        }
        Kind kind = e.has("typingMessage") ? Kind.TYPING : e.has("receiptMessage") ? Kind.RECEIPT
                : e.has("syncMessage") ? Kind.SYNC : Kind.OTHER;
        return new Envelope(kind, account, source, timestamp, "", Optional.empty(), List.of(), Optional.empty(),
                List.of(), kind == Kind.OTHER ? String.join(",", fieldNames(e)) : "");
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isContainerNode()) {
            return "";
        }
        String s = n.asText();
        return s.length() > MAX_FIELD ? s.substring(0, MAX_FIELD) : s;
    }

    private static List<String> fieldNames(JsonNode e) {
        List<String> names = new ArrayList<>();
        e.fieldNames().forEachRemaining(n -> names.add(n.length() > 40 ? n.substring(0, 40) : n));
        return names.size() > 10 ? names.subList(0, 10) : names;
    }
}
