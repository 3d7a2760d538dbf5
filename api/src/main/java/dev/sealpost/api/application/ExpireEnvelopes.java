package dev.sealpost.api.application;

import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.EnvelopeRepository;
import dev.sealpost.api.domain.ExpiredEnvelopes;
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
 * The expiry sweep ({@code sealpost.expiry.sweep-interval}): every envelope past {@code expires_at}
 * is crypto-shredded like a revoked one. Per envelope, one transaction claims it (ACTIVE to
 * EXPIRED, exactly one instance wins when all sweep at once), destroys its keys (the revocation
 * shred path) and appends ENVELOPE_EXPIRED and KEYS_SHREDDED; then its objects are deleted. Reads
 * check {@code expires_at > now} themselves, so an envelope is unreadable from the second it
 * expires, sweep or not.
 */
@ApplicationScoped
public class ExpireEnvelopes implements Runnable {
  private static final Logger LOG = Logger.getLogger(ExpireEnvelopes.class.getName());
  private static final int BATCH = 100;

  private final Transactions tx;
  private final ExpiredEnvelopes expired;
  private final EnvelopeRepository envelopes;
  private final BlobStore blobs;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration interval;

  @Inject
  public ExpireEnvelopes(
      Transactions tx,
      ExpiredEnvelopes expired,
      EnvelopeRepository envelopes,
      BlobStore blobs,
      AuditLog audit,
      Clock clock,
      ExpirySweepInterval interval) {
    this.tx = tx;
    this.expired = expired;
    this.envelopes = envelopes;
    this.blobs = blobs;
    this.audit = audit;
    this.clock = clock;
    this.interval = interval.value();
  }

  public Duration interval() {
    return interval;
  }

  /** One sweep; returns how many envelopes this instance expired. */
  public int sweep() {
    int total = 0;
    while (true) {
      Instant now = clock.instant();
      List<ExpiredEnvelopes.Ref> due = tx.inTransaction(() -> expired.due(now, BATCH));
      int mine = 0;
      for (ExpiredEnvelopes.Ref ref : due) {
        if (expire(ref, now)) {
          mine++;
        }
      }
      total += mine;
      if (due.size() < BATCH) {
        return total;
      }
      if (mine == 0) {
        return total; // another instance is working through the same batch
      }
    }
  }

  private boolean expire(ExpiredEnvelopes.Ref ref, Instant now) {
    boolean claimed =
        tx.inTransaction(
            () -> {
              if (!expired.claim(ref, now)) {
                return false;
              }
              envelopes.revokeAndShred(ref.tenantId(), ref.envelopeId(), now);
              for (AuditEventType type :
                  List.of(AuditEventType.ENVELOPE_EXPIRED, AuditEventType.KEYS_SHREDDED)) {
                audit.append(
                    AuditEvent.of(type, ref.tenantId(), "system", ClientInfo.SYSTEM, now)
                        .withEnvelope(ref.envelopeId(), null));
              }
              return true;
            });
    if (claimed) {
      try {
        blobs.deleteAll(BlobKey.of(ref.tenantId().value(), ref.envelopeId().value()));
        tx.run(() -> envelopes.markBlobsDeleted(ref.tenantId(), ref.envelopeId(), now));
      } catch (IOException | RuntimeException e) {
        // Keys are gone already: the objects can not be opened. Revoking retries the deletion.
        LOG.log(
            Level.WARNING, "objects of expired envelope " + ref.envelopeId() + " not deleted", e);
      }
    }
    return claimed;
  }

  @Override
  public void run() {
    try {
      int n = sweep();
      if (n > 0) {
        LOG.info("expiry sweep: " + n + " envelope(s) expired and shredded");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "expiry sweep failed; next try in " + interval, e);
    }
  }
}
