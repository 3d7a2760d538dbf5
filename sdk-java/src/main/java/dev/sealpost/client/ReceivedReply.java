package dev.sealpost.client;

import dev.sealpost.envelope.AttachmentDescriptor;
import dev.sealpost.envelope.OpenedReply;
import dev.sealpost.envelope.ReplyManifest;
import dev.sealpost.envelope.ReplyReceipt;
import dev.sealpost.exception.ClientException;
import dev.sealpost.exception.IntegrityException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
public final class ReceivedReply {
  private final OpenedReply opened;
  private final Function<String, InputStream> download;

  ReceivedReply(OpenedReply opened, Function<String, InputStream> download) {
    this.opened = Objects.requireNonNull(opened);
    this.download = download;
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

  /**
   * Downloads and decrypts one attachment as it is read. Closing the stream ends the download.
   *
   * @throws IllegalArgumentException if the reply has no such attachment
   */
  public InputStream openAttachment(String attachmentId) {
    if (opened.manifest().attachment(attachmentId).isEmpty()) {
      throw new IllegalArgumentException("no attachment " + attachmentId + " in this reply");
    }
    return opened.openAttachment(attachmentId, download.apply(attachmentId));
  }

  /**
   * Downloads, decrypts and verifies one attachment into {@code plaintext}; returns its size. On an
   * exception what was written must be discarded.
   */
  public long downloadAttachment(String attachmentId, OutputStream plaintext) {
    try (InputStream in = openAttachment(attachmentId)) {
      return in.transferTo(plaintext);
    } catch (IOException e) {
      throw new ClientException("downloading attachment failed: " + HttpTransport.describe(e), e);
    }
  }

  /**
   * Downloads one attachment to {@code target} through a temporary file beside it, renamed into
   * place only after every check passed. Replaces an existing file.
   */
  public long saveAttachment(String attachmentId, Path target) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, ".sealpost-", ".part");
      long n;
      try (OutputStream out = Files.newOutputStream(tmp)) {
        n = downloadAttachment(attachmentId, out);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
      return n;
    } catch (IOException e) {
      throw new ClientException("writing " + target + " failed: " + HttpTransport.describe(e), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temporary file held unverified bytes
        }
      }
    }
  }

  @Override
  public String toString() {
    return "ReceivedReply[" + replyId() + " to " + envelopeId() + "]";
  }
}
