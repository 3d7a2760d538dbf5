package dev.sealpost.api.interfaces.rest;

import static dev.sealpost.api.interfaces.rest.EnvelopeDtos.lower;
import static dev.sealpost.api.interfaces.rest.EnvelopeDtos.time;
import static dev.sealpost.api.interfaces.rest.EnvelopeDtos.typeName;
import static dev.sealpost.api.interfaces.rest.EnvelopeDtos.value;

import dev.sealpost.api.application.CollectEvidence.Evidence;
import dev.sealpost.api.domain.RecipientRecord;
import dev.sealpost.api.interfaces.rest.AuditResource.AuditEventView;
import dev.sealpost.api.interfaces.rest.AuditResource.CheckpointView;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.EnvelopeMetadata;
import dev.sealpost.audit.AuditEvidence;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of {@code GET /v1/audit/evidence/{envelopeId}} (openapi.yaml EvidenceBundle,
 * docs/AUDIT.md "Evidence bundle"). The envelope part is metadata only: no subject, message, file
 * name, e-mail address, code, secret or key.
 */
public final class EvidenceDtos {
  private EvidenceDtos() {}

  @JsonbPropertyOrder({
    "format",
    "tenant",
    "envelopeId",
    "createdAt",
    "envelope",
    "events",
    "checkpoints",
    "jwks"
  })
  public record EvidenceBundle(
      String format,
      String tenant,
      String envelopeId,
      String createdAt,
      EnvelopeMetadata<EvidenceRecipient> envelope,
      List<AuditEventView> events,
      List<CheckpointView> checkpoints,
      Map<String, Object> jwks) {
    static EvidenceBundle of(Evidence e) {
      return new EvidenceBundle(
          AuditEvidence.FORMAT,
          e.tenant().value(),
          e.envelopeId().value(),
          time(e.createdAt()),
          e.envelope().map(v -> EnvelopeMetadata.of(v, null, EvidenceRecipient::of)).orElse(null),
          e.events().stream().map(AuditEventView::of).toList(),
          e.checkpoints().stream().map(CheckpointView::of).toList(),
          e.jwks());
    }
  }

  /** A recipient by id and state; never its address (the audit API shows ids only). */
  public record EvidenceRecipient(
      String id,
      String type,
      String partnerId,
      String verification,
      String status,
      String notifiedAt,
      String firstOpenedAt,
      String lastOpenedAt,
      String lockedAt,
      int openCount) {
    static EvidenceRecipient of(RecipientRecord r) {
      return new EvidenceRecipient(
          r.id().value(),
          typeName(r.type()),
          value(r.partnerId()),
          r.verificationMethod() == null ? null : r.verificationMethod().name(),
          lower(r.status()),
          time(r.notifiedAt()),
          time(r.firstOpenedAt()),
          time(r.lastOpenedAt()),
          time(r.lockedAt()),
          r.openCount());
    }
  }
}
