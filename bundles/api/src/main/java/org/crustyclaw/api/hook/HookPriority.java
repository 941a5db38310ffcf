package org.crustyclaw.api.hook;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/** Service property {@code crustyclaw.hook.priority}: higher runs first; ties by service id. */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface HookPriority {
    String PREFIX_ = "crustyclaw.";

    int value();
}
