package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.PartnerDirectory;
import dev.sealpost.api.domain.TenantId;
import java.util.Optional;

/** Partners' public keys from the {@code partners} table (inline or last fetched JWKS). */
public final class JdbcPartnerDirectory implements PartnerDirectory {
  private final Jdbc jdbc;

  public JdbcPartnerDirectory(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<String> publicJwks(TenantId tenant, String partnerId) {
    return jdbc.queryOne(
            "SELECT jwks FROM partners WHERE tenant_id = ? AND id = ? AND disabled_at IS NULL",
            rs -> Optional.ofNullable(rs.getString("jwks")),
            tenant.value(),
            partnerId)
        .flatMap(o -> o);
  }
}
