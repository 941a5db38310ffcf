package org.crustyclaw.sandbox.docker;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The connection to the local Docker engine, shared by the {@code docker-runc} and
 * {@code docker-runsc} backends, and what they need to know about it: is it up, which
 * runtimes does it have, which image does a name mean.
 */
@Component(service = DockerEngine.class, configurationPid = DockerEngine.PID)
@Designate(ocd = DockerEngine.Config.class)
public final class DockerEngine {

    static final String PID = "org.crustyclaw.sandbox.docker";
    private static final long STATUS_TTL_NANOS = Duration.ofSeconds(5).toNanos();

    @ObjectClassDefinition(name = "Sandbox: Docker", description = "Containers with runc (L1) and gVisor runsc (L2).")
    public @interface Config {
        @AttributeDefinition(description = "The engine's address.")
        String host() default "unix:///var/run/docker.sock";

        @AttributeDefinition(description = "The image that 'base' means; built locally (see the bundle's README).")
        String baseImage() default "crustyclaw/base:local";

        @AttributeDefinition(description = "Uid the container runs as when the workspace belongs to root.")
        int sandboxUid() default 65534;

        @AttributeDefinition(description = "Gid to go with sandboxUid.")
        int sandboxGid() default 65534;

        @AttributeDefinition(description = "Milliseconds between SIGTERM and SIGKILL when a run is cancelled.")
        long graceMillis() default 2000;

        @AttributeDefinition(description = "runsc counts gVisor's own threads against the pids limit: this many for"
                + " the sandbox itself...")
        int runscPidsBase() default 64;

        @AttributeDefinition(description = "...and this many per process the command may start.")
        int runscPidsPerProcess() default 8;
    }

    private final Config config;
    private final DockerClient client;
    private final Map<String, Status> statuses = new ConcurrentHashMap<>();

    @Activate
    public DockerEngine(Config config) {
        if (config.graceMillis() < 0 || config.runscPidsBase() < 0 || config.runscPidsPerProcess() < 1) {
            throw new IllegalArgumentException("graceMillis and runscPidsBase must be >= 0, runscPidsPerProcess >= 1: "
                    + config.graceMillis() + ", " + config.runscPidsBase() + ", " + config.runscPidsPerProcess());
        }
        this.config = config;
        DefaultDockerClientConfig clientConfig = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(config.host()).withDockerTlsVerify(false).build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder().dockerHost(clientConfig.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(5)).build();
        this.client = DockerClientImpl.getInstance(clientConfig, http);
    }

    @Deactivate
    void deactivate() throws IOException {
        client.close();
    }

    DockerClient client() {
        return client;
    }

    Config config() {
        return config;
    }

    /** The image a spec's name means: {@code base}, an image reference with a tag, or {@code crustyclaw/NAME:local}. */
    String image(String name) {
        if (name.equals("base")) {
            return config.baseImage();
        }
        return name.contains(":") ? name : "crustyclaw/" + name + ":local";
    }

    /** Empty when the engine is up, has {@code runtime} and the base image; otherwise why not. Cached briefly. */
    Optional<String> unavailableBecause(String runtime) {
        Status cached = statuses.get(runtime);
        if (cached != null && System.nanoTime() - cached.at < STATUS_TTL_NANOS) {
            return cached.reason;
        }
        Optional<String> reason = probe(runtime);
        statuses.put(runtime, new Status(System.nanoTime(), reason));
        return reason;
    }

    private Optional<String> probe(String runtime) {
        try {
            var runtimes = client.infoCmd().exec().getRuntimes();
            if (runtimes == null || !runtimes.containsKey(runtime)) {
                return Optional.of("the Docker engine has no '" + runtime + "' runtime (add it to /etc/docker/daemon.json"
                        + " and restart dockerd; see STACK.md)");
            }
        } catch (RuntimeException e) {
            return Optional.of("the Docker engine at " + config.host() + " does not answer: " + rootMessage(e));
        }
        try {
            client.inspectImageCmd(config.baseImage()).exec();
        } catch (NotFoundException e) {
            return Optional.of("image " + config.baseImage() + " is missing (build it as the sandbox-docker README says)");
        } catch (RuntimeException e) {
            return Optional.of("cannot inspect image " + config.baseImage() + ": " + rootMessage(e));
        }
        return Optional.empty();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private record Status(long at, Optional<String> reason) {}
}
