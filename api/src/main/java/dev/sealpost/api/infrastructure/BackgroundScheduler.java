package dev.sealpost.api.infrastructure;

import dev.sealpost.api.application.AuditCheckpointer;
import dev.sealpost.api.application.AuditRetention;
import dev.sealpost.api.application.ExpireEnvelopes;
import dev.sealpost.api.application.IdempotencySweep;
import dev.sealpost.api.application.NotificationRelay;
import dev.sealpost.api.application.SweepOrphanBlobs;
import dev.sealpost.api.application.WebhookRelay;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The server's background work on the container's default managed scheduler: the notification relay
 * (every second), the expiry sweep ({@code sealpost.expiry.sweep-interval}), audit checkpoints
 * ({@code sealpost.audit.checkpoint-interval}), audit retention (hourly) and the deletion of {@code
 * Idempotency-Key} answers past {@code sealpost.idempotency.ttl} ({@link IdempotencySweep#PERIOD})
 * and the orphan-blob sweep ({@code sealpost.blobs.orphan-sweep-interval}, {@link
 * SweepOrphanBlobs}) and the webhook relay (every second, {@link WebhookRelay}). Every instance
 * runs all of it; the work claims rows atomically, so instances never do a task twice.
 */
@ApplicationScoped
public class BackgroundScheduler {
  private final NotificationRelay relay;
  private final ExpireEnvelopes expiry;
  private final AuditCheckpointer checkpointer;
  private final AuditRetention retention;
  private final IdempotencySweep idempotency;
  private final SweepOrphanBlobs orphans;
  private final WebhookRelay webhooks;
  private final List<ScheduledFuture<?>> futures = new ArrayList<>();

  /** A run holds the read side; {@link #stop} takes the write side to wait for the last run. */
  private final ReadWriteLock running = new ReentrantReadWriteLock();

  private volatile boolean stopped;

  @Resource ManagedScheduledExecutorService executor;

  @Inject
  public BackgroundScheduler(
      NotificationRelay relay,
      ExpireEnvelopes expiry,
      AuditCheckpointer checkpointer,
      AuditRetention retention,
      IdempotencySweep idempotency,
      SweepOrphanBlobs orphans,
      WebhookRelay webhooks) {
    this.relay = relay;
    this.expiry = expiry;
    this.checkpointer = checkpointer;
    this.retention = retention;
    this.idempotency = idempotency;
    this.orphans = orphans;
    this.webhooks = webhooks;
  }

  /** Idempotent. */
  public synchronized void start() {
    if (!futures.isEmpty() || stopped) {
      return;
    }
    every(relay::runOnce, 1_000, 1_000);
    every(webhooks::runOnce, 1_000, 1_000);
    long sweep = expiry.interval().toMillis();
    every(expiry, Math.min(sweep, 5_000), sweep);
    long checkpoints = checkpointer.period().toMillis();
    every(checkpointer, checkpoints, checkpoints);
    every(retention, TimeUnit.MINUTES.toMillis(1), TimeUnit.MINUTES.toMillis(60));
    long idempotencySweep = IdempotencySweep.PERIOD.toMillis();
    every(idempotency, TimeUnit.MINUTES.toMillis(1), idempotencySweep);
    long orphanSweep = orphans.interval().toMillis();
    every(orphans, Math.min(orphanSweep, 5_000), orphanSweep);
  }

  private void every(Runnable task, long initialDelayMs, long delayMs) {
    futures.add(
        executor.scheduleWithFixedDelay(
            () -> runUnlessStopped(task), initialDelayMs, delayMs, TimeUnit.MILLISECONDS));
  }

  private void runUnlessStopped(Runnable task) {
    if (!running.readLock().tryLock()) {
      return;
    }
    try {
      if (!stopped) {
        task.run();
      }
    } finally {
      running.readLock().unlock();
    }
  }

  /** Cancels the schedule and waits up to 5 seconds for a run in progress (it may use the pool). */
  @PreDestroy
  public synchronized void stop() {
    stopped = true;
    futures.forEach(f -> f.cancel(true));
    futures.clear();
    try {
      if (running.writeLock().tryLock(5, TimeUnit.SECONDS)) {
        running.writeLock().unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
