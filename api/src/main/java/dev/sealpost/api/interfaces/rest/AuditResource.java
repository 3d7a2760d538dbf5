package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.AuditQueries;
import dev.sealpost.api.application.AuditStore;
import dev.sealpost.api.application.CollectEvidence;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import dev.sealpost.audit.AuditCheckpoint;
import dev.sealpost.audit.AuditRecord;
import dev.sealpost.audit.AuditVerification;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The auditor's API (AUDITOR keys only, the caller's tenant only): {@code GET /v1/audit/events},
 * {@code GET /v1/audit/export?format=ndjson|csv} (streamed), {@code GET /v1/audit/verify}, {@code
 * GET /v1/audit/evidence/{envelopeId}}.
 */
@Path("audit")
@Dependent
@Produces(MediaType.APPLICATION_JSON)
@Allowed(Role.AUDITOR)
public class AuditResource {
  @Inject AuditQueries audit;
  @Inject CollectEvidence evidence;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  /** One event as the API shows it; absent fields are {@code null}. */
  @JsonbNillable
  @JsonbPropertyOrder({
    "seq",
    "type",
    "time",
    "envelopeId",
    "recipientId",
    "actor",
    "ip",
    "userAgent",
    "detail",
    "prevHash",
    "hash"
  })
  public record AuditEventView(
      long seq,
      String type,
      String time,
      String envelopeId,
      String recipientId,
      String actor,
      String ip,
      String userAgent,
      // Omitted when absent (most events), unlike the other fields.
      @JsonbNillable(false) String detail,
      String prevHash,
      String hash) {
    static AuditEventView of(AuditRecord r) {
      return new AuditEventView(
          r.seq(),
          r.type(),
          r.time().toString(),
          r.envelopeId(),
          r.recipientId(),
          r.actor(),
          r.ip(),
          r.userAgent(),
          r.detail(),
          r.prevHash(),
          r.hash());
    }
  }

  @JsonbNillable
  public record EventsPage(List<AuditEventView> items, String nextCursor) {}

  public record HeadView(long seq, String hash) {}

  public record CheckpointView(long seq, String head, String time, String jws) {
    static CheckpointView of(AuditCheckpoint cp) {
      return cp == null
          ? null
          : new CheckpointView(cp.seq(), cp.head(), cp.time().toString(), cp.jws());
    }
  }

  /** {@code firstBadSeq} and {@code reason} only when {@code ok} is false. */
  @JsonbPropertyOrder({"ok", "events", "head", "checkpoint", "firstBadSeq", "reason"})
  public record VerifyView(
      boolean ok,
      long events,
      HeadView head,
      CheckpointView checkpoint,
      Long firstBadSeq,
      String reason) {}

  @GET
  @Path("events")
  public EventsPage events(
      @QueryParam("envelope") String envelope,
      @QueryParam("recipient") String recipient,
      @QueryParam("type") String type,
      @QueryParam("actor") String actor,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    AuditStore.Filter filter =
        new AuditStore.Filter(
            text("envelope", envelope),
            text("recipient", recipient),
            type(type),
            text("actor", actor),
            time("from", from),
            time("to", to));
    AuditQueries.Page page = audit.events(Callers.of(security), filter, cursor, limit);
    return new EventsPage(
        page.items().stream().map(AuditEventView::of).toList(), page.nextCursor().orElse(null));
  }

  @GET
  @Path("export")
  @Produces({"application/x-ndjson", "text/csv", MediaType.APPLICATION_JSON})
  public Response export(@QueryParam("format") @DefaultValue("ndjson") String format) {
    boolean csv;
    if (format.equals("ndjson")) {
      csv = false;
    } else if (format.equals("csv")) {
      csv = true;
    } else {
      throw new InvalidInputException("format", "must be ndjson or csv");
    }
    AuditQueries.Export export =
        audit.export(Callers.of(security), csv, RequestOrigin.of(request).clientInfo());
    StreamingOutput body =
        out -> {
          Writer w =
              new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
          export.writeTo(w);
          w.flush();
        };
    String file = "audit-" + Instant.now().getEpochSecond() + (csv ? ".csv" : ".ndjson");
    return Response.ok(body)
        .type(csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"" + file + "\"")
        .header("Cache-Control", "no-store")
        .build();
  }

  @GET
  @Path("verify")
  public VerifyView verify() {
    AuditQueries.Verification result = audit.verify(Callers.of(security));
    AuditVerification v = result.result();
    return new VerifyView(
        v.ok(),
        v.events(),
        new HeadView(result.head().seq(), result.head().hash()),
        CheckpointView.of(v.checkpoint()),
        v.ok() ? null : v.firstBadSeq(),
        v.reason());
  }

  /**
   * An envelope's evidence bundle (docs/AUDIT.md "Evidence bundle"); recorded as AUDIT_EXPORTED
   * naming the envelope. An id that is not one of the caller's tenant's envelopes is 404.
   */
  @GET
  @Path("evidence/{envelopeId}")
  public EvidenceDtos.EvidenceBundle evidence(@PathParam("envelopeId") String envelopeId) {
    if (envelopeId == null || !envelopeId.matches("[0-9a-f-]{36}")) {
      throw new NotFoundException("envelope");
    }
    return EvidenceDtos.EvidenceBundle.of(
        evidence.collect(
            Callers.of(security),
            new EnvelopeId(envelopeId),
            RequestOrigin.of(request).clientInfo()));
  }

  private static Optional<String> text(String field, String value) {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    if (value.length() > 120) {
      throw new InvalidInputException(field, "is longer than 120 characters");
    }
    return Optional.of(value);
  }

  private static Optional<AuditEventType> type(String value) {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(AuditEventType.valueOf(value));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("type", "is not an audit event type");
    }
  }

  private static Optional<Instant> time(String field, String value) {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(value).toInstant());
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(
          field, "must be an RFC 3339 time such as 2026-11-29T18:00:00Z");
    }
  }
}
