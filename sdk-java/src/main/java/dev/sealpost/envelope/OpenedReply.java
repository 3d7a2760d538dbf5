package dev.sealpost.envelope;

import dev.sealpost.exception.IntegrityException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A reply whose receipt verified under a trusted key, whose manifest bytes are the ones the receipt
 * names, and whose manifest decrypted and agrees with the receipt (ids and attachment ids).
 * Attachments are opened from their ciphertext streams against the receipt and the manifest.
 */
public final class OpenedReply {
  private final ReplyReceipt receipt;
  private final ReplyManifest manifest;

  OpenedReply(ReplyReceipt receipt, ReplyManifest manifest) {
    this.receipt = receipt;
    this.manifest = manifest;
  }

  /** The verified receipt. */
  public ReplyReceipt receipt() {
    return receipt;
  }

  /** The decrypted reply manifest, matched against the receipt. */
  public ReplyManifest manifest() {
    return manifest;
  }

  /** The reply id. */
  public String replyId() {
    return manifest.replyId();
  }

  /**
   * A stream of an attachment's plaintext. The ciphertext's SHA-256 and size are checked against
   * the receipt, and the STREAM (associated data with the reply id) against the manifest's key,
   * size and SHA-256; each chunk is authenticated before its bytes are returned, and every check
   * has passed before {@code read} reports the end. Any failure throws {@link IntegrityException}
   * from {@code read}: discard plaintext already read. Closing it closes {@code ciphertext}.
   *
   * @throws IntegrityException if the receipt or the manifest lists no attachment with this id
   */
  public InputStream openAttachment(String attachmentId, InputStream ciphertext) {
    ReplyReceipt.Part part =
        receipt
            .attachment(attachmentId)
            .orElseThrow(
                () ->
                    new IntegrityException(
                        "the receipt lists no attachment " + JweEnvelope.safe(attachmentId)));
    AttachmentDescriptor descriptor =
        manifest
            .attachment(attachmentId)
            .orElseThrow(
                () ->
                    new IntegrityException(
                        "the reply manifest lists no attachment "
                            + JweEnvelope.safe(attachmentId)));
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
    CountingStream counted = new CountingStream(new DigestInputStream(ciphertext, digest));
    InputStream plaintext =
        new AttachmentStreams.DecryptingStream(counted, manifest.replyId(), descriptor);
    return new FilterInputStream(plaintext) {
      private boolean checked;

      @Override
      public int read() throws IOException {
        return AttachmentStreams.readOne(this);
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n == -1 && !checked) {
          // The STREAM has read its object to the end (no trailing byte): every ciphertext byte
          // went through the digest.
          if (!part.matches(digest.digest(), counted.count)) {
            throw new IntegrityException(
                "attachment "
                    + JweEnvelope.safe(attachmentId)
                    + " is not the object the server received (SHA-256 or size differ)");
          }
          checked = true;
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        throw new IOException("skipping would leave the attachment unchecked");
      }
    };
  }

  /**
   * Decrypts and verifies a whole attachment into {@code plaintext}. Neither stream is closed. If
   * this throws, discard what was written.
   *
   * @return the number of plaintext bytes
   */
  public long openAttachment(String attachmentId, InputStream ciphertext, OutputStream plaintext)
      throws IOException {
    InputStream in = openAttachment(attachmentId, ciphertext);
    byte[] buffer = new byte[65536];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      plaintext.write(buffer, 0, n);
      total += n;
    }
    return total;
  }

  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b != -1) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      throw new IOException("skipping is not allowed");
    }
  }

  @Override
  public String toString() {
    return "OpenedReply[" + manifest + ", " + receipt + "]";
  }
}
