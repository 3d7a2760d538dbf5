package dev.sealpost.api.application;

import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.RotatedSigningKey;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * {@code POST /v1/tenant/signing-keys/rotate} (ADMIN): the tenant signs manifests and audit
 * checkpoints with a new key from now on ({@code aws-kms}: a new KMS key; {@code local}: a new key
 * pair wrapped by the keyring), every older kid stays in {@code /.well-known/jwks.json}, and {@code
 * SIGNING_KEY_ROTATED} is recorded in the same transaction as the new key's row.
 */
@ApplicationScoped
public class SigningKeyRotation {
  private final Transactions tx;
  private final KeyService keys;
  private final AuditLog audit;
  private final Clock clock;

  @Inject
  public SigningKeyRotation(Transactions tx, KeyService keys, AuditLog audit, Clock clock) {
    this.tx = tx;
    this.keys = keys;
    this.audit = audit;
    this.clock = clock;
  }

  public RotatedSigningKey rotate(Caller caller, ClientInfo client) {
    TenantAdministration.requireRole(caller, Role.ADMIN);
    return tx.inTransaction(
        () -> {
          RotatedSigningKey rotated = keys.rotateSigningKey(caller.tenantId());
          audit.append(
              AuditEvent.of(
                  AuditEventType.SIGNING_KEY_ROTATED,
                  caller.tenantId(),
                  caller.actor(),
                  client,
                  clock.instant()));
          return rotated;
        });
  }
}
