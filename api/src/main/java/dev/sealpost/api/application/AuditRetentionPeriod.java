package dev.sealpost.api.application;

import java.time.Period;
import java.util.Objects;

/** {@code sealpost.audit.retention}: how long audit events are kept. */
public record AuditRetentionPeriod(Period value) {
  public AuditRetentionPeriod {
    Objects.requireNonNull(value, "value");
  }
}
