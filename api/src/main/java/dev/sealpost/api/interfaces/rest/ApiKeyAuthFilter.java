package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.Authentication;
import dev.sealpost.api.application.EdgeSettings;
import dev.sealpost.api.application.RequestCorrelation;
import dev.sealpost.api.domain.ApiKey;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.Role;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * {@code Authorization: Bearer <api key>} on every method marked {@link Allowed}: 401 without a
 * known key, 403 for another role, 429 (with Retry-After) past the key's rate limit.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ApiKeyAuthFilter implements ContainerRequestFilter {
  private static final RateLimiter LIMITER = new RateLimiter(System::nanoTime);

  @Context ResourceInfo resourceInfo;
  @Inject Authentication authentication;
  @Inject Instance<EdgeSettings> settings;
  private volatile EdgeSettings edge;

  @Override
  public void filter(ContainerRequestContext request) {
    Optional<Allowed> allowed = allowedFor(resourceInfo);
    if (allowed.isEmpty()) {
      return;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized();
    }
    ApiKey key =
        authentication
            .authenticate(header.substring(7).trim())
            .orElseThrow(ApiKeyAuthFilter::unauthorized);
    int limit = key.rateLimitPerMinute().orElseGet(this::defaultRateLimit);
    RateLimiter.Decision d = LIMITER.acquire(key.id().value(), limit);
    if (!d.allowed()) {
      throw new ProblemException(
          429,
          "rate-limited",
          "Too many requests",
          "this API key's rate limit is " + limit + " requests per minute",
          null,
          Map.of("Retry-After", Long.toString(d.retryAfterSeconds())));
    }
    Caller caller = Caller.of(key);
    RequestCorrelation.tenant(caller.tenantId().value());
    if (Arrays.stream(allowed.get().value()).noneMatch(r -> r == caller.role())) {
      throw new ProblemException(
          403, "forbidden", "Forbidden", "this API key's role may not call this endpoint");
    }
    request.setSecurityContext(
        new CallerSecurityContext(caller, request.getSecurityContext().isSecure()));
  }

  static Optional<Allowed> allowedFor(ResourceInfo info) {
    if (info == null || info.getResourceMethod() == null) {
      return Optional.empty();
    }
    Method m = info.getResourceMethod();
    Allowed a = m.getAnnotation(Allowed.class);
    if (a == null) {
      a = info.getResourceClass().getAnnotation(Allowed.class);
    }
    return Optional.ofNullable(a);
  }

  static ProblemException unauthorized() {
    return new ProblemException(
        401,
        "unauthorized",
        "Unauthorized",
        "send a valid API key as Authorization: Bearer <key>",
        null,
        Map.of("WWW-Authenticate", "Bearer"));
  }

  static boolean hasRole(Caller caller, Role role) {
    return caller.role() == role;
  }

  /** Read on first use, as before (start-up has validated the settings by then). */
  private int defaultRateLimit() {
    EdgeSettings e = edge;
    if (e == null) {
      e = settings.get();
      edge = e;
    }
    return e.rateLimitPerMinute();
  }
}
