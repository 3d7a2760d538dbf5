package dev.sealpost.api.infrastructure.config;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;

/**
 * The audit log: {@code sealpost.audit.checkpoint-every} (sign a checkpoint of a tenant's chain
 * head every N events, default 1000), {@code sealpost.audit.checkpoint-interval} (and at least this
 * often while a tenant has unsigned events, ISO-8601, default PT15M), {@code
 * sealpost.audit.retention} (how long events are kept, ISO-8601 period, default P6Y; events outlive
 * their envelopes).
 */
public record AuditConfig(int checkpointEvery, Duration checkpointInterval, Period retention) {
  public static AuditConfig from(Settings s) {
    int every = s.integer("sealpost.audit.checkpoint-every", 1000, 1, 10_000_000);
    Duration interval =
        s.positiveDuration("sealpost.audit.checkpoint-interval", Duration.ofMinutes(15));
    String raw = s.string("sealpost.audit.retention", "P6Y");
    Period retention;
    try {
      retention = Period.parse(raw);
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          "sealpost.audit.retention", "must be an ISO-8601 period such as P6Y (got '" + raw + "')");
    }
    if (retention.isNegative() || retention.isZero()) {
      throw new ConfigException(
          "sealpost.audit.retention", "must be a positive period such as P6Y (got '" + raw + "')");
    }
    return new AuditConfig(every, interval, retention);
  }
}
