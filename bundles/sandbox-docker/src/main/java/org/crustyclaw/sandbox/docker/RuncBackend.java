package org.crustyclaw.sandbox.docker;

import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.SandboxBackendName;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code docker-runc}: an ordinary container sharing the host kernel (L1). */
@Component(service = SandboxBackend.class)
@SandboxBackendName(backend = "docker-runc", level = "L1")
public final class RuncBackend extends DockerBackend {

    @Activate
    public RuncBackend(@Reference DockerEngine engine) {
        super(engine, "docker-runc", "runc", IsolationLevel.L1);
    }

    @Override
    long pidsLimit(int processes) {
        return processes;
    }
}
