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
 * <p>The stream fills (or decrypts into) the buffer {@link #acquire()} gives it, then hands it over
 * with {@link #submit(int)}. The first {@code inlineBytes} are hashed right there on the caller's
 * thread with one buffer, so small attachments never start a thread nor allocate more; past that a
 * helper thread hashes a ring of {@link #RING} buffers in order, {@link #BATCH} at a time, while
 * the caller goes on with the next ones (SHA-256 costs twice what AES-GCM costs here, so on two
 * cores this takes it off the critical path). {@code acquire()} waits until the helper is done with
 * the buffer it returns; memory stays at {@code RING} chunks. The helper thread ends by itself one
 * second after its last chunk, so an abandoned stream leaves no thread behind.
 */
final class ChunkHasher {
  /** Chunk buffers in the ring once the helper runs: two batches. */
  static final int RING = 8;

  /** Chunks handed to the helper at once: fewer thread wake-ups than one hand-over per chunk. */
  static final int BATCH = RING / 2;

  /** Attachments up to this size are hashed on the caller's thread only. */
  static final long DEFAULT_INLINE_BYTES = 4L << 20;

  /**
   * System property that moves the threshold, for measuring: {@code Long.MAX_VALUE} hashes every
   * attachment on the caller's thread as before the helper existed (docs/PERFORMANCE.md).
   */
  static final String INLINE_BYTES_PROPERTY = "sealpost.sha256.inlineBytes";

  private final MessageDigest sha = sha256();
  private final int chunkSize;
  private final byte[][] buffers = new byte[RING][];
  private final int[] lengths = new int[RING];
  private final Future<?>[] pending = new Future<?>[RING];
  private final long inlineBytes;
  private ThreadPoolExecutor helper;
  private Future<?> last;
  private long hashed;
  private int current;
  private int batched;

  ChunkHasher(int chunkSize, long inlineBytes) {
    this.chunkSize = chunkSize;
    this.inlineBytes = inlineBytes;
    buffers[0] = new byte[chunkSize];
  }

  /** The next buffer to fill, once the helper has finished hashing what it held. */
  byte[] acquire() throws IOException {
    if (helper == null) {
      return buffers[0]; // Hashed inline already: free again.
    }
    current = (current + 1) % RING;
    await(pending[current]);
    pending[current] = null;
    if (buffers[current] == null) {
      buffers[current] = new byte[chunkSize];
    }
    return buffers[current];
  }

  /** Adds the first {@code length} bytes of the buffer last acquired to the hash. */
  void submit(int length) {
    hashed += length;
    if (helper == null && hashed <= inlineBytes) {
      sha.update(buffers[0], 0, length);
      return;
    }
    if (helper == null) {
      helper = startHelper();
    }
    lengths[current] = length;
    if (++batched == BATCH) {
      flush();
    }
  }

  /** The SHA-256 of everything submitted, after the helper (if any) has caught up. */
  byte[] digest() throws IOException {
    flush();
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
      if (b != null) {
        Arrays.fill(b, (byte) 0);
      }
    }
  }

  /** Hands the chunks submitted since the last hand-over to the helper, in order. */
  private void flush() {
    if (batched == 0) {
      return;
    }
    int first = (current - batched + 1 + RING) % RING;
    int count = batched;
    Future<?> task =
        helper.submit(
            () -> {
              for (int k = 0; k < count; k++) {
                int i = (first + k) % RING;
                sha.update(buffers[i], 0, lengths[i]);
              }
            });
    for (int k = 0; k < count; k++) {
      pending[(first + k) % RING] = task;
    }
    last = task;
    batched = 0;
  }

  /** The threshold for the streams: {@link #DEFAULT_INLINE_BYTES} unless the property says. */
  static long inlineBytes() {
    return Long.getLong(INLINE_BYTES_PROPERTY, DEFAULT_INLINE_BYTES);
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
