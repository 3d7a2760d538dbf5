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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

  /**
   * Test-only (HostileInputIT): ends the access tokens of one recipient by moving their expiry into
   * the past, as the passing of {@code sealpost.open.access-token-ttl} would.
   */
  @POST
  @Path("expire-sessions")
  public Map<String, Object> expireSessions(@QueryParam("recipient") String recipient) {
    int changed =
        tx.inTransaction(
            () ->
                jdbc.update(
                    "UPDATE open_sessions SET expires_at = ? WHERE recipient_id = ?",
                    java.time.Instant.now().minusSeconds(60),
                    recipient));
    return Map.of("changed", changed);
  }

  private static final List<String> TENANT_TABLES =
      List.of(
          "partners",
          "api_keys",
          "signing_keys",
          "envelopes",
          "recipients",
          "attachments",
          "audit_events",
          "audit_heads",
          "audit_checkpoints",
          "outbox",
          "open_sessions",
          "replies");

  /**
   * Test-only (HostileInputIT): everything a request could change, in one read, for the given
   * tenants and the bootstrap tenant (so that other IT classes' leftovers, swept in the background,
   * do not count). Row counts of every table (tenants: all of them); sums of the recipients'
   * counters; the audit chain heads (sum of seq and a digest); and digests of the columns a request
   * may change in place (statuses, revocations, keys, settings). {@code api_keys.last_used_at} is
   * left out on purpose: authenticating a key records its use.
   */
  @GET
  @Path("state")
  public Map<String, Object> state(@QueryParam("tenants") String tenants) {
    return tx.inTransaction(
        () -> {
          List<Object> ids = new ArrayList<>(List.of(tenants.split(",")));
          ids.addAll(
              jdbc.query("SELECT id FROM tenants WHERE bootstrap = TRUE", rs -> rs.getString(1)));
          String in =
              " tenant_id IN (" + String.join(",", Collections.nCopies(ids.size(), "?")) + ")";
          Object[] p = ids.toArray();
          Map<String, Object> m = new TreeMap<>();
          m.put("rows.tenants", number("SELECT COUNT(*) FROM tenants"));
          for (String t : TENANT_TABLES) {
            m.put("rows." + t, number("SELECT COUNT(*) FROM " + t + " WHERE" + in, p));
          }
          m.put(
              "rows.idempotency_keys",
              number(
                  "SELECT COUNT(*) FROM idempotency_keys WHERE api_key_id IN (SELECT id FROM"
                      + " api_keys WHERE"
                      + in
                      + ")",
                  p));
          m.put("audit.seq", number("SELECT COALESCE(SUM(seq), 0) FROM audit_heads WHERE" + in, p));
          m.put(
              "audit.heads",
              digest(
                  "SELECT tenant_id, seq, hash FROM audit_heads WHERE" + in + " ORDER BY 1", 3, p));
          for (String c :
              List.of(
                  "failed_attempts",
                  "otp_attempts",
                  "otp_requests",
                  "open_count",
                  "reissue_count")) {
            m.put(
                "recipients." + c,
                number("SELECT COALESCE(SUM(" + c + "), 0) FROM recipients WHERE" + in, p));
          }
          m.put(
              "recipients.locked",
              number("SELECT COUNT(*) FROM recipients WHERE locked_at IS NOT NULL AND" + in, p));
          m.put(
              "recipients.state",
              digest(
                  "SELECT id, status, otp_hash, link_token_hash, secret_hash, CASE WHEN"
                      + " server_share IS NULL THEN 'shredded' ELSE 'kept' END FROM recipients"
                      + " WHERE"
                      + in
                      + " ORDER BY 1",
                  6,
                  p));
          m.put(
              "envelopes.state",
              digest(
                  "SELECT id, status, revoked_at, shredded_at, custody_key, signing_kid FROM"
                      + " envelopes WHERE"
                      + in
                      + " ORDER BY 1",
                  6,
                  p));
          m.put(
              "api_keys.state",
              digest(
                  "SELECT id, role, tenant_id, partner_id, name, rate_limit_per_minute,"
                      + " expires_at, revoked_at FROM api_keys WHERE"
                      + in
                      + " ORDER BY 1",
                  8,
                  p));
          m.put(
              "partners.state",
              digest(
                  "SELECT id, name, jwks, jwks_uri, disabled_at, updated_at FROM partners WHERE"
                      + in
                      + " ORDER BY 1",
                  6,
                  p));
          m.put(
              "tenants.state",
              digest(
                  "SELECT id, name, display_name, verification_methods, default_expiry, max_expiry,"
                      + " custody_enabled, allow_replies, reply_jwks FROM tenants WHERE"
                      + in.replace("tenant_id", "id")
                      + " ORDER BY 1",
                  9,
                  p));
          m.put(
              "signing_keys.state",
              digest(
                  "SELECT kid, tenant_id, retired_at FROM signing_keys WHERE" + in + " ORDER BY 1",
                  3,
                  p));
          return m;
        });
  }

  private long number(String sql, Object... params) {
    return jdbc.queryOne(sql, rs -> rs.getLong(1), params).orElse(0L);
  }

  private String digest(String sql, int columns, Object... params) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      jdbc.query(
          sql,
          rs -> {
            for (int i = 1; i <= columns; i++) {
              md.update(String.valueOf(rs.getString(i)).getBytes(StandardCharsets.UTF_8));
              md.update((byte) 0);
            }
            md.update((byte) 1);
            return 0;
          },
          params);
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
