package dev.sealpost.audit;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks one tenant's chain in a single pass, with memory independent of its length: feed signed
 * checkpoints ({@link #checkpoint}, already signature-checked with {@link AuditCheckpoint#verify})
 * and events ({@link #accept}, in {@code seq} order), each checkpoint before the event it covers or
 * right after it, then call {@link #finish}.
 *
 * <p>Detected: an edited event (its recomputed hash differs), a removed one (a gap in {@code seq}),
 * reordered ones (a hash covers its own {@code seq} and its predecessor's hash), a rewritten chain
 * (it no longer matches a signed checkpoint) and a removed tail (the chain ends before a signed
 * checkpoint, or before the head the server recorded). A chain may start after seq 1 only at a
 * signed checkpoint (the anchor left when old events are pruned).
 *
 * <pre>{@code
 * AuditVerifier v = new AuditVerifier(tenant, checkpoints);
 * for (AuditRecord r : records) if (!v.accept(r)) break;
 * AuditVerification result = v.finish(headSeq, headHash);
 * }</pre>
 */
public final class AuditVerifier {
  private final String tenant;

  /** Checkpoints not yet compared with an event (seq above the last event checked). */
  private final TreeMap<Long, AuditCheckpoint> pending = new TreeMap<>();

  private AuditCheckpoint latest;
  private long count;
  private long lastSeq;
  private String lastHash = AuditChain.GENESIS;
  private boolean started;
  private long badSeq;
  private String reason;
  private boolean unanchored;

  public AuditVerifier(String tenant) {
    this.tenant = tenant;
  }

  /**
   * A verifier for one stretch of the chain that may start anywhere (an evidence bundle's hash
   * path, {@link AuditEvidence}): the first event's {@code prevHash} is taken as stated (it is part
   * of that event's hash) unless it is seq 1 or a checkpoint anchors it. Such a stretch proves no
   * more than what a signed checkpoint at or after it covers; the caller checks that one is there.
   */
  public static AuditVerifier segment(String tenant) {
    AuditVerifier v = new AuditVerifier(tenant);
    v.unanchored = true;
    return v;
  }

  public AuditVerifier(String tenant, Collection<AuditCheckpoint> verifiedCheckpoints) {
    this(tenant);
    verifiedCheckpoints.forEach(this::checkpoint);
  }

  /** Adds a signature-checked checkpoint; false once something is wrong. */
  public boolean checkpoint(AuditCheckpoint cp) {
    if (reason != null) {
      return false;
    }
    if (!tenant.equals(cp.tenant())) {
      return fail(cp.seq(), "a checkpoint belongs to another tenant");
    }
    if (latest == null || cp.seq() > latest.seq()) {
      latest = cp;
    }
    if (started && cp.seq() <= lastSeq) {
      if (cp.seq() < lastSeq) {
        return fail(cp.seq(), "a checkpoint arrived after the events it covers");
      }
      if (!AuditChain.sameHash(cp.head(), lastHash)) {
        return fail(cp.seq(), "the chain differs from the signed checkpoint at seq " + cp.seq());
      }
      return true;
    }
    AuditCheckpoint other = pending.putIfAbsent(cp.seq(), cp);
    if (other != null && !AuditChain.sameHash(other.head(), cp.head())) {
      return fail(cp.seq(), "two signed checkpoints disagree about the hash at seq " + cp.seq());
    }
    return true;
  }

  /** Checks the next event; false once something is wrong (later input is then ignored). */
  public boolean accept(AuditRecord r) {
    if (reason != null) {
      return false;
    }
    String expectedPrev;
    if (!started) {
      started = true;
      if (r.seq() == 1) {
        expectedPrev = AuditChain.GENESIS;
      } else {
        AuditCheckpoint anchor = pending.get(r.seq() - 1);
        if (anchor != null) {
          expectedPrev = anchor.head();
        } else if (unanchored) {
          expectedPrev = r.prevHash();
        } else {
          Map.Entry<Long, AuditCheckpoint> below = pending.lowerEntry(r.seq());
          long missing = below == null ? 1 : below.getKey() + 1;
          return fail(
              missing, "events before seq " + r.seq() + " are missing (no signed anchor there)");
        }
      }
      pending.headMap(r.seq()).clear();
    } else {
      if (r.seq() > lastSeq + 1) {
        return fail(lastSeq + 1, "event missing (the next stored event is seq " + r.seq() + ")");
      }
      if (r.seq() != lastSeq + 1) {
        return fail(lastSeq + 1, "events out of order or duplicated (seq " + r.seq() + ")");
      }
      expectedPrev = lastHash;
    }
    if (!tenant.equals(r.tenant())) {
      return fail(r.seq(), "the event belongs to another tenant");
    }
    if (!AuditChain.sameHash(expectedPrev, r.prevHash())) {
      return fail(
          r.seq(),
          "prevHash does not match the hash of the event before it (seq " + (r.seq() - 1) + ")");
    }
    if (!AuditChain.sameHash(AuditChain.hash(r), r.hash())) {
      return fail(r.seq(), "the stored hash does not match the event's fields (edited)");
    }
    AuditCheckpoint cp = pending.remove(r.seq());
    if (cp != null && !AuditChain.sameHash(cp.head(), r.hash())) {
      return fail(r.seq(), "the chain differs from the signed checkpoint at seq " + r.seq());
    }
    count++;
    lastSeq = r.seq();
    lastHash = r.hash();
    return true;
  }

  /**
   * Ends the check. {@code headSeq}/{@code headHash}: the head the server recorded (its {@code
   * audit_heads} row or an export's head line), or null when unknown.
   */
  public AuditVerification finish(Long headSeq, String headHash) {
    if (reason == null && !pending.isEmpty() && pending.lastKey() > lastSeq) {
      fail(
          lastSeq + 1,
          "the chain ends at seq "
              + lastSeq
              + " but a signed checkpoint covers seq "
              + pending.lastKey()
              + " (events removed from the end)");
    }
    if (reason == null && headSeq != null) {
      if (headSeq != lastSeq) {
        fail(
            Math.min(headSeq, lastSeq) + 1,
            "the recorded head is seq " + headSeq + " but the chain ends at seq " + lastSeq);
      } else if (lastSeq > 0 && !AuditChain.sameHash(headHash, lastHash)) {
        fail(lastSeq, "the recorded head hash differs from the last event's hash");
      }
    }
    return new AuditVerification(
        tenant,
        reason == null,
        count,
        lastSeq,
        lastHash,
        reason == null ? 0 : badSeq,
        reason,
        latest);
  }

  private boolean fail(long seq, String why) {
    if (reason == null) {
      badSeq = seq;
      reason = why;
    }
    return false;
  }
}
