package dev.sealpost.client;

import dev.sealpost.envelope.AttachmentDescriptor;
import dev.sealpost.envelope.OpenedReply;
import dev.sealpost.envelope.ReplyManifest;
import dev.sealpost.envelope.ReplyReceipt;
import dev.sealpost.exception.IntegrityException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A secure reply fetched from the server whose receipt verified under a trusted key of the tenant,
 * whose manifest bytes are the ones the receipt names, and whose manifest decrypted with the
 * tenant's reply key and agrees with the receipt (docs/FORMAT.md section 12.6). Attachments are
 * downloaded on demand and checked while they stream: the ciphertext against the receipt's SHA-256
 * and size, every chunk authenticated before its bytes are returned, the plaintext size and SHA-256
 * before end of stream is reported ({@link IntegrityException} from {@code read()} otherwise).
 * Treat bytes as verified only once the stream reached its end, or use {@link
 * #saveAttachment(String, Path)}.
 */
public final class ReceivedReply extends ReceivedAttachments {
  private final OpenedReply opened;

  ReceivedReply(OpenedReply opened, Function<String, InputStream> download) {
    super(
        download,
        "reply",
        id -> opened.manifest().attachment(id).isPresent(),
        Objects.requireNonNull(opened)::openAttachment);
    this.opened = Objects.requireNonNull(opened);
  }

  public String replyId() {
    return opened.manifest().replyId();
  }

  public String envelopeId() {
    return opened.manifest().envelopeId();
  }

  /** The recipient of the envelope who replied. */
  public String recipientId() {
    return opened.manifest().recipientId();
  }

  /** The replier's message: untrusted text. */
  public String message() {
    return opened.manifest().message();
  }

  /** The decrypted reply manifest. */
  public ReplyManifest manifest() {
    return opened.manifest();
  }

  /** The verified receipt (when the server received the reply, who signed it). */
  public ReplyReceipt receipt() {
    return opened.receipt();
  }

  /** The attachments; names are the replier's text: sanitise before using them as paths. */
  public List<AttachmentDescriptor> attachments() {
    return opened.manifest().attachments();
  }

  @Override
  public String toString() {
    return "ReceivedReply[" + replyId() + " to " + envelopeId() + "]";
  }
}
