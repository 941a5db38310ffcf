package org.crustyclaw.commands.security;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.audit.AuditEvent;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.audit.VerifyResult;
import org.crustyclaw.commands.format.Output;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code audit:tail}, {@code audit:verify}, {@code audit:export}. */
@Component(service = AuditCommands.class, property = {
        "osgi.command.scope=audit",
        "osgi.command.function=tail",
        "osgi.command.function=verify",
        "osgi.command.function=export"})
public final class AuditCommands {

    static final long FOLLOW_POLL_MILLIS = 250;

    private final AuditLog audit;

    @Activate
    public AuditCommands(@Reference AuditLog audit) {
        this.audit = audit;
    }

    /** One line of {@code audit tail}. */
    public record EventRow(long seq, Instant at, String type, String actor, String details) {
        static EventRow of(AuditEvent e) {
            return new EventRow(e.seq(), e.at(), e.type(), e.actor(), e.payload().entrySet().stream()
                    .sorted(java.util.Map.Entry.comparingByKey()).map(x -> x.getKey() + "=" + x.getValue())
                    .collect(Collectors.joining(" ")));
        }
    }

    /** The answer of {@code audit verify}. */
    public record VerifyRow(String status, long events, String head) {}

    @Descriptor("shows the last events; with -f keeps printing new ones until interrupted")
    public String tail(CommandSession session,
            @Descriptor("how many events") @Parameter(names = {"-n", "--lines"}, absentValue = "20") int n,
            @Descriptor("follow: print new events as they are recorded") @Parameter(names = {"-f", "--follow"}, presentValue = "true", absentValue = "false") boolean follow,
            @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json)
            throws InterruptedException {
        if (n < 0) {
            throw new IllegalArgumentException("-n " + n + " is negative: expected the number of events to show");
        }
        List<AuditEvent> events = audit.tail(n);
        if (!follow) {
            return render(events, json);
        }
        follow(session == null ? System.out : session.getConsole(), events, json);
        return "";
    }

    /** Prints {@code initial}, then every new event, until the thread is interrupted. */
    void follow(PrintStream out, List<AuditEvent> initial, boolean json) throws InterruptedException {
        long last = initial.isEmpty() ? lastSeq() : initial.get(initial.size() - 1).seq();
        if (!initial.isEmpty()) {
            out.print(render(initial, json));
        }
        while (!Thread.currentThread().isInterrupted()) {
            List<AuditEvent> fresh = audit.after(last, 500);
            if (!fresh.isEmpty()) {
                out.print(json ? render(fresh, true) : Output.table(fresh.stream().map(EventRow::of).toList())
                        .lines().skip(1).map(l -> l + "\n").collect(Collectors.joining()));
                out.flush();
                last = fresh.get(fresh.size() - 1).seq();
            }
            Thread.sleep(FOLLOW_POLL_MILLIS);
        }
    }

    private long lastSeq() {
        List<AuditEvent> one = audit.tail(1);
        return one.isEmpty() ? 0 : one.get(0).seq();
    }

    private static String render(List<AuditEvent> events, boolean json) {
        return json ? Output.json(events) + "\n" : Output.human(events.stream().map(EventRow::of).toList());
    }

    @Descriptor("recomputes the hash chain; fails naming the first changed, deleted or reordered event")
    public String verify(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        VerifyResult result = audit.verify();
        if (result instanceof VerifyResult.Broken b) {
            throw new IllegalStateException("audit chain broken at event " + b.seq() + " ("
                    + b.problem().name().toLowerCase(java.util.Locale.ROOT) + "): " + b.detail());
        }
        VerifyResult.Intact ok = (VerifyResult.Intact) result;
        return Output.render(new VerifyRow("intact", ok.events(), ok.head()), json);
    }

    @Descriptor("prints every event since a time as JSON, with hashes, for safekeeping outside the daemon")
    public String export(@Descriptor("ISO-8601 instant or date, e.g. 2026-11-25T10:00:00Z or 2026-11-25")
            @Parameter(names = "--since", absentValue = "1970-01-01") String since) {
        return Output.json(audit.since(parseSince(since))) + "\n";
    }

    static Instant parseSince(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notDate) {
                throw new IllegalArgumentException("--since '" + text
                        + "' is not a time: expected an ISO-8601 instant or date, e.g. 2026-11-25T10:00:00Z or 2026-11-25");
            }
        }
    }
}
