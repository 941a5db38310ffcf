package org.crustyclaw.provider.ollama;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.model.ChatEvent;
import org.crustyclaw.api.model.ChatRequest;
import org.crustyclaw.api.model.ModelProvider;
import org.crustyclaw.api.model.ProviderName;
import org.crustyclaw.api.model.ProviderState;
import org.crustyclaw.api.secret.SecretStore;
import org.crustyclaw.provider.common.ProviderSettings;
import org.crustyclaw.provider.common.Providers;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code ollama} provider: an Ollama server's {@code /api/chat}, from {@code [provider.ollama]}. */
@Component(configurationPid = OllamaProvider.PID, service = ModelProvider.class)
@Designate(ocd = OllamaProvider.Config.class)
@ProviderName("ollama")
public final class OllamaProvider implements ModelProvider {

    static final String PID = "org.crustyclaw.provider.ollama";

    @ObjectClassDefinition(id = PID, name = "Provider: Ollama",
            description = "A local (or remote) Ollama server: /api/chat with NDJSON streaming.")
    public @interface Config {
        @AttributeDefinition(description = "Where Ollama listens, without /api. Empty: the provider is not configured.")
        String baseUrl() default "http://127.0.0.1:11434";

        @AttributeDefinition(description = "Models offered (as 'ollama list' names them); the first is the default. Empty: any model name is sent as given.")
        String[] models() default {};

        @AttributeDefinition(description = "Secret store name of a Bearer token for an Ollama behind an authenticating proxy. Empty: no key.")
        String apiKeySecret() default "";

        @AttributeDefinition(description = "Longest wait for a connection and the response headers, in seconds.", min = "1")
        int connectTimeoutSeconds() default 10;

        @AttributeDefinition(description = "Longest silence inside a streamed reply, in seconds.", min = "1")
        int readTimeoutSeconds() default 300;

        @AttributeDefinition(description = "Longest a call may take, retries included, in seconds.", min = "1")
        int totalTimeoutSeconds() default 600;

        @AttributeDefinition(description = "Retries on 429, 5xx and connection errors, honouring Retry-After.", min = "0", max = "10")
        int maxRetries() default 3;

        @AttributeDefinition(description = "At most this many requests a minute; 0: no limit.", min = "0")
        int requestsPerMinute() default 0;

        @AttributeDefinition(description = "Price of a million prompt tokens in USD, for the cost of a call.", min = "0")
        double priceInputUsdPerMtok() default 0;

        @AttributeDefinition(description = "Price of a million reply tokens in USD, for the cost of a call.", min = "0")
        double priceOutputUsdPerMtok() default 0;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SecretStore secrets;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditLog audit;

    private volatile ModelProvider delegate;

    @Activate
    public OllamaProvider(Config config) {
        this.delegate = open(config);
    }

    @Modified
    void modified(Config config) {
        ModelProvider old = delegate;
        delegate = open(config);
        Providers.close(old);
    }

    @Deactivate
    void deactivate() {
        Providers.close(delegate);
    }

    private ModelProvider open(Config c) {
        return Providers.open("ollama", new OllamaProtocol(), () -> settings(c),
                () -> Optional.ofNullable(secrets), () -> Optional.ofNullable(audit));
    }

    static ProviderSettings settings(Config c) {
        return new ProviderSettings("ollama", ProviderSettings.url("ollama", c.baseUrl()), List.of(c.models()),
                c.apiKeySecret().strip(), Duration.ofSeconds(c.connectTimeoutSeconds()), Duration.ofSeconds(c.readTimeoutSeconds()),
                Duration.ofSeconds(c.totalTimeoutSeconds()), c.maxRetries(), c.requestsPerMinute(),
                new ProviderSettings.Prices(c.priceInputUsdPerMtok(), c.priceOutputUsdPerMtok()));
    }

    @Override
    public String name() {
        return "ollama";
    }

    @Override
    public List<String> models() {
        return delegate.models();
    }

    @Override
    public ProviderState state() {
        return delegate.state();
    }

    @Override
    public void chat(ChatRequest request, Consumer<ChatEvent> events) {
        delegate.chat(request, events);
    }
}
