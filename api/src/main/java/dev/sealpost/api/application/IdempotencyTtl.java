package dev.sealpost.api.application;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code sealpost.idempotency.ttl}: how long an {@code Idempotency-Key}'s answer is kept and
 * replayed. Afterwards the sweep deletes it and the same key starts a new request.
 */
public record IdempotencyTtl(Duration value) {
  public IdempotencyTtl {
    Objects.requireNonNull(value, "value");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("the idempotency ttl must be positive");
    }
  }
}
