package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.EnvelopeQueries.EnvelopeView;
import dev.sealpost.api.application.EnvelopeQueries.TimelineEntry;
import dev.sealpost.api.application.SealEnvelope.Created;
import dev.sealpost.api.domain.EnvelopeRecord;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.RecipientRecord;
import dev.sealpost.api.domain.RecipientType;
import jakarta.json.bind.annotation.JsonbProperty;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The JSON shapes of {@code /v1/envelopes} (openapi.yaml: CreateEnvelope*, EnvelopeStatus, ...).
 */
public final class EnvelopeDtos {
  private EnvelopeDtos() {}

  /** The create body (JSON form, and the {@code envelope} part of the multipart form). */
  public record CreateEnvelopeRequest(
      String subject,
      String message,
      List<RecipientBody> recipients,
      PolicyBody policy,
      @JsonbProperty("notify") Boolean notifyRecipients,
      List<AttachmentBody> attachments) {}

  public record RecipientBody(
      String type, String email, String locale, String partnerId, VerificationBody verification) {}

  public record VerificationBody(String method, String secret, String hint) {
    @Override
    public String toString() {
      return "VerificationBody[" + method + "]";
    }
  }

  public record PolicyBody(String expiresIn, Integer maxOpens, Boolean allowReply) {}

  /** The policy as stored, in the status answer. */
  public record PolicyView(boolean allowReply) {}

  public record AttachmentBody(String name, String contentType, String data) {
    @Override
    public String toString() {
      return "AttachmentBody[redacted]";
    }
  }

  public record CreatedRecipientBody(
      String id, String type, String email, String partnerId, String link) {
    @Override
    public String toString() {
      return "CreatedRecipientBody[" + id + "]";
    }
  }

  public record CreateEnvelopeResponse(String id, List<CreatedRecipientBody> recipients) {
    static CreateEnvelopeResponse of(Created c) {
      return new CreateEnvelopeResponse(
          c.envelopeId().value(),
          c.recipients().stream()
              .map(
                  r ->
                      new CreatedRecipientBody(
                          r.id().value(),
                          typeName(r.type()),
                          r.email(),
                          value(r.partnerId()),
                          r.link().orElse(null)))
              .toList());
    }
  }

  public record RecipientStatusBody(
      String id,
      String type,
      String email,
      String partnerId,
      String verification,
      String status,
      String notifiedAt,
      String firstOpenedAt,
      String lastOpenedAt,
      String lockedAt,
      int openCount,
      List<TimelineEntryBody> timeline) {
    static RecipientStatusBody of(RecipientRecord r, List<TimelineEntry> timeline) {
      return new RecipientStatusBody(
          r.id().value(),
          typeName(r.type()),
          r.email(),
          value(r.partnerId()),
          r.verificationMethod() == null ? null : r.verificationMethod().name(),
          lower(r.status()),
          time(r.notifiedAt()),
          time(r.firstOpenedAt()),
          time(r.lastOpenedAt()),
          time(r.lockedAt()),
          r.openCount(),
          timeline.stream().map(t -> new TimelineEntryBody(t.type(), time(t.time()))).toList());
    }
  }

  /** One entry of a recipient's timeline: an audit event type and its time, nothing else. */
  public record TimelineEntryBody(String type, String time) {}

  public record EnvelopeStatusBody(
      String id,
      String status,
      String createdAt,
      String expiresAt,
      String revokedAt,
      String expiredAt,
      String shreddedAt,
      Integer maxOpens,
      @JsonbProperty("notify") boolean notifyRecipients,
      Integer attachments,
      Long size,
      PolicyView policy,
      List<RecipientStatusBody> recipients) {
    static EnvelopeStatusBody of(EnvelopeView v) {
      EnvelopeRecord e = v.envelope();
      return new EnvelopeStatusBody(
          e.id().value(),
          lower(v.effectiveStatus()),
          time(e.createdAt()),
          time(e.expiresAt()),
          time(e.revokedAt()),
          time(e.expiredAt()),
          time(e.shreddedAt()),
          e.maxOpens(),
          e.notifyRecipients(),
          v.attachments().size(),
          e.totalSize(),
          new PolicyView(e.allowReply()),
          v.recipients().stream().map(r -> RecipientStatusBody.of(r, v.timeline(r.id()))).toList());
    }
  }

  public record EnvelopeSummaryBody(
      String id,
      String status,
      String createdAt,
      String expiresAt,
      String revokedAt,
      Integer maxOpens,
      @JsonbProperty("notify") boolean notifyRecipients,
      Long size) {
    static EnvelopeSummaryBody of(EnvelopeView v) {
      EnvelopeRecord e = v.envelope();
      return new EnvelopeSummaryBody(
          e.id().value(),
          lower(v.effectiveStatus()),
          time(e.createdAt()),
          time(e.expiresAt()),
          time(e.revokedAt()),
          e.maxOpens(),
          e.notifyRecipients(),
          e.totalSize());
    }
  }

  public record EnvelopeListBody(List<EnvelopeSummaryBody> items, String nextCursor) {}

  static String typeName(RecipientType t) {
    return t.name().toLowerCase(Locale.ROOT);
  }

  static String value(PartnerId id) {
    return id == null ? null : id.value();
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
