package dev.sealpost.envelope;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The SHA-256 of an attachment's plaintext, computed chunk by chunk while the stream encrypts or
 * decrypts the next chunks.
 *
 * <p>The stream owns a ring of {@link #RING} chunk buffers: it fills (or decrypts into) the buffer
 * {@link #acquire()} gives it, then hands it over with {@link #submit(int)}. The first {@code
 * inlineBytes} are hashed right there on the caller's thread, so small attachments never start a
 * thread; past that a helper thread hashes the buffers in order while the caller goes on with the
 * next ones (SHA-256 costs twice what AES-GCM costs here, so on two cores this takes it off the
 * critical path). {@code acquire()} waits until the helper is done with the buffer it returns;
 * memory stays at {@code RING} chunks. The helper thread ends by itself one second after its last
 * chunk, so an abandoned stream leaves no thread behind.
 */
final class ChunkHasher {
  static final int RING = 4;

  /** Attachments up to this size are hashed on the caller's thread only. */
  static final long DEFAULT_INLINE_BYTES = 4L << 20;

  private final MessageDigest sha = sha256();
  private final byte[][] buffers;
  private final Future<?>[] pending = new Future<?>[RING];
  private final long inlineBytes;
  private ThreadPoolExecutor helper;
  private Future<?> last;
  private long hashed;
  private int current = -1;

  ChunkHasher(int chunkSize, long inlineBytes) {
    this.buffers = new byte[RING][chunkSize];
    this.inlineBytes = inlineBytes;
  }

  /** The next buffer of the ring, once the helper has finished hashing what it held. */
  byte[] acquire() throws IOException {
    current = (current + 1) % RING;
    await(pending[current]);
    pending[current] = null;
    return buffers[current];
  }

  /** Adds the first {@code length} bytes of the buffer last acquired to the hash. */
  void submit(int length) {
    byte[] buffer = buffers[current];
    if (helper == null && hashed + length <= inlineBytes) {
      sha.update(buffer, 0, length);
    } else {
      if (helper == null) {
        helper = startHelper();
      }
      last = helper.submit(() -> sha.update(buffer, 0, length));
      pending[current] = last;
    }
    hashed += length;
  }

  /** The SHA-256 of everything submitted, after the helper (if any) has caught up. */
  byte[] digest() throws IOException {
    await(last);
    return sha.digest();
  }

  /** Waits for the helper to let go of the buffers, then zeroes them; never throws. */
  void destroy() {
    if (helper != null) {
      helper.shutdown();
      try {
        if (!helper.awaitTermination(10, TimeUnit.SECONDS)) {
          helper.shutdownNow();
        }
      } catch (InterruptedException e) {
        helper.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    for (byte[] b : buffers) {
      Arrays.fill(b, (byte) 0);
    }
  }

  private static void await(Future<?> task) throws IOException {
    if (task == null) {
      return;
    }
    try {
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing an attachment");
    } catch (ExecutionException e) {
      throw new IllegalStateException("SHA-256 failed", e.getCause());
    }
  }

  private static ThreadPoolExecutor startHelper() {
    // One thread at most, so chunks are hashed in the order they were submitted.
    return new ThreadPoolExecutor(
        0,
        1,
        1,
        TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "sealpost-sha256");
          t.setDaemon(true);
          return t;
        });
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
