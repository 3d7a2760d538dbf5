package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.infrastructure.config.DatabaseConfig;
import dev.sealpost.api.infrastructure.keys.LocalKeyService;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Test support: a fresh schema in the PostgreSQL test database (SEALPOST_TEST_PG_URL/_USER/
 * _PASSWORD, default localhost/sealpost_test), migrated by the real Flyway scripts, with the audit
 * log's parts built on it. Tests that need it are skipped when PostgreSQL is not reachable.
 */
final class AuditPg implements AutoCloseable {
  static final String URL =
      env("SEALPOST_TEST_PG_URL", "jdbc:postgresql://localhost:5432/sealpost_test");
  static final String USER = env("SEALPOST_TEST_PG_USER", "sealpost");
  static final String PASSWORD = env("SEALPOST_TEST_PG_PASSWORD", "sealpost");

  final String schema;
  final Database db;
  final JdbcTransactions tx;
  final Jdbc jdbc;
  final LocalKeyService keys;

  private AuditPg(String schema, Path keyring, boolean create) throws Exception {
    this.schema = schema;
    db = Database.start(new DatabaseConfig(URL, USER, PASSWORD, Optional.of(schema), 20));
    tx = new JdbcTransactions(db.dataSource());
    jdbc = new Jdbc(tx);
    keys = LocalKeyService.open(keyring, tx, new JdbcSigningKeyStore(jdbc), Clock.systemUTC());
  }

  static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** A new schema, or skips the test if PostgreSQL is not there. */
  static AuditPg fresh(String prefix, Path keyring) throws Exception {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
      c.isValid(2);
    } catch (SQLException e) {
      Assumptions.abort("PostgreSQL not reachable at " + URL + ": " + e.getMessage());
    }
    return new AuditPg(prefix + "_" + System.nanoTime(), keyring, true);
  }

  /** The same schema again (e.g. in a forked JVM). */
  static AuditPg existing(String schema, Path keyring) throws Exception {
    return new AuditPg(schema, keyring, false);
  }

  TenantId tenant(String name) {
    TenantId id = TenantId.random();
    tx.run(
        () -> {
          new JdbcTenantRepository(jdbc)
              .insert(new Tenant(id, name, TenantSettings.defaults(name), false, Instant.now()));
          keys.ensureSigningKey(id);
        });
    return id;
  }

  void dropSchema() {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      // best effort: a leftover test schema is harmless
    }
  }

  @Override
  public void close() {
    db.close();
  }
}
