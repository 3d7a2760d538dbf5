package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.domain.Caller;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** Carries the authenticated {@link Caller} to resources ({@code @Context SecurityContext}). */
final class CallerSecurityContext implements SecurityContext {
  private final Caller caller;
  private final boolean secure;

  CallerSecurityContext(Caller caller, boolean secure) {
    this.caller = caller;
    this.secure = secure;
  }

  @Override
  public Principal getUserPrincipal() {
    return caller;
  }

  @Override
  public boolean isUserInRole(String role) {
    return caller.role().name().equals(role);
  }

  @Override
  public boolean isSecure() {
    return secure;
  }

  @Override
  public String getAuthenticationScheme() {
    return "Bearer";
  }
}
