package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.EdgeSettings;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.Role;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code GET /v1/bench/noop} (any role): the cheapest authenticated endpoint, the baseline
 * benchmarks/http.sh measures seal and open against (the same {@link ApiKeyAuthFilter}, the same
 * JAX-RS path, no work of its own). Not part of the product API: 404 unless {@code
 * sealpost.bench.endpoint} is true. Answers only the caller's role.
 */
@Path("bench")
@Dependent
@Produces(MediaType.APPLICATION_JSON)
public class BenchResource {
  @Inject EdgeSettings settings;
  @Context SecurityContext security;

  /** What the noop answers. */
  public record NoopView(String role) {}

  @GET
  @Path("noop")
  @Allowed({Role.ADMIN, Role.SENDER, Role.AUDITOR, Role.PARTNER})
  public NoopView noop() {
    if (!settings.benchEndpoint()) {
      throw new NotFoundException("resource");
    }
    return new NoopView(Callers.of(security).role().name());
  }
}
