package dev.sealpost.api.application;

import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code sealpost.audit.retention}: deletes audit events older than the retention period, but only
 * whole stretches that end at a signed checkpoint, which stays as the anchor the verifier starts
 * from ({@link AuditStore#prune}). Events younger than the period, and the newest event, are never
 * deleted. Safe to run on every server instance at once: each prune holds the tenant's head lock.
 */
@ApplicationScoped
public class AuditRetention implements Runnable {
  private static final Logger LOG = Logger.getLogger(AuditRetention.class.getName());

  private final Transactions tx;
  private final AuditStore store;
  private final Clock clock;
  private final Period retention;

  @Inject
  public AuditRetention(
      Transactions tx, AuditStore store, Clock clock, AuditRetentionPeriod retention) {
    this.tx = tx;
    this.store = store;
    this.clock = clock;
    this.retention = retention.value();
  }

  /** Events before this instant are past retention. */
  public Instant cutoff() {
    return clock.instant().atOffset(ZoneOffset.UTC).minus(retention).toInstant();
  }

  @Override
  public void run() {
    try {
      Instant cutoff = cutoff();
      List<TenantId> tenants = tx.inTransaction(() -> store.tenantsWithEventsBefore(cutoff));
      for (TenantId tenant : tenants) {
        try {
          tx.inTransaction(() -> store.prune(tenant, cutoff));
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "audit retention for tenant " + tenant + " failed: " + e, e);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "audit retention sweep failed: " + e, e);
    }
  }
}
