package dev.sealpost.api.interfaces.health;

import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.ReadinessProbe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** {@code /health/ready}: the database, the blob store and the keys; {@code /health/live}. */
@ApplicationScoped
public class ReadinessChecks {
  @Inject ReadinessProbe server;
  @Inject BlobStore blobs;
  @Inject KeyService keys;

  @Produces
  @Readiness
  HealthCheck database() {
    return () -> check("database", () -> server.databaseHealthy());
  }

  @Produces
  @Readiness
  HealthCheck blobStore() {
    return () -> check("blob-store", () -> blobs.healthy());
  }

  @Produces
  @Readiness
  HealthCheck keys() {
    return () -> check("keys", () -> keys.healthy());
  }

  @Produces
  @Liveness
  HealthCheck live() {
    return () -> HealthCheckResponse.named("sealpost").status(server.started()).build();
  }

  private HealthCheckResponse check(String name, java.util.function.BooleanSupplier probe) {
    boolean up;
    try {
      up = server.started() && probe.getAsBoolean();
    } catch (RuntimeException e) {
      up = false;
    }
    return HealthCheckResponse.named(name).status(up).build();
  }
}
