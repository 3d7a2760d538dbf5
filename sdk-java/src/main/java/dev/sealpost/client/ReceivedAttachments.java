package dev.sealpost.client;

import dev.sealpost.exception.ClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Downloading, opening and saving the attachments of a {@link ReceivedEnvelope} or {@link
 * ReceivedReply}.
 */
class ReceivedAttachments {
  private final Function<String, InputStream> download;
  private final String in;
  private final Predicate<String> lists;
  private final BiFunction<String, InputStream, InputStream> open;

  /**
   * @param download the ciphertext of an attachment by its id
   * @param in "envelope" or "reply", for the message on an unknown attachment id
   * @param lists whether the manifest lists an attachment id
   * @param open the verifying plaintext stream of an attachment's ciphertext
   */
  ReceivedAttachments(
      Function<String, InputStream> download,
      String in,
      Predicate<String> lists,
      BiFunction<String, InputStream, InputStream> open) {
    this.download = download;
    this.in = in;
    this.lists = lists;
    this.open = open;
  }

  /**
   * Downloads and decrypts one attachment as it is read. Closing the stream ends the download.
   *
   * @throws IllegalArgumentException if the manifest has no such attachment
   */
  public InputStream openAttachment(String attachmentId) {
    if (!lists.test(attachmentId)) {
      throw new IllegalArgumentException("no attachment " + attachmentId + " in this " + in);
    }
    return open.apply(attachmentId, download.apply(attachmentId));
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
   * Downloads one attachment to {@code target}: written to a temporary file beside it and renamed
   * into place only after every check passed (SHA-256 and size), so {@code target} never holds
   * unverified bytes. Replaces an existing file.
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
}
