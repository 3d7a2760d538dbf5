package dev.sealpost.api.infrastructure.config;

import java.time.Duration;

/** {@code sealpost.expiry.sweep-interval}: ISO-8601, default PT1M. */
public record ExpiryConfig(Duration sweepInterval) {
  public static ExpiryConfig from(Settings s) {
    return new ExpiryConfig(
        s.positiveDuration("sealpost.expiry.sweep-interval", Duration.ofMinutes(1)));
  }
}
