package org.crustyclaw.bench.security;

import java.time.Clock;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.policy.Verdict;
import org.crustyclaw.security.policy.CompiledPolicy;
import org.crustyclaw.security.policy.PolicyCompiler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Policy decisions per second on one thread with 10, 1,000 and 10,000 rules: a mix of exact
 * and wildcard actions and resources over 20 roles, queried with a rotating set of subjects
 * and actions (some matching, some falling through to default deny).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyBench {

    @Param({"10", "1000", "10000"})
    int rules;

    CompiledPolicy policy;
    Subject[] subjects;
    String[] actions;
    String[] resources;
    int i;

    @Setup
    public void setUp() throws Exception {
        Random random = new Random(42);
        StringBuilder toml = new StringBuilder();
        for (int r = 0; r < rules; r++) {
            String action = r % 10 == 0 ? "area" + (r % 7) + ".*" : "area" + (r % 7) + ".action" + r;
            String resource = r % 3 == 0 ? "*" : r % 3 == 1 ? "res" + (r % 11) + ".*" : "res" + (r % 11) + ".item" + r;
            toml.append("[[policy.rules]]\nid = \"r").append(r).append("\"\nrole = \"role").append(r % 20)
                    .append("\"\naction = \"").append(action).append("\"\nresource = \"").append(resource)
                    .append("\"\neffect = \"").append(new String[] {"allow", "deny", "ask"}[r % 3])
                    .append("\"\npriority = ").append(r % 5).append('\n');
        }
        policy = PolicyCompiler.compile("bench.toml", toml.toString(), Clock.systemUTC());
        int n = 1024;
        subjects = new Subject[n];
        actions = new String[n];
        resources = new String[n];
        for (int q = 0; q < n; q++) {
            int r = random.nextInt(Math.max(1, rules));
            subjects[q] = new Subject("bench", Set.of("role" + random.nextInt(24)), Optional.empty(), Optional.empty());
            actions[q] = "area" + (r % 7) + ".action" + r;
            resources[q] = "res" + (r % 11) + ".item" + r;
        }
    }

    @Benchmark
    public Verdict decide() {
        int q = i++ & 1023;
        return policy.evaluate(subjects[q], actions[q], resources[q]);
    }
}
