package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.domain.VerificationMethod;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

public final class JdbcTenantRepository implements TenantRepository {
  private static final String COLUMNS =
      "id, name, display_name, verification_methods, default_expiry, max_expiry,"
          + " custody_enabled, bootstrap, created_at";
  private final Jdbc jdbc;

  public JdbcTenantRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(Tenant t) {
    TenantSettings s = t.settings();
    jdbc.update(
        "INSERT INTO tenants (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        t.id().value(),
        t.name(),
        s.displayName(),
        methods(s.allowedVerificationMethods()),
        s.defaultExpiry().toString(),
        s.maxExpiry().toString(),
        s.custody(),
        t.bootstrap(),
        t.createdAt());
    // The audit chain's head row exists from the start, so appenders only ever lock it.
    jdbc.update(
        "INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (?, 0, NULL)", t.id().value());
  }

  @Override
  public Optional<Tenant> find(TenantId id) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM tenants WHERE id = ?", JdbcTenantRepository::map, id.value());
  }

  @Override
  public Optional<Tenant> findByName(String name) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM tenants WHERE name = ?", JdbcTenantRepository::map, name);
  }

  @Override
  public Optional<Tenant> findBootstrap() {
    return jdbc
        .query(
            "SELECT " + COLUMNS + " FROM tenants WHERE bootstrap = ? ORDER BY created_at",
            JdbcTenantRepository::map,
            true)
        .stream()
        .findFirst();
  }

  @Override
  public void updateSettings(TenantId id, TenantSettings s) {
    jdbc.update(
        "UPDATE tenants SET display_name = ?, verification_methods = ?, default_expiry = ?,"
            + " max_expiry = ?, custody_enabled = ? WHERE id = ?",
        s.displayName(),
        methods(s.allowedVerificationMethods()),
        s.defaultExpiry().toString(),
        s.maxExpiry().toString(),
        s.custody(),
        id.value());
  }

  private static String methods(Set<VerificationMethod> methods) {
    return methods.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
  }

  private static Tenant map(ResultSet rs) throws SQLException {
    Set<VerificationMethod> methods = EnumSet.noneOf(VerificationMethod.class);
    Arrays.stream(rs.getString("verification_methods").split(","))
        .filter(m -> !m.isBlank())
        .forEach(m -> methods.add(VerificationMethod.valueOf(m)));
    TenantSettings settings =
        new TenantSettings(
            rs.getString("display_name"),
            methods,
            Duration.parse(rs.getString("default_expiry")),
            Duration.parse(rs.getString("max_expiry")),
            rs.getBoolean("custody_enabled"));
    return new Tenant(
        new TenantId(rs.getString("id")),
        rs.getString("name"),
        settings,
        rs.getBoolean("bootstrap"),
        Jdbc.instant(rs, "created_at"));
  }
}
