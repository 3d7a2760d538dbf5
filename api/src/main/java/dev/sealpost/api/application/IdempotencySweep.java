package dev.sealpost.api.application;

import dev.sealpost.api.domain.IdempotencyStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes {@code Idempotency-Key} records once their window ({@link IdempotencyTtl}) is over: a
 * stored answer holds the consumer links sealed only under the server's own keys, so it must not
 * outlive the retries it exists for. Runs on every server instance ({@link #PERIOD}); each batch is
 * bounded and its own transaction, and instances sweeping at once skip each other's deletions.
 */
@ApplicationScoped
public class IdempotencySweep implements Runnable {
  private static final Logger LOG = Logger.getLogger(IdempotencySweep.class.getName());

  /** How often each instance sweeps: a record outlives its window by at most about this. */
  public static final Duration PERIOD = Duration.ofMinutes(5);

  static final int BATCH = 500;

  /** Batches per run at most, so that one run stays short; the next run goes on. */
  static final int MAX_BATCHES = 200;

  private final IdempotencyStore store;
  private final Clock clock;
  private final Duration ttl;

  @Inject
  public IdempotencySweep(IdempotencyStore store, Clock clock, IdempotencyTtl ttl) {
    this.store = store;
    this.clock = clock;
    this.ttl = ttl.value();
  }

  /** One sweep; answers how many records this instance deleted. */
  public int sweep() {
    Instant cutoff = clock.instant().minus(ttl);
    int total = 0;
    for (int batch = 0; batch < MAX_BATCHES; batch++) {
      int deleted = store.deleteCreatedBefore(cutoff, BATCH);
      total += deleted;
      if (deleted < BATCH) {
        break; // done, or another instance is deleting the same rows
      }
    }
    return total;
  }

  @Override
  public void run() {
    try {
      int n = sweep();
      if (n > 0) {
        LOG.info("idempotency sweep: " + n + " record(s) past their window deleted");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "idempotency sweep failed; next try in " + PERIOD, e);
    }
  }
}
