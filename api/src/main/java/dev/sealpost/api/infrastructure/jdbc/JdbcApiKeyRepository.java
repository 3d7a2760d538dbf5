package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.ApiKey;
import dev.sealpost.api.domain.ApiKeyRepository;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

public final class JdbcApiKeyRepository implements ApiKeyRepository {
  private final Jdbc jdbc;

  public JdbcApiKeyRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(ApiKey key, String keyHash) {
    jdbc.update(
        "INSERT INTO api_keys (id, key_hash, role, tenant_id, partner_id, name, bootstrap,"
            + " rate_limit_per_minute, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        key.id(),
        keyHash,
        key.role(),
        key.tenantId().value(),
        key.partnerId(),
        key.name(),
        key.bootstrap(),
        key.rateLimitPerMinute(),
        key.createdAt());
  }

  @Override
  public Optional<ApiKey> findByHash(String keyHash) {
    return jdbc.queryOne(
        "SELECT id, role, tenant_id, partner_id, name, bootstrap, rate_limit_per_minute,"
            + " created_at FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
        JdbcApiKeyRepository::map,
        keyHash);
  }

  private static ApiKey map(ResultSet rs) throws SQLException {
    int rate = rs.getInt("rate_limit_per_minute");
    Optional<Integer> rateLimit = rs.wasNull() ? Optional.empty() : Optional.of(rate);
    return new ApiKey(
        rs.getString("id"),
        new TenantId(rs.getString("tenant_id")),
        Optional.ofNullable(rs.getString("partner_id")),
        Role.valueOf(rs.getString("role")),
        rs.getString("name"),
        rs.getBoolean("bootstrap"),
        rateLimit,
        Jdbc.instant(rs, "created_at"));
  }
}
