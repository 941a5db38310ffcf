package org.crustyclaw.channel.signal;

import java.io.IOException;


import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.runtime.CommandFailedException;
import org.crustyclaw.commands.format.Output;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code signal:status}, {@code signal:link}, {@code signal:register}, {@code signal:verify}: the
 * account's lifecycle, over the channel that {@code [channel.signal]} configures.
 */
@Component(service = SignalCommands.class, property = {"osgi.command.scope=signal", "osgi.command.function=status",
        "osgi.command.function=link", "osgi.command.function=register", "osgi.command.function=verify"})
public final class SignalCommands {

    private final SignalChannel channel;

    @Activate
    public SignalCommands(@Reference SignalChannel channel) {
        this.channel = channel;
    }

    /** One row of {@code signal status}. */
    public record StatusView(String number, String account, String since, String server, boolean receiving,
            String mode, String detail, long received) {}

    @Descriptor("shows the Signal account's state (UNLINKED, LINKING, REGISTERED, VERIFIED) and the receive loop's health")
    public void status(@Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true")
            boolean json) {
        Receiver.Health h = channel.health();
        System.out.println(Output.render(new StatusView(channel.config().number(), channel.account().state().name(),
                channel.account().since().toString(), channel.client().base().toString(), h.up(), h.mode(), h.detail(),
                h.received()), json));
    }

    @Descriptor("links CrustyClaw as a secondary device of an existing Signal account: prints the QR code to scan"
            + " in Signal > Settings > Linked devices")
    public void link(@Descriptor("print JSON (the link URI) instead of the QR code")
            @Parameter(names = "--json", absentValue = "false", presentValue = "true") boolean json) throws IOException {
        String uri = call(() -> channel.client().linkUri(channel.config().deviceName()));
        channel.account().become(Account.State.LINKING);
        if (json) {
            System.out.println(Output.json(java.util.Map.of("device_link_uri", uri)));
        } else {
            System.out.print(QrText.render(uri));
            System.out.println("Scan this with Signal on the phone (Settings > Linked devices > +). Then run"
                    + " 'crustyclaw signal status': it shows VERIFIED once the phone has linked.");
        }
    }

    @Descriptor("registers the configured number with Signal, which sends a code by SMS (or voice call)")
    public void register(@Descriptor("a captcha token from signalcaptchas.org, when Signal asks for one")
            @Parameter(names = "--captcha", absentValue = "") String captcha,
            @Descriptor("get the code by voice call")
            @Parameter(names = "--voice", absentValue = "false", presentValue = "true") boolean voice) throws IOException {
        String number = channel.config().number();
        call(() -> {
            channel.client().register(number, captcha, voice);
            return null;
        });
        channel.account().become(Account.State.REGISTERED);
        System.out.println("Signal is sending a code to " + number + ". Then: crustyclaw signal verify CODE");
    }

    @Descriptor("verifies the registration with the code Signal sent")
    public void verify(@Descriptor("the code, e.g. 123-456") String code,
            @Descriptor("the registration lock PIN, if the number has one")
            @Parameter(names = "--pin", absentValue = "") String pin) throws IOException {
        if (!code.matches("[0-9]{3}-?[0-9]{3}")) {
            throw new CommandFailedException(2, "code '" + SignalClient.abbreviate(code)
                    + "' is not six digits, e.g. 123-456");
        }
        String number = channel.config().number();
        call(() -> {
            channel.client().verify(number, code, pin);
            return null;
        });
        channel.account().become(Account.State.VERIFIED);
        channel.poke();
        System.out.println(number + " is verified: CrustyClaw now answers on Signal.");
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (IOException e) {
            throw new CommandFailedException(1, e.getMessage());
        }
    }

}
