package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A recipient's row. For a consumer: {@code linkTokenHash} (hex SHA-256 of the link token, never
 * the token), {@code serverShare} (wrapped by the KeyService; null once shredded), the second
 * factor settings ({@code secretHash} is a slow hash). For a partner: {@code partnerId} and the JWE
 * entry's {@code kid}.
 */
public record RecipientRecord(
    RecipientId id,
    EnvelopeId envelopeId,
    TenantId tenantId,
    int position,
    RecipientType type,
    String email,
    String locale,
    PartnerId partnerId,
    String kid,
    VerificationMethod verificationMethod,
    String secretHash,
    String secretHint,
    String linkTokenHash,
    String serverShare,
    RecipientStatus status,
    Instant notifiedAt,
    Instant firstOpenedAt,
    Instant lastOpenedAt,
    Instant lockedAt,
    int openCount,
    int failedAttempts,
    Instant createdAt) {
  public RecipientRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(envelopeId, "envelopeId");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
