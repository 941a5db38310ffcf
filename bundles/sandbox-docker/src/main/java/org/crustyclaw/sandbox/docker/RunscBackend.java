package org.crustyclaw.sandbox.docker;

import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.SandboxBackendName;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code docker-runsc}: a container under gVisor's user-space kernel (L2). */
@Component(service = SandboxBackend.class)
@SandboxBackendName(backend = "docker-runsc", level = "L2")
public final class RunscBackend extends DockerBackend {

    private final DockerEngine engine;

    @Activate
    public RunscBackend(@Reference DockerEngine engine) {
        super(engine, "docker-runsc", "runsc", IsolationLevel.L2);
        this.engine = engine;
    }

    /** gVisor's own threads count against the limit (~62 idle, ~8 per guest process): scale it. */
    @Override
    long pidsLimit(int processes) {
        return engine.config().runscPidsBase() + (long) engine.config().runscPidsPerProcess() * processes;
    }
}
