package dev.sealpost.api.application;

import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.EnvelopeRepository;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.ReplyRecord;
import dev.sealpost.api.domain.ReplyRepository;
import dev.sealpost.api.domain.StorageUnavailableException;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;

/**
 * The sender's side of replies (SENDER, the caller's tenant only, as {@code GET
 * /v1/envelopes/{id}}): list them, fetch a reply's manifest ({@code REPLY_FETCHED}) and its
 * attachment objects, all ciphertext exactly as received. Another tenant's ids are not found.
 */
@ApplicationScoped
public class ReplyQueries {
  private final Transactions tx;
  private final EnvelopeRepository envelopes;
  private final ReplyRepository replies;
  private final BlobStore blobs;
  private final AuditLog audit;
  private final Clock clock;

  @Inject
  public ReplyQueries(
      Transactions tx,
      EnvelopeRepository envelopes,
      ReplyRepository replies,
      BlobStore blobs,
      AuditLog audit,
      Clock clock) {
    this.tx = tx;
    this.envelopes = envelopes;
    this.replies = replies;
    this.blobs = blobs;
    this.audit = audit;
    this.clock = clock;
  }

  /** An object's ciphertext and its length. */
  public record Blob(InputStream stream, long length) {}

  /** The envelope's replies, oldest first. */
  public List<ReplyRecord> list(Caller caller, EnvelopeId envelopeId) {
    EnvelopeQueries.requireSender(caller);
    return tx.inTransaction(
        () -> {
          envelopes
              .find(caller.tenantId(), envelopeId)
              .orElseThrow(() -> new NotFoundException("envelope"));
          return replies.list(caller.tenantId(), envelopeId);
        });
  }

  /** The reply's manifest (the JWE document as received); records {@code REPLY_FETCHED}. */
  public Blob manifest(Caller caller, EnvelopeId envelopeId, String replyId, ClientInfo client) {
    EnvelopeQueries.requireSender(caller);
    ReplyRecord r =
        tx.inTransaction(
            () -> {
              ReplyRecord found = find(caller, envelopeId, replyId);
              audit.append(
                  AuditEvent.of(
                          AuditEventType.REPLY_FETCHED,
                          caller.tenantId(),
                          caller.actor(),
                          client,
                          clock.instant())
                      .withEnvelope(envelopeId, found.recipientId())
                      .withDetail("reply: " + found.id()));
              return found;
            });
    return open(r.manifestBlob(), r.manifestSize());
  }

  /** One of the reply's attachment objects (a STREAM object as received). */
  public Blob attachment(
      Caller caller, EnvelopeId envelopeId, String replyId, String attachmentId) {
    EnvelopeQueries.requireSender(caller);
    ReplyRecord r = tx.inTransaction(() -> find(caller, envelopeId, replyId));
    ReplyRecord.Part part =
        r.attachments().stream()
            .filter(a -> a.id().equals(attachmentId))
            .findFirst()
            .orElseThrow(() -> new NotFoundException("attachment"));
    return open(part.blobKey(), part.size());
  }

  private ReplyRecord find(Caller caller, EnvelopeId envelopeId, String replyId) {
    return replies
        .find(caller.tenantId(), envelopeId, replyId)
        .orElseThrow(() -> new NotFoundException("reply"));
  }

  private Blob open(String key, long length) {
    try {
      return new Blob(blobs.get(new BlobKey(key)), length);
    } catch (IOException e) {
      throw new StorageUnavailableException("reply read failed", e);
    }
  }
}
