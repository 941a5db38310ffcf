package org.crustyclaw.sandbox.manager;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.SandboxSpec;

/** A backend that records what it was asked to run and prints the command back. */
class FakeBackend implements SandboxBackend {

    final String name;
    final IsolationLevel level;
    final Optional<String> unavailable;
    final List<SandboxSpec> ran = new CopyOnWriteArrayList<>();

    FakeBackend(String name, IsolationLevel level) {
        this(name, level, Optional.empty());
    }

    FakeBackend(String name, IsolationLevel level, Optional<String> unavailable) {
        this.name = name;
        this.level = level;
        this.unavailable = unavailable;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public IsolationLevel level() {
        return level;
    }

    @Override
    public Optional<String> unavailableBecause() {
        return unavailable;
    }

    @Override
    public ExecResult run(SandboxSpec spec, Consumer<OutputLine> lines) throws org.crustyclaw.api.sandbox.SandboxException {
        ran.add(spec);
        lines.accept(new OutputLine(OutputLine.Stream.STDOUT, name + ": " + String.join(" ", spec.command())));
        return new ExecResult(0, ExecResult.Ending.EXITED, Duration.ofMillis(1), 0);
    }
}
