package dev.sealpost.api.application;

import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.ConflictException;
import dev.sealpost.api.domain.DataKey;
import dev.sealpost.api.domain.Digests;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.EnvelopeRecord;
import dev.sealpost.api.domain.EnvelopeRepository;
import dev.sealpost.api.domain.EnvelopeStatus;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.OpenLinkRepository;
import dev.sealpost.api.domain.OpenLinkRepository.LinkState;
import dev.sealpost.api.domain.OpenLinkRepository.NewLink;
import dev.sealpost.api.domain.PublicBaseUrl;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.RecipientStatus;
import dev.sealpost.api.domain.RecipientType;
import dev.sealpost.api.domain.ReissuePolicy;
import dev.sealpost.api.domain.ReissueRefusedException;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.WrappedKey;
import dev.sealpost.envelope.LinkKek;
import dev.sealpost.envelope.LinkReissue;
import dev.sealpost.envelope.LinkSecret;
import dev.sealpost.exception.SealpostException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /v1/envelopes/{id}/recipients/{recipientId}/reissue} (the SENDER key that sealed the
 * envelope, or an ADMIN key): a new link for a consumer (e.g. after a lockout). A new link secret,
 * so a new link token hash, a new server share and a new A256KW entry for that recipient; the old
 * link is dead at once; then the new link is mailed through the outbox (or answered once with
 * notify=false). Only an ADMIN lifts a lock (and only then are the wrong answers forgotten); at
 * most {@code sealpost.open.max-reissues} per recipient ({@link ReissuePolicy}). Every reissue is
 * audited as {@code LINK_REISSUED}.
 *
 * <p>Why this needs the tenant's custody copy: the recipient's JWE entry wraps the content key
 * under a KEK that depends on the old link share, which the server never had. The content key can
 * only be recovered from the custody entry (a KMS data key); without custody, reissue answers 409
 * and the sender seals again.
 */
@ApplicationScoped
public class ReissueLink {
  private final Transactions tx;
  private final EnvelopeRepository envelopes;
  private final OpenLinkRepository links;
  private final KeyService keys;
  private final BlobStore blobs;
  private final SecretSealer secretBox;
  private final Clock clock;
  private final PublicBaseUrl publicBaseUrl;
  private final AuditLog audit;
  private final MaxReissues maxReissues;

  @Inject
  public ReissueLink(
      Transactions tx,
      EnvelopeRepository envelopes,
      OpenLinkRepository links,
      KeyService keys,
      BlobStore blobs,
      SecretSealer secretBox,
      Clock clock,
      PublicBaseUrl publicBaseUrl,
      AuditLog audit,
      MaxReissues maxReissues) {
    this.tx = tx;
    this.envelopes = envelopes;
    this.links = links;
    this.keys = keys;
    this.blobs = blobs;
    this.secretBox = secretBox;
    this.clock = clock;
    this.publicBaseUrl = publicBaseUrl;
    this.audit = audit;
    this.maxReissues = maxReissues;
  }

  /** The new link when {@code notify} is false; empty when it was queued for mailing. */
  public record Reissued(RecipientId recipientId, Optional<String> link) {
    @Override
    public String toString() {
      return "Reissued[" + recipientId + "]";
    }
  }

  /**
   * Reissues {@code recipientId}'s link if {@link ReissuePolicy} lets {@code caller}: audited as
   * {@code LINK_REISSUED} in the same transaction (actor: the caller's key).
   */
  public Reissued reissue(
      Caller caller,
      EnvelopeId envelopeId,
      RecipientId recipientId,
      boolean notify,
      ClientInfo client) {
    return tx.inTransaction(
        () -> {
          Instant now = clock.instant();
          EnvelopeRecord e = checkedEnvelope(caller, envelopeId, recipientId);
          LinkState state =
              links
                  .lock(envelopeId, recipientId)
                  .orElseThrow(() -> new NotFoundException("no such consumer recipient"));
          if (e.status() != EnvelopeStatus.ACTIVE
              || (e.expiresAt() != null && !e.expiresAt().isAfter(now))
              || state.serverShare() == null) {
            throw new ConflictException("the envelope is no longer active");
          }
          if (e.custodyKey() == null || e.custodyKid() == null) {
            throw new ConflictException(
                "a new link needs the tenant's custody copy (custody was off when this envelope"
                    + " was sealed): seal the envelope again instead");
          }
          boolean locked = state.status() == RecipientStatus.LOCKED;
          refuseUnlessAllowed(
              caller, e, locked, links.reissueCount(envelopeId, recipientId), maxReissues.value());
          String url = rotate(caller, e, recipientId, locked, notify, now);
          audit.append(
              AuditEvent.of(
                      AuditEventType.LINK_REISSUED, caller.tenantId(), caller.actor(), client, now)
                  .withEnvelope(envelopeId, recipientId)
                  .withDetail(
                      "lockLifted: " + locked + "; link: " + (notify ? "mailed" : "answered")));
          return new Reissued(recipientId, notify ? Optional.empty() : Optional.of(url));
        });
  }

