package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * The consumer link's state in the database: recipients' counters and the access tokens. Every
 * change is one guarded statement (or made under the recipient's row lock), so limits hold across
 * server instances. Call inside {@link Transactions}.
 */
public interface OpenLinkRepository {
  /** A consumer recipient with its envelope's state, as read under the recipient's row lock. */
  record LinkState(
      TenantId tenantId,
      EnvelopeId envelopeId,
      RecipientId recipientId,
      String email,
      String locale,
      VerificationMethod method,
      String secretHash,
      String secretHint,
      String linkTokenHash,
      String serverShare,
      RecipientStatus status,
      int failedAttempts,
      int openCount,
      String otpHash,
      Instant otpExpiresAt,
      int otpRequests,
      Instant otpWindowStart,
      EnvelopeStatus envelopeStatus,
      Instant expiresAt,
      Integer maxOpens,
      String manifestBlob) {
    @Override
    public String toString() {
      return "LinkState[" + envelopeId + "/" + recipientId + ", " + status + "]";
    }
  }

  /** An access token's binding. */
  record OpenSession(
      TenantId tenantId, EnvelopeId envelopeId, RecipientId recipientId, Instant expiresAt) {}

  /** Locks the consumer recipient's row (SELECT ... FOR UPDATE) and reads its state. */
  Optional<LinkState> lock(EnvelopeId envelopeId, RecipientId recipientId);

  /**
   * Reads the consumer recipient's state without locking: for work that must not run under the row
   * lock (the slow shared-secret hash). Decisions are still taken on {@link #lock}'s state.
   */
  Optional<LinkState> read(EnvelopeId envelopeId, RecipientId recipientId);

  /**
   * Stores a fresh code hash if the recipient may ask for one more code in the window starting at
   * {@code windowStart} (at most {@code maxRequests}); false when rate-limited.
   */
  boolean storeCode(
      RecipientId recipientId,
      String otpHash,
      Instant otpExpiresAt,
      Instant now,
      Instant windowCutoff,
      int maxRequests);

  /** One more wrong answer; locks at {@code maxAttempts}. Answers the attempts counted so far. */
  int recordFailure(RecipientId recipientId, Instant now, int maxAttempts);

  /**
   * Counts one open if the recipient is not locked, the envelope is active, unexpired at {@code
   * now} and under its max opens (and, with {@code otpHash}, that code is still the stored one:
   * single use). False when any guard fails.
   */
  boolean recordOpen(RecipientId recipientId, Instant now, String otpHash);

  void insertSession(String tokenHash, OpenSession session, Instant now);

  Optional<OpenSession> session(String tokenHash);

  /** How many new links the consumer recipient got so far (read under {@link #lock}). */
  int reissueCount(EnvelopeId envelopeId, RecipientId recipientId);

  /**
   * A new link for a recipient, if it got fewer than {@code maxReissues} so far: token hash and
   * server share replaced, the pending code dropped, its access tokens deleted and its reissue
   * count raised by one. The lock and the wrong-answer counter are reset only with {@code liftLock}
   * (otherwise a new link would be new guesses). False when the recipient is not there or its
   * reissues are used up.
   */
  boolean reissue(
      TenantId tenant,
      EnvelopeId envelopeId,
      RecipientId recipientId,
      NewLink link,
      boolean liftLock,
      int maxReissues);

  /** A reissued link's stored parts: the token's SHA-256 hex and the wrapped server share. */
  record NewLink(String tokenHash, String serverShare) {
    @Override
    public String toString() {
      return "NewLink[]";
    }
  }
}
