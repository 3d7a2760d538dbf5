package dev.sealpost.client;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sent envelope's status as the server reports it ({@code active}, {@code revoked}, {@code
 * expired}) and, per recipient, its state (notified, opened, locked) and times.
 */
public final class EnvelopeStatus {
  private final String envelopeId;
  private final String status;
  private final List<Map<String, Object>> recipients;

  EnvelopeStatus(String envelopeId, String status, List<Map<String, Object>> recipients) {
    this.envelopeId = envelopeId;
    this.status = status;
    this.recipients = Collections.unmodifiableList(List.copyOf(recipients));
  }

  public String envelopeId() {
    return envelopeId;
  }

  /** {@code active}, {@code revoked} or {@code expired}. */
  public String status() {
    return status;
  }

  /** Each recipient's status members as the server sent them (id, type, status, openCount...). */
  public List<Map<String, Object>> recipients() {
    return recipients;
  }

  /** The status of one recipient. */
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
