package dev.sealpost.client;

import dev.sealpost.envelope.AttachmentDescriptor;
import dev.sealpost.envelope.Manifest;
import dev.sealpost.envelope.OpenedEnvelope;
import dev.sealpost.exception.IntegrityException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * An envelope fetched from the server, decrypted with the partner's key, and whose signature was
 * verified against a trusted key of the tenant the manifest names. Attachments are downloaded on
 * demand and checked while they stream: every chunk is authenticated before its bytes are returned,
 * and the size and SHA-256 are checked before end of stream is reported (an {@link
 * IntegrityException} from {@code read()} otherwise). Treat bytes as verified only once the stream
 * reached its end without an exception, or use {@link #saveAttachment(String, Path)}.
 *
 * <pre>{@code
 * ReceivedEnvelope env = client.open(envelopeId);
 * System.out.println(env.subject() + " from " + env.manifest().tenant() + ": " + env.message());
 * for (AttachmentDescriptor a : env.attachments()) {
 *   env.saveAttachment(a.id(), Path.of("in", a.id()));   // written only once verified
 * }
 * }</pre>
 */
public final class ReceivedEnvelope {
  private final OpenedEnvelope opened;
  private final Function<String, InputStream> download;

  ReceivedEnvelope(OpenedEnvelope opened, Function<String, InputStream> download) {
    this.opened = Objects.requireNonNull(opened);
    this.download = download;
  }

  public String envelopeId() {
    return opened.manifest().envelopeId();
  }

  /** The whole signed manifest. */
  public Manifest manifest() {
    return opened.manifest();
  }

  public String subject() {
    return opened.manifest().subject();
  }

  public String message() {
    return opened.manifest().message();
  }

  /** The {@code kid} of the key that signed the manifest ({@code <tenantId>.<n>}). */
  public String signerKeyId() {
    return opened.signerKeyId();
  }

  public List<AttachmentDescriptor> attachments() {
    return opened.manifest().attachments();
  }

  /**
   * Downloads and decrypts one attachment as it is read. Closing the stream ends the download.
   *
   * @throws IllegalArgumentException if the manifest has no such attachment
   */
  public InputStream openAttachment(String attachmentId) {
    AttachmentFiles.requireListed(
        opened.manifest().attachment(attachmentId), attachmentId, "envelope");
    InputStream ciphertext = download.apply(attachmentId);
    return opened.openAttachment(attachmentId, ciphertext);
  }

  /**
   * Downloads, decrypts and verifies one attachment into {@code plaintext}; returns its size. On an
   * exception what was written must be discarded.
   */
  public long downloadAttachment(String attachmentId, OutputStream plaintext) {
    return AttachmentFiles.transfer(openAttachment(attachmentId), plaintext);
  }

  /**
   * Downloads one attachment to {@code target}: written to a temporary file beside it and renamed
   * into place only after the SHA-256 and size verified, so {@code target} never holds unverified
   * bytes. Replaces an existing file.
   */
  public long saveAttachment(String attachmentId, Path target) {
    return AttachmentFiles.save(target, out -> downloadAttachment(attachmentId, out));
  }

  @Override
  public String toString() {
    return "ReceivedEnvelope[" + envelopeId() + "]";
  }
}
