package dev.sealpost.api.application;

import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.audit.AuditCheckpoint;
import dev.sealpost.audit.AuditRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reading a tenant's audit chain, and signing checkpoints of its head. Every method runs in the
 * caller's transaction ({@link dev.sealpost.api.domain.Transactions}).
 */
public interface AuditStore {
  /** The head a tenant's appends maintain: its last seq and hash (seq 0: no events yet). */
  record Head(long seq, String hash) {}

  /** Query filters; empty fields match everything. {@code to} is exclusive. */
  record Filter(
      Optional<String> envelopeId,
      Optional<String> recipientId,
      Optional<AuditEventType> type,
      Optional<String> actor,
      Optional<Instant> from,
      Optional<Instant> to) {
    /**
     * A range that ends before it starts matches nothing: a mistake, refused (422 {@code from}).
     */
    public Filter {
      if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
        throw new InvalidInputException("from", "must not be after to");
      }
    }

    public static Filter none() {
      return new Filter(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
    }
  }

  /** Events matching {@code filter} with seq above {@code afterSeq}, in seq order. */
  List<AuditRecord> events(TenantId tenant, Filter filter, long afterSeq, int limit);

  /** The chain itself: events with {@code afterSeq < seq <= upToSeq}, in seq order. */
  List<AuditRecord> chain(TenantId tenant, long afterSeq, long upToSeq, int limit);

  /** Stored checkpoints (signatures NOT checked) with {@code afterSeq < seq <= upToSeq}. */
  List<AuditCheckpoint> checkpoints(TenantId tenant, long afterSeq, long upToSeq, int limit);

  Optional<Head> head(TenantId tenant);

  /**
   * The head, locked until the transaction ends: no event of the tenant can be appended by anyone
   * else until then (empty: the tenant has no events yet).
   */
  Optional<Head> lockedHead(TenantId tenant);

  /**
   * Locks the tenant's head and, if events exist that no checkpoint covers, checks them back to the
   * latest checkpoint and signs a new one over the head. Answers the latest checkpoint (empty: no
   * events yet).
   *
   * @throws AuditChainBrokenException if the unsigned events do not chain onto the last checkpoint
   */
  Optional<AuditCheckpoint> checkpointHead(TenantId tenant);

  /**
   * Retention: with the tenant's head locked, deletes its oldest events, all of them older than
   * {@code olderThan}, up to the newest signed checkpoint they reach, and the checkpoints before
   * it. That checkpoint stays as the chain's anchor, so the rest still verifies; the newest event
   * is never deleted. Answers the last deleted seq (0: nothing was old enough).
   */
  long prune(TenantId tenant, Instant olderThan);

  /** Tenants with at least one event older than {@code olderThan}. */
  List<TenantId> tenantsWithEventsBefore(Instant olderThan);

  /**
   * Tenants with events that no checkpoint covers and no checkpoint newer than {@code
   * signedBefore}: due for a time-based checkpoint.
   */
  List<TenantId> tenantsDueForCheckpoint(Instant signedBefore);
}
