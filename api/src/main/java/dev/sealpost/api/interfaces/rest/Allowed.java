package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.domain.Role;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The roles that may call a resource method (or every method of a resource class). Checked by
 * {@link ApiKeyAuthFilter}: no key or an unknown key gives 401, another role 403. A method without
 * it (on a class without it) is public.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Allowed {
  Role[] value();
}
