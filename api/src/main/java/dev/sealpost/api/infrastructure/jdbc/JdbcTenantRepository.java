package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.ConflictException;
import dev.sealpost.api.domain.DisplayNameTakenException;
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
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

public final class JdbcTenantRepository implements TenantRepository {
  private static final String COLUMNS =
      "id, name, display_name, verification_methods, default_expiry, max_expiry,"
          + " custody_enabled, bootstrap, created_at, allow_replies";
  private final Jdbc jdbc;

  public JdbcTenantRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * {@inheritDoc}
   *
   * @throws DisplayNameTakenException when another tenant's display name has the same skeleton
   *     ({@link DisplayNameSkeleton}; the unique column decides, so of two racing inserts one wins)
   * @throws ConflictException when another tenant has this {@code name}
   */
  @Override
  public void insert(Tenant t) {
    TenantSettings s = t.settings();
    try {
      jdbc.update(
          "INSERT INTO tenants ("
              + COLUMNS
              + ", display_name_skeleton) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          t.id().value(),
          t.name(),
          s.displayName(),
          methods(s.allowedVerificationMethods()),
          s.defaultExpiry().toString(),
          s.maxExpiry().toString(),
          s.custody(),
          t.bootstrap(),
          t.createdAt(),
          s.allowReplies(),
          DisplayNameSkeleton.key(s.displayName()));
    } catch (DuplicateKeyException e) {
      throw skeletonClash(e)
          ? new DisplayNameTakenException()
          : new ConflictException("a tenant with this name exists");
    }
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

  /**
   * {@inheritDoc}
   *
   * <p>The skeleton is set only when the display name changes, so a tenant whose older name clashes
   * with another's (left without a skeleton at start) can still change its other settings.
   *
   * @throws DisplayNameTakenException when the new display name clashes with another tenant's
   */
  @Override
  public void updateSettings(TenantId id, TenantSettings s) {
    try {
      jdbc.update(
          "UPDATE tenants SET display_name_skeleton = CASE WHEN display_name = ? THEN"
              + " display_name_skeleton ELSE ? END, display_name = ?, verification_methods = ?,"
              + " default_expiry = ?, max_expiry = ?, custody_enabled = ?, allow_replies = ?"
              + " WHERE id = ?",
          s.displayName(),
          DisplayNameSkeleton.key(s.displayName()),
          s.displayName(),
          methods(s.allowedVerificationMethods()),
          s.defaultExpiry().toString(),
          s.maxExpiry().toString(),
          s.custody(),
          s.allowReplies(),
          id.value());
    } catch (DuplicateKeyException e) {
      throw new DisplayNameTakenException();
    }
  }

  private static boolean skeletonClash(DuplicateKeyException e) {
    String message = e.getCause() == null ? null : e.getCause().getMessage();
    // The index name (V56); H2 and PostgreSQL both name it in the message.
    return message != null
        && message.toLowerCase(Locale.ROOT).contains("uq_tenants_display_name_skeleton");
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
            rs.getBoolean("custody_enabled"),
            rs.getBoolean("allow_replies"));
    return new Tenant(
        new TenantId(rs.getString("id")),
        rs.getString("name"),
        settings,
        rs.getBoolean("bootstrap"),
        Jdbc.instant(rs, "created_at"));
  }
}
