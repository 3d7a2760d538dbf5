package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.domain.Digests;
import dev.sealpost.api.interfaces.rest.EnvelopeMultipart.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The SHA-256 of a multipart create request for {@code Idempotency-Key}: every part's name,
 * filename, type, bytes and length, so it is stable across boundaries and part headers' spelling.
 * Parts are digested as they stream by.
 */
final class MultipartDigest {
  private final MessageDigest digest = Digests.sha256();

  /** {@code part}'s content, digested (with its headers) as it is read. */
  InputStream digesting(Part part) {
    String header =
        "part\0"
            + part.name()
            + "\0"
            + part.filename().orElse("")
            + "\0"
            + part.contentType().orElse("")
            + "\0";
    digest.update(header.getBytes(StandardCharsets.UTF_8));
    return new ChunkInputStream.Watched(part.content()) {
      long length;
      boolean ended;

      @Override
      void seen(byte[] b, int off, int n) {
        if (n > 0) {
          digest.update(b, off, n);
          length += n;
        } else if (n < 0 && !ended) {
          ended = true;
          digest.update(ByteBuffer.allocate(8).putLong(length).array());
        }
      }
    };
  }

  /** Reads every remaining part of {@code multipart} and answers the digest in hex. */
  String readAll(EnvelopeMultipart multipart) {
    try {
      for (Optional<Part> p = multipart.next(); p.isPresent(); p = multipart.next()) {
        digesting(p.get()).transferTo(OutputStream.nullOutputStream());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return hex();
  }

  /** The digest of what was read, in hex (once: the digest resets). */
  String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
