package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.ApiKey;
import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.ApiKeyRepository;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class JdbcApiKeyRepository implements ApiKeyRepository {
  private static final String COLUMNS =
      "id, role, tenant_id, partner_id, name, bootstrap, rate_limit_per_minute, created_at,"
          + " expires_at, last_used_at, revoked_at";

  private final Jdbc jdbc;

  public JdbcApiKeyRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(ApiKey key, String keyHash) {
    jdbc.update(
        "INSERT INTO api_keys (id, key_hash, role, tenant_id, partner_id, name, bootstrap,"
            + " rate_limit_per_minute, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?)",
        key.id(),
        keyHash,
        key.role(),
        key.tenantId().value(),
        key.partnerId(),
        key.name(),
        key.bootstrap(),
        key.rateLimitPerMinute(),
        key.createdAt(),
        key.expiresAt().orElse(null));
  }

  @Override
  public Optional<ApiKey> findByHash(String keyHash) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
        JdbcApiKeyRepository::map,
        keyHash);
  }

  @Override
  public boolean hashKnown(String keyHash) {
    return jdbc.queryOne("SELECT id FROM api_keys WHERE key_hash = ?", rs -> 1, keyHash)
        .isPresent();
  }

  @Override
  public Optional<ApiKey> find(TenantId tenant, ApiKeyId id) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM api_keys WHERE tenant_id = ? AND id = ?",
        JdbcApiKeyRepository::map,
        tenant.value(),
        id);
  }

  @Override
  public List<ApiKey> page(TenantId tenant, Optional<Position> after, int limit) {
    // Keyset pagination on (created_at, id): stable under inserts, no OFFSET scans.
    if (after.isEmpty()) {
      return jdbc.query(
          "SELECT "
              + COLUMNS
              + " FROM api_keys WHERE tenant_id = ? ORDER BY created_at, id FETCH FIRST "
              + limit
              + " ROWS ONLY",
          JdbcApiKeyRepository::map,
          tenant.value());
    }
    Position p = after.get();
    return jdbc.query(
        "SELECT "
            + COLUMNS
            + " FROM api_keys WHERE tenant_id = ? AND (created_at > ? OR (created_at = ? AND id >"
            + " ?)) ORDER BY created_at, id FETCH FIRST "
            + limit
            + " ROWS ONLY",
        JdbcApiKeyRepository::map,
        tenant.value(),
        p.createdAt(),
        p.createdAt(),
        p.id());
  }

  @Override
  public List<ApiKeyId> lockLiveAdmins(TenantId tenant, Instant now) {
    // A plain single-table FOR UPDATE behaves alike on H2 and PostgreSQL; a concurrent revocation
    // waits here and then sees the other's revoked_at.
    return jdbc.query(
        "SELECT id FROM api_keys WHERE tenant_id = ? AND role = 'ADMIN' AND revoked_at IS NULL"
            + " AND (expires_at IS NULL OR expires_at > ?) ORDER BY id FOR UPDATE",
        rs -> new ApiKeyId(rs.getString("id")),
        tenant.value(),
        now);
  }

  @Override
  public List<ApiKey> liveBootstrapKeys() {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM api_keys WHERE bootstrap = TRUE AND revoked_at IS NULL",
        JdbcApiKeyRepository::map);
  }

  @Override
  public boolean revoke(ApiKeyId id, Instant at, String by) {
    return jdbc.update(
            "UPDATE api_keys SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS"
                + " NULL",
            at,
            by,
            id)
        == 1;
  }

  @Override
  public void recordUse(ApiKeyId id, Instant now, Instant notBefore) {
    jdbc.update(
        "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND revoked_at IS NULL AND"
            + " (last_used_at IS NULL OR last_used_at < ?)",
        now,
        id,
        notBefore);
  }

  @Override
  public List<ApiKey> pageOfPartner(
      TenantId tenant, PartnerId partner, Optional<Position> after, int limit) {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM api_keys WHERE tenant_id = ? AND partner_id = ?"
            + (after.isPresent() ? " AND (created_at > ? OR (created_at = ? AND id > ?))" : "")
            + " ORDER BY created_at, id FETCH FIRST "
            + limit
            + " ROWS ONLY";
    if (after.isEmpty()) {
      return jdbc.query(sql, JdbcApiKeyRepository::map, tenant.value(), partner.value());
    }
    Position p = after.get();
    return jdbc.query(
        sql,
        JdbcApiKeyRepository::map,
        tenant.value(),
        partner.value(),
        p.createdAt(),
        p.createdAt(),
        p.id());
  }

  @Override
  public List<String> revokeAllOfPartner(
      TenantId tenant, PartnerId partner, Instant at, String by) {
    List<String> live =
        jdbc.query(
            "SELECT id FROM api_keys WHERE tenant_id = ? AND partner_id = ? AND revoked_at IS NULL"
                + " ORDER BY id FOR UPDATE",
            rs -> rs.getString("id"),
            tenant.value(),
            partner.value());
    List<String> revoked = new ArrayList<>();
    for (String id : live) {
      if (revoke(new ApiKeyId(id), at, by)) {
        revoked.add(id);
      }
    }
    return revoked;
  }

  private static ApiKey map(ResultSet rs) throws SQLException {
    int rate = rs.getInt("rate_limit_per_minute");
    Optional<Integer> rateLimit = rs.wasNull() ? Optional.empty() : Optional.of(rate);
    return new ApiKey(
        new ApiKeyId(rs.getString("id")),
        new TenantId(rs.getString("tenant_id")),
        Optional.ofNullable(rs.getString("partner_id")).map(PartnerId::new),
        Role.valueOf(rs.getString("role")),
        rs.getString("name"),
        rs.getBoolean("bootstrap"),
        rateLimit,
        Jdbc.instant(rs, "created_at"),
        Optional.ofNullable(Jdbc.instant(rs, "expires_at")),
        Optional.ofNullable(Jdbc.instant(rs, "last_used_at")),
        Optional.ofNullable(Jdbc.instant(rs, "revoked_at")));
  }
}
