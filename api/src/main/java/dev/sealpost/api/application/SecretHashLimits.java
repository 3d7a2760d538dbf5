package dev.sealpost.api.application;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code sealpost.seal.hash-*}: the budget of SHARED_SECRET hashing on seal ({@link
 * SecretHashBudget}): {@code concurrency} hashes at once on this instance, {@code
 * concurrencyPerTenant} of them for one tenant, {@code perMinutePerTenant} hashes per minute per
 * tenant (a burst of as many), and how long a seal may wait for a free slot.
 */
public record SecretHashLimits(
    int concurrency, int concurrencyPerTenant, int perMinutePerTenant, Duration maxWait) {
  /** A seal may carry 16 SHARED_SECRET recipients: a tenant's burst must hold one whole seal. */
  public static final int MIN_PER_MINUTE = 16;

  public SecretHashLimits {
    Objects.requireNonNull(maxWait, "maxWait");
    if (concurrency < 1 || concurrencyPerTenant < 1 || perMinutePerTenant < MIN_PER_MINUTE) {
      throw new IllegalArgumentException("hash limits out of range");
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative");
    }
  }

  /** The defaults: one hash per core, half of them per tenant, 120 per minute, wait PT2S. */
  public static SecretHashLimits defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new SecretHashLimits(cores, Math.max(1, cores / 2), 120, Duration.ofSeconds(2));
  }
}
