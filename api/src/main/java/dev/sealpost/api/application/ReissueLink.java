package dev.sealpost.api.application;

import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ConflictException;
import dev.sealpost.api.domain.DataKey;
import dev.sealpost.api.domain.EnvelopeRecord;
import dev.sealpost.api.domain.EnvelopeRepository;
import dev.sealpost.api.domain.EnvelopeStatus;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.OpenLinkRepository;
import dev.sealpost.api.domain.PublicBaseUrl;
import dev.sealpost.api.domain.RecipientRecord;
import dev.sealpost.api.domain.RecipientType;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.WrappedKey;
import dev.sealpost.envelope.LinkSecret;
import dev.sealpost.internal.Hkdf;
import dev.sealpost.internal.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

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
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final byte[] KEK_INFO = "sealpost link kek v1".getBytes(StandardCharsets.UTF_8);

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
  public record Reissued(String recipientId, Optional<String> link) {
    @Override
    public String toString() {
      return "Reissued[" + recipientId + "]";
    }
  }

  public Reissued reissue(Caller caller, String envelopeId, String recipientId, boolean notify) {
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
              OpenLink.sha256Hex(link.token()),
              serverShare.wrapped().value())) {
            throw new NotFoundException("no such consumer recipient");
          }
          String url =
              publicBaseUrl + "/v/" + envelopeId + "/" + recipientId + "#" + link.toBase64Url();
          if (notify) {
            byte[] secret = link.toBase64Url().getBytes(StandardCharsets.US_ASCII);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("v", 1);
            payload.put(
                "linkSecret",
                secretBox.seal(
                    new KeyContext(caller.tenantId(), envelopeId, "link-secret:" + recipientId),
                    secret));
            Arrays.fill(secret, (byte) 0);
            envelopes.insertNotification(
                UUID.randomUUID().toString(),
                caller.tenantId(),
                envelopeId,
                recipientId,
                Json.write(payload),
                now);
          }
          try {
            blobs.put(
                new BlobKey(e.manifestBlob()),
                new ByteArrayInputStream(rewritten.getBytes(StandardCharsets.UTF_8)));
          } catch (IOException io) {
            throw new UncheckedIOException(io);
          }
          return new Reissued(recipientId, notify ? Optional.empty() : Optional.of(url));
        });
  }

  private String readManifest(String blob) {
    try (InputStream in = blobs.get(new BlobKey(blob))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException io) {
      throw new UncheckedIOException(io);
    }
  }

  /** Unwraps the content key from the custody entry and wraps it for the recipient's new KEK. */
  @SuppressWarnings("unchecked")
  static String rewrap(
      String generalJson,
      String custodyKid,
      DataKey custody,
      String recipientId,
      DataKey serverShare,
      LinkSecret link,
      String envelopeId) {
    Map<String, Object> jwe = Json.parseObject(generalJson, 32 * 1024 * 1024, 5, "manifest JWE");
    List<Object> recipients = (List<Object>) jwe.get("recipients");
    Map<String, Object> custodyEntry = entry(recipients, custodyKid);
    Map<String, Object> target = entry(recipients, recipientId);
    byte[] custodyKey = custody.bytes();
    byte[] share = serverShare.bytes();
    byte[] linkShare = link.linkShare();
    byte[] ikm = new byte[64];
    System.arraycopy(share, 0, ikm, 0, 32);
    System.arraycopy(linkShare, 0, ikm, 32, 32);
    byte[] kek = Hkdf.sha256(ikm, envelopeId.getBytes(StandardCharsets.UTF_8), KEK_INFO, 32);
    try {
      Cipher unwrap = Cipher.getInstance("AESWrap");
      unwrap.init(Cipher.UNWRAP_MODE, new SecretKeySpec(custodyKey, "AES"));
      Key cek =
          unwrap.unwrap(
              B64D.decode((String) custodyEntry.get("encrypted_key")), "AES", Cipher.SECRET_KEY);
      Cipher wrap = Cipher.getInstance("AESWrap");
      wrap.init(Cipher.WRAP_MODE, new SecretKeySpec(kek, "AES"));
      target.put("encrypted_key", B64.encodeToString(wrap.wrap(cek)));
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException("custody entry does not unwrap");
    } finally {
      Arrays.fill(custodyKey, (byte) 0);
      Arrays.fill(share, (byte) 0);
      Arrays.fill(linkShare, (byte) 0);
      Arrays.fill(ikm, (byte) 0);
      Arrays.fill(kek, (byte) 0);
    }
    return Json.write(jwe);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> entry(List<Object> recipients, String kid) {
    for (Object o : recipients) {
      Map<String, Object> r = (Map<String, Object>) o;
      Map<String, Object> header = (Map<String, Object>) r.get("header");
      if (header != null && kid.equals(header.get("kid"))) {
        return r;
      }
    }
    throw new IllegalStateException("no JWE entry for a kid");
  }
}
