package org.crustyclaw.sandbox.microvm;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * One line the guest agent sent (guest/PROTOCOL.md, version 1), parsed and validated.
 * The guest is trusted less than the host: anything malformed is rejected, never guessed at.
 */
sealed interface GuestMessage {

    /** The agent is up; also the answer to {@code HELLO}. */
    record Ready(int version, String kernel) implements GuestMessage {}

    record Started(String id, long pid) implements GuestMessage {}

    /** A chunk of a command's stdout ({@code stderr} false) or stderr. */
    record Output(String id, boolean stderr, byte[] bytes) implements GuestMessage {}

    /**
     * How a command ended: {@code how} is {@code exited}, {@code timeout} or {@code killed};
     * {@code oomKills} is the guest kernel's OOM kill count at that moment, -1 when not sent.
     */
    record Exit(String id, int status, String how, long oomKills) implements GuestMessage {}

    /** A refused request; {@code id} is {@code -} when the guest could not tell which. */
    record Fail(String id, String message) implements GuestMessage {}

    record Pong(String token) implements GuestMessage {}

    record Bye() implements GuestMessage {}

    Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /**
     * Parses one line without its terminator.
     *
     * @throws IllegalArgumentException naming the line (shortened) and what was expected
     */
    static GuestMessage parse(String line) {
        String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        String[] f = text.split(" ", -1);
        try {
            return switch (f[0]) {
                case "READY" -> {
                    need(f, 2, text);
                    String kernel = "";
                    for (int i = 2; i < f.length; i++) {
                        if (f[i].startsWith("kernel=")) {
                            kernel = f[i].substring(7);
                        }
                    }
                    yield new Ready(Integer.parseInt(f[1]), kernel);
                }
                case "STARTED" -> {
                    need(f, 3, text);
                    yield new Started(id(f[1]), Long.parseLong(f[2]));
                }
                case "OUT", "ERR" -> {
                    need(f, 3, text);
                    yield new Output(id(f[1]), f[0].equals("ERR"), bytes(f[2]));
                }
                case "EXIT" -> {
                    need(f, 4, text);
                    int status = Integer.parseInt(f[2]);
                    if (status < 0 || status > 255) {
                        throw new IllegalArgumentException("exit status " + status + " outside 0-255");
                    }
                    if (!f[3].equals("exited") && !f[3].equals("timeout") && !f[3].equals("killed")) {
                        throw new IllegalArgumentException("ending '" + f[3] + "' is not exited, timeout or killed");
                    }
                    long oomKills = -1;
                    for (int i = 4; i < f.length; i++) {
                        if (f[i].startsWith("oom_kills=")) {
                            oomKills = Long.parseLong(f[i].substring(10));
                            if (oomKills < 0) {
                                throw new IllegalArgumentException("oom_kills " + oomKills + " is negative");
                            }
                        }
                    }
                    yield new Exit(id(f[1]), status, f[3], oomKills);
                }
                case "FAIL" -> {
                    need(f, 2, text);
                    String id = f[1].equals("-") ? "-" : id(f[1]);
                    yield new Fail(id, f.length > 2 ? new String(bytes(f[2]), StandardCharsets.UTF_8) : "");
                }
                case "PONG" -> new Pong(f.length > 1 ? f[1] : "");
                case "BYE" -> new Bye();
                default -> throw new IllegalArgumentException("unknown message '" + f[0] + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad line from the guest agent '" + shorten(text) + "': "
                    + e.getMessage(), e);
        }
    }

    private static void need(String[] fields, int count, String text) {
        if (fields.length < count) {
            throw new IllegalArgumentException("expected " + count + " fields, got " + fields.length);
        }
    }

    private static String id(String text) {
        if (!ID.matcher(text).matches()) {
            throw new IllegalArgumentException("command id '" + shorten(text) + "' is not 1-64 of [A-Za-z0-9_.-]");
        }
        return text;
    }

    private static byte[] bytes(String field) {
        return field.isEmpty() || field.equals("-") ? new byte[0] : Base64.getDecoder().decode(field);
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
