package dev.sealpost.api.infrastructure.config;

import java.time.Duration;

/**
 * {@code sealpost.idempotency.ttl} (ISO-8601 duration, default PT24H, from PT1H to P7D): how long
 * an {@code Idempotency-Key}'s answer is kept and replayed. At least an hour so that a slow seal's
 * claim is never swept while it runs.
 */
public record IdempotencyConfig(Duration ttl) {
  public static final String TTL = "sealpost.idempotency.ttl";
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);
  public static final Duration MIN_TTL = Duration.ofHours(1);
  public static final Duration MAX_TTL = Duration.ofDays(7);

  public static IdempotencyConfig from(Settings s) {
    Duration ttl = s.positiveDuration(TTL, DEFAULT_TTL);
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new ConfigException(
          TTL, "must be between PT1H and P7D (got '" + s.string(TTL, "") + "')");
    }
    return new IdempotencyConfig(ttl);
  }
}
