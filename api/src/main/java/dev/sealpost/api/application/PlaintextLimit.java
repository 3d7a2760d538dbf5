package dev.sealpost.api.application;

import dev.sealpost.api.domain.PayloadTooLargeException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the plaintext of all attachments of one envelope as it streams; past the limit the request
 * is refused with a {@link PayloadTooLargeException} (413).
 */
final class PlaintextLimit {
  private final long max;
  private long total;

  PlaintextLimit(long max) {
    this.max = max;
  }

  /** {@code in}, counted against this limit; closing the result leaves {@code in} open. */
  InputStream count(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          add(1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          add(n);
        }
        return n;
      }

      @Override
      public void close() {
        // the caller owns the underlying stream
      }
    };
  }

  private void add(long n) {
    total += n;
    if (total > max) {
      throw new PayloadTooLargeException(
          "an envelope may hold at most " + max + " bytes of attachments");
    }
  }
}
