package dev.sealpost.api.application;

import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.Caller;
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
import dev.sealpost.api.domain.PublicBaseUrl;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.RecipientRecord;
import dev.sealpost.api.domain.RecipientType;
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
 * {@code POST /v1/envelopes/{id}/recipients/{recipientId}/reissue} (SENDER): a new link for a
 * consumer (e.g. after a lockout). A new link secret, so a new link token hash, a new server share
 * and a new A256KW entry for that recipient; the old link is dead at once; the lock and counters
 * are reset; then the new link is mailed through the outbox (or answered once with notify=false).
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

  @Inject
  public ReissueLink(
      Transactions tx,
      EnvelopeRepository envelopes,
      OpenLinkRepository links,
      KeyService keys,
      BlobStore blobs,
      SecretSealer secretBox,
      Clock clock,
      PublicBaseUrl publicBaseUrl) {
    this.tx = tx;
    this.envelopes = envelopes;
    this.links = links;
    this.keys = keys;
    this.blobs = blobs;
    this.secretBox = secretBox;
    this.clock = clock;
    this.publicBaseUrl = publicBaseUrl;
  }

  /** The new link when {@code notify} is false; empty when it was queued for mailing. */
  public record Reissued(RecipientId recipientId, Optional<String> link) {
    @Override
    public String toString() {
      return "Reissued[" + recipientId + "]";
    }
  }

  public Reissued reissue(
      Caller caller, EnvelopeId envelopeId, RecipientId recipientId, boolean notify) {
    return tx.inTransaction(
        () -> {
          Instant now = clock.instant();
          EnvelopeRecord e =
              envelopes
                  .find(caller.tenantId(), envelopeId)
                  .orElseThrow(() -> new NotFoundException("no such envelope"));
          RecipientRecord r =
              envelopes.recipients(caller.tenantId(), envelopeId).stream()
                  .filter(x -> x.id().equals(recipientId) && x.type() == RecipientType.CONSUMER)
                  .findFirst()
                  .orElseThrow(() -> new NotFoundException("no such consumer recipient"));
          // lock the recipient row: concurrent reissues and verifies serialise here
          links.lock(envelopeId, recipientId);
          if (e.status() != EnvelopeStatus.ACTIVE
              || (e.expiresAt() != null && !e.expiresAt().isAfter(now))
              || r.serverShare() == null) {
            throw new ConflictException("the envelope is no longer active");
          }
          if (e.custodyKey() == null || e.custodyKid() == null) {
            throw new ConflictException(
                "a new link needs the tenant's custody copy (custody was off when this envelope"
                    + " was sealed): seal the envelope again instead");
          }
          LinkSecret link = LinkSecret.generate();
          DataKey serverShare =
              keys.generateDataKey(
                  new KeyContext(caller.tenantId(), envelopeId, "server-share:" + recipientId));
          String json = readManifest(e.manifestBlob());
          String rewritten;
          try (DataKey custody =
              keys.decryptDataKey(
                  new WrappedKey(e.custodyKey()),
                  new KeyContext(caller.tenantId(), envelopeId, "custody"))) {
            rewritten =
                rewrap(json, e.custodyKid(), custody, recipientId, serverShare, link, envelopeId);
          } finally {
            serverShare.close();
          }
          if (!links.reissue(
              caller.tenantId(),
              envelopeId,
              recipientId,
              Digests.sha256Hex(link.token()),
              serverShare.wrapped().value())) {
            throw new NotFoundException("no such consumer recipient");
          }
          String url = publicBaseUrl.consumerLink(envelopeId, recipientId, link.toBase64Url());
          if (notify) {
            queueNotification(caller, envelopeId, recipientId, link, now);
          }
          writeManifest(e.manifestBlob(), rewritten);
          return new Reissued(recipientId, notify ? Optional.empty() : Optional.of(url));
        });
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
