package dev.sealpost.api.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Ciphertext objects (attachments, manifests). Writes are atomic: a reader sees the whole object or
 * none. Memory use does not grow with object size. Implementations: {@code filesystem} and, later,
 * {@code s3}.
 *
 * <pre>{@code
 * try (BlobStore.Upload up = blobs.upload(key)) {
 *   attachmentSealer.seal(plaintextIn, up.stream());
 *   up.commit();            // without commit, close() discards the partial object
 * }
 * }</pre>
 */
public interface BlobStore {

  /** An object being written. {@link #close()} without {@link #commit()} discards it. */
  interface Upload extends AutoCloseable {
    OutputStream stream();

    /** Makes the object visible under its key (replacing any previous one); returns its size. */
    long commit() throws IOException;

    @Override
    void close() throws IOException;
  }

  Upload upload(BlobKey key) throws IOException;

  /** Copies {@code content} into a new object; returns its size. */
  default long put(BlobKey key, InputStream content) throws IOException {
    try (Upload up = upload(key)) {
      content.transferTo(up.stream());
      return up.commit();
    }
  }

  /**
   * Opens the object for reading.
   *
   * @throws NotFoundException when there is none
   */
  InputStream get(BlobKey key) throws IOException;

  boolean exists(BlobKey key) throws IOException;

  /** Deletes the object if present; true when something was deleted. */
  boolean delete(BlobKey key) throws IOException;

  /** Deletes every object whose key starts with {@code prefix + "/"}; returns how many. */
  int deleteAll(BlobKey prefix) throws IOException;

  /** True when the store can be written now (for readiness). */
  boolean healthy();
}
