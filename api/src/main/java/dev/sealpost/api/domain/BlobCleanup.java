package dev.sealpost.api.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Object prefixes ({@code <tenant>/<envelope>}) whose objects must be deleted unless an envelope
 * claims them in time: how a crash between the blob writes and the database commit (or between the
 * commit of a revocation and the deletion of its objects) leaves no orphan behind. Call inside
 * {@link Transactions#inTransaction}.
 */
public interface BlobCleanup {
  /** Before a seal writes objects under {@code prefix}: they go at {@code due} unless settled. */
  void expect(BlobKey prefix, Instant due);

  /**
   * In the transaction that records the envelope: takes the objects over. False when the orphan
   * sweep has already claimed them (the seal took longer than the grace): the seal must not commit.
   */
  boolean settle(BlobKey prefix);

  /** The objects under {@code prefix} must go (revoked or expired): due at {@code now}. */
  void schedule(BlobKey prefix, Instant now);

  /** The objects under {@code prefix} are deleted (or were never written): forget the row. */
  void done(BlobKey prefix);

  /** Up to {@code limit} prefixes due at {@code now} and not claimed within {@code lease}. */
  List<BlobKey> due(Instant now, Duration lease, int limit);

  /** Claims a due prefix for this instance; false when another instance or a seal was first. */
  boolean claim(BlobKey prefix, Instant now, Duration lease);
}
