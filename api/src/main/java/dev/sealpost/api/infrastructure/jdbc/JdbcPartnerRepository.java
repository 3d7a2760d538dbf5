package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.ConflictException;
import dev.sealpost.api.domain.Partner;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.PartnerRepository;
import dev.sealpost.api.domain.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Partners in the {@code partners} table; a fetched JWKS is kept in {@code jwks}. */
public final class JdbcPartnerRepository implements PartnerRepository {
  private static final String COLUMNS =
      "id, tenant_id, name, jwks, jwks_uri, jwks_fetched_at, created_at, disabled_at";
  private final Jdbc jdbc;

  public JdbcPartnerRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(Partner p) {
    try {
      jdbc.update(
          "INSERT INTO partners (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
          p.id(),
          p.tenantId().value(),
          p.name(),
          p.jwks().orElse(null),
          p.jwksUri().orElse(null),
          p.jwksFetchedAt().map(java.sql.Timestamp::from).orElse(null),
          p.createdAt());
    } catch (DuplicateKeyException e) {
      throw new ConflictException("this tenant has a partner with that name already");
    }
  }

  @Override
  public Optional<Partner> find(TenantId tenant, PartnerId partnerId) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM partners WHERE tenant_id = ? AND id = ?",
        JdbcPartnerRepository::map,
        tenant.value(),
        partnerId);
  }

  @Override
  public void updateFetchedJwks(
      TenantId tenant, PartnerId partnerId, String jwks, Instant fetchedAt) {
    jdbc.update(
        "UPDATE partners SET jwks = ?, jwks_fetched_at = ? WHERE tenant_id = ? AND id = ?",
        jwks,
        fetchedAt,
        tenant.value(),
        partnerId);
  }

  private static Partner map(ResultSet rs) throws SQLException {
    return new Partner(
        new PartnerId(rs.getString("id")),
        new TenantId(rs.getString("tenant_id")),
        rs.getString("name"),
        Optional.ofNullable(rs.getString("jwks")),
        Optional.ofNullable(rs.getString("jwks_uri")),
        Optional.ofNullable(Jdbc.instant(rs, "jwks_fetched_at")),
        Jdbc.instant(rs, "created_at"),
        rs.getTimestamp("disabled_at") != null);
  }
}
