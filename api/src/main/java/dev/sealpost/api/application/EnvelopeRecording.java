package dev.sealpost.api.application;

import dev.sealpost.api.domain.AttachmentRecord;
import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.BlobCleanup;
import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.EnvelopeRecord;
import dev.sealpost.api.domain.EnvelopeRepository;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.RecipientRecord;
import dev.sealpost.api.domain.StorageUnavailableException;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The last step of {@link SealEnvelope}: records a sealed envelope in one transaction (its row, its
 * recipients and attachments, one pending notification per notified consumer, the {@code
 * ENVELOPE_CREATED} audit event, and whatever the caller adds, such as the idempotent answer), so
 * either all of it exists or none. It also settles the seal's {@link BlobCleanup} row, so its
 * objects are no longer orphans; a row the orphan sweep already claimed refuses the commit.
 */
@ApplicationScoped
public class EnvelopeRecording {
  private final Transactions tx;
  private final EnvelopeRepository envelopes;
  private final AuditLog audit;
  private final BlobCleanup cleanup;

  @Inject
  public EnvelopeRecording(
      Transactions tx, EnvelopeRepository envelopes, AuditLog audit, BlobCleanup cleanup) {
    this.tx = tx;
    this.envelopes = envelopes;
    this.audit = audit;
    this.cleanup = cleanup;
  }

  /**
   * What one seal records. {@code notifications} maps a recipient id to the relay's payload; all
   * rows carry the envelope's {@code createdAt}.
   */
  public record Rows(
      EnvelopeRecord envelope,
      List<RecipientRecord> recipients,
      List<AttachmentRecord> attachments,
      Map<RecipientId, String> notifications) {
    public Rows {
      recipients = List.copyOf(recipients);
      attachments = List.copyOf(attachments);
    }
  }

  /** Records {@code rows}; {@code alsoInTransaction} runs last, inside the same transaction. */
  public void record(Rows rows, String actor, ClientInfo client, Runnable alsoInTransaction) {
    EnvelopeRecord envelope = rows.envelope();
    BlobKey objects = BlobKey.of(envelope.tenantId().value(), envelope.id().value());
    // Concurrent seals share one commit (group commit): one audit-head lock and one WAL flush for
    // the batch; this returns only after the commit, so the 201 still follows a durable record.
    tx.runGrouped(
        () -> {
          if (!cleanup.settle(objects)) {
            // The orphan sweep took the objects (the seal outlasted sealpost.blobs.orphan-grace).
            throw new StorageUnavailableException("seal outlasted the orphan grace", null);
          }
          envelopes.insert(envelope, rows.recipients(), rows.attachments());
          rows.notifications()
              .forEach(
                  (recipientId, payload) ->
                      envelopes.insertNotification(
                          UUID.randomUUID().toString(),
                          envelope.tenantId(),
                          envelope.id(),
                          recipientId,
                          payload,
                          envelope.createdAt()));
          audit.append(
              AuditEvent.of(
                      AuditEventType.ENVELOPE_CREATED,
                      envelope.tenantId(),
                      actor,
                      client,
                      envelope.createdAt())
                  .withEnvelope(envelope.id(), null));
          alsoInTransaction.run();
        });
  }
}
