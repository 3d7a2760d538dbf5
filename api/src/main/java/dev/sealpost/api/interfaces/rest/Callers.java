package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.domain.Caller;
import jakarta.ws.rs.core.SecurityContext;

/** Resources: {@code Caller caller = Callers.of(securityContext);} on an {@link Allowed} method. */
public final class Callers {
  private Callers() {}

  public static Caller of(SecurityContext context) {
    if (context != null && context.getUserPrincipal() instanceof Caller caller) {
      return caller;
    }
    throw ApiKeyAuthFilter.unauthorized();
  }
}
