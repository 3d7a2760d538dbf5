package dev.sealpost.api.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * Who may give a consumer recipient a new link, and how often (DESIGN.md "Second wave", issue 12):
 * the SENDER key that sealed the envelope or one of the tenant's ADMIN keys; lifting a lock (the
 * recipient gave too many wrong answers) only an ADMIN; at most {@code maxReissues} per recipient,
 * whoever asks. Pure: no I/O. Checked in this order, so a foreign key learns nothing about the
 * recipient's state.
 */
public final class ReissuePolicy {
  private ReissuePolicy() {}

  /** Why a reissue is refused. */
  public enum Refusal {
    /** Neither the key that sealed the envelope nor an ADMIN key of the tenant. */
    NOT_SEALER_OR_ADMIN,
    /** The recipient is locked and the caller is not an ADMIN. */
    LOCK_NEEDS_ADMIN,
    /** The recipient's reissues are used up. */
    LIMIT_REACHED
  }

  /** May {@code caller} reissue at all on an envelope sealed by the key {@code createdBy}? */
  public static boolean mayReissue(Caller caller, String createdBy) {
    Objects.requireNonNull(caller, "caller");
    return caller.role() == Role.ADMIN
        || (caller.role() == Role.SENDER && caller.apiKeyId().value().equals(createdBy));
  }

  /**
   * Why {@code caller} may not reissue a link for a recipient that is {@code locked} and was
   * reissued {@code reissues} times already, or empty when it may.
   */
  public static Optional<Refusal> refusal(
      Caller caller, String createdBy, boolean locked, int reissues, int maxReissues) {
    if (!mayReissue(caller, createdBy)) {
      return Optional.of(Refusal.NOT_SEALER_OR_ADMIN);
    }
    if (locked && caller.role() != Role.ADMIN) {
      return Optional.of(Refusal.LOCK_NEEDS_ADMIN);
    }
    if (reissues >= maxReissues) {
      return Optional.of(Refusal.LIMIT_REACHED);
    }
    return Optional.empty();
  }
}
