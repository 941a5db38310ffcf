package org.crustyclaw.security.redact;

import org.crustyclaw.api.secret.Redaction;
import org.crustyclaw.api.secret.Secret;
import org.osgi.service.component.annotations.Component;

/**
 * The bundle's one {@link Redaction}. The secret store tells it every value it loads
 * ({@link #remember}), so those literals are scrubbed from any text afterwards.
 */
@Component(service = {Redaction.class, RedactionService.class})
public final class RedactionService implements Redaction {

    private final Scrubber scrubber = new Scrubber();

    @Override
    public String scrub(String text) {
        return scrubber.scrub(text);
    }

    @Override
    public String render(Object value) {
        return scrubber.scrub(Renderer.render(value));
    }

    public void remember(Secret secret) {
        scrubber.remember(secret);
    }

    public void forget(String name) {
        scrubber.forget(name);
    }
}
