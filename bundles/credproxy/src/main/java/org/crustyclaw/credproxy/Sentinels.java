package org.crustyclaw.credproxy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Random stand-ins for secrets, exactly as long as the real value so that swapping one for
 * the other never changes a Content-Length or chunk size. Letters and digits only, so a
 * sentinel is valid wherever a token is (headers, URLs, JSON strings).
 */
final class Sentinels {

    /** Shorter secrets would get guessable sentinels. */
    static final int MIN_LENGTH = 16;
    static final String PREFIX = "ccs";
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Sentinels() {}

    /** A sentinel for {@code real}, never equal to it and never holding it. */
    static byte[] mint(String secret, byte[] real) {
        if (real.length < MIN_LENGTH) {
            throw new IllegalArgumentException("secret " + secret + " is " + real.length
                    + " bytes; a sentinel needs at least " + MIN_LENGTH + " to be unguessable");
        }
        while (true) {
            byte[] s = new byte[real.length];
            System.arraycopy(PREFIX.getBytes(StandardCharsets.US_ASCII), 0, s, 0, PREFIX.length());
            for (int i = PREFIX.length(); i < s.length; i++) {
                s[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
            }
            if (!Arrays.equals(s, real)) {
                return s;
            }
        }
    }
}
