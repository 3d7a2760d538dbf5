package dev.sealpost.api.application;

import dev.sealpost.api.domain.RetryLaterException;
import dev.sealpost.api.domain.RetryLaterException.Reason;
import dev.sealpost.api.domain.SharedSecretHash;
import dev.sealpost.api.domain.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The budget of SHARED_SECRET hashing on seal (PBKDF2 with 600,000 rounds is meant to be slow, so
 * unbudgeted it is a lever for burning the server's CPU). Per tenant: a token bucket of {@link
 * SecretHashLimits#perMinutePerTenant()} hashes refilled over a minute (over it: {@code
 * TENANT_OVER_BUDGET}, answered 429) and at most {@link SecretHashLimits#concurrencyPerTenant()}
 * seals hashing at once; per instance at most {@link SecretHashLimits#concurrency()} (no free slot
 * within {@link SecretHashLimits#maxWait()}: {@code SERVER_BUSY}, answered 503). A seal hashes its
 * secrets one after another in one slot. Callers hold no database connection here.
 */
@ApplicationScoped
public class SecretHashBudget {
  private final SecretHashLimits limits;
  private final Clock clock;
  private final UnaryOperator<String> hasher;
  private final Semaphore global;
  private final Map<TenantId, Share> shares = new ConcurrentHashMap<>();

  @Inject
  public SecretHashBudget(SecretHashLimits limits, Clock clock) {
    this(limits, clock, SharedSecretHash::hash);
  }

  SecretHashBudget(SecretHashLimits limits, Clock clock, UnaryOperator<String> hasher) {
    this.limits = limits;
    this.clock = clock;
    this.hasher = hasher;
    this.global = new Semaphore(limits.concurrency(), true);
  }

  /** One tenant's share: a token bucket and its concurrent slots. */
  private final class Share {
    private final Semaphore slots = new Semaphore(limits.concurrencyPerTenant(), true);
    private double tokens = limits.perMinutePerTenant();
    private Instant last = clock.instant();

    /** Takes {@code n} tokens, or answers how many seconds until there are enough. */
    synchronized long take(int n) {
      Instant now = clock.instant();
      double perSecond = limits.perMinutePerTenant() / 60.0;
      long ms = Math.max(0, now.toEpochMilli() - last.toEpochMilli());
      tokens = Math.min(limits.perMinutePerTenant(), tokens + ms * perSecond / 1000.0);
      last = now;
      if (tokens >= n) {
        tokens -= n;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((n - tokens) / perSecond));
    }

    synchronized void giveBack(int n) {
      tokens = Math.min(limits.perMinutePerTenant(), tokens + n);
    }
  }

  /**
   * The hashes of {@code secrets}, in order, within the budget.
   *
   * @throws RetryLaterException {@code TENANT_OVER_BUDGET} or {@code SERVER_BUSY}
   */
  public List<String> hashAll(TenantId tenant, List<String> secrets) {
    if (secrets.isEmpty()) {
      return List.of();
    }
    int n = secrets.size();
    Share share = shares.computeIfAbsent(tenant, t -> new Share());
    long wait = share.take(n);
    if (wait > 0) {
      throw new RetryLaterException(
          Reason.TENANT_OVER_BUDGET,
          "this tenant is over its budget of shared-secret recipients per minute",
          wait);
    }
    long deadline = System.nanoTime() + limits.maxWait().toNanos();
    boolean done = false;
    try {
      if (!acquire(share.slots, deadline)) {
        throw new RetryLaterException(
            Reason.TENANT_OVER_BUDGET,
            "this tenant is sealing too many shared-secret recipients at once",
            1);
      }
      try {
        if (!acquire(global, deadline)) {
          throw new RetryLaterException(
              Reason.SERVER_BUSY, "the server is busy; nothing was changed; try again", 2);
        }
        try {
          List<String> out = new ArrayList<>(n);
          for (String s : secrets) {
            out.add(hasher.apply(s));
          }
          done = true;
          return out;
        } finally {
          global.release();
        }
      } finally {
        share.slots.release();
      }
    } finally {
      if (!done) {
        share.giveBack(n);
      }
    }
  }

  private static boolean acquire(Semaphore s, long deadline) {
    try {
      return s.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
