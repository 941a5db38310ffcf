package org.crustyclaw.api.policy;

import java.util.List;
import java.util.stream.Collectors;

import org.crustyclaw.api.config.ConfigProblem;

/** A policy or policy-test file was rejected; {@link #problems()} says where and why. */
public class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    public PolicyException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a policy exception needs at least one problem");
        }
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
