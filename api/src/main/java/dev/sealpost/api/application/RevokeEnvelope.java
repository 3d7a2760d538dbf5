package dev.sealpost.api.application;

import dev.sealpost.api.application.EnvelopeQueries.EnvelopeView;
import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.EnvelopeRecord;
import dev.sealpost.api.domain.EnvelopeRepository;
import dev.sealpost.api.domain.EnvelopeStatus;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Revokes an envelope and crypto-shreds it: in one transaction the status becomes REVOKED and every
 * key that could open it is destroyed (server shares, the custody key, link secrets of
 * notifications not yet sent, stored idempotent answers), with ENVELOPE_REVOKED and KEYS_SHREDDED
 * audit events; then its objects are deleted. Idempotent: revoking again re-runs the shredding and
 * the deletion (which may have failed halfway before) and answers the same state, without new
 * events.
 */
@ApplicationScoped
public class RevokeEnvelope {
  private static final Logger LOG = Logger.getLogger(RevokeEnvelope.class.getName());

  private final Transactions tx;
  private final EnvelopeRepository envelopes;
  private final EnvelopeQueries queries;
  private final BlobStore blobs;
  private final AuditLog audit;
  private final Clock clock;

  @Inject
  public RevokeEnvelope(
      Transactions tx,
      EnvelopeRepository envelopes,
      EnvelopeQueries queries,
      BlobStore blobs,
      AuditLog audit,
      Clock clock) {
    this.tx = tx;
    this.envelopes = envelopes;
    this.queries = queries;
    this.blobs = blobs;
    this.audit = audit;
    this.clock = clock;
  }

  public EnvelopeView revoke(Caller caller, EnvelopeId envelopeId, ClientInfo client) {
    EnvelopeQueries.requireSender(caller);
    Instant now = clock.instant();
    EnvelopeRecord before =
        tx.inTransaction(
            () -> {
              EnvelopeRecord e =
                  envelopes
                      .find(caller.tenantId(), envelopeId)
                      .orElseThrow(() -> new NotFoundException("envelope"));
              envelopes.revokeAndShred(caller.tenantId(), envelopeId, now);
              if (e.status() == EnvelopeStatus.ACTIVE) {
                audit.append(
                    AuditEvent.of(
                            AuditEventType.ENVELOPE_REVOKED,
                            caller.tenantId(),
                            caller.actor(),
                            client,
                            now)
                        .withEnvelope(envelopeId, null));
              }
              if (e.shreddedAt() == null) {
                audit.append(
                    AuditEvent.of(
                            AuditEventType.KEYS_SHREDDED,
                            caller.tenantId(),
                            caller.actor(),
                            client,
                            now)
                        .withEnvelope(envelopeId, null));
              }
              return e;
            });
    try {
      blobs.deleteAll(BlobKey.of(caller.tenantId().value(), envelopeId.value()));
      tx.run(() -> envelopes.markBlobsDeleted(caller.tenantId(), envelopeId, now));
    } catch (IOException | RuntimeException e) {
      // The keys are gone already, so the objects cannot be opened; a second DELETE retries.
      LOG.log(Level.WARNING, "objects of revoked envelope " + before.id() + " not all deleted", e);
    }
    return queries.status(caller, envelopeId);
  }
}
