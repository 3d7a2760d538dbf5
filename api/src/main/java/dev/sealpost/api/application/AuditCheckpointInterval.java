package dev.sealpost.api.application;

import java.time.Duration;
import java.util.Objects;

/** {@code sealpost.audit.checkpoint-interval}: the longest a tenant's new events go unsigned. */
public record AuditCheckpointInterval(Duration value) {
  public AuditCheckpointInterval {
    Objects.requireNonNull(value, "value");
  }
}
