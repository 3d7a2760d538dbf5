package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.ForbiddenException;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.RotatedSigningKey;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.infrastructure.jdbc.Database;
import dev.sealpost.api.infrastructure.jdbc.InMemoryDatabase;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import dev.sealpost.api.infrastructure.jdbc.JdbcAuditLog;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore;
import dev.sealpost.api.infrastructure.jdbc.JdbcTenantRepository;
import dev.sealpost.api.infrastructure.jdbc.JdbcTransactions;
import dev.sealpost.api.infrastructure.keys.LocalKeyService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation through the application service: local keys, a real audit log on H2. */
class SigningKeyRotationTest {
  @TempDir Path dir;
  private Database db;
  private JdbcTransactions tx;
  private Jdbc jdbc;
  private SigningKeyRotation rotation;
  private final TenantId tenant = TenantId.random();
  private final ClientInfo client = new ClientInfo("203.0.113.9", "test");

  @BeforeEach
  void setUp() throws Exception {
    db = InMemoryDatabase.start(4);
    tx = new JdbcTransactions(db.dataSource());
    jdbc = new Jdbc(tx);
    LocalKeyService keys =
        LocalKeyService.open(
            dir.resolve("keyring.json"), tx, new JdbcSigningKeyStore(jdbc), Clock.systemUTC());
    JdbcAuditLog audit = new JdbcAuditLog(tx, jdbc, keys, Clock.systemUTC(), 1000);
    tx.run(
        () ->
            new JdbcTenantRepository(jdbc)
                .insert(
                    new Tenant(tenant, "t", TenantSettings.defaults("T"), false, Instant.now())));
    keys.ensureSigningKey(tenant);
    rotation = new SigningKeyRotation(tx, keys, audit, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private Caller caller(Role role) {
    return new Caller(new ApiKeyId("key-1"), tenant, role, Optional.empty(), false);
  }

  @Test
  void admin_rotates_andSigningKeyRotatedIsRecorded() {
    RotatedSigningKey r = rotation.rotate(caller(Role.ADMIN), client);
    assertThat(r.previousKid()).contains(tenant.value() + ".1");
    assertThat(r.kid()).isEqualTo(tenant.value() + ".2");
    assertThat(eventTypes()).containsExactly("SIGNING_KEY_ROTATED");
  }

  @Test
  void otherRoles_areForbidden_andNothingIsRecorded() {
    assertThatThrownBy(() -> rotation.rotate(caller(Role.SENDER), client))
        .isInstanceOf(ForbiddenException.class);
    assertThat(eventTypes()).isEmpty();
  }

  private List<String> eventTypes() {
    return tx.inTransaction(
        () ->
            jdbc.query(
                "SELECT event_type FROM audit_events WHERE tenant_id = ? ORDER BY seq",
                rs -> rs.getString(1),
                tenant.value()));
  }
}
