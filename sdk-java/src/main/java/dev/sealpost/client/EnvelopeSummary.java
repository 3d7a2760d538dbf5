package dev.sealpost.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One envelope in the tenant's list ({@link EnvelopeClient#envelopes()}): its state and times,
 * nothing about what it holds or who it went to (see {@link EnvelopeClient#status(String)}).
 */
public final class EnvelopeSummary {
  private final String envelopeId;
  private final String status;
  private final Instant createdAt;
  private final Instant expiresAt;
  private final Instant revokedAt;
  private final Integer maxOpens;
  private final boolean notify;
  private final Long size;

  EnvelopeSummary(
      String envelopeId,
      String status,
      Instant createdAt,
      Instant expiresAt,
      Instant revokedAt,
      Integer maxOpens,
      boolean notify,
      Long size) {
    this.envelopeId = Objects.requireNonNull(envelopeId, "envelopeId");
    this.status = status;
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
    this.revokedAt = revokedAt;
    this.maxOpens = maxOpens;
    this.notify = notify;
    this.size = size;
  }

  /** The envelope's id. */
  public String envelopeId() {
    return envelopeId;
  }

  /** {@code active}, {@code revoked} or {@code expired}. */
  public String status() {
    return status;
  }

  /** When it was sealed. */
  public Instant createdAt() {
    return createdAt;
  }

  /** When its links stop opening, if it expires. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  /** When it was revoked, if it was. */
  public Optional<Instant> revokedAt() {
    return Optional.ofNullable(revokedAt);
  }

  /** How many opens each recipient has, if limited. */
  public OptionalInt maxOpens() {
    return maxOpens == null ? OptionalInt.empty() : OptionalInt.of(maxOpens);
  }

  /** Whether Sealpost mailed the links ({@code notify}; false: the sender delivered them). */
  public boolean notified() {
    return notify;
  }

  /** Ciphertext bytes (manifest and attachments), if the server reported them. */
  public OptionalLong size() {
    return size == null ? OptionalLong.empty() : OptionalLong.of(size);
  }

  @Override
  public String toString() {
    return "EnvelopeSummary[" + envelopeId + ", " + status + "]";
  }
}
