package dev.sealpost.audit;

/**
 * The outcome of checking a tenant's audit chain: {@code ok}, how many events were checked, the
 * last one, the latest signed checkpoint and, on failure, the first bad position and why.
 */
public final class AuditVerification {
  private final String tenant;
  private final boolean ok;
  private final long events;
  private final long lastSeq;
  private final String lastHash;
  private final long firstBadSeq;
  private final String reason;
  private final AuditCheckpoint checkpoint;

  AuditVerification(
      String tenant,
      boolean ok,
      long events,
      long lastSeq,
      String lastHash,
      long firstBadSeq,
      String reason,
      AuditCheckpoint checkpoint) {
    this.tenant = tenant;
    this.ok = ok;
    this.events = events;
    this.lastSeq = lastSeq;
    this.lastHash = lastHash;
    this.firstBadSeq = firstBadSeq;
    this.reason = reason;
    this.checkpoint = checkpoint;
  }

  /** The tenant whose chain was checked. */
  public String tenant() {
    return tenant;
  }

  /** Whether every check passed. */
  public boolean ok() {
    return ok;
  }

  /** Events checked (up to the first bad one). */
  public long events() {
    return events;
  }

  /** The seq of the last good event (0 if none). */
  public long lastSeq() {
    return lastSeq;
  }

  /** The hash of the last good event ({@link AuditChain#GENESIS} if none). */
  public String lastHash() {
    return lastHash;
  }

  /** The first position (seq) found bad, or 0 when {@link #ok()}. */
  public long firstBadSeq() {
    return firstBadSeq;
  }

  /** Why it is not ok (null when ok). Never quotes event content. */
  public String reason() {
    return reason;
  }

  /** The latest signed checkpoint the chain was checked against, or null if there is none. */
  public AuditCheckpoint checkpoint() {
    return checkpoint;
  }

  /** The same result, failed for {@code why} at {@code seq} unless it failed already. */
  public AuditVerification failedAt(long seq, String why) {
    if (!ok) {
      return this;
    }
    return new AuditVerification(tenant, false, events, lastSeq, lastHash, seq, why, checkpoint);
  }

  /** The same result with a newer checkpoint (one signed over the verified head). */
  public AuditVerification withCheckpoint(AuditCheckpoint newer) {
    return new AuditVerification(tenant, ok, events, lastSeq, lastHash, firstBadSeq, reason, newer);
  }

  @Override
  public String toString() {
    return ok
        ? "ok: " + events + " events, head #" + lastSeq + " " + lastHash
        : "NOT ok at seq " + firstBadSeq + ": " + reason;
  }
}
