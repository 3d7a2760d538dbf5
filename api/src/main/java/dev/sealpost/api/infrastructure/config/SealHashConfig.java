package dev.sealpost.api.infrastructure.config;

import java.time.Duration;

/**
 * The budget of SHARED_SECRET hashing on seal: {@code sealpost.seal.hash-concurrency} (hashes at
 * once on this instance, default the number of cores), {@code
 * sealpost.seal.hash-concurrency-per-tenant} (default half of that, at least 1), {@code
 * sealpost.seal.hashes-per-minute} (per tenant, default 120, at least 16: one seal's worth) and
 * {@code sealpost.seal.hash-max-wait} (how long a seal may wait for a free slot, default PT2S, at
 * most PT1M).
 */
public record SealHashConfig(
    int concurrency, int concurrencyPerTenant, int perMinutePerTenant, Duration maxWait) {
  public static final String MAX_WAIT = "sealpost.seal.hash-max-wait";

  public static SealHashConfig from(Settings s) {
    int cores = Runtime.getRuntime().availableProcessors();
    int concurrency = s.integer("sealpost.seal.hash-concurrency", cores, 1, 1024);
    int perTenant =
        s.integer(
            "sealpost.seal.hash-concurrency-per-tenant",
            Math.max(1, concurrency / 2),
            1,
            concurrency);
    int perMinute = s.integer("sealpost.seal.hashes-per-minute", 120, 16, 1_000_000);
    Duration wait = s.positiveDuration(MAX_WAIT, Duration.ofSeconds(2));
    if (wait.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new ConfigException(
          MAX_WAIT, "must be at most PT1M (got '" + s.string(MAX_WAIT, "") + "')");
    }
    return new SealHashConfig(concurrency, perTenant, perMinute, wait);
  }
}
