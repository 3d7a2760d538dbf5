package dev.sealpost.api.domain;

import dev.sealpost.api.domain.OpenLinkRepository.LinkState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules of "may this consumer link be opened now?" (DESIGN.md "The consumer link"), in one
 * place: given the recipient's and its envelope's state and the time, the reason to refuse or
 * nothing (may proceed). The shared-secret pre-check (outside the row lock, before the slow hash)
 * and the decision under the row lock ask the same question of this type, so they cannot drift
 * apart. Also the limits around a code and wrong answers. Pure: no I/O, no clock of its own.
 */
public final class LinkAccess {
  /** Wrong answers in total before the recipient locks; the 5th wrong answer locks. */
  public static final int MAX_FAILED_ATTEMPTS = 5;

  /** How long a mailed code can be used. */
  public static final Duration CODE_TTL = Duration.ofMinutes(10);

  /** Code requests: at most {@link #CODE_REQUESTS} per recipient in {@link #CODE_WINDOW}. */
  public static final int CODE_REQUESTS = 5;

  public static final Duration CODE_WINDOW = Duration.ofMinutes(15);

  /** Why a link may not be challenged, verified or read; checked in this order. */
  public enum Refusal {
    /** No such recipient, or not this link's token. */
    NOT_FOUND,
    /** The sender withdrew the envelope. */
    REVOKED,
    /** The envelope expired, by status or by its expiry time having come. */
    EXPIRED,
    /** The server share or the manifest is gone. */
    GONE,
    /** Too many wrong answers. */
    LOCKED,
    /** The envelope's {@code maxOpens} is reached. */
    OPENS_USED_UP
  }

  private LinkAccess() {}

  /**
   * Why the link presented with {@code tokenHash} may not be challenged or verified at {@code now},
   * or empty when it may proceed: the token, then the envelope (revoked, expired, gone), then the
   * recipient (locked), then the open count.
   */
  public static Optional<Refusal> refusal(LinkState s, String tokenHash, Instant now) {
    if (!tokenMatches(s, tokenHash)) {
      return Optional.of(Refusal.NOT_FOUND);
    }
    Optional<Refusal> gone = whyGone(s, now);
    if (gone.isPresent()) {
      return gone;
    }
    if (s.status() == RecipientStatus.LOCKED) {
      return Optional.of(Refusal.LOCKED);
    }
    if (opensUsedUp(s)) {
      return Optional.of(Refusal.OPENS_USED_UP);
    }
    return Optional.empty();
  }

  /**
   * Why the envelope can no longer be read at {@code now} (REVOKED, EXPIRED or GONE), or empty. An
   * access token's reads ask only this: opening once more is not what they do.
   */
  public static Optional<Refusal> whyGone(LinkState s, Instant now) {
    if (s.envelopeStatus() == EnvelopeStatus.REVOKED) {
      return Optional.of(Refusal.REVOKED);
    }
    if (s.envelopeStatus() == EnvelopeStatus.EXPIRED
        || (s.expiresAt() != null && !s.expiresAt().isAfter(now))) {
      return Optional.of(Refusal.EXPIRED);
    }
    if (s.serverShare() == null || s.manifestBlob() == null) {
      return Optional.of(Refusal.GONE);
    }
    return Optional.empty();
  }

  /** The link token's SHA-256 hex against the stored one, in constant time. */
  public static boolean tokenMatches(LinkState s, String tokenHash) {
    return s.linkTokenHash() != null
        && tokenHash != null
        && MessageDigest.isEqual(
            s.linkTokenHash().getBytes(StandardCharsets.US_ASCII),
            tokenHash.getBytes(StandardCharsets.US_ASCII));
  }

  /** The envelope's {@code maxOpens} is set and reached. */
  public static boolean opensUsedUp(LinkState s) {
    return s.maxOpens() != null && s.openCount() >= s.maxOpens();
  }

  /** A code is stored and still usable at {@code now} (not at or after its expiry). */
  public static boolean codeLive(LinkState s, Instant now) {
    return s.otpHash() != null && s.otpExpiresAt() != null && s.otpExpiresAt().isAfter(now);
  }

  /** When a code mailed at {@code now} stops being usable. */
  public static Instant codeExpiry(Instant now) {
    return now.plus(CODE_TTL);
  }

  /** Code requests before this are out of the window that ends at {@code now}. */
  public static Instant codeWindowCutoff(Instant now) {
    return now.minus(CODE_WINDOW);
  }

  /**
   * Seconds until the recipient may ask for a code again, once {@link #CODE_REQUESTS} are used up:
   * until its window ends, at least 1; the whole window when no window is recorded.
   */
  public static long codeRetryAfterSeconds(LinkState s, Instant now) {
    if (s.otpWindowStart() == null) {
      return CODE_WINDOW.toSeconds();
    }
    return Math.max(1, Duration.between(now, s.otpWindowStart().plus(CODE_WINDOW)).toSeconds());
  }

  /** With {@code failedAttempts} wrong answers counted, the recipient is locked. */
  public static boolean locksAt(int failedAttempts) {
    return failedAttempts >= MAX_FAILED_ATTEMPTS;
  }

  /** Wrong answers left after {@code failedAttempts}. */
  public static int remainingAttempts(int failedAttempts) {
    return MAX_FAILED_ATTEMPTS - failedAttempts;
  }
}
