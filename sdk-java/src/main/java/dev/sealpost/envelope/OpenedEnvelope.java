package dev.sealpost.envelope;

import dev.sealpost.exception.IntegrityException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * An envelope whose manifest decrypted and whose signature verified under a trusted key.
 * Attachments are opened from their ciphertext streams against the manifest's descriptors.
 */
public final class OpenedEnvelope {
  private final Manifest manifest;
  private final String signerKeyId;

  OpenedEnvelope(Manifest manifest, String signerKeyId) {
    this.manifest = manifest;
    this.signerKeyId = signerKeyId;
  }

  /** The verified manifest. */
  public Manifest manifest() {
    return manifest;
  }

  /** The {@code kid} of the trusted key that verified the manifest signature. */
  public String signerKeyId() {
    return signerKeyId;
  }

  /**
   * A stream of an attachment's plaintext. Each chunk is authenticated before its bytes are
   * returned; the final-chunk flag, the size, the absence of trailing data and the SHA-256 are
   * checked before {@code read} reports the end. Any failure throws {@link IntegrityException} from
   * {@code read}: plaintext already read from such a stream must be discarded. Memory stays
   * constant. Closing it closes {@code ciphertext}.
   *
   * @throws IntegrityException if the manifest lists no attachment with this id
   */
  public InputStream openAttachment(String attachmentId, InputStream ciphertext) {
    AttachmentDescriptor descriptor =
        manifest
            .attachment(attachmentId)
            .orElseThrow(
                () -> new IntegrityException("the manifest lists no attachment " + attachmentId));
    return new AttachmentStreams.DecryptingStream(ciphertext, manifest.envelopeId(), descriptor);
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

  @Override
  public String toString() {
    return "OpenedEnvelope[" + manifest + ", signer=" + signerKeyId + "]";
  }
}
