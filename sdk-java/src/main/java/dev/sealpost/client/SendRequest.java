package dev.sealpost.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What a sender asks the server to seal: subject, message, recipients, attachments and policy.
 * Files are streamed from disk (multipart) and never loaded whole; small in-memory attachments
 * travel in a JSON body. Immutable; build it with {@link #builder()}.
 *
 * <pre>{@code
 * SendRequest request = SendRequest.builder()
 *     .subject("Your policy documents")          // goes into the email: no personal data
 *     .message("Policy 12-345 renewed; documents attached.")
 *     .recipient(SendRequest.Recipient.partner(partnerId))
 *     .attach(Path.of("policy.pdf"), "application/pdf")
 *     .expiresIn(Duration.ofDays(7))
 *     .build();
 * SendResult sent = client.send(request);
 * }</pre>
 */
public final class SendRequest {
  private final String subject;
  private final String message;
  private final List<Recipient> recipients;
  private final List<Attachment> attachments;
  private final Duration expiresIn;
  private final Integer maxOpens;
  private final boolean notifyRecipients;
  private final String idempotencyKey;
  private final java.util.function.LongConsumer progress;

  private SendRequest(Builder b) {
    this.progress = b.progress;
    this.subject = b.subject;
    this.message = b.message;
    this.recipients = List.copyOf(b.recipients);
    this.attachments = List.copyOf(b.attachments);
    this.expiresIn = b.expiresIn;
    this.maxOpens = b.maxOpens;
    this.notifyRecipients = b.notifyRecipients;
    this.idempotencyKey =
        b.idempotencyKey == null ? UUID.randomUUID().toString() : b.idempotencyKey;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String subject() {
    return subject;
  }

  public String message() {
    return message;
  }

  public List<Recipient> recipients() {
    return recipients;
  }

  public List<Attachment> attachments() {
    return attachments;
  }

  /** Sent as {@code Idempotency-Key}, so a retried send seals once (random unless set). */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  /** The upload progress listener, if any. */
  java.util.function.LongConsumer progress() {
    return progress;
  }

  /** The JSON body without attachments (they go as data or as parts). */
  Map<String, Object> envelopeJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("subject", subject);
    json.put("message", message);
    List<Object> rs = new ArrayList<>();
    for (Recipient r : recipients) {
      rs.add(r.json());
    }
    json.put("recipients", rs);
    Map<String, Object> policy = new LinkedHashMap<>();
    if (expiresIn != null) {
      policy.put("expiresIn", expiresIn.toString());
    }
    if (maxOpens != null) {
      policy.put("maxOpens", maxOpens);
    }
    if (!policy.isEmpty()) {
      json.put("policy", policy);
    }
    json.put("notify", notifyRecipients);
    return json;
  }

  /** One recipient: a registered partner, or a consumer reached by an emailed link. */
  public static final class Recipient {
    private final Map<String, Object> json;

    private Recipient(Map<String, Object> json) {
      this.json = json;
    }

    /** A registered partner (sealed to its current public key). */
    public static Recipient partner(String partnerId) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("type", "partner");
      j.put("partnerId", Objects.requireNonNull(partnerId, "partnerId"));
      return new Recipient(j);
    }

    /** A consumer who proves who they are with a code mailed at open time. */
    public static Recipient consumerWithEmailCode(String email) {
      return consumer(email, "EMAIL_OTP", null, null);
    }

    /** A consumer who proves who they are with a secret you tell them out of band. */
    public static Recipient consumerWithSharedSecret(String email, String secret, String hint) {
      return consumer(email, "SHARED_SECRET", secret, hint);
    }

    private static Recipient consumer(String email, String method, String secret, String hint) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("type", "consumer");
      j.put("email", Objects.requireNonNull(email, "email"));
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("method", method);
      if (secret != null) {
        v.put("secret", secret);
      }
      if (hint != null) {
        v.put("hint", hint);
      }
      j.put("verification", v);
      return new Recipient(j);
    }

    Map<String, Object> json() {
      return json;
    }

    @Override
    public String toString() {
      return "Recipient[" + json.get("type") + "]";
    }
  }

  /** One attachment: a file streamed from disk, or a small byte array. */
  public static final class Attachment {
    private final String name;
    private final String mediaType;
    private final Path file;
    private final byte[] data;

    private Attachment(String name, String mediaType, Path file, byte[] data) {
      this.name = name;
      this.mediaType = mediaType;
      this.file = file;
      this.data = data;
    }

    public String name() {
      return name;
    }

    public String mediaType() {
      return mediaType;
    }

    Path file() {
      return file;
    }

    byte[] data() {
      return data;
    }

    long size() {
      try {
        return file != null ? Files.size(file) : data.length;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** Builds a {@link SendRequest}; {@link #build()} names what is missing. */
  public static final class Builder {
    private String subject;
    private String message = "";
    private final List<Recipient> recipients = new ArrayList<>();
    private final List<Attachment> attachments = new ArrayList<>();
    private Duration expiresIn;
    private Integer maxOpens;
    private boolean notifyRecipients = true;
    private String idempotencyKey;
    private java.util.function.LongConsumer progress;

    private Builder() {}

    /**
     * Called with the number of file bytes sent so far as a multipart upload streams (from the
     * client's sending thread; keep it quick).
     */
    public Builder progress(java.util.function.LongConsumer bytesSent) {
      this.progress = bytesSent;
      return this;
    }

    /** Travels in clear in the notification email: no personal data (the server checks). */
    public Builder subject(String subject) {
      this.subject = subject;
      return this;
    }

    /** Shown only inside the envelope. */
    public Builder message(String message) {
      this.message = message;
      return this;
    }

    public Builder recipient(Recipient recipient) {
      recipients.add(Objects.requireNonNull(recipient, "recipient"));
      return this;
    }

    /** A file, streamed when sending; its name is the file name. */
    public Builder attach(Path file, String mediaType) {
      Objects.requireNonNull(file, "file");
      Path name = file.getFileName();
      return attach(file, name == null ? "attachment" : name.toString(), mediaType);
    }

    /** A file, streamed when sending, under another name. */
    public Builder attach(Path file, String name, String mediaType) {
      attachments.add(
          new Attachment(
              Objects.requireNonNull(name, "name"),
              Objects.requireNonNull(mediaType, "mediaType"),
              Objects.requireNonNull(file, "file"),
              null));
      return this;
    }

    /** Small content held in memory (copied). */
    public Builder attach(String name, String mediaType, byte[] content) {
      attachments.add(
          new Attachment(
              Objects.requireNonNull(name, "name"),
              Objects.requireNonNull(mediaType, "mediaType"),
              null,
              Objects.requireNonNull(content, "content").clone()));
      return this;
    }

    public Builder expiresIn(Duration expiresIn) {
      this.expiresIn = expiresIn;
      return this;
    }

    public Builder maxOpens(int maxOpens) {
      this.maxOpens = maxOpens;
      return this;
    }

    /** Whether the server emails consumer recipients (default true). */
    public Builder notifyRecipients(boolean notify) {
      this.notifyRecipients = notify;
      return this;
    }

    public Builder idempotencyKey(String key) {
      this.idempotencyKey = key;
      return this;
    }

    public SendRequest build() {
      List<String> missing = new ArrayList<>();
      if (subject == null) {
        missing.add("subject");
      }
      if (recipients.isEmpty()) {
        missing.add("recipient");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("SendRequest is missing: " + String.join(", ", missing));
      }
      Objects.requireNonNull(message, "message");
      return new SendRequest(this);
    }
  }
}
