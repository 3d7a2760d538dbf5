package dev.sealpost.api.application;

import dev.sealpost.api.domain.KeyUnavailableException;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.WebhookId;
import dev.sealpost.api.domain.WebhookOutbox;
import dev.sealpost.api.domain.WebhookOutbox.Claimed;
import dev.sealpost.api.domain.WebhookOutbox.Due;
import dev.sealpost.api.domain.WebhookRepository;
import dev.sealpost.api.domain.WebhookRepository.DeliveryTarget;
import dev.sealpost.api.domain.WebhookSender;
import dev.sealpost.api.domain.WebhookSender.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The webhook relay: delivers the outbox rows that audit events wrote in their own transactions.
 *
 * <p>Each pass (every second, on every instance) claims due rows with a lease (one short
 * transaction each) and hands them to a small pool of its own; a delivery opens the sealed secrets
 * in a short transaction, then sends with no transaction or connection held, then records the
 * outcome in another. At most {@link Policy#perEndpoint()} deliveries per webhook are in flight at
 * once and a busy webhook's rows are not even read, so a dead endpoint (which costs at most its
 * timeouts) slows no other. A failed attempt is retried with exponential back-off and jitter until
 * {@link Policy#retryFor()} after the event, then the row is FAILED.
 *
 * <p>At least once: a crash after the endpoint answered but before the outcome committed delivers
 * the row again when its lease ends, with the same {@code webhook-id}, which receivers use to drop
 * duplicates.
 */
public final class WebhookRelay implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WebhookRelay.class.getName());

  /**
   * {@code retryFor}: give up this long after the event ({@code sealpost.webhooks.retry-for});
   * delay before attempt n+1 is {@code min(maxDelay, baseDelay * 2^(n-1))} plus up to 20% jitter;
   * {@code lease} must outlast one attempt's timeouts.
   */
  public record Policy(
      Duration retryFor,
      Duration baseDelay,
      Duration maxDelay,
      Duration lease,
      int perEndpoint,
      int threads) {
    public Duration delayAfter(int attempts) {
      long base = baseDelay.toMillis();
      long exp = base << Math.min(30, Math.max(0, attempts - 1));
      return Duration.ofMillis(Math.min(maxDelay.toMillis(), exp < 0 ? Long.MAX_VALUE : exp));
    }
  }

  private final Transactions tx;
  private final WebhookOutbox outbox;
  private final WebhookRepository webhooks;
  private final SecretSealer sealer;
  private final WebhookSender sender;
  private final Clock clock;
  private final Policy policy;
  private final ThreadPoolExecutor pool;
  private final Map<WebhookId, AtomicInteger> inFlight = new ConcurrentHashMap<>();

  public WebhookRelay(
      Transactions tx,
      WebhookOutbox outbox,
      WebhookRepository webhooks,
      SecretSealer sealer,
      WebhookSender sender,
      Clock clock,
      Policy policy) {
    this.tx = tx;
    this.outbox = outbox;
    this.webhooks = webhooks;
    this.sealer = sealer;
    this.sender = sender;
    this.clock = clock;
    this.policy = policy;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            policy.threads(),
            policy.threads(),
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "sealpost-webhook-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
  }

  /** One pass: claims what it can deliver now and starts it; answers how many. Never throws. */
  public int runOnce() {
    return startDue().size();
  }

  /** For tests: one pass, then waits for the deliveries it started. */
  int runOnceAndWait() throws Exception {
    List<Future<?>> started = startDue();
    for (Future<?> f : started) {
      f.get(30, TimeUnit.SECONDS);
    }
    return started.size();
  }

  private List<Future<?>> startDue() {
    List<Future<?>> started = new ArrayList<>();
    try {
      int free = policy.threads() - pool.getActiveCount() - pool.getQueue().size();
      if (free <= 0) {
        return started;
      }
      Instant now = clock.instant();
      Set<WebhookId> busy = busyWebhooks();
      List<Due> due = tx.inTransaction(() -> outbox.due(now, Math.max(free * 2, 10), busy));
      for (Due d : due) {
        if (started.size() >= free) {
          break;
        }
        Future<?> f = start(d);
        if (f != null) {
          started.add(f);
        }
      }
    } catch (RuntimeException e) {
      LOG.warning("webhook relay pass failed: " + e.getClass().getSimpleName());
    }
    return started;
  }

  private Set<WebhookId> busyWebhooks() {
    Set<WebhookId> busy = ConcurrentHashMap.newKeySet();
    inFlight.forEach(
        (id, n) -> {
          if (n.get() >= policy.perEndpoint()) {
            busy.add(id);
          }
        });
    return busy;
  }

  /** Claims and starts one row; null if it is at its endpoint's limit or someone else has it. */
  private Future<?> start(Due d) {
    AtomicInteger n = inFlight.computeIfAbsent(d.webhookId(), k -> new AtomicInteger());
    if (n.incrementAndGet() > policy.perEndpoint()) {
      n.decrementAndGet();
      return null;
    }
    boolean submitted = false;
    try {
      Instant now = clock.instant();
      Optional<Claimed> claimed =
          tx.inTransaction(() -> outbox.claim(d.id(), now, now.plus(policy.lease())));
      if (claimed.isEmpty()) {
        return null; // another instance has it
      }
      Future<?> f =
          pool.submit(
              () -> {
                try {
                  deliver(claimed.get());
                } catch (RuntimeException e) {
                  LOG.warning("webhook delivery failed: " + e.getClass().getSimpleName());
                } finally {
                  n.decrementAndGet();
                }
              });
      submitted = true;
      return f;
    } catch (RejectedExecutionException e) {
      return null; // shutting down; the lease brings the row back
    } finally {
      if (!submitted) {
        n.decrementAndGet();
      }
    }
  }

  /** One attempt: never holds a transaction while the endpoint is being waited for. */
  void deliver(Claimed row) {
    Optional<DeliveryTarget> target = tx.inTransaction(() -> webhooks.target(row.webhookId()));
    if (target.isEmpty()) {
      return; // deleted meanwhile: its rows went with it
    }
    List<byte[]> secrets;
    try {
      secrets = secrets(row.webhookId(), target.get());
    } catch (KeyUnavailableException e) {
      record(row, new Outcome(null, "signing secret unavailable"));
      return;
    }
    long timestamp = clock.instant().getEpochSecond();
    Outcome outcome;
    try {
      outcome = sender.send(target.get().url(), row.id(), timestamp, row.payload(), secrets);
    } finally {
      secrets.forEach(s -> Arrays.fill(s, (byte) 0));
    }
    record(row, outcome);
  }

  private List<byte[]> secrets(WebhookId id, DeliveryTarget t) {
    List<byte[]> out = new ArrayList<>();
    out.add(open(t, id, t.current()));
    if (t.previous() != null
        && t.previousUntil() != null
        && t.previousUntil().isAfter(clock.instant())) {
      out.add(open(t, id, t.previous()));
    }
    return out;
  }

  private byte[] open(DeliveryTarget t, WebhookId id, String sealed) {
    byte[] text = sealer.open(WebhookAdministration.secretContext(t.tenantId(), id), sealed);
    try {
      WebhookSecret secret = WebhookSecret.parse(new String(text, StandardCharsets.US_ASCII));
      byte[] key = secret.bytes();
      secret.destroy();
      return key;
    } finally {
      Arrays.fill(text, (byte) 0);
    }
  }

  private void record(Claimed row, Outcome outcome) {
    Instant now = clock.instant();
    if (outcome.delivered()) {
      tx.run(() -> outbox.markDelivered(row.id(), outcome.status(), now));
      return;
    }
    String error =
        outcome.error() != null ? outcome.error() : "endpoint answered " + outcome.status();
    Duration delay = policy.delayAfter(row.attempts());
    long fifth = delay.toMillis() / 5;
    Instant next =
        now.plus(delay).plusMillis(fifth == 0 ? 0 : ThreadLocalRandom.current().nextLong(fifth));
    if (next.isAfter(row.createdAt().plus(policy.retryFor()))) {
      tx.run(() -> outbox.markFailed(row.id(), outcome.status(), error, now));
      LOG.warning("webhook delivery " + row.id() + " failed for good after " + row.attempts());
    } else {
      tx.run(() -> outbox.retryLater(row.id(), outcome.status(), error, now, next));
    }
  }

  /** Stops taking work and waits briefly for deliveries in flight (their leases cover the rest). */
  @Override
  public void close() {
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.shutdownNow();
  }
}
