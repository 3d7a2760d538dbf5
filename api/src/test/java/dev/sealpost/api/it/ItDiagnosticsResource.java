package dev.sealpost.api.it;

import com.nimbusds.jose.JWSObject;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.infrastructure.jdbc.Database;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
  @Inject Database database;
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
    try (Connection c = database.dataSource().getConnection()) {
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

  /**
   * Test-only (AuditIT): tampers with a tenant's stored audit chain as a database administrator
   * could, because the H2 file is locked by the running server. {@code op}: {@code edit} (change
   * the ip of event {@code seq}), {@code delete} (remove it), {@code swap} (swap positions seq and
   * seq+1), {@code truncate} (remove events above seq and rewind the head row to seq).
   */
  @POST
  @Path("audit-tamper")
  public Map<String, Object> auditTamper(
      @QueryParam("tenant") String tenant,
      @QueryParam("op") String op,
      @QueryParam("seq") long seq) {
    int changed =
        tx.inTransaction(
            () ->
                switch (op) {
                  case "edit" ->
                      jdbc.update(
                          "UPDATE audit_events SET ip = '203.0.113.250' WHERE tenant_id = ? AND"
                              + " seq = ?",
                          tenant,
                          seq);
                  case "delete" ->
                      jdbc.update(
                          "DELETE FROM audit_events WHERE tenant_id = ? AND seq = ?", tenant, seq);
                  case "swap" -> {
                    jdbc.update(
                        "UPDATE audit_events SET seq = -1 WHERE tenant_id = ? AND seq = ?",
                        tenant,
                        seq);
                    jdbc.update(
                        "UPDATE audit_events SET seq = ? WHERE tenant_id = ? AND seq = ?",
                        seq,
                        tenant,
                        seq + 1);
                    yield jdbc.update(
                        "UPDATE audit_events SET seq = ? WHERE tenant_id = ? AND seq = -1",
                        seq + 1,
                        tenant);
                  }
                  case "truncate" -> {
                    int n =
                        jdbc.update(
                            "DELETE FROM audit_events WHERE tenant_id = ? AND seq > ?",
                            tenant,
                            seq);
                    jdbc.update(
                        "UPDATE audit_heads SET seq = ?, hash = (SELECT hash FROM audit_events"
                            + " WHERE tenant_id = ? AND seq = ?) WHERE tenant_id = ?",
                        seq,
                        tenant,
                        seq,
                        tenant);
                    yield n;
                  }
                  default -> throw new IllegalArgumentException("unknown op");
                });
    return Map.of("changed", changed);
  }
}
