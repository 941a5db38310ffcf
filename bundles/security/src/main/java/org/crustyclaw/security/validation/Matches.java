package org.crustyclaw.security.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The whole string must match the regular expression {@link #value()}. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Matches {
    String value();

    /** What the pattern means, for the message, e.g. {@code a lower-case name}. */
    String description() default "";
}
