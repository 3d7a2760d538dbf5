package dev.sealpost.envelope;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Seals one envelope: a signed-then-encrypted manifest (JWS ES256 inside a JWE, {@code enc}
 * A256GCM, General JSON Serialization, one entry per {@link Recipient}) plus one encrypted stream
 * per attachment.
 *
 * <p><b>Guarantee.</b> Only holders of a recipient key can read the manifest, the message or any
 * attachment; any change to the JWE, the signature, or an attachment stream (flipped bytes,
 * truncation, reordering, chunks spliced from another attachment or envelope) makes opening fail;
 * the signature binds the content to the signer's {@code kid}. Every key, IV and nonce is drawn
 * here from {@link java.security.SecureRandom}: callers never choose them.
 *
 * <p>One sealer per envelope: seal the attachments first (each streams with memory that does not
 * grow with its size; different attachments may be sealed on different threads), then {@link
 * #seal(String, String, List)} the manifest.
 *
 * <pre>{@code
 * EnvelopeSealer sealer = EnvelopeSealer.builder()
 *     .tenant(tenantId)
 *     .signer(ManifestSigner.fromJwk(signingKey))
 *     .expiresAt(Instant.now().plus(Duration.ofDays(7)))
 *     .build();
 * AttachmentSealer pdf = sealer.attachment("policy.pdf", "application/pdf");
 * try (InputStream in = Files.newInputStream(file);
 *     OutputStream out = Files.newOutputStream(dir.resolve(pdf.id()))) {
 *   pdf.seal(in, out);
 * }
 * SealedEnvelope sealed = sealer.seal("Your policy documents", message,
 *     List.of(Recipient.partner(partnerPublicJwk)));
 * Files.writeString(dir.resolve("manifest.jwe"), sealed.json());
 * }</pre>
 */
public final class EnvelopeSealer {
  /** Plaintext bytes per attachment chunk unless the builder says otherwise: 64 KiB. */
  public static final int DEFAULT_CHUNK_SIZE = 65536;

  /** At most this many recipient entries per envelope. */
  public static final int MAX_RECIPIENTS = 16;

  /** At most this many attachments per envelope. */
  public static final int MAX_ATTACHMENTS = 1000;

  private final String envelopeId;
  private final String tenant;
  private final Instant createdAt;
  private final Instant expiresAt;
  private final ManifestSigner signer;
  private final SealerAttachments attachments;

  private EnvelopeSealer(Builder b) {
    this.envelopeId = b.envelopeId != null ? b.envelopeId : UUID.randomUUID().toString();
    this.tenant = b.tenant;
    Instant created = b.createdAt != null ? b.createdAt : Instant.now();
    this.createdAt = Instant.ofEpochSecond(created.getEpochSecond());
    this.expiresAt =
        b.expiresAt == null ? null : Instant.ofEpochSecond(b.expiresAt.getEpochSecond());
    this.signer = b.signer;
    this.attachments = new SealerAttachments(this.envelopeId, b.chunkSize, "envelope");
  }

  /** A builder; {@code tenant} and {@code signer} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The envelope id (given to the builder, or a random UUID). */
  public String envelopeId() {
    return envelopeId;
  }

  /**
   * Starts a new attachment. Its id is known at once (for naming the blob before any byte is
   * written); seal its bytes with {@link AttachmentSealer#seal} or {@link
   * AttachmentSealer#encryptingStream} before {@link #seal(String, String, List)}.
   *
   * @param name the file name shown to the recipient
   * @param mediaType e.g. {@code application/pdf}
   */
  public synchronized AttachmentSealer attachment(String name, String mediaType) {
    return attachments.add(name, mediaType);
  }

  /**
   * Signs the manifest and encrypts it for every recipient.
   *
   * @param subject the subject (travels in clear in notifications; no personal data)
   * @param message the message text, may be empty
   * @param recipients 1 to {@value #MAX_RECIPIENTS}, with distinct {@code kid}s
   * @throws IllegalStateException if an attachment was not completely sealed, or this sealer was
   *     already used
   */
  public synchronized SealedEnvelope seal(
      String subject, String message, List<Recipient> recipients) {
    attachments.requireOpen();
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(message, "message");
    List<AttachmentDescriptor> descriptors = attachments.descriptors();
    Manifest manifest =
        new Manifest(envelopeId, tenant, createdAt, expiresAt, subject, message, descriptors);
    SealedEnvelope result = EnvelopeCodec.seal(manifest, signer, List.copyOf(recipients));
    attachments.markSealed();
    return result;
  }

  /** Builds an {@link EnvelopeSealer}. */
  public static final class Builder {
    private String envelopeId;
    private String tenant;
    private Instant createdAt;
    private Instant expiresAt;
    private ManifestSigner signer;
    private int chunkSize = DEFAULT_CHUNK_SIZE;

    private Builder() {}

    /** The envelope id; a random UUID if not set. */
    public Builder envelopeId(String envelopeId) {
      this.envelopeId = envelopeId;
      return this;
    }

    /** The sending tenant's id (required). */
    public Builder tenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    /** The creation time (truncated to whole seconds); now if not set. */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    /** The expiry time (truncated to whole seconds); none if not set. */
    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    /** The manifest signer (required). */
    public Builder signer(ManifestSigner signer) {
      this.signer = signer;
      return this;
    }

    /**
     * Plaintext bytes per attachment chunk, {@value EnvelopeSealer#DEFAULT_CHUNK_SIZE} unless set;
     * 16 to 1 MiB. Only test vectors need another value.
     */
    public Builder chunkSize(int chunkSize) {
      this.chunkSize = chunkSize;
      return this;
    }

    /**
     * @throws IllegalStateException naming what is missing or out of range
     */
    public EnvelopeSealer build() {
      if (tenant == null || tenant.isEmpty()) {
        throw new IllegalStateException("tenant is required");
      }
      if (signer == null) {
        throw new IllegalStateException("signer is required");
      }
      if (envelopeId != null
          && (envelopeId.isEmpty() || envelopeId.length() > Limits.MAX_ID_CHARS)) {
        throw new IllegalStateException("envelopeId must be 1 to 255 characters");
      }
      if (tenant.length() > Limits.MAX_ID_CHARS) {
        throw new IllegalStateException("tenant must be at most 255 characters");
      }
      if (chunkSize < AttachmentStreams.MIN_CHUNK_SIZE
          || chunkSize > AttachmentStreams.MAX_CHUNK_SIZE) {
        throw new IllegalStateException("chunkSize must be between 16 and 1048576");
      }
      return new EnvelopeSealer(this);
    }
  }
}
