package dev.sealpost.client;

import java.time.Instant;
import java.util.ArrayList;
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

  /**
   * What happened to one recipient, oldest first, from the server's audit events: each entry's
   * event type ({@code NOTIFICATION_SENT}, {@code CODE_SENT}, {@code ENVELOPE_OPENED}, {@code
   * ATTACHMENT_DOWNLOADED}, {@code RECIPIENT_LOCKED}, {@code LINK_REISSUED}, ...) and time. Empty
   * for an unknown recipient or an older server.
   */
  public List<TimelineEntry> timeline(String recipientId) {
    List<TimelineEntry> out = new ArrayList<>();
    for (Map<String, Object> r : recipients) {
      if (recipientId.equals(r.get("id")) && r.get("timeline") instanceof List) {
        for (Object o : (List<?>) r.get("timeline")) {
          if (o instanceof Map) {
            Object type = ((Map<?, ?>) o).get("type");
            Object time = ((Map<?, ?>) o).get("time");
            if (type instanceof String && time instanceof String) {
              out.add(new TimelineEntry((String) type, Instant.parse((String) time)));
            }
          }
        }
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** One entry of a recipient's {@link #timeline}: an audit event type and its time. */
  public static final class TimelineEntry {
    private final String type;
    private final Instant time;

    TimelineEntry(String type, Instant time) {
      this.type = type;
      this.time = time;
    }

    public String type() {
      return type;
    }

    public Instant time() {
      return time;
    }

    @Override
    public String toString() {
      return type + " " + time;
    }
  }

  @Override
  public String toString() {
    return "EnvelopeStatus[" + envelopeId + ", " + status + "]";
  }
}
