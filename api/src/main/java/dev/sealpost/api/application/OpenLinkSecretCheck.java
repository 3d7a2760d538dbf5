package dev.sealpost.api.application;

import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.LinkAccess;
import dev.sealpost.api.domain.OpenLinkRepository;
import dev.sealpost.api.domain.OpenLinkRepository.LinkState;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.SharedSecretHash;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.VerificationMethod;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The shared secret's slow hash (PBKDF2, 600,000 rounds: seconds on a small, busy machine) is
 * checked before the recipient's row lock is taken and outside any transaction. Under the lock it
 * held a database connection and the row while it ran, so a burst of verify calls on one link
 * queued on the row until the database's lock timeout (H2) or the pool's connection timeout
 * answered 500, and could starve every other request of connections. The decision itself is still
 * taken under the row lock, which asks {@link LinkAccess} again (token, lock state, expiry,
 * revocation, open count) and uses this result only for the same stored hash. Checks of one
 * recipient take turns on a striped lock (held through the decision, so a queued call sees the
 * opens already counted and skips the hash): a burst on one link costs one hash at a time, not one
 * per call.
 */
final class OpenLinkSecretCheck {
  /** The stored hash a secret was checked against, and whether it matched. */
  record Checked(String secretHash, boolean matches) {}

  private static final ReentrantLock[] STRIPES = new ReentrantLock[64];

  static {
    for (int i = 0; i < STRIPES.length; i++) {
      STRIPES[i] = new ReentrantLock();
    }
  }

  private final Transactions tx;
  private final OpenLinkRepository links;
  private final Clock clock;

  OpenLinkSecretCheck(Transactions tx, OpenLinkRepository links, Clock clock) {
    this.tx = tx;
    this.links = links;
    this.clock = clock;
  }

  /** A secret worth checking at all: present and of a sane length. */
  static boolean isAnswer(String secret) {
    return secret != null && !secret.isEmpty() && secret.length() <= 1000;
  }

  /** Runs {@code work} in this instance's turn for the recipient (one secret check at a time). */
  static <T> T inTurn(RecipientId recipientId, Supplier<T> work) {
    ReentrantLock stripe = STRIPES[Math.floorMod(recipientId.hashCode(), STRIPES.length)];
    stripe.lock();
    try {
      return work.get();
    } finally {
      stripe.unlock();
    }
  }

  /**
   * Hashes {@code secret} against the stored hash, without the row lock, if the link may proceed by
   * {@link LinkAccess} and asks for a shared secret; null when the locked decision refuses it
   * without hashing anyway.
   */
  Checked beforeLock(
      EnvelopeId envelopeId, RecipientId recipientId, String tokenHash, String secret) {
    Instant now = clock.instant();
    Optional<LinkState> seen = tx.inTransaction(() -> links.read(envelopeId, recipientId));
    if (seen.isEmpty()) {
      return null;
    }
    LinkState s = seen.get();
    boolean worthHashing =
        LinkAccess.refusal(s, tokenHash, now).isEmpty()
            && s.method() == VerificationMethod.SHARED_SECRET
            && s.secretHash() != null;
    if (!worthHashing) {
      return null;
    }
    return new Checked(s.secretHash(), SharedSecretHash.verify(secret, s.secretHash()));
  }

  /** Under the row lock: the earlier result if it was for the same stored hash, else a hash now. */
  static boolean matches(String secret, String storedHash, Checked checked) {
    if (storedHash == null) {
      return false;
    }
    if (checked != null && checked.secretHash().equals(storedHash)) {
      return checked.matches();
    }
    return SharedSecretHash.verify(secret, storedHash);
  }
}
