package dev.sealpost.api.application;

import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.BlobCleanup;
import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.LinkAccess;
import dev.sealpost.api.domain.OpenLinkRepository;
import dev.sealpost.api.domain.OpenLinkRepository.LinkState;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.ReplyRecord;
import dev.sealpost.api.domain.ReplyRefusedException;
import dev.sealpost.api.domain.ReplyRepository;
import dev.sealpost.api.domain.StorageUnavailableException;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A consumer's secure reply ({@code POST /v1/open/{e}/{r}/replies}, REPLY-WIRE.md). The access
 * token of an open authorises it, for its own recipient only; whether the recipient may reply
 * ({@link ReplyGate}) is asked before the body is read and again under the recipient's row lock in
 * the committing transaction, so {@code sealpost.reply.max-per-recipient} holds exactly under
 * concurrent uploads and across instances.
 *
 * <p>The parts (ciphertext only: the server has no key to any of it) stream into the blob store
 * under a prefix of their own, each hashed as it passes; {@code sealpost.reply.max-bytes} is
 * counted as they stream. The receipt is signed over the digests, then one transaction records the
 * reply, audits {@code REPLY_SENT} and queues the {@code reply.received} webhook. On any failure
 * the objects written are deleted; a crash leaves a {@link BlobCleanup} row, written before the
 * first object, for the orphan sweep.
 */
@ApplicationScoped
public class ReceiveReply {
  private static final Logger LOG = Logger.getLogger(ReceiveReply.class.getName());

  private final Transactions tx;
  private final OpenLinkRepository links;
  private final ReplyRepository replies;
  private final BlobStore blobs;
  private final BlobCleanup cleanup;
  private final KeyService keys;
  private final AuditLog audit;
  private final Clock clock;
  private final ReplyLimits limits;
  private final Duration orphanGrace;
  private final OpenLinkSessions sessions;
  private final ReplyGate gate;

  @Inject
  public ReceiveReply(
      Transactions tx,
      OpenLinkRepository links,
      TenantRepository tenants,
      ReplyRepository replies,
      BlobStore blobs,
      BlobCleanup cleanup,
      KeyService keys,
      AuditLog audit,
      Clock clock,
      ReplyLimits limits,
      OrphanBlobPolicy orphans,
      AccessTokenTtl accessTokenTtl) {
    this.tx = tx;
    this.links = links;
    this.replies = replies;
    this.blobs = blobs;
    this.cleanup = cleanup;
    this.keys = keys;
    this.audit = audit;
    this.clock = clock;
    this.limits = limits;
    this.orphanGrace = orphans.grace();
    this.sessions = new OpenLinkSessions(tx, links, clock, accessTokenTtl.value());
    this.gate = new ReplyGate(tenants, replies, limits);
  }

  /** What the viewer learns after verify: the reply keys, the replies left, the byte limit. */
  public record Offer(String keysJson, int remaining, long maxBytes) {}

  /** A recipient cleared to upload (before the body is read). */
  public record Permit(LinkState link) {}

  /** The answer to an upload: the reply's id, when it was received, and the signed receipt. */
  public record Received(String replyId, Instant received, String receipt) {}

  /** The offer for a recipient that just opened, if its envelope takes replies now. */
  public Optional<Offer> offer(EnvelopeId envelopeId, RecipientId recipientId) {
    return tx.inTransaction(
        () ->
            links
                .read(envelopeId, recipientId)
                .flatMap(
                    s ->
                        gate.offerKeys(s)
                            .map(
                                k ->
                                    new Offer(k, gate.remaining(recipientId), limits.maxBytes()))));
  }

  /**
   * The recipient behind {@code accessToken}, if it is {@code recipientId} and may reply now.
   *
   * @throws OpenLinkException SESSION_ENDED (401) for a missing, expired or other recipient's
   *     token; REVOKED, EXPIRED or GONE (410) when the envelope can no longer be read
   * @throws ReplyRefusedException NOT_ALLOWED (403) or LIMIT_REACHED (409)
   */
  public Permit permit(EnvelopeId envelopeId, RecipientId recipientId, String accessToken) {
    LinkState s = sessions.access(envelopeId, accessToken);
    if (!s.recipientId().equals(recipientId)) {
      throw new OpenLinkException(
          OpenLinkException.Reason.SESSION_ENDED, "this session is not this recipient's");
    }
    tx.run(() -> gate.check(s));
    return new Permit(s);
  }

  /**
   * Receives the reply {@code replyId} declaring {@code attachmentIds} (checked at the edge: UUIDs,
   * distinct, at most {@link ReplyLimits#MAX_ATTACHMENTS}), reading {@code parts} in order.
   */
  public Received receive(
      Permit permit,
      String replyId,
      List<String> attachmentIds,
      ReplyParts parts,
      ClientInfo client) {
    LinkState s = permit.link();
    if (tx.inTransaction(() -> replies.exists(replyId))) {
      throw new ReplyRefusedException(
          ReplyRefusedException.Reason.ID_USED, "this replyId is already used");
    }
    // A prefix of this upload's own: a failed upload never touches another's objects, even one
    // racing it with the same replyId.
    BlobKey prefix =
        BlobKey.of(
            s.tenantId().value(), "replies", s.envelopeId().value(), UUID.randomUUID().toString());
    tx.run(() -> cleanup.expect(prefix, clock.instant().plus(orphanGrace)));
    boolean recorded = false;
    try {
      ReplyRecord unsigned =
          new ReplyObjects(blobs, limits.maxBytes(), prefix)
              .write(s, replyId, attachmentIds, parts, this::now);
      ReplyRecord reply = withReceipt(unsigned);
      record(reply, prefix, client);
      recorded = true;
      return new Received(reply.id(), reply.received(), reply.receipt());
    } catch (IOException e) {
      // Only the blob store throws it here: a failed read of the client's body is a 400 from the
      // edge's streams (ReplyParts), so a client that went away is not counted as a storage fault.
      throw new StorageUnavailableException("reply write failed", e);
    } finally {
      if (!recorded) {
        deleteQuietly(prefix);
      }
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private ReplyRecord withReceipt(ReplyRecord r) {
    return r.withReceipt(ReplyReceipts.sign(r, keys.signer(r.tenantId())));
  }

  /** The committing transaction: the checks again under the row lock, then every row at once. */
  private void record(ReplyRecord reply, BlobKey prefix, ClientInfo client) {
    tx.run(
        () -> {
          LinkState s =
              links
                  .lock(reply.envelopeId(), reply.recipientId())
                  .orElseThrow(() -> OpenLinkException.of(LinkAccess.Refusal.NOT_FOUND));
          LinkAccess.whyGone(s, clock.instant())
              .ifPresent(
                  r -> {
                    throw OpenLinkException.of(r);
                  });
          gate.check(s);
          if (!cleanup.settle(prefix)) {
            throw new StorageUnavailableException("reply outlasted the orphan grace", null);
          }
          replies.insert(reply);
          audit.append(
              OpenLinkEvents.event(AuditEventType.REPLY_SENT, s, client, clock.instant())
                  .withDetail(
                      "reply: "
                          + reply.id()
                          + "; attachments: "
                          + reply.attachments().size()
                          + "; bytes: "
                          + reply.totalBytes()));
        });
  }

  private void deleteQuietly(BlobKey prefix) {
    try {
      blobs.deleteAll(prefix);
      tx.run(() -> cleanup.done(prefix));
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "could not delete the objects of a failed reply under " + prefix, e);
    }
  }
}
