package dev.sealpost.api.infrastructure.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.application.Authentication;
import dev.sealpost.api.application.Bootstrap;
import dev.sealpost.api.domain.ApiKeySecret;
import dev.sealpost.api.infrastructure.keys.LocalKeyService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sealpost.bootstrap-admin-key} set to a new value: the next start adds the new key and
 * revokes the previous one (recorded as API_KEY_REVOKED); the same value again changes nothing, and
 * a revoked value is never brought back.
 */
class BootstrapKeyRotationTest {
  @TempDir Path dir;
  private Database db;
  private JdbcTransactions tx;
  private Jdbc jdbc;
  private Bootstrap bootstrap;
  private Authentication authentication;

  @BeforeEach
  void setUp() throws Exception {
    db = InMemoryDatabase.start(4);
    tx = new JdbcTransactions(db.dataSource());
    jdbc = new Jdbc(tx);
    LocalKeyService keys =
        LocalKeyService.open(
            dir.resolve("keyring.json"), tx, new JdbcSigningKeyStore(jdbc), Clock.systemUTC());
    JdbcApiKeyRepository apiKeys = new JdbcApiKeyRepository(jdbc);
    bootstrap =
        new Bootstrap(
            tx,
            new JdbcTenantRepository(jdbc),
            apiKeys,
            keys,
            new JdbcAuditLog(tx, jdbc, keys, Clock.systemUTC(), 1000),
            Clock.systemUTC());
    authentication = new Authentication(tx, apiKeys);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void newPresetKey_revokesThePreviousBootstrapKey_atStart() {
    ApiKeySecret first = ApiKeySecret.generate();
    assertThat(bootstrap.ensure(Optional.of(first))).isPresent();
    assertThat(bootstrap.ensure(Optional.of(first))).isEmpty(); // restart, same value
    assertThat(authentication.authenticate(first.reveal())).isPresent();
    assertThat(count("API_KEY_REVOKED")).isZero();

    ApiKeySecret second = ApiKeySecret.generate();
    assertThat(bootstrap.ensure(Optional.of(second))).isEmpty();
    assertThat(authentication.authenticate(first.reveal())).isEmpty();
    assertThat(authentication.authenticate(second.reveal()))
        .hasValueSatisfying(k -> assertThat(k.bootstrap()).isTrue());
    assertThat(count("API_KEY_REVOKED")).isEqualTo(1);
    assertThat(liveBootstrapKeys()).isEqualTo(1);

    // Back to the old value: it stays revoked; the current key keeps working.
    assertThat(bootstrap.ensure(Optional.of(first))).isEmpty();
    assertThat(authentication.authenticate(first.reveal())).isEmpty();
    assertThat(authentication.authenticate(second.reveal())).isPresent();
    assertThat(count("API_KEY_REVOKED")).isEqualTo(1);
  }

  @Test
  void generatedKey_isReplacedByAPresetOneLater() {
    ApiKeySecret generated = bootstrap.ensure(Optional.empty()).orElseThrow();
    assertThat(bootstrap.ensure(Optional.empty())).isEmpty();
    assertThat(authentication.authenticate(generated.reveal())).isPresent();
    ApiKeySecret preset = ApiKeySecret.generate();
    bootstrap.ensure(Optional.of(preset));
    assertThat(authentication.authenticate(generated.reveal())).isEmpty();
    assertThat(authentication.authenticate(preset.reveal())).isPresent();
  }

  private long count(String type) {
    return tx.inTransaction(
        () ->
            jdbc.queryOne(
                    "SELECT COUNT(*) FROM audit_events WHERE event_type = ?",
                    rs -> rs.getLong(1),
                    type)
                .orElseThrow());
  }

  private long liveBootstrapKeys() {
    return tx.inTransaction(
        () ->
            jdbc.queryOne(
                    "SELECT COUNT(*) FROM api_keys WHERE bootstrap = TRUE AND revoked_at IS NULL",
                    rs -> rs.getLong(1))
                .orElseThrow());
  }
}
