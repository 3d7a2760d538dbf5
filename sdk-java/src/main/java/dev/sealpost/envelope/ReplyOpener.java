package dev.sealpost.envelope;

import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.UntrustedSignerException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Objects;

/**
 * Opens secure replies in the order docs/FORMAT.md section 12.6 fixes:
 *
 * <ol>
 *   <li>the server's {@link ReplyReceipt} verifies under a trusted key and names the envelope and
 *       reply asked for;
 *   <li>the manifest bytes have the SHA-256 and size the receipt names;
 *   <li>the reply JWE ({@code cty} exactly {@code sealpost-reply+json}) decrypts with the tenant's
 *       private reply key, and the reply manifest's reply, envelope and recipient ids and its
 *       attachment id set equal the receipt's;
 *   <li>each attachment object ({@link OpenedReply#openAttachment}) has the receipt's SHA-256 and
 *       size and opens as a STREAM whose associated data carries the reply id.
 * </ol>
 *
 * Failures throw the exceptions of FORMAT.md section 7. An envelope's manifest JWE never opens as a
 * reply (its {@code cty} differs: unsupported), nor a reply as an envelope.
 *
 * <p>When the trusted keys are the server's JWKS (every tenant's keys), also call {@link
 * Builder#requireSignerOfReceiptTenant()}. Immutable and thread-safe.
 *
 * <pre>{@code
 * ReplyOpener opener = ReplyOpener.builder().trust(TrustedKeys.fromJwksJson(jwks)).build();
 * OpenedReply reply = opener.open(receiptJws, manifestBytes,
 *     RecipientKey.privateJwk(replyKey), envelopeId, replyId);
 * try (InputStream in = reply.openAttachment(id, Files.newInputStream(object))) {
 *   in.transferTo(out); // throws IntegrityException on any tampering, at the latest at EOF
 * }
 * }</pre>
 */
public final class ReplyOpener {
  private final TrustedKeys trusted;
  private final boolean signerMustBeTenant;

  private ReplyOpener(TrustedKeys trusted, boolean signerMustBeTenant) {
    this.trusted = trusted;
    this.signerMustBeTenant = signerMustBeTenant;
  }

  /** A builder; {@code trust} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks steps 1 to 3 and answers the opened reply.
   *
   * @param receiptJws the receipt as the server listed it (compact JWS)
   * @param manifestBytes the manifest part exactly as fetched
   * @param key the tenant's private reply key
   * @param envelopeId the envelope asked for
   * @param replyId the reply asked for
   * @throws dev.sealpost.exception.SealpostException subtypes as described on the class
   */
  public OpenedReply open(
      String receiptJws,
      byte[] manifestBytes,
      RecipientKey key,
      String envelopeId,
      String replyId) {
    Objects.requireNonNull(manifestBytes, "manifestBytes");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(envelopeId, "envelopeId");
    Objects.requireNonNull(replyId, "replyId");
    // 1. The receipt.
    ReplyReceipt receipt = ReplyReceipt.verify(receiptJws, trusted);
    if (signerMustBeTenant) {
      EnvelopeOpener.checkSignerOfTenant("receipt", receipt.signerKeyId(), receipt.tenant());
    }
    receipt.checkFor(envelopeId, replyId);
    // 2. The manifest bytes are the ones the server received.
    receipt.checkManifest(manifestBytes);
    // 3. Decrypt and match the manifest against the receipt.
    JweEnvelope jwe = JweEnvelope.parseReply(new String(manifestBytes, StandardCharsets.UTF_8));
    byte[] plaintext = jwe.decrypt(key);
    ReplyManifest manifest =
        ReplyManifestCodec.parse(new String(plaintext, StandardCharsets.UTF_8));
    if (!manifest.replyId().equals(receipt.replyId())
        || !manifest.envelopeId().equals(receipt.envelopeId())
        || !manifest.recipientId().equals(receipt.recipientId())) {
      throw new IntegrityException(
          "the reply manifest names another reply, envelope or recipient than its receipt");
    }
    if (manifest.attachments().size() != receipt.attachments().size()
        || !new HashSet<>(manifest.attachmentIds())
            .equals(new HashSet<>(receipt.attachmentIds()))) {
      throw new IntegrityException("the reply manifest lists other attachments than its receipt");
    }
    return new OpenedReply(receipt, manifest);
  }

  /** Builds a {@link ReplyOpener}; {@link #trust} takes the server signing keys for receipts. */
  public static final class Builder extends OpenerBuilder<Builder, ReplyOpener> {
    private Builder() {}

    /**
     * Also requires that the receipt's signing key belongs to the tenant the receipt names (the
     * server's convention: a signing key's {@code kid} is {@code <tenantId>.<n>}). Use it whenever
     * the trusted keys are the server's JWKS with every tenant's keys; otherwise {@link
     * UntrustedSignerException} is thrown.
     */
    public Builder requireSignerOfReceiptTenant() {
      return requireSignerOfTenant();
    }

    @Override
    Builder self() {
      return this;
    }

    @Override
    ReplyOpener create(TrustedKeys trusted, boolean signerMustBeTenant) {
      return new ReplyOpener(trusted, signerMustBeTenant);
    }
  }
}
