package org.crustyclaw.api.tool;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service property {@code crustyclaw.tool.name} under which a {@link ToolAdapter}
 * registers. Put it on the component class: {@code @ToolName("echo")}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ToolName {
    String PREFIX_ = "crustyclaw.";

    /** Lower case letters, digits, {@code -} and {@code _}, at most 64 characters. */
    String value();
}
