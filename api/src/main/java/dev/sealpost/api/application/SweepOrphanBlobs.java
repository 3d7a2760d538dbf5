package dev.sealpost.api.application;

import dev.sealpost.api.domain.BlobCleanup;
import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The orphan-blob sweep: deletes objects that no committed envelope owns. A seal writes its objects
 * before the transaction that records the envelope; if the process dies in between, or the commit
 * fails and the clean-up fails too, the objects are orphans. Likewise, a revocation or expiry
 * commits first and deletes the objects after. Both leave a {@link BlobCleanup} row (written before
 * the objects, resp. in the shredding transaction); this sweep claims the rows past their due time
 * ({@code sealpost.blobs.orphan-grace} after a seal started, at once after a shred), deletes the
 * objects and drops the row. Safe on every instance at once: a row is claimed by one instance, and
 * a seal whose row was claimed can no longer commit. A failed deletion is retried after the claim's
 * lease.
 */
@ApplicationScoped
public class SweepOrphanBlobs implements Runnable {
  private static final Logger LOG = Logger.getLogger(SweepOrphanBlobs.class.getName());
  private static final int BATCH = 100;

  /** The shortest claim: longer than deleting one envelope's objects takes. */
  static final Duration MIN_LEASE = Duration.ofSeconds(10);

  private final Transactions tx;
  private final BlobCleanup cleanup;
  private final BlobStore blobs;
  private final Clock clock;
  private final OrphanBlobPolicy policy;

  /**
   * How long a claim keeps other instances away from a prefix being deleted: two sweep intervals,
   * at least {@link #MIN_LEASE}. A sweep that dies mid-deletion is retried after it.
   */
  private final Duration lease;

  @Inject
  public SweepOrphanBlobs(
      Transactions tx, BlobCleanup cleanup, BlobStore blobs, Clock clock, OrphanBlobPolicy policy) {
    this.tx = tx;
    this.cleanup = cleanup;
    this.blobs = blobs;
    this.clock = clock;
    this.policy = policy;
    Duration twice = policy.interval().multipliedBy(2);
    this.lease = twice.compareTo(MIN_LEASE) > 0 ? twice : MIN_LEASE;
  }

  public Duration interval() {
    return policy.interval();
  }

  /** One pass; answers how many prefixes this instance cleaned. */
  public int sweep() {
    Instant now = clock.instant();
    List<BlobKey> due = tx.inTransaction(() -> cleanup.due(now, lease, BATCH));
    int cleaned = 0;
    for (BlobKey prefix : due) {
      if (!tx.inTransaction(() -> cleanup.claim(prefix, now, lease))) {
        continue; // another instance, or the seal committed meanwhile
      }
      try {
        int n = blobs.deleteAll(prefix);
        tx.run(() -> cleanup.done(prefix));
        if (n > 0) {
          LOG.info("orphan sweep: deleted " + n + " object(s) under " + prefix);
        }
        cleaned++;
      } catch (IOException | RuntimeException e) {
        LOG.warning(
            "orphan sweep: objects under "
                + prefix
                + " not deleted ("
                + e.getClass().getSimpleName()
                + "); retried after "
                + lease);
      }
    }
    return cleaned;
  }

  @Override
  public void run() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "orphan sweep failed; next try in " + policy.interval(), e);
    }
  }
}
