package org.crustyclaw.api.hook;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/** Service property {@code crustyclaw.hook.events}: the event types a {@link Hook} receives. */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface HookEvents {
    String PREFIX_ = "crustyclaw.";

    String[] value();
}
