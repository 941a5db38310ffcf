package org.crustyclaw.api.policy;

import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.sandbox.TrustTier;

/**
 * Who is on the other end, at each step of the authentication lifecycle. The steps are
 * distinct types so the compiler refuses an {@link Unauthenticated} or a merely
 * {@link Authenticated} principal where an {@link Authorized} one is required: an
 * {@code Authorized} exists only as the result of {@link Authenticated#authorize} when the
 * policy allowed that very action on that very resource.
 */
public sealed interface Principal permits Principal.Unauthenticated, Principal.Authenticated, Principal.Authorized {

    /** The name as claimed or proven. */
    String name();

    /**
     * Someone who has not proven who they are yet (a new socket connection, an inbound
     * message before the sender is looked up).
     *
     * @param claimed the name they claim, e.g. a phone number
     * @param channel where they came from
     */
    record Unauthenticated(String claimed, String channel) implements Principal {
        @Override
        public String name() {
            return claimed;
        }
    }

    /**
     * Someone whose identity a channel or the admin socket has checked.
     *
     * @param name    the proven identity
     * @param roles   the roles the identity holds
     * @param channel where they came from
     * @param method  how the identity was proven, e.g. {@code unix-peer-uid}
     */
    record Authenticated(String name, Set<String> roles, String channel, String method) implements Principal {
        public Authenticated {
            roles = Set.copyOf(roles);
            if (name.isBlank()) {
                throw new IllegalArgumentException("authenticated principal name is blank");
            }
        }

        /** The policy subject for this principal, acting through its channel. */
        public Subject subject(Optional<TrustTier> tier) {
            return new Subject(name, roles, Optional.of(channel), tier);
        }

        /**
         * Asks the policy (which records the decision) whether this principal may take
         * {@code action} on {@code resource}.
         */
        public Authorization authorize(PolicyEngine policy, String action, String resource) {
            Verdict verdict = policy.decide(subject(Optional.empty()), action, resource);
            return switch (verdict.effect()) {
                case ALLOW -> new Authorization.Granted(new Authorized(this, action, resource, verdict));
                case ASK -> new Authorization.NeedsApproval(verdict);
                case DENY -> new Authorization.Refused(verdict);
            };
        }
    }

    /**
     * An authenticated principal that the policy allowed to take one action on one
     * resource. Only {@link Authenticated#authorize} makes one.
     */
    final class Authorized implements Principal {
        private final Authenticated who;
        private final String action;
        private final String resource;
        private final Verdict verdict;

        Authorized(Authenticated who, String action, String resource, Verdict verdict) {
            this.who = who;
            this.action = action;
            this.resource = resource;
            this.verdict = verdict;
        }

        @Override
        public String name() {
            return who.name();
        }

        public Authenticated authenticated() {
            return who;
        }

        public String action() {
            return action;
        }

        public String resource() {
            return resource;
        }

        /** The allow decision, naming the rule that granted it. */
        public Verdict verdict() {
            return verdict;
        }

        /** Whether this authorization covers exactly {@code action} on {@code resource}. */
        public boolean covers(String action, String resource) {
            return this.action.equals(action) && this.resource.equals(resource);
        }

        @Override
        public String toString() {
            return "Authorized[" + who.name() + " " + action + " " + resource + " by " + verdict.rule() + "]";
        }
    }

    /** The outcome of {@link Authenticated#authorize}. */
    sealed interface Authorization {
        record Granted(Authorized principal) implements Authorization {}

        record NeedsApproval(Verdict verdict) implements Authorization {}

        record Refused(Verdict verdict) implements Authorization {}
    }
}
