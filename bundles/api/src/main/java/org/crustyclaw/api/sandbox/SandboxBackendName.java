package org.crustyclaw.api.sandbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service properties {@code crustyclaw.sandbox.backend} and {@code crustyclaw.sandbox.level}
 * under which a {@link SandboxBackend} registers, so that the core and tools can filter on
 * them. Put it on the component class: {@code @SandboxBackendName(backend = "bwrap", level = "L2")}.
 * They repeat {@link SandboxBackend#name()} and {@link SandboxBackend#level()}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface SandboxBackendName {
    String PREFIX_ = "crustyclaw.sandbox.";

    /** The backend's name, as {@link SandboxBackend#name()}. */
    String backend();

    /** {@code L1}, {@code L2} or {@code L3}, as {@link SandboxBackend#level()}. */
    String level();
}
