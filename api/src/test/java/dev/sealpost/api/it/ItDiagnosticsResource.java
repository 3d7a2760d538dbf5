package dev.sealpost.api.it;

import com.nimbusds.jose.JWSObject;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.infrastructure.Platform;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test-only: added to the deployment by {@link ServerIT}, never packaged. Reports what only the
 * running server can see (which Nimbus it loaded, which database it uses, audit counts).
 */
@Path("it-diagnostics")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ItDiagnosticsResource {
  @Inject Platform platform;
  @Inject Transactions tx;
  @Inject Jdbc jdbc;

  @GET
  public Map<String, Object> diagnostics() throws SQLException {
    Map<String, Object> m = new LinkedHashMap<>();
    Package nimbus = JWSObject.class.getPackage();
    m.put("nimbusVersion", nimbus.getImplementationVersion());
    m.put(
        "nimbusLocation",
        String.valueOf(JWSObject.class.getProtectionDomain().getCodeSource().getLocation()));
    m.put("nimbusLoader", String.valueOf(JWSObject.class.getClassLoader()));
    m.put("appLoader", String.valueOf(ItDiagnosticsResource.class.getClassLoader()));
    m.put(
        "sameLoader",
        JWSObject.class.getClassLoader() == ItDiagnosticsResource.class.getClassLoader());
    try (Connection c = platform.database().dataSource().getConnection()) {
      m.put("database", c.getMetaData().getDatabaseProductName());
    }
    return m;
  }

  @GET
  @Path("audit-count")
  public Map<String, Object> auditCount(
      @QueryParam("tenant") String tenant, @QueryParam("type") String type) {
    long n =
        tx.inTransaction(
            () ->
                jdbc.queryOne(
                        "SELECT COUNT(*) FROM audit_events WHERE tenant_id = ? AND event_type = ?",
                        rs -> rs.getLong(1),
                        tenant,
                        type)
                    .orElse(0L));
    return Map.of("count", n);
  }
}
