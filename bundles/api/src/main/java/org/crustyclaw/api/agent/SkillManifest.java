package org.crustyclaw.api.agent;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.TrustTier;

/**
 * What a skill is and may do. The agent enforces it: a tool, egress host or secret outside
 * the manifest is refused and audited whatever the model asks.
 *
 * @param name         lower case letters, digits and {@code -}, at most 64 characters
 * @param description  one line for lists
 * @param version      the skill's own version, e.g. {@code 1.0.0}
 * @param tier         the trust tier its tool calls run under (picks the sandbox)
 * @param model        the provider and model it talks to
 * @param systemPrompt the system prompt text (read from the manifest's prompt file)
 * @param tools        the tool names it may call; nothing else is offered to the model
 * @param egressHosts  the hosts its calls may reach through the credential proxy
 * @param secrets      the secret names it may request
 * @param limits       the sandbox limits of each command it runs
 * @param budgets      when the loop stops
 * @param review       what happens to its output before it counts
 * @param source       where it came from: {@code dir:/path/skill.toml} or {@code bundle:symbolic.name}
 */
public record SkillManifest(String name, String description, String version, TrustTier tier, ModelChoice model,
        String systemPrompt, List<String> tools, List<String> egressHosts, List<String> secrets, ResourceLimits limits,
        Budgets budgets, Review review, String source) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public SkillManifest {
        tools = List.copyOf(tools);
        egressHosts = List.copyOf(egressHosts);
        secrets = List.copyOf(secrets);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("skill name '" + name + "' is not 1-64 lower case letters, digits or '-'");
        }
        if (description.isBlank()) {
            throw new IllegalArgumentException("skill '" + name + "' has no description");
        }
        if (systemPrompt.isBlank()) {
            throw new IllegalArgumentException("skill '" + name + "' has an empty system prompt");
        }
    }

    /** Whether the manifest lists {@code tool}. */
    public boolean allowsTool(String tool) {
        return tools.contains(tool);
    }

    /** Whether the manifest lists {@code host} (exact, case-insensitive; {@code *.example.org} covers sub-domains). */
    public boolean allowsHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String allowed : egressHosts) {
            String a = allowed.toLowerCase(Locale.ROOT);
            if (a.equals(h) || a.startsWith("*.") && h.endsWith(a.substring(1))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the manifest lists the secret {@code name}. */
    public boolean allowsSecret(String name) {
        return secrets.contains(name);
    }

    /**
     * The model a skill talks to.
     *
     * @param provider the provider's name ({@code crustyclaw.provider.name}), e.g. {@code openai}
     * @param model    the model name that provider knows
     */
    public record ModelChoice(String provider, String model) {
        public ModelChoice {
            if (provider.isBlank() || model.isBlank()) {
                throw new IllegalArgumentException("model needs a provider and a model name: '" + provider + "', '"
                        + model + "'");
            }
        }
    }

    /**
     * When the loop stops, whichever comes first.
     *
     * @param iterations    model turns at most
     * @param tokens        input plus output tokens over all turns at most
     * @param wallClock     time from the first turn at most
     * @param costMicroUsd  cost at most, in millionths of a US dollar (0: no cost budget)
     * @param maxTokensPerTurn the reply budget asked of the model in each turn
     */
    public record Budgets(int iterations, long tokens, Duration wallClock, long costMicroUsd, int maxTokensPerTurn) {

        public static final Budgets DEFAULT = new Budgets(20, 200_000, Duration.ofMinutes(15), 0, 4096);

        public Budgets {
            if (iterations < 1 || iterations > 1000) {
                throw new IllegalArgumentException("iterations budget must be 1..1000: " + iterations);
            }
            if (tokens < 1) {
                throw new IllegalArgumentException("token budget must be at least 1: " + tokens);
            }
            if (wallClock.isNegative() || wallClock.isZero()) {
                throw new IllegalArgumentException("wall-clock budget must be positive: " + wallClock);
            }
            if (costMicroUsd < 0) {
                throw new IllegalArgumentException("cost budget must not be negative: " + costMicroUsd);
            }
            if (maxTokensPerTurn < 1) {
                throw new IllegalArgumentException("tokens per turn must be at least 1: " + maxTokensPerTurn);
            }
        }
    }

    /**
     * What happens to a run's output.
     *
     * @param mode  {@code none}: the answer stands; {@code human}: a diff the run leaves is
     *              offered through the approvals service before the task succeeds
     * @param gates review gate names to run over the artifacts (empty for none)
     */
    public record Review(String mode, List<String> gates) {

        public static final Review NONE = new Review("none", List.of());

        public Review {
            gates = List.copyOf(gates);
            if (!mode.equals("none") && !mode.equals("human")) {
                throw new IllegalArgumentException("review mode '" + mode + "': expected none or human");
            }
        }
    }
}
