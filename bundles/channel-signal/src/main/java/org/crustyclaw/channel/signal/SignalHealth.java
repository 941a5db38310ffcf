package org.crustyclaw.channel.signal;

import java.util.List;

import org.crustyclaw.api.runtime.Health;
import org.crustyclaw.api.runtime.HealthCheck;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Signal channel in {@code crustyclaw status}: failing while the receive loop cannot reach
 * signal-cli-rest-api or is refused by it; an account not linked yet is healthy but says what to
 * run (the daemon must be up for {@code signal link}).
 */
@Component(service = HealthCheck.class)
public final class SignalHealth implements HealthCheck {

    private final SignalChannel channel;

    @Activate
    public SignalHealth(@Reference SignalChannel channel) {
        this.channel = channel;
    }

    @Override
    public List<Health> check() {
        Receiver.Health h = channel.health();
        String service = "signal channel";
        if (h.failing()) {
            return List.of(Health.failing(service, h.detail() + " (since " + h.since() + ")"));
        }
        if (!channel.account().verified()) {
            return List.of(new Health(service, true, "account " + channel.config().number() + " is "
                    + channel.account().state() + ": run 'crustyclaw signal link' or 'crustyclaw signal register'"));
        }
        return List.of(new Health(service, true, h.up() ? "ok, " + h.mode() + ", " + h.received() + " received"
                : h.detail()));
    }
}
