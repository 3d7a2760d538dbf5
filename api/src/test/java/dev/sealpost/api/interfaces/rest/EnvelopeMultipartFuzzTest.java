package dev.sealpost.api.interfaces.rest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Coverage-guided fuzzing (Jazzer) of the server's streaming {@code multipart/form-data} reader,
 * which reads every seal request's body before anything is authenticated as well-formed.
 *
 * <p>Input layout: byte 0 picks how many bytes each {@code read} of the request stream hands out (1
 * to 128, or all when its top bit is set, to reach the buffer edges); up to the first {@code '\n'}
 * is the request's Content-Type header; the rest is the body. Contract: every part is read to its
 * end, or the reader refuses with a {@link ProblemException} whose status is 4xx; nothing else
 * escapes, and one input stays under the per-input timeout. Corpus: {@code
 * src/test/resources/dev/sealpost/api/interfaces/rest/EnvelopeMultipartFuzzTestInputs/parse/}.
 */
class EnvelopeMultipartFuzzTest {

  @FuzzTest
  void parse(byte[] data) throws IOException {
    if (data.length == 0) {
      return;
    }
    int chunk = (data[0] & 0x80) != 0 ? Integer.MAX_VALUE : (data[0] & 0x7f) + 1;
    int newline = 1;
    while (newline < data.length && data[newline] != '\n') {
      newline++;
    }
    String contentType = new String(data, 1, newline - 1, StandardCharsets.ISO_8859_1);
    byte[] body = Arrays.copyOfRange(data, Math.min(newline + 1, data.length), data.length);
    try {
      EnvelopeMultipart m =
          new EnvelopeMultipart(trickle(body, chunk), EnvelopeMultipart.boundary(contentType));
      Optional<EnvelopeMultipart.Part> part = m.next();
      while (part.isPresent()) {
        part.get().content().readAllBytes();
        part = m.next();
      }
    } catch (ProblemException e) {
      if (e.status() < 400 || e.status() > 499) {
        throw new AssertionError("a malformed body must be a 4xx, not " + e.status(), e);
      }
    }
  }

  private static InputStream trickle(byte[] data, int max) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, max));
      }
    };
  }
}
