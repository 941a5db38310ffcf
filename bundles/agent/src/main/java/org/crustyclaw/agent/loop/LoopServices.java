package org.crustyclaw.agent.loop;

import java.util.List;
import java.util.Optional;

import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.model.ModelProvider;
import org.crustyclaw.api.policy.PolicyEngine;
import org.crustyclaw.api.review.Approvals;
import org.crustyclaw.api.sandbox.Sandboxes;
import org.crustyclaw.api.tool.ToolAdapter;

/** What the loop uses, looked up at each step so a hot-removed provider or tool is noticed. */
public interface LoopServices {

    Optional<ModelProvider> provider(String name);

    /** The names of the providers installed now, for messages. */
    List<String> providers();

    Optional<ToolAdapter> tool(String name);

    PolicyEngine policy();

    AuditLog audit();

    Approvals approvals();

    Sandboxes sandboxes();

    /** Scrubs secrets and token shapes from text that leaves the loop (results, answers). */
    String scrub(String text);
}
