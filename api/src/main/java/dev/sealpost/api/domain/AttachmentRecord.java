package dev.sealpost.api.domain;

import java.time.Instant;

/**
 * An attachment's row: where its ciphertext lives and how big it is; names stay in the manifest.
 */
public record AttachmentRecord(
    String id,
    EnvelopeId envelopeId,
    TenantId tenantId,
    int position,
    String blobKey,
    long ciphertextSize,
    Instant createdAt) {}
