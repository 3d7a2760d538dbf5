package dev.sealpost.client;

import java.util.List;
import java.util.Optional;

/**
 * What the server answered to a send: the envelope id and one entry per recipient (with the
 * consumer's link when the request asked the server not to notify).
 */
public final class SendResult {
  private final String envelopeId;
  private final List<Recipient> recipients;

  SendResult(String envelopeId, List<Recipient> recipients) {
    this.envelopeId = envelopeId;
    this.recipients = List.copyOf(recipients);
  }

  public String envelopeId() {
    return envelopeId;
  }

  public List<Recipient> recipients() {
    return recipients;
  }

  @Override
  public String toString() {
    return "SendResult[" + envelopeId + "]";
  }

  /** A recipient as created. */
  public static final class Recipient {
    private final String id;
    private final String type;
    private final String email;
    private final String partnerId;
    private final String link;

    Recipient(String id, String type, String email, String partnerId, String link) {
      this.id = id;
      this.type = type;
      this.email = email;
      this.partnerId = partnerId;
      this.link = link;
    }

    public String id() {
      return id;
    }

    /** {@code partner} or {@code consumer}. */
    public String type() {
      return type;
    }

    public Optional<String> email() {
      return Optional.ofNullable(email);
    }

    public Optional<String> partnerId() {
      return Optional.ofNullable(partnerId);
    }

    /** The consumer's link (it holds the secret: deliver it, do not log it). */
    public Optional<String> link() {
      return Optional.ofNullable(link);
    }

    @Override
    public String toString() {
      return "Recipient[" + id + ", " + type + "]";
    }
  }
}
