package dev.sealpost.client;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sent envelope's status as the server reports it ({@code active}, {@code revoked}, {@code
 * expired}) and, per recipient, its state (notified, opened, locked) and times.
 *
 * <pre>{@code
 * EnvelopeStatus s = client.status(envelopeId);
 * for (Map<String, Object> r : s.recipients()) {
 *   System.out.println(r.get("id") + " " + r.get("status") + " " + r.get("openCount"));
 * }
 * }</pre>
 */
public final class EnvelopeStatus {
  private final String envelopeId;
  private final String status;
  private final Instant createdAt;
  private final Instant expiresAt;
  private final Instant revokedAt;
  private final List<Map<String, Object>> recipients;

  EnvelopeStatus(
      String envelopeId,
      String status,
      Instant createdAt,
      Instant expiresAt,
      Instant revokedAt,
      List<Map<String, Object>> recipients) {
    this.envelopeId = envelopeId;
    this.status = status;
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
    this.revokedAt = revokedAt;
    this.recipients = Collections.unmodifiableList(List.copyOf(recipients));
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
  public Optional<Instant> createdAt() {
    return Optional.ofNullable(createdAt);
  }

  /** When its links stop opening, if it expires. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  /** When it was revoked (and its keys crypto-shredded), if it was. */
  public Optional<Instant> revokedAt() {
    return Optional.ofNullable(revokedAt);
  }

  /**
   * Each recipient's status members as the server sent them ({@code id}, {@code type}, {@code
   * status}, {@code openCount}, {@code email} or {@code partnerId}, times).
   */
  public List<Map<String, Object>> recipients() {
    return recipients;
  }

  /**
   * The status of one recipient: {@code pending}, {@code notified}, {@code opened} or {@code
   * locked}.
   */
  public Optional<String> recipientStatus(String recipientId) {
    return recipients.stream()
        .filter(r -> recipientId.equals(r.get("id")))
        .map(r -> (String) r.get("status"))
        .findFirst();
  }

  @Override
  public String toString() {
    return "EnvelopeStatus[" + envelopeId + ", " + status + "]";
  }
}
