package org.crustyclaw.channel.signal;

import java.util.List;

import org.crustyclaw.api.command.AreaUsage;
import org.crustyclaw.api.command.ArgumentUsage;
import org.crustyclaw.api.command.CommandArea;
import org.crustyclaw.api.command.OptionUsage;
import org.crustyclaw.api.command.VerbUsage;
import org.osgi.service.component.annotations.Component;

/** The usage of {@code crustyclaw signal ...} for help and for checking words before they run. */
@Component(service = CommandArea.class)
public final class SignalArea implements CommandArea {

    static final AreaUsage USAGE = new AreaUsage("signal", "the Signal account CrustyClaw answers on", List.of(
            VerbUsage.of("status", "shows the account's state and whether messages are being received",
                    List.of(OptionUsage.JSON), List.of(), "crustyclaw signal status --json"),
            VerbUsage.of("link", "links CrustyClaw as a secondary device: prints a QR code to scan on the phone",
                    List.of(OptionUsage.flag("--json", "print the link URI as JSON instead of the QR code")), List.of(),
                    "crustyclaw signal link"),
            VerbUsage.of("register", "registers the configured number with Signal, which sends a code",
                    List.of(OptionUsage.text("--captcha", "TOKEN", "a captcha token from signalcaptchas.org"),
                            OptionUsage.flag("--voice", "get the code by a voice call")),
                    List.of(), "crustyclaw signal register --captcha signalcaptcha://..."),
            VerbUsage.of("verify", "verifies the registration with the code Signal sent",
                    List.of(OptionUsage.text("--pin", "PIN", "the registration lock PIN, if the number has one")),
                    List.of(ArgumentUsage.required("CODE", "the six-digit code, e.g. 123-456")),
                    "crustyclaw signal verify 123-456")));

    @Override
    public AreaUsage usage() {
        return USAGE;
    }
}
