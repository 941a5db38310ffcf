package org.crustyclaw.commands.security;

import java.time.Instant;
import java.util.Optional;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.review.ApprovalRequest;
import org.crustyclaw.api.review.Approvals;
import org.crustyclaw.api.review.Decision;
import org.crustyclaw.commands.format.Output;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code review:list|show|approve|reject}: the human side of approval requests. */
@Component(service = ReviewCommands.class, property = {
        "osgi.command.scope=review",
        "osgi.command.function=list",
        "osgi.command.function=show",
        "osgi.command.function=approve",
        "osgi.command.function=reject"})
public final class ReviewCommands {

    private final Approvals approvals;

    @Activate
    public ReviewCommands(@Reference Approvals approvals) {
        this.approvals = approvals;
    }

    /** One line of {@code review list}. */
    public record RequestRow(String id, String what, String requestedBy, String rule, Instant expires) {
        static RequestRow of(ApprovalRequest r) {
            return new RequestRow(r.id(), r.what(), r.requestedBy(), r.rule(), r.expires());
        }
    }

    /** {@code review show}: the request and, once answered, its answer. */
    public record RequestDetail(String id, String what, String why, String requestedBy, String rule, Instant created,
            Instant expires, String status, Optional<String> answeredBy, Optional<String> reason, Optional<String> detail) {}

    @Descriptor("lists the pending approval requests, oldest first")
    public String list(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        return Output.render(approvals.pending().stream().map(RequestRow::of).toList(), json);
    }

    @Descriptor("shows one approval request with its diff or command")
    public String show(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the request id") String id) {
        ApprovalRequest r = approvals.find(id).orElseThrow(() -> new IllegalArgumentException(
                "no approval request '" + id + "': expected an id from 'review list'"));
        Optional<Decision> d = approvals.decision(id);
        String status = d.map(x -> x.approved() ? "approved" : x.by().equals("withdrawn") ? "withdrawn" : "rejected")
                .orElse(approvals.pending().stream().anyMatch(p -> p.id().equals(r.id())) ? "pending" : "orphaned");
        RequestDetail detail = new RequestDetail(r.id(), r.what(), r.why(), r.requestedBy(), r.rule(), r.created(), r.expires(),
                status, d.map(Decision::by), d.map(Decision::reason), r.detail());
        return Output.render(detail, json);
    }

    @Descriptor("approves a pending request; the waiting action goes ahead")
    public String approve(CommandSession session,
            @Descriptor("why") @Parameter(names = "--reason", absentValue = "") String reason,
            @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the request id") String id) {
        return Output.render(approvals.answer(id, true, Sessions.principal(session), reason), json);
    }

    @Descriptor("rejects a pending request; the waiting action fails with the reason")
    public String reject(CommandSession session,
            @Descriptor("why") @Parameter(names = "--reason", absentValue = "") String reason,
            @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the request id") String id) {
        return Output.render(approvals.answer(id, false, Sessions.principal(session), reason), json);
    }
}
