package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.SealEnvelope.Draft;
import dev.sealpost.api.application.SealEnvelope.RecipientDraft;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.RecipientType;
import dev.sealpost.api.domain.VerificationMethod;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.CreateEnvelopeRequest;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.PolicyBody;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.RecipientBody;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and translates a create request at the edge: the body within its limit, the {@code
 * Idempotency-Key} header, the JSON into a {@link Draft} (types and enumerations checked here; the
 * rules of a draft are the application's).
 */
final class EnvelopeRequests {
  /** The JSON form carries base64 attachments for small files; larger ones go multipart. */
  static final int MAX_JSON_BYTES = 16 * 1024 * 1024;

  static final Jsonb JSONB = StrictJsonb.JSONB;
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

  private EnvelopeRequests() {}

  static Optional<String> idempotencyKey(String header) {
    if (header == null) {
      return Optional.empty();
    }
    if (!IDEMPOTENCY_KEY.matcher(header).matches()) {
      throw ProblemException.badField(
          "Idempotency-Key", "must be 1 to 255 visible ASCII characters");
    }
    return Optional.of(header);
  }

  static CreateEnvelopeRequest parse(byte[] json) {
    JsonLimitsInterceptor.check(json);
    CreateEnvelopeRequest req;
    try {
      req = JSONB.fromJson(new ByteArrayInputStream(json), CreateEnvelopeRequest.class);
    } catch (JsonbException e) {
      throw new ProblemException(
          400,
          "malformed-json",
          "Malformed JSON",
          "the request body is not valid JSON for this endpoint");
    }
    if (req == null) {
      throw ProblemException.badRequest("a JSON object is required");
    }
    return req;
  }

  static Draft draft(CreateEnvelopeRequest r) {
    noLineBreaks("subject", r.subject());
    if (r.recipients() == null) {
      throw new InvalidInputException("recipients", "is required");
    }
    List<RecipientDraft> recipients = new ArrayList<>();
    for (int i = 0; i < r.recipients().size(); i++) {
      recipients.add(recipient("recipients[" + i + "]", r.recipients().get(i)));
    }
    PolicyBody policy = r.policy();
    return new Draft(
        r.subject(),
        r.message(),
        recipients,
        policy == null ? Optional.empty() : expiresIn(policy.expiresIn()),
        policy == null ? Optional.empty() : Optional.ofNullable(policy.maxOpens()),
        r.notifyRecipients() == null || r.notifyRecipients(),
        policy == null ? Optional.empty() : Optional.ofNullable(policy.allowReply()));
  }

  private static RecipientDraft recipient(String field, RecipientBody b) {
    if (b == null) {
      throw ProblemException.badField(field, "must be an object");
    }
    RecipientType type = recipientType(field, b.type());
    if (type == RecipientType.PARTNER) {
      if (b.email() != null || b.verification() != null) {
        throw new InvalidInputException(field, "a partner recipient has only partnerId");
      }
      return new RecipientDraft(field, type, null, null, b.partnerId(), null, null, null);
    }
    noLineBreaks(field + ".email", b.email());
    if (b.partnerId() != null) {
      throw new InvalidInputException(field + ".partnerId", "belongs to partner recipients");
    }
    VerificationMethod method = VerificationMethod.EMAIL_OTP;
    String secret = null;
    String hint = null;
    if (b.verification() != null) {
      method = method(field + ".verification.method", b.verification().method());
      secret = b.verification().secret();
      hint = b.verification().hint();
      noLineBreaks(field + ".verification.hint", hint);
    }
    return new RecipientDraft(field, type, b.email(), b.locale(), null, method, secret, hint);
  }

  private static Optional<Duration> expiresIn(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.parse(value));
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(
          "policy.expiresIn", "must be an ISO-8601 duration such as P7D or PT12H");
    }
  }

  private static RecipientType recipientType(String field, String type) {
    if ("consumer".equals(type)) {
      return RecipientType.CONSUMER;
    }
    if ("partner".equals(type)) {
      return RecipientType.PARTNER;
    }
    throw new InvalidInputException(field + ".type", "must be consumer or partner");
  }

  private static VerificationMethod method(String field, String name) {
    try {
      return VerificationMethod.valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidInputException(field, "must be EMAIL_OTP, SHARED_SECRET or NONE");
    }
  }

  /** CR or LF in text that becomes a mail header would let it add headers: refused as 400. */
  private static void noLineBreaks(String field, String value) {
    if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)) {
      throw ProblemException.badField(field, "must not contain line breaks");
    }
  }

  /** The whole of {@code in}, at most {@link #MAX_JSON_BYTES}; beyond that a 413 problem. */
  static byte[] readLimited(InputStream in, String what) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        if (out.size() > MAX_JSON_BYTES) {
          // Read the rest (JsonLimitsInterceptor stops it at 64 MiB), so the client, still
          // sending, gets this answer rather than a stalled connection.
          in.transferTo(OutputStream.nullOutputStream());
          throw new ProblemException(
              413,
              "payload-too-large",
              "Payload too large",
              what
                  + " may have at most "
                  + MAX_JSON_BYTES
                  + " bytes; send large files as multipart file parts");
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads (and drops) up to {@code max} more bytes of a refused request, so a client that is still
   * sending receives the answer instead of a reset connection; beyond that the connection closes.
   */
  static void drain(InputStream in, long max) {
    try {
      byte[] buf = new byte[65_536];
      long total = 0;
      int n;
      while (total < max && (n = in.read(buf)) >= 0) {
        total += n;
      }
    } catch (IOException | RuntimeException e) {
      // the client went away: nothing to answer
    }
  }
}
