package dev.sealpost.client;

import dev.sealpost.exception.ClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.ToLongFunction;

/** Reading an opened attachment out, for {@link ReceivedEnvelope} and {@link ReceivedReply}. */
final class AttachmentFiles {
  private AttachmentFiles() {}

  /**
   * @param descriptor the manifest's descriptor for {@code attachmentId}, if it lists one
   * @param in "envelope" or "reply", for the message
   * @throws IllegalArgumentException if the manifest lists no such attachment
   */
  static void requireListed(Optional<?> descriptor, String attachmentId, String in) {
    if (descriptor.isEmpty()) {
      throw new IllegalArgumentException("no attachment " + attachmentId + " in this " + in);
    }
  }

  /**
   * Reads the verifying stream {@code opened} to its end into {@code plaintext} and closes it;
   * returns the size.
   */
  static long transfer(InputStream opened, OutputStream plaintext) {
    try (InputStream in = opened) {
      return in.transferTo(plaintext);
    } catch (IOException e) {
      throw new ClientException("downloading attachment failed: " + HttpTransport.describe(e), e);
    }
  }

  /**
   * Has {@code download} write to a temporary file beside {@code target}, and renames it into place
   * only once {@code download} returned (every check passed). Replaces an existing file.
   */
  static long save(Path target, ToLongFunction<OutputStream> download) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, ".sealpost-", ".part");
      long n;
      try (OutputStream out = Files.newOutputStream(tmp)) {
        n = download.applyAsLong(out);
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
