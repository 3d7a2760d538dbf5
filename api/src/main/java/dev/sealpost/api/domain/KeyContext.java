package dev.sealpost.api.domain;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a data key is bound to: it is authenticated as associated data when wrapped, so a wrapped
 * key copied to another tenant's or envelope's row does not unwrap. {@code purpose} names the use
 * (e.g. {@code server-share:<recipientId>}, {@code custody}).
 */
public record KeyContext(TenantId tenantId, EnvelopeId envelopeId, String purpose) {
  public KeyContext {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(envelopeId, "envelopeId");
    Objects.requireNonNull(purpose, "purpose");
  }

  public byte[] associatedData() {
    return ("sealpost data key v1\0"
            + tenantId.value()
            + "\0"
            + envelopeId.value()
            + "\0"
            + purpose)
        .getBytes(StandardCharsets.UTF_8);
  }
}
