package org.crustyclaw.api.secret;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component (or field, or accessor) whose value must never be shown:
 * {@link Redaction#render(Object)}, configuration dumps, audit payloads and validation
 * messages print {@value Secret#REDACTED} in its place.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Sensitive {}
