package dev.sealpost.envelope;

import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Seals one secure reply exactly as the viewer does in the browser (docs/FORMAT.md section 12): the
 * reply manifest JSON encrypted as a JWE (General JSON Serialization, {@code cty} {@code
 * sealpost-reply+json}, {@code enc} A256GCM, one {@code RSA-OAEP-256} or {@code ECDH-ES+A256KW}
 * entry per reply key of the tenant) and one STREAM object per attachment, whose associated data
 * carries the reply id where an envelope's carries the envelope id.
 *
 * <p>The reply manifest is not signed: the replier has no signing key. The server signs a {@link
 * ReplyReceipt} over the digests of what it received instead.
 *
 * <p>One sealer per reply: seal the attachments first, then {@link #seal(String)}. Every key, IV
 * and nonce is drawn from {@link java.security.SecureRandom}.
 *
 * <pre>{@code
 * ReplySealer sealer = ReplySealer.builder()
 *     .envelopeId(envelopeId)
 *     .recipientId(recipientId)
 *     .replyKeys(JWKSet.parse(replyKeysJson))
 *     .build();
 * String claimId = sealer.attach("claim.pdf", "application/pdf", Path.of("claim.pdf"), dir);
 * SealedReply reply = sealer.seal("Here is the signed form.");
 * reply.writeTo(dir); // dir/manifest.jwe, dir/reply.json, dir/<attachmentId>
 * }</pre>
 */
public final class ReplySealer {
  /** At most this many attachments per reply (the manifest format's limit). */
  public static final int MAX_ATTACHMENTS = EnvelopeSealer.MAX_ATTACHMENTS;

  private final String replyId;
  private final String envelopeId;
  private final String recipientId;
  private final Instant createdAt;
  private final List<Recipient> recipients;
  private final SealerAttachments attachments;

  private ReplySealer(Builder b, List<Recipient> recipients) {
    this.replyId = b.replyId != null ? b.replyId : UUID.randomUUID().toString();
    this.envelopeId = b.envelopeId;
    this.recipientId = b.recipientId;
    Instant created = b.createdAt != null ? b.createdAt : Instant.now();
    this.createdAt = Instant.ofEpochSecond(created.getEpochSecond());
    this.recipients = List.copyOf(recipients);
    this.attachments = new SealerAttachments(this.replyId, b.chunkSize, "reply");
  }

  /** A builder; {@code envelopeId}, {@code recipientId} and {@code replyKeys} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The reply id (given to the builder, or a random UUID). */
  public String replyId() {
    return replyId;
  }

  /**
   * Starts a new attachment with a random UUID id; seal its bytes with {@link
   * AttachmentSealer#seal} or {@link AttachmentSealer#encryptingStream} before {@link
   * #seal(String)}.
   */
  public synchronized AttachmentSealer attachment(String name, String mediaType) {
    return attachments.add(name, mediaType);
  }

  /**
   * Seals one attachment at once: reads {@code plaintext} to its end and writes the STREAM object
   * to {@code ciphertext}. Neither stream is closed.
   *
   * @return the attachment id
   */
  public String attach(
      String name, String mediaType, InputStream plaintext, OutputStream ciphertext)
      throws IOException {
    AttachmentSealer a = attachment(name, mediaType);
    a.seal(plaintext, ciphertext);
    return a.id();
  }

  /**
   * Seals the file {@code plaintext} into {@code directory/<attachmentId>}.
   *
   * @return the attachment id
   */
  public String attach(String name, String mediaType, Path plaintext, Path directory)
      throws IOException {
    AttachmentSealer a = attachment(name, mediaType);
    try (InputStream in = Files.newInputStream(plaintext);
        OutputStream out = Files.newOutputStream(directory.resolve(a.id()))) {
      a.seal(in, out);
    }
    return a.id();
  }

  /**
   * Encrypts the reply manifest for every reply key.
   *
   * @param message the reply text, may be empty
   * @throws IllegalStateException if an attachment was not completely sealed, or this sealer was
   *     already used
   * @throws IllegalArgumentException if the sealed manifest would exceed 1 MiB
   */
  public synchronized SealedReply seal(String message) {
    attachments.requireOpen();
    Objects.requireNonNull(message, "message");
    List<AttachmentDescriptor> descriptors = attachments.descriptors();
    ReplyManifest manifest =
        new ReplyManifest(replyId, envelopeId, recipientId, createdAt, message, descriptors);
    List<JWK> keys = new ArrayList<>();
    List<String> kids = new ArrayList<>();
    for (Recipient r : recipients) {
      keys.add(r.encryptionKey());
      kids.add(r.keyId());
    }
    String json =
        EnvelopeCodec.encrypt(
            new Payload(ReplyManifestCodec.toJson(manifest).getBytes(StandardCharsets.UTF_8)),
            JweEnvelope.REPLY_CONTENT_TYPE,
            recipients,
            keys);
    if (json.length() > Limits.MAX_REPLY_JWE_CHARS) {
      throw new IllegalArgumentException(
          "the sealed reply manifest exceeds "
              + Limits.MAX_REPLY_JWE_CHARS
              + " bytes: shorten the message or send fewer attachments");
    }
    attachments.markSealed();
    return new SealedReply(json, manifest, kids);
  }

  /** Builds a {@link ReplySealer}. */
  public static final class Builder {
    private String replyId;
    private String envelopeId;
    private String recipientId;
    private Instant createdAt;
    private List<JWK> replyKeys;
    private int chunkSize = EnvelopeSealer.DEFAULT_CHUNK_SIZE;

    private Builder() {}

    /** The envelope the reply answers (required). */
    public Builder envelopeId(String envelopeId) {
      this.envelopeId = envelopeId;
      return this;
    }

    /** The recipient of that envelope who replies (required). */
    public Builder recipientId(String recipientId) {
      this.recipientId = recipientId;
      return this;
    }

    /**
     * The tenant's public reply keys (required, 1 to 16, distinct {@code kid}s): RSA of 2048 bits
     * or more, or EC P-256, the partner key rules of {@link Recipient#partner}. Private parts, if
     * present, are dropped.
     */
    public Builder replyKeys(List<? extends JWK> replyKeys) {
      this.replyKeys = List.copyOf(replyKeys);
      return this;
    }

    /** The tenant's public reply keys as a JWK set. */
    public Builder replyKeys(JWKSet replyKeys) {
      return replyKeys(replyKeys.getKeys());
    }

    /**
     * The tenant's public reply keys as a JWK set document ({@code {"keys":[...]}}), e.g. the
     * {@code reply.keys} member of the viewer's verify answer.
     *
     * @throws IllegalArgumentException if the text is not a JWK set
     */
    public Builder replyKeysJson(String jwks) {
      try {
        return replyKeys(JWKSet.parse(jwks));
      } catch (ParseException e) {
        throw new IllegalArgumentException("the reply keys are not a JWK set");
      }
    }

    /** The reply id; a random UUID if not set (test vectors set it). */
    public Builder replyId(String replyId) {
      this.replyId = replyId;
      return this;
    }

    /** The creation time (truncated to whole seconds); now if not set. */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    /** Plaintext bytes per attachment chunk, 64 KiB unless set; 16 to 1 MiB. */
    public Builder chunkSize(int chunkSize) {
      this.chunkSize = chunkSize;
      return this;
    }

    /**
     * @throws IllegalStateException naming what is missing or out of range
     * @throws IllegalArgumentException for a reply key that breaks the partner key rules
     */
    public ReplySealer build() {
      requireId("envelopeId", envelopeId);
      requireId("recipientId", recipientId);
      if (replyId != null) {
        requireId("replyId", replyId);
      }
      if (replyKeys == null
          || replyKeys.isEmpty()
          || replyKeys.size() > EnvelopeSealer.MAX_RECIPIENTS) {
        throw new IllegalStateException(
            "replyKeys must hold 1 to " + EnvelopeSealer.MAX_RECIPIENTS + " keys");
      }
      if (chunkSize < AttachmentStreams.MIN_CHUNK_SIZE
          || chunkSize > AttachmentStreams.MAX_CHUNK_SIZE) {
        throw new IllegalStateException("chunkSize must be between 16 and 1048576");
      }
      List<Recipient> recipients = new ArrayList<>();
      Set<String> kids = new HashSet<>();
      for (JWK key : replyKeys) {
        Recipient r = Recipient.partner(key);
        if (!kids.add(r.keyId())) {
          throw new IllegalArgumentException("two reply keys share the kid " + r.keyId());
        }
        recipients.add(r);
      }
      return new ReplySealer(this, recipients);
    }

    private static void requireId(String what, String value) {
      if (value == null || value.isEmpty() || value.length() > Limits.MAX_ID_CHARS) {
        throw new IllegalStateException(what + " is required, 1 to 255 characters");
      }
    }
  }
}
