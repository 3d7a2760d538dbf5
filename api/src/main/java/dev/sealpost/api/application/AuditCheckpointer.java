package dev.sealpost.api.application;

import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The time-based half of "a signed checkpoint every N events or M minutes": signs the head of every
 * tenant that has events no checkpoint covers and no checkpoint newer than {@code interval}. Safe
 * to run on every server instance at once: {@link AuditStore#checkpointHead} takes the tenant's
 * head lock and signs only if the head is still uncovered.
 */
@ApplicationScoped
public class AuditCheckpointer implements Runnable {
  private static final Logger LOG = Logger.getLogger(AuditCheckpointer.class.getName());

  private final Transactions tx;
  private final AuditStore store;
  private final Clock clock;
  private final Duration interval;

  @Inject
  public AuditCheckpointer(
      Transactions tx, AuditStore store, Clock clock, AuditCheckpointInterval interval) {
    this.tx = tx;
    this.store = store;
    this.clock = clock;
    this.interval = interval.value();
  }

  /** How often to look: a quarter of the interval, between 1 second and 1 minute. */
  public Duration period() {
    Duration p = interval.dividedBy(4);
    if (p.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return p.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : p;
  }

  @Override
  public void run() {
    try {
      List<TenantId> due =
          tx.inTransaction(() -> store.tenantsDueForCheckpoint(clock.instant().minus(interval)));
      for (TenantId tenant : due) {
        try {
          tx.inTransaction(() -> store.checkpointHead(tenant));
        } catch (RuntimeException e) {
          LOG.log(Level.SEVERE, "audit checkpoint for tenant " + tenant + " failed: " + e, e);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "audit checkpoint sweep failed: " + e, e);
    }
  }
}
