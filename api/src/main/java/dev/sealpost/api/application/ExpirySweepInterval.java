package dev.sealpost.api.application;

import java.time.Duration;
import java.util.Objects;

/** {@code sealpost.expiry.sweep-interval}: how often expired envelopes are swept. */
public record ExpirySweepInterval(Duration value) {
  public ExpirySweepInterval {
    Objects.requireNonNull(value, "value");
  }
}
