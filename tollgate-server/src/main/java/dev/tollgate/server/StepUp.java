package dev.tollgate.server;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A route that a person may call only within {@link IdentitySettings#stepUp()} (5 minutes) of giving their second
 * factor; else 403, and {@code /login/step-up} asks for a code again. API tokens are not concerned (their routes are
 * limited by role).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StepUp {}
