package dev.sealpost.envelope;

import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.UnsupportedFormatException;
import dev.sealpost.internal.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The server's signed receipt for a reply (docs/FORMAT.md section 12.5): a compact JWS, ES256,
 * protected header exactly {@code {"alg":"ES256","kid":...,"typ":"sealpost-reply-receipt+jws"}},
 * over the envelope, recipient and reply ids, the time the server received the reply, and the
 * SHA-256 and size of every part as uploaded (ciphertext: the server never sees plaintext).
 *
 * <p>A {@code ReplyReceipt} exists only after its signature verified under a trusted key; {@link
 * ReplyOpener} uses it to check the reply's parts. Immutable.
 */
public final class ReplyReceipt {
  /** The JWS {@code typ} of a receipt. */
  public static final String TYPE = "sealpost-reply-receipt+jws";

  /** The only receipt payload version this SDK reads. */
  public static final int VERSION = 1;

  private final String compact;
  private final String signerKeyId;
  private final String tenant;
  private final String envelopeId;
  private final String recipientId;
  private final String replyId;
  private final Instant received;
  private final Part manifest;
  private final List<Part> attachments;

  /**
   * One received part: its id (the attachment id; {@code manifest} for the manifest), digest and
   * size.
   */
  public static final class Part {
    private final String id;
    private final byte[] sha256;
    private final long size;

    Part(String id, byte[] sha256, long size) {
      this.id = id;
      this.sha256 = sha256.clone();
      this.size = size;
    }

    /** The attachment id ({@code "manifest"} for the manifest part). */
    public String id() {
      return id;
    }

    /** The SHA-256 of the part's bytes as the server received them (a copy). */
    public byte[] sha256() {
      return sha256.clone();
    }

    /** The part's size in bytes as received. */
    public long size() {
      return size;
    }

    /** Whether {@code digest} and {@code byteCount} are this part's (constant-time compare). */
    boolean matches(byte[] digest, long byteCount) {
      return MessageDigest.isEqual(sha256, digest) && size == byteCount;
    }

    @Override
    public String toString() {
      return "Part[" + id + ", size=" + size + "]";
    }
  }

  private ReplyReceipt(
      String compact, String signerKeyId, Map<String, Object> o, Part manifest, List<Part> parts) {
    this.compact = compact;
    this.signerKeyId = signerKeyId;
    this.tenant = ManifestCodec.id(o, "tenant", "the receipt");
    this.envelopeId = ManifestCodec.id(o, "envelopeId", "the receipt");
    this.recipientId = ManifestCodec.id(o, "recipientId", "the receipt");
    this.replyId = ManifestCodec.id(o, "replyId", "the receipt");
    this.received = ManifestCodec.time(o, "received", "the receipt");
    this.manifest = manifest;
    this.attachments = List.copyOf(parts);
  }

