package org.crustyclaw.tools.builtin;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolName;
import org.crustyclaw.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/**
 * {@code http_fetch}: refused, with the reason, until the credential proxy offers an egress
 * service. Fetching goes only through that proxy and its egress rules; this bundle opens no
 * connection of its own. The tool is registered so a model that asks gets a clear answer.
 */
@Component(service = org.crustyclaw.api.tool.ToolAdapter.class)
@ToolName("http_fetch")
public final class HttpFetchTool extends BuiltinTool {

    static final String REFUSAL = "http_fetch is not available: CrustyClaw fetches only through the credential"
            + " proxy and its egress rules, and no egress service (org.crustyclaw.api.egress) is installed."
            + " Nothing was fetched.";

    public HttpFetchTool() {
        super("http_fetch", "Fetches an http(s) URL through the egress proxy. Refused while no egress service is"
                + " installed.",
                new Schema().string("url", true, "the http or https URL to fetch"),
                List.of("net.egress"), SideEffects.EXTERNAL);
    }

    @Override
    ToolResult run(Schema.Args args, ToolContext context) {
        String url = args.string("url");
        try {
            URI uri = new URI(url);
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null) {
                return ToolResult.failed("http_fetch: argument 'url' is '" + Json.clip(url)
                        + "'; expected an http or https URL with a host");
            }
        } catch (URISyntaxException e) {
            return ToolResult.failed("http_fetch: argument 'url' is not a URL: " + e.getMessage());
        }
        return ToolResult.failed(REFUSAL);
    }
}
