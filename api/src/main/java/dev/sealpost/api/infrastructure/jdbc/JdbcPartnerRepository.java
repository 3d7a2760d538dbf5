package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.ConflictException;
import dev.sealpost.api.domain.Partner;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.PartnerRepository;
import dev.sealpost.api.domain.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Partners in the {@code partners} table; a fetched JWKS is kept in {@code jwks}. */
public final class JdbcPartnerRepository implements PartnerRepository {
  private static final String COLUMNS =
      "id, tenant_id, name, jwks, jwks_uri, jwks_fetched_at, created_at, updated_at, disabled_at";
  private final Jdbc jdbc;

  public JdbcPartnerRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(Partner p) {
    try {
      jdbc.update(
          "INSERT INTO partners (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
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
    // Only while the URI is still the partner's: a PATCH that replaced it in between wins.
    jdbc.update(
        "UPDATE partners SET jwks = ?, jwks_fetched_at = ? WHERE tenant_id = ? AND id = ? AND"
            + " jwks_uri IS NOT NULL",
        jwks,
        fetchedAt,
        tenant.value(),
        partnerId);
  }

  @Override
  public List<Partner> page(TenantId tenant, Optional<Position> after, int limit) {
    // Keyset pagination on (created_at, id), as for API keys.
    if (after.isEmpty()) {
      return jdbc.query(
          "SELECT "
              + COLUMNS
              + " FROM partners WHERE tenant_id = ? ORDER BY created_at, id FETCH FIRST "
              + limit
              + " ROWS ONLY",
          JdbcPartnerRepository::map,
          tenant.value());
    }
    Position p = after.get();
    return jdbc.query(
        "SELECT "
            + COLUMNS
            + " FROM partners WHERE tenant_id = ? AND (created_at > ? OR (created_at = ? AND id >"
            + " ?)) ORDER BY created_at, id FETCH FIRST "
            + limit
            + " ROWS ONLY",
        JdbcPartnerRepository::map,
        tenant.value(),
        p.createdAt(),
        p.createdAt(),
        p.id());
  }

  @Override
  public boolean replaceKeys(
      TenantId tenant,
      PartnerId partner,
      String jwks,
      Optional<String> jwksUri,
      Optional<Instant> jwksFetchedAt,
      Instant at) {
    return jdbc.update(
            "UPDATE partners SET jwks = ?, jwks_uri = ?, jwks_fetched_at = ?, updated_at = ?"
                + " WHERE tenant_id = ? AND id = ? AND disabled_at IS NULL",
            jwks,
            jwksUri.orElse(null),
            jwksFetchedAt.orElse(null),
            at,
            tenant.value(),
            partner.value())
        == 1;
  }

  @Override
  public boolean disable(TenantId tenant, PartnerId partner, Instant at) {
    return jdbc.update(
            "UPDATE partners SET disabled_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ?"
                + " AND disabled_at IS NULL",
            at,
            at,
            tenant.value(),
            partner.value())
        == 1;
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
        Optional.ofNullable(Jdbc.instant(rs, "updated_at")),
        Optional.ofNullable(Jdbc.instant(rs, "disabled_at")));
  }
}