  /**
   * Verifies a receipt against the trusted signing keys and parses its payload.
   *
   * @throws dev.sealpost.exception.UntrustedSignerException if its {@code kid} is not trusted
   * @throws IntegrityException if the signature does not verify
   * @throws UnsupportedFormatException for an {@code alg} other than ES256, a {@code typ} other
   *     than {@value #TYPE}, another header parameter, or a payload version other than 1
   * @throws MalformedEnvelopeException if it is not a compact JWS with a flat header and a
   *     well-formed payload
   */
  public static ReplyReceipt verify(String compactJws, TrustedKeys trusted) {
    Objects.requireNonNull(compactJws, "compactJws");
    Objects.requireNonNull(trusted, "trusted");
    if (compactJws.length() > Limits.MAX_RECEIPT_CHARS) {
      throw new MalformedEnvelopeException(
          "the receipt is larger than " + Limits.MAX_RECEIPT_CHARS + " characters");
    }
    CompactJws.Verified v =
        CompactJws.verify(
            compactJws, TYPE, trusted, "the receipt", "the receipt is not a compact JWS");
    Map<String, Object> o =
        Json.parseObject(
            new String(v.payload, StandardCharsets.UTF_8),
            Limits.MAX_RECEIPT_CHARS,
            Limits.MAX_MANIFEST_DEPTH,
            "the receipt");
    Object version = o.get("v");
    if (!(version instanceof Number)) {
      throw new MalformedEnvelopeException("the receipt has no version (v)");
    }
    if (!(version instanceof Long) || (Long) version != VERSION) {
      throw new UnsupportedFormatException(
          "receipt version " + JweEnvelope.safe(String.valueOf(version)) + " is not supported");
    }
    Part manifest = part(o.get("manifest"), "manifest");
    Object list = o.get("attachments");
    if (!(list instanceof List)) {
      throw new MalformedEnvelopeException("the receipt attachments is not an array");
    }
    if (((List<?>) list).size() > ReplySealer.MAX_ATTACHMENTS) {
      throw new MalformedEnvelopeException(
          "the receipt lists more than " + ReplySealer.MAX_ATTACHMENTS + " attachments");
    }
    List<Part> parts = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Object raw : (List<?>) list) {
      Part p = part(raw, null);
      if (!ids.add(p.id())) {
        throw new MalformedEnvelopeException("two receipt attachments share an id");
      }
      parts.add(p);
    }
    return new ReplyReceipt(compactJws, v.kid, o, manifest, parts);
  }

  private static Part part(Object raw, String fixedId) {
    if (!(raw instanceof Map)) {
      throw new MalformedEnvelopeException("a receipt part is not an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> p = (Map<String, Object>) raw;
    String id = fixedId != null ? fixedId : ManifestCodec.id(p, "id", "the receipt");
    byte[] sha256 =
        B64.decode(ManifestCodec.string(p, "sha256", "the receipt"), "a receipt sha256", 32);
    long size = ManifestCodec.number(p, "size", "the receipt");
    if (size < 0) {
      throw new MalformedEnvelopeException("a receipt size is negative");
    }
    return new Part(id, sha256, size);
  }

  /** The receipt as signed: the compact JWS. */
  public String compact() {
    return compact;
  }

  /** The {@code kid} of the trusted key that verified the receipt. */
  public String signerKeyId() {
    return signerKeyId;
  }

  /** The tenant the envelope belongs to, as in its manifest. */
  public String tenant() {
    return tenant;
  }

  /** The envelope the reply answers. */
  public String envelopeId() {
    return envelopeId;
  }

  /** The recipient who replied. */
  public String recipientId() {
    return recipientId;
  }

  /** The reply id. */
  public String replyId() {
    return replyId;
  }

  /** When the server received the reply (whole seconds). */
  public Instant received() {
    return received;
  }

  /** The manifest part's digest and size (its id is {@code "manifest"}). */
  public Part manifest() {
    return manifest;
  }

  /** The attachment parts, in upload order. */
  public List<Part> attachments() {
    return attachments;
  }

  /** The attachment part with this id, if the receipt lists it. */
  public Optional<Part> attachment(String attachmentId) {
    for (Part p : attachments) {
      if (p.id().equals(attachmentId)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The attachment ids, in upload order. */
  public List<String> attachmentIds() {
    List<String> ids = new ArrayList<>();
    for (Part p : attachments) {
      ids.add(p.id());
    }
    return ids;
  }

  /**
   * Checks that the receipt is for this envelope and reply.
   *
   * @throws IntegrityException if either differs
   */
  public void checkFor(String expectedEnvelopeId, String expectedReplyId) {
    if (!envelopeId.equals(expectedEnvelopeId) || !replyId.equals(expectedReplyId)) {
      throw new IntegrityException(
          "the receipt is for reply "
              + JweEnvelope.safe(replyId)
              + " of envelope "
              + JweEnvelope.safe(envelopeId)
              + ", not the one asked for");
    }
  }

  /**
   * Checks the manifest part's bytes against the receipt: SHA-256 (constant time) and size.
   *
   * @throws IntegrityException if they differ
   */
  public void checkManifest(byte[] manifestBytes) {
    if (!manifest.matches(sha256(manifestBytes), manifestBytes.length)) {
      throw new IntegrityException(
          "the reply manifest is not the one the server received (SHA-256 or size differ)");
    }
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "ReplyReceipt[replyId="
        + replyId
        + ", envelopeId="
        + envelopeId
        + ", received="
        + received
        + ", signer="
        + signerKeyId
        + "]";
  }
}
