package org.crustyclaw.core.runtime;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

import org.crustyclaw.api.runtime.Daemon;
import org.crustyclaw.api.runtime.DaemonInfo;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/** The daemon's facts, from the framework properties the launcher sets, and its shutdown. */
@Component(configurationPid = "org.crustyclaw.daemon")
@Designate(ocd = DaemonConfig.class)
public final class DaemonService implements Daemon {

    private static final System.Logger LOG = System.getLogger(DaemonService.class.getName());

    private final BundleContext context;
    private final DaemonInfo info;

    @Activate
    public DaemonService(BundleContext context) {
        this.context = context;
        this.info = new DaemonInfo(property(context, "crustyclaw.version", "unknown"),
                property(context, "crustyclaw.commit", "unknown"), property(context, "crustyclaw.buildTime", "unknown"),
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                ProcessHandle.current().pid(),
                Instant.ofEpochMilli(Long.parseLong(property(context, "crustyclaw.startedAt",
                        String.valueOf(ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L))))),
                Path.of(property(context, "crustyclaw.state.dir", ".")),
                Path.of(property(context, "crustyclaw.config", "etc/crustyclaw.toml")));
    }

    @Override
    public DaemonInfo info() {
        return info;
    }

    @Override
    public void shutdown(String reason) {
        LOG.log(Level.INFO, "shutting down: " + reason);
        Thread stopper = new Thread(() -> {
            try {
                context.getBundle(0).stop();
            } catch (BundleException e) {
                LOG.log(Level.ERROR, "framework refused to stop", e);
            }
        }, "shutdown");
        stopper.start();
    }

    private static String property(BundleContext context, String key, String fallback) {
        return Objects.requireNonNullElse(context.getProperty(key), fallback);
    }
}
