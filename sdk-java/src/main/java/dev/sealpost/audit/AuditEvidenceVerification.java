package dev.sealpost.audit;

import java.util.List;

/**
 * The outcome of checking an evidence bundle ({@link AuditEvidence#verify}): whether it is intact
 * and, either way, what was checked; on failure the first broken link (a {@code seq}, the event's
 * type when known) and why.
 */
public final class AuditEvidenceVerification {
  private final boolean ok;
  private final String tenant;
  private final String envelopeId;
  private final long envelopeEvents;
  private final long pathEvents;
  private final List<Long> checkpointSeqs;
  private final String keySource;
  private final long evidenceSeq;
  private final long firstBadSeq;
  private final String firstBadType;
  private final String reason;

  AuditEvidenceVerification(
      boolean ok,
      String tenant,
      String envelopeId,
      long envelopeEvents,
      long pathEvents,
      List<Long> checkpointSeqs,
      String keySource,
      long evidenceSeq,
      long firstBadSeq,
      String firstBadType,
      String reason) {
    this.ok = ok;
    this.tenant = tenant;
    this.envelopeId = envelopeId;
    this.envelopeEvents = envelopeEvents;
    this.pathEvents = pathEvents;
    this.checkpointSeqs = List.copyOf(checkpointSeqs);
    this.keySource = keySource;
    this.evidenceSeq = evidenceSeq;
    this.firstBadSeq = firstBadSeq;
    this.firstBadType = firstBadType;
    this.reason = reason;
  }

  /** Whether every check passed. */
  public boolean ok() {
    return ok;
  }

  public String tenant() {
    return tenant;
  }

  public String envelopeId() {
    return envelopeId;
  }

  /** Events naming the envelope that were checked (all of them when {@link #ok()}). */
  public long envelopeEvents() {
    return envelopeEvents;
  }

  /** Other events of the tenant checked because they lie on a hash path to a checkpoint. */
  public long pathEvents() {
    return pathEvents;
  }

  /** The seqs of the signed checkpoints whose signatures were checked and that the paths reach. */
  public List<Long> checkpointSeqs() {
    return checkpointSeqs;
  }

  /** Where the keys that checked the signatures came from (given, or the bundle's own JWKS). */
  public String keySource() {
    return keySource;
  }

  /** The seq of the AUDIT_EXPORTED event that recorded the bundle (0 if not reached). */
  public long evidenceSeq() {
    return evidenceSeq;
  }

  /** The first broken link's seq (0 when ok, or when the fault is not one event's). */
  public long firstBadSeq() {
    return firstBadSeq;
  }

  /** The first broken event's type, when it is in the bundle (else null). */
  public String firstBadType() {
    return firstBadType;
  }

  /** Why it is not ok (null when ok). Never quotes event content. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return ok
        ? "intact: "
            + envelopeEvents
            + " events of envelope "
            + envelopeId
            + ", "
            + pathEvents
            + " on hash paths, checkpoints "
            + checkpointSeqs
        : "NOT intact at seq "
            + firstBadSeq
            + (firstBadType == null ? "" : " (" + firstBadType + ")")
            + ": "
            + reason;
  }
}
