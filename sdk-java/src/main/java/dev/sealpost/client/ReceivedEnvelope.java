package dev.sealpost.client;

import dev.sealpost.envelope.AttachmentDescriptor;
import dev.sealpost.envelope.Manifest;
import dev.sealpost.envelope.OpenedEnvelope;
import dev.sealpost.exception.IntegrityException;
import java.io.InputStream;
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
public final class ReceivedEnvelope extends ReceivedAttachments {
  private final OpenedEnvelope opened;

  ReceivedEnvelope(OpenedEnvelope opened, Function<String, InputStream> download) {
    super(
        download,
        "envelope",
        id -> opened.manifest().attachment(id).isPresent(),
        Objects.requireNonNull(opened)::openAttachment);
    this.opened = Objects.requireNonNull(opened);
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

  @Override
  public String toString() {
    return "ReceivedEnvelope[" + envelopeId() + "]";
  }
}
