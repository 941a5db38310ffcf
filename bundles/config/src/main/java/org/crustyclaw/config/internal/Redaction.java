package org.crustyclaw.config.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/** Which configuration keys hold secrets, so their values are never shown. */
final class Redaction {

    private static final Pattern SENSITIVE = Pattern.compile(
            ".*(password|passphrase|secret|token|api_?key|private_?key|credential).*");

    private Redaction() {}

    static boolean sensitiveName(String key) {
        return SENSITIVE.matcher(Keys.snake(key).toLowerCase(Locale.ROOT)).matches();
    }
}
