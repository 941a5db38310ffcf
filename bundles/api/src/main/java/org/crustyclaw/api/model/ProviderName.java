package org.crustyclaw.api.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service property {@code crustyclaw.provider.name} under which a {@link ModelProvider}
 * registers; it equals {@link ModelProvider#name()}. Put it on the component class or set it
 * from the configuration.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ProviderName {
    String PREFIX_ = "crustyclaw.";

    /** Lower case letters, digits, {@code -} and {@code _}. */
    String value();
}
