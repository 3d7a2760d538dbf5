package dev.sealpost.api.interfaces.rest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-key token buckets: {@code perMinute} requests per minute with bursts up to the same number.
 * In memory, per server instance: a limit protects the service, it need not be exact across
 * instances (unlike attempt counters, which live in the database).
 */
public final class RateLimiter {
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;

  public RateLimiter(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Whether a request may go ahead now; if not, how long to wait. */
  public record Decision(boolean allowed, long retryAfterSeconds) {}

  public Decision acquire(String key, int perMinute) {
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(perMinute, nanoClock.getAsLong()));
    synchronized (b) {
      long now = nanoClock.getAsLong();
      double ratePerNano = perMinute / 60e9;
      b.tokens = Math.min(perMinute, b.tokens + (now - b.lastRefill) * ratePerNano);
      b.lastRefill = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return new Decision(true, 0);
      }
      double waitNanos = (1 - b.tokens) / ratePerNano;
      return new Decision(false, Math.max(1, (long) Math.ceil(waitNanos / 1e9)));
    }
  }

  private static final class Bucket {
    double tokens;
    long lastRefill;

    Bucket(int capacity, long now) {
      this.tokens = capacity;
      this.lastRefill = now;
    }
  }
}
