package dev.sealpost.api.interfaces.health;

import dev.sealpost.api.infrastructure.Platform;
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
  @Inject Platform platform;

  @Produces
  @Readiness
  HealthCheck database() {
    return () -> check("database", () -> platform.database().healthy());
  }

  @Produces
  @Readiness
  HealthCheck blobStore() {
    return () -> check("blob-store", () -> platform.blobStore().healthy());
  }

  @Produces
  @Readiness
  HealthCheck keys() {
    return () -> check("keys", () -> platform.keyService().healthy());
  }

  @Produces
  @Liveness
  HealthCheck live() {
    return () -> HealthCheckResponse.named("sealpost").status(platform.started()).build();
  }

  private HealthCheckResponse check(String name, java.util.function.BooleanSupplier probe) {
    boolean up;
    try {
      up = platform.started() && probe.getAsBoolean();
    } catch (RuntimeException e) {
      up = false;
    }
    return HealthCheckResponse.named(name).status(up).build();
  }
}
