package dev.sealpost.envelope;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;

/**
 * Encrypts one attachment as a stream of AES-256-GCM chunks (the STREAM construction): a fresh
 * random key and nonce prefix per attachment, a chunk counter and a final-chunk flag in each nonce,
 * and the envelope and attachment ids in each chunk's associated data. Memory stays constant
 * whatever the size; the size and SHA-256 of the plaintext go into the signed manifest.
 *
 * <p>Obtained from {@link EnvelopeSealer#attachment(String, String)} (or {@link
 * ReplySealer#attachment(String, String)}, whose streams carry the reply id in the envelope id
 * slot); seal it exactly once, with {@link #seal(InputStream, OutputStream)} or {@link
 * #encryptingStream(OutputStream)}.
 */
public final class AttachmentSealer {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String envelopeId;
  private final String id;
  private final String name;
  private final String mediaType;
  private final int chunkSize;
  private final byte[] key = new byte[AttachmentStreams.KEY_LENGTH];
  private final byte[] noncePrefix = new byte[AttachmentStreams.NONCE_PREFIX_LENGTH];
  private boolean started;
  private volatile AttachmentDescriptor descriptor;

  AttachmentSealer(String envelopeId, String id, String name, String mediaType, int chunkSize) {
    this.envelopeId = envelopeId;
    this.id = id;
    this.name = name;
    this.mediaType = mediaType;
    this.chunkSize = chunkSize;
    RANDOM.nextBytes(key);
    RANDOM.nextBytes(noncePrefix);
  }

  /** The attachment id (a random UUID), known before any byte is sealed. */
  public String id() {
    return id;
  }

  /** The file name given to {@link EnvelopeSealer#attachment(String, String)}. */
  public String name() {
    return name;
  }

  /**
   * Reads {@code plaintext} to its end and writes the whole encrypted stream to {@code ciphertext}.
   * Neither stream is closed.
   *
   * @return the plaintext size in bytes
   */
  public long seal(InputStream plaintext, OutputStream ciphertext) throws IOException {
    OutputStream out = encryptingStream(AttachmentStreams.nonClosing(ciphertext));
    byte[] buffer = new byte[chunkSize];
    int n;
    while ((n = plaintext.read(buffer)) != -1) {
      out.write(buffer, 0, n);
    }
    out.close();
    return descriptor.size();
  }

  /**
   * A stream that encrypts what is written to it into {@code ciphertext}. {@code close()} writes
   * the final chunk, completes this attachment and closes {@code ciphertext}; an attachment whose
   * stream was never closed makes {@link EnvelopeSealer#seal} fail.
   */
  public synchronized OutputStream encryptingStream(OutputStream ciphertext) throws IOException {
    if (started) {
      throw new IllegalStateException("attachment " + id + " is already being sealed");
    }
    started = true;
    return new AttachmentStreams.EncryptingStream(
        ciphertext,
        key,
        noncePrefix,
        chunkSize,
        AttachmentStreams.associatedData(chunkSize, envelopeId, id),
        (size, sha256) ->
            descriptor =
                new AttachmentDescriptor(
                    id, name, mediaType, size, sha256, key, noncePrefix, chunkSize));
  }

  AttachmentDescriptor descriptor() {
    if (descriptor == null) {
      throw new IllegalStateException("attachment " + id + " was not completely sealed");
    }
    return descriptor;
  }

  @Override
  public String toString() {
    return "AttachmentSealer[id=" + id + ", key=redacted]";
  }
}
