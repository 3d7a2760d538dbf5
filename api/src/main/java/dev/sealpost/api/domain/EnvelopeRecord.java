package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * An envelope's metadata row: never content. {@code manifestBlob} is the BlobStore key of the
 * General JSON JWE; {@code custodyKey} the wrapped custody data key (null when off or shredded);
 * {@code allowReply} its {@code policy.allowReply}, fixed at sealing.
 */
public record EnvelopeRecord(
    EnvelopeId id,
    TenantId tenantId,
    String createdBy,
    EnvelopeStatus status,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt,
    Instant expiredAt,
    Instant shreddedAt,
    Integer maxOpens,
    boolean notifyRecipients,
    String signingKid,
    String manifestBlob,
    long manifestSize,
    long totalSize,
    String custodyKey,
    String custodyKid,
    boolean allowReply) {
  public EnvelopeRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