  /** The envelope, if the caller may reissue on it at all, and the consumer recipient exists. */
  private EnvelopeRecord checkedEnvelope(
      Caller caller, EnvelopeId envelopeId, RecipientId recipientId) {
    EnvelopeRecord e =
        envelopes
            .find(caller.tenantId(), envelopeId)
            .orElseThrow(() -> new NotFoundException("no such envelope"));
    if (!ReissuePolicy.mayReissue(caller, e.createdBy())) {
      throw refused(ReissuePolicy.Refusal.NOT_SEALER_OR_ADMIN);
    }
    envelopes.recipients(caller.tenantId(), envelopeId).stream()
        .filter(x -> x.id().equals(recipientId) && x.type() == RecipientType.CONSUMER)
        .findFirst()
        .orElseThrow(() -> new NotFoundException("no such consumer recipient"));
    return e;
  }

  private static void refuseUnlessAllowed(
      Caller caller, EnvelopeRecord e, boolean locked, int reissues, int max) {
    Optional<ReissuePolicy.Refusal> refusal =
        ReissuePolicy.refusal(caller, e.createdBy(), locked, reissues, max);
    if (refusal.isPresent()) {
      throw refused(refusal.get());
    }
  }

  static ReissueRefusedException refused(ReissuePolicy.Refusal r) {
    return new ReissueRefusedException(
        r,
        switch (r) {
          case NOT_SEALER_OR_ADMIN ->
              "only the API key that sealed this envelope or an ADMIN key may reissue its links";
          case LOCK_NEEDS_ADMIN ->
              "the recipient is locked after too many wrong answers: only an ADMIN key may lift"
                  + " the lock with a new link";
          case LIMIT_REACHED -> "this recipient's new links are used up: seal the envelope again";
        });
  }

  /**
   * A new link secret, a new server share, the recipient's entry re-wrapped; mailed when {@code
   * notify}. Answers the new link's URL.
   */
  private String rotate(
      Caller caller,
      EnvelopeRecord e,
      RecipientId recipientId,
      boolean liftLock,
      boolean notify,
      Instant now) {
    EnvelopeId envelopeId = e.id();
    RecipientId rid = recipientId;
    LinkSecret link = LinkSecret.generate();
    DataKey serverShare =
        keys.generateDataKey(new KeyContext(caller.tenantId(), envelopeId, "server-share:" + rid));
    String json = readManifest(e.manifestBlob());
    String rewritten;
    try (DataKey custody =
        keys.decryptDataKey(
            new WrappedKey(e.custodyKey()),
            new KeyContext(caller.tenantId(), envelopeId, "custody"))) {
      rewritten = rewrap(json, e.custodyKid(), custody, rid, serverShare, link, envelopeId);
    } finally {
      serverShare.close();
    }
    NewLink stored = new NewLink(Digests.sha256Hex(link.token()), serverShare.wrapped().value());
    if (!links.reissue(
        caller.tenantId(), envelopeId, recipientId, stored, liftLock, maxReissues.value())) {
      // under the row lock the count was below the limit: only a concurrent change gets here
      throw refused(ReissuePolicy.Refusal.LIMIT_REACHED);
    }
    if (notify) {
      queueNotification(caller, envelopeId, rid, link, now);
    }
    writeManifest(e.manifestBlob(), rewritten);
    return publicBaseUrl.consumerLink(envelopeId, rid, link.toBase64Url());
  }

  /** The relay's work order: the new link secret, sealed, and no subject. */
  private void queueNotification(
      Caller caller, EnvelopeId envelopeId, RecipientId recipientId, LinkSecret link, Instant now) {
    byte[] secret = link.toBase64Url().getBytes(StandardCharsets.US_ASCII);
    String sealedSecret =
        secretBox.seal(
            new KeyContext(caller.tenantId(), envelopeId, "link-secret:" + recipientId), secret);
    Arrays.fill(secret, (byte) 0);
    envelopes.insertNotification(
        UUID.randomUUID().toString(),
        caller.tenantId(),
        envelopeId,
        recipientId,
        new LinkNotificationPayload(Optional.empty(), sealedSecret).toJson(),
        now);
  }

  private void writeManifest(String blob, String json) {
    try {
      blobs.put(new BlobKey(blob), new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException io) {
      throw new UncheckedIOException(io);
    }
  }

  private String readManifest(String blob) {
    try (InputStream in = blobs.get(new BlobKey(blob))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException io) {
      throw new UncheckedIOException(io);
    }
  }

  /**
   * The stored General JSON with the recipient's entry re-wrapped for the new link: the content key
   * comes from the custody entry ({@link LinkReissue}, the format's own operation).
   */
  static String rewrap(
      String generalJson,
      String custodyKid,
      DataKey custody,
      RecipientId recipientId,
      DataKey serverShare,
      LinkSecret link,
      EnvelopeId envelopeId) {
    byte[] custodyKey = custody.bytes();
    byte[] share = serverShare.bytes();
    byte[] linkShare = link.linkShare();
    try {
      LinkKek kek = LinkKek.derive(share, linkShare, envelopeId.value());
      return LinkReissue.rewrap(generalJson, custodyKid, custodyKey, recipientId.value(), kek);
    } catch (SealpostException | IllegalArgumentException e) {
      // The envelope's own custody copy does not open it: nothing the sender can fix by retrying.
      throw new IllegalStateException("custody entry does not unwrap");
    } finally {
      Arrays.fill(custodyKey, (byte) 0);
      Arrays.fill(share, (byte) 0);
      Arrays.fill(linkShare, (byte) 0);
    }
  }
}
