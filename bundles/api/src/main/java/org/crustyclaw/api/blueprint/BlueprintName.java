package org.crustyclaw.api.blueprint;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/** Service property {@code crustyclaw.blueprint.name} of a {@link Blueprint}. */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface BlueprintName {
    String PREFIX_ = "crustyclaw.";

    String value();
}
