package dev.sealpost.api.application;

import dev.sealpost.api.domain.StorageUnavailableException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Writes to the blob store, where an IOException is the store's failure, not the client's. */
final class BlobWrites {
  private BlobWrites() {}

  /** A blob store call whose IOException means the store is unavailable (not the client's body). */
  interface StorageCall<T> {
    T call() throws IOException;
  }

  static <T> T storage(StorageCall<T> call) {
    try {
      return call.call();
    } catch (IOException e) {
      throw new StorageUnavailableException("blob write failed", e);
    }
  }

  /**
   * The upload stream: a write that fails is the store's failure (S3 down, disk full), which the
   * caller must see as retryable, unlike a failed read of the client's own body.
   */
  static final class StorageOut extends FilterOutputStream {
    StorageOut(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      storage(
          () -> {
            out.write(b, off, len);
            return null;
          });
    }

    @Override
    public void write(int b) {
      storage(
          () -> {
            out.write(b);
            return null;
          });
    }

    @Override
    public void flush() {
      storage(
          () -> {
            out.flush();
            return null;
          });
    }

    @Override
    public void close() {
      // the Upload owns the underlying stream: commit or close() ends it
    }
  }
}
