package org.crustyclaw.tools.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.crustyclaw.api.egress.EgressSession;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolException;
import org.crustyclaw.api.tool.ToolName;
import org.crustyclaw.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/**
 * {@code http_fetch}: a GET through the task's egress session ({@link ToolContext#egress()}),
 * so the credential proxy's rules decide (default-deny) and audit every request; this tool
 * opens no connection of its own. Without a session it is refused with the reason. Redirects
 * are reported, not followed, and the body is read only up to the output cap.
 */
@Component(service = org.crustyclaw.api.tool.ToolAdapter.class)
@ToolName("http_fetch")
public final class HttpFetchTool extends BuiltinTool {

    static final String REFUSAL = "http_fetch is not available to this task: fetching goes only through the"
            + " credential proxy and its egress rules, and the task has no egress session (the skill names no"
            + " egress hosts, or no egress service is installed). Nothing was fetched.";

    public HttpFetchTool() {
        super("http_fetch", "Fetches an http(s) URL with GET through the egress proxy, under the skill's egress"
                + " rules; returns the status, content type and the text of the body.",
                new Schema().string("url", true, "the http or https URL to fetch"),
                List.of("net.egress"), SideEffects.EXTERNAL);
    }

    @Override
    ToolResult run(Schema.Args args, ToolContext context) throws ToolException {
        String url = args.string("url");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return ToolResult.failed("http_fetch: argument 'url' is not a URL: " + e.getMessage());
        }
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getUserInfo() != null) {
            return ToolResult.failed("http_fetch: argument 'url' is '" + Json.clip(url)
                    + "'; expected an http or https URL with a host and no user:password");
        }
        Optional<EgressSession> session = context.egress();
        if (session.isEmpty()) {
            return ToolResult.failed(REFUSAL);
        }
        HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(session.get().proxyAddress()))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(60))
                .header("User-Agent", "CrustyClaw http_fetch").build();
        int max = context.maxOutputChars();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String type = response.headers().firstValue("Content-Type").orElse("(none)");
            StringBuilder head = new StringBuilder("HTTP ").append(response.statusCode()).append('\n')
                    .append("Content-Type: ").append(type).append('\n');
            response.headers().firstValue("Location").ifPresent(l -> head.append("Location: ").append(l)
                    .append(" (not followed; fetch it if it should be)\n"));
            byte[] body;
            boolean more;
            try (InputStream in = response.body()) {
                body = in.readNBytes(4 * max);
                more = in.read() >= 0;
            }
            if (isBinary(type, body)) {
                head.append("[binary body of ").append(more ? "more than " : "").append(body.length)
                        .append(" bytes not shown]\n");
            } else {
                head.append('\n').append(new String(body, StandardCharsets.UTF_8));
                if (more) {
                    head.append("\n[body truncated: only the first ").append(body.length).append(" bytes were read]\n");
                }
            }
            String text = head.toString();
            // the proxy answers refusals itself: 403 from its rules, 429 from its limits
            boolean failed = response.statusCode() >= 400;
            return failed ? ToolResult.failed(text) : ToolResult.ok(text);
        } catch (IOException e) {
            return ToolResult.failed("http_fetch: " + uri.getHost() + " could not be fetched through the egress"
                    + " proxy: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("http_fetch of " + uri.getHost() + " was interrupted");
        }
    }

    private static boolean isBinary(String type, byte[] body) {
        String t = type.toLowerCase(Locale.ROOT);
        if (t.startsWith("text/") || t.contains("json") || t.contains("xml") || t.contains("javascript")) {
            return false;
        }
        for (int i = 0; i < Math.min(body.length, 8192); i++) {
            if (body[i] == 0) {
                return true;
            }
        }
        return false;
    }
}
