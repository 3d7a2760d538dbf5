package dev.sealpost.api.it;

import static dev.sealpost.api.it.ItSupport.BOOTSTRAP_KEY;
import static dev.sealpost.api.it.ItSupport.assertProblem;
import static dev.sealpost.api.it.ItSupport.get;
import static dev.sealpost.api.it.ItSupport.json;
import static dev.sealpost.api.it.ItSupport.postJson;
import static dev.sealpost.api.it.ItSupport.request;
import static dev.sealpost.api.it.ItSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.audit.AuditEvidence;
import dev.sealpost.audit.AuditEvidenceVerification;
import dev.sealpost.audit.AuditExportReader;
import dev.sealpost.audit.AuditVerification;
import dev.sealpost.cli.SealpostCli;
import dev.sealpost.client.EnvelopeClient;
import dev.sealpost.envelope.LinkSecret;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.exception.ServiceException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The audit log over HTTP, on H2 and PostgreSQL: events from the flows on main, the auditor's
 * query, export and verify, tampering (done in the database through the test-only it-diagnostics
 * resource) caught by the API and by the CLI, and tenant and role isolation.
 */
@SuppressWarnings("unchecked")
class AuditIT {

  /** The run's shared server (the packaged war at /): see {@link SharedServer}. */
  final URL base = SharedServer.base();

  @TempDir Path tmp;

  record Tenant(String id, String admin, String sender, String auditor) {}

  private URI api(String path) {
    return URI.create(base.toString()).resolve("v1/" + path);
  }

  private Tenant newTenant() {
    String name = "a-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> r = postJson(api("tenants"), BOOTSTRAP_KEY, "{\"name\":\"" + name + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    Map<String, Object> t = json(r);
    String admin = (String) t.get("adminKey");
    return new Tenant((String) t.get("id"), admin, key(admin, "SENDER"), key(admin, "AUDITOR"));
  }

  private String key(String admin, String role) {
    HttpResponse<String> r =
        postJson(api("api-keys"), admin, "{\"role\":\"" + role + "\",\"name\":\"" + role + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return (String) json(r).get("key");
  }

  private List<Map<String, Object>> events(String auditor, String query) {
    List<Map<String, Object>> all = new ArrayList<>();
    String cursor = null;
    do {
      String q = query + (cursor == null ? "" : "&cursor=" + cursor);
      HttpResponse<String> r = get(api("audit/events?limit=2&" + q), auditor);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      Map<String, Object> page = json(r);
      all.addAll((List<Map<String, Object>>) page.get("items"));
      cursor = (String) page.get("nextCursor");
    } while (cursor != null);
    return all;
  }

  private Map<String, Object> verify(String auditor) {
    HttpResponse<String> r = get(api("audit/verify"), auditor);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  private String export(String auditor, String format) {
    HttpResponse<String> r = get(api("audit/export?format=" + format), auditor);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith(format.equals("csv") ? "text/csv" : "application/x-ndjson");
    return r.body();
  }

  private TrustedKeys jwks() {
    HttpResponse<String> r =
        get(URI.create(base.toString()).resolve(".well-known/jwks.json"), null);
    return TrustedKeys.fromJwksJson(r.body());
  }

  private void tamper(Tenant t, String op, long seq) {
    HttpResponse<String> r =
        send(
            request(
                    api(
                        "it-diagnostics/audit-tamper?tenant="
                            + t.id()
                            + "&op="
                            + op
                            + "&seq="
                            + seq),
                    null)
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  /** Runs the sealpost CLI in-process; answers the exit code and stdout+stderr. */
  private record Cli(int exit, String out) {}

  private Cli cli(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cmd = SealpostCli.newCommandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(out, true));
    int exit = cmd.execute(args);
    return new Cli(exit, out.toString());
  }

  @Test
  void signingKeyRotation_byAdminOnly_isRecorded_andBothKidsStayPublished() {
    Tenant t = newTenant();
    assertProblem(postJson(api("tenant/signing-keys/rotate"), t.sender(), ""), 403, "forbidden");
    HttpResponse<String> r = postJson(api("tenant/signing-keys/rotate"), t.admin(), "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<String, Object> rotated = json(r);
    String kid = (String) rotated.get("kid");
    String previous = (String) rotated.get("previousKid");
    assertThat(kid).isEqualTo(t.id() + ".2");
    assertThat(previous).isEqualTo(t.id() + ".1");
    String jwks = get(URI.create(base.toString()).resolve(".well-known/jwks.json"), null).body();
    assertThat(jwks).contains("\"" + kid + "\"", "\"" + previous + "\"");
    assertThat(events(t.auditor(), "type=SIGNING_KEY_ROTATED")).hasSize(1);
  }

  @Test
  void apiKeyCreated_isRecordedWithTheForwardedClientAddressAndAnEscapedUserAgent() {
    Tenant t = newTenant();
    // Through loopback, a trusted proxy in the ITs: the right-most untrusted hop is the client.
    URI viaProxy = ItSupport.viaLoopback(base).resolve("v1/api-keys");
    HttpResponse<String> r =
        send(
            request(viaProxy, t.admin())
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", "192.0.2.1, 198.51.100.23, 127.0.0.1")
                .header("User-Agent", "it-agent\tv1")
                .POST(
                    HttpRequest.BodyPublishers.ofString("{\"role\":\"SENDER\",\"name\":\"s2\"}")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    List<Map<String, Object>> keys = events(t.auditor(), "type=API_KEY_CREATED");
    assertThat(keys).hasSize(4); // admin (at tenant creation), SENDER, AUDITOR, this one
    Map<String, Object> last = keys.get(3);
    assertThat(last)
        .containsEntry("ip", "198.51.100.23")
        .containsEntry("userAgent", "it-agent\\u0009v1")
        .containsKeys("time", "actor", "seq", "hash", "prevHash", "envelopeId", "recipientId");
    assertThat((String) last.get("actor")).startsWith("api-key:");
    assertThat(r.body()).doesNotContain((String) last.get("actor"));
    // A forged X-Forwarded-For from an untrusted peer is not believed.
    if (!"127.0.0.1".equals(base.getHost()) && !"localhost".equals(base.getHost())) {
      HttpResponse<String> forged =
          send(
              request(api("api-keys"), t.admin())
                  .header("Content-Type", "application/json")
                  .header("X-Forwarded-For", "203.0.113.99")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"role\":\"SENDER\",\"name\":\"s3\"}")));
      assertThat(forged.statusCode()).isEqualTo(201);
      List<Map<String, Object>> again = events(t.auditor(), "type=API_KEY_CREATED");
      assertThat(again.get(4).get("ip")).isNotEqualTo("203.0.113.99");
    }
  }

  @Test
  void envelopeCreatedAndRevoked_areRecorded_andOutliveTheEnvelope() {
    Tenant t = newTenant();
    HttpResponse<String> created =
        send(
            request(api("envelopes"), t.sender())
                .header("Content-Type", "application/json")
                .header("User-Agent", "insurer-batch/2.1")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"subject\":\"Your documents\",\"message\":\"Policy 123 details\","
                            + "\"recipients\":[{\"type\":\"consumer\",\"email\":\"a@example.com\","
                            + "\"verification\":{\"method\":\"EMAIL_OTP\"}}],\"notify\":false}")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String envelopeId = (String) json(created).get("id");
    HttpResponse<String> revoked =
        send(request(api("envelopes/" + envelopeId), t.sender()).DELETE());
    assertThat(revoked.statusCode()).as(revoked.body()).isBetween(200, 204);

    List<Map<String, Object>> forEnvelope = events(t.auditor(), "envelope=" + envelopeId);
    List<String> types =
        forEnvelope.stream().map(e -> (String) e.get("type")).collect(Collectors.toList());
    assertThat(types).contains("ENVELOPE_CREATED", "ENVELOPE_REVOKED");
    assertThat(types.indexOf("ENVELOPE_CREATED")).isLessThan(types.indexOf("ENVELOPE_REVOKED"));
    Map<String, Object> c = forEnvelope.get(types.indexOf("ENVELOPE_CREATED"));
    assertThat(c.get("ip")).isNotNull();
    assertThat(c.get("userAgent")).isEqualTo("insurer-batch/2.1");
    assertThat(JSONObjectUtils.toJSONString(Map.of("e", forEnvelope)))
        .doesNotContain("Policy 123", "Your documents", "a@example.com");
    assertThat(verify(t.auditor())).containsEntry("ok", true);
  }

  @Test
  void onlyTheTenantsAuditors_getTheLog() throws Exception {
    Tenant a = newTenant();
    Tenant b = newTenant();
    for (String path : List.of("audit/events", "audit/export", "audit/verify")) {
      assertProblem(get(api(path), a.sender()), 403, "forbidden");
      assertProblem(get(api(path), a.admin()), 403, "forbidden");
      assertThat(get(api(path), null).statusCode()).isEqualTo(401);
    }
    // A PARTNER key too; its fetch of an envelope is recorded in the sender tenant's log.
    ECKey partnerKey =
        new ECKeyGenerator(Curve.P_256).keyID("p-1").keyUse(KeyUse.ENCRYPTION).generate();
    HttpResponse<String> partner =
        postJson(
            api("partners"),
            a.admin(),
            "{\"name\":\"Reinsurer\",\"jwks\":{\"keys\":["
                + partnerKey.toPublicJWK().toJSONString()
                + "]}}");
    assertThat(partner.statusCode()).as(partner.body()).isEqualTo(201);
    String partnerId = (String) json(partner).get("id");
    HttpResponse<String> pk =
        postJson(api("partners/" + partnerId + "/api-keys"), a.admin(), "{\"name\":\"p\"}");
    assertThat(pk.statusCode()).as(pk.body()).isEqualTo(201);
    String partnerApiKey = (String) json(pk).get("key");
    for (String path : List.of("audit/events", "audit/export", "audit/verify")) {
      assertProblem(get(api(path), partnerApiKey), 403, "forbidden");
    }
    String someEnvelope = UUID.randomUUID().toString();
    assertProblem(get(api("audit/evidence/" + someEnvelope), partnerApiKey), 403, "forbidden");
    assertProblem(get(api("audit/evidence/" + someEnvelope), a.sender()), 403, "forbidden");
    assertProblem(get(api("audit/evidence/" + someEnvelope), a.auditor()), 404, "not-found");
    HttpResponse<String> sent =
        postJson(
            api("envelopes"),
            a.sender(),
            "{\"subject\":\"Treaty\",\"message\":\"m\",\"recipients\":[{\"type\":\"partner\","
                + "\"partnerId\":\""
                + partnerId
                + "\"}]}");
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
    String envelopeId = (String) json(sent).get("id");
    HttpResponse<String> fetched = get(api("inbox/" + envelopeId + "/manifest"), partnerApiKey);
    assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
    assertThat(
            events(a.auditor(), "envelope=" + envelopeId).stream()
                .map(e -> (String) e.get("type"))
                .collect(Collectors.toList()))
        .contains("ENVELOPE_CREATED", "PARTNER_FETCHED");
    assertThat(events(a.auditor(), "type=PARTNER_REGISTERED")).hasSize(1);
    assertThat(events(b.auditor(), "envelope=" + envelopeId)).isEmpty();
    // Evidence: A's auditor gets the bundle; B's auditor is told the envelope does not exist.
    assertThat(get(api("audit/evidence/" + envelopeId), a.auditor()).statusCode()).isEqualTo(200);
    assertProblem(get(api("audit/evidence/" + envelopeId), b.auditor()), 404, "not-found");
    try (EnvelopeClient viaSdk =
        EnvelopeClient.builder()
            .endpoint(ItSupport.viaLoopback(base))
            .apiKey(b.auditor())
            .build()) {
      assertThatThrownBy(() -> viaSdk.auditEvidence(envelopeId))
          .isInstanceOfSatisfying(
              ServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }
    assertThat(events(b.auditor(), "type=AUDIT_EXPORTED")).isEmpty();
    List<Map<String, Object>> ofA = events(a.auditor(), "");
    List<Map<String, Object>> ofB = events(b.auditor(), "");
    assertThat(ofB).hasSize(3); // B's admin, SENDER and AUDITOR keys
    List<Object> hashesOfA = ofA.stream().map(e -> e.get("hash")).collect(Collectors.toList());
    assertThat(ofB).noneMatch(e -> hashesOfA.contains(e.get("hash")));
    assertThat(events(b.auditor(), "actor=" + ofA.get(1).get("actor"))).isEmpty();
  }

  @Test
  void export_ndjsonAndCsv_verifyOffline_withTheCli_andAreRecorded() throws Exception {
    Tenant t = newTenant();
    key(t.admin(), "SENDER");
    Path jwksFile = tmp.resolve("jwks.json");
    Files.writeString(
        jwksFile, get(URI.create(base.toString()).resolve(".well-known/jwks.json"), null).body());
    for (String format : List.of("ndjson", "csv")) {
      String body = export(t.auditor(), format);
      AuditVerification v = AuditExportReader.verify(new StringReader(body), jwks(), List.of());
      assertThat(v.ok()).as(v.toString()).isTrue();
      Path file = tmp.resolve("export." + format);
      Files.writeString(file, body, StandardCharsets.UTF_8);
      Cli offline =
          cli("audit", "verify", "--file", file.toString(), "--trust", jwksFile.toString());
      assertThat(offline.exit()).as(offline.out()).isZero();
      assertThat(offline.out()).contains("\"ok\":true");
    }
    assertThat(events(t.auditor(), "type=AUDIT_EXPORTED")).hasSize(2);
    // The CLI's own export and server verify.
    Path viaCli = tmp.resolve("cli.ndjson");
    Cli export =
        cli(
            "audit",
            "export",
            "--server",
            base.toString(),
            "--api-key",
            t.auditor(),
            "--out",
            viaCli.toString());
    assertThat(export.exit()).as(export.out()).isZero();
    assertThat(
            cli("audit", "verify", "--file", viaCli.toString(), "--trust", jwksFile.toString())
                .exit())
        .isZero();
    Cli server = cli("audit", "verify", "--server", base.toString(), "--api-key", t.auditor());
    assertThat(server.exit()).as(server.out()).isZero();
    Cli listed =
        cli(
            "audit",
            "events",
            "--server",
            base.toString(),
            "--api-key",
            t.auditor(),
            "--type",
            "AUDIT_EXPORTED",
            "--all",
            "--limit",
            "1");
    assertThat(listed.exit()).as(listed.out()).isZero();
    assertThat(listed.out().lines().filter(l -> l.contains("AUDIT_EXPORTED")).count()).isEqualTo(3);
  }

  @Test
  void tampering_isReportedByTheApiAndTheCli() throws Exception {
    Path jwksFile = tmp.resolve("jwks.json");
    for (String op : List.of("edit", "delete", "swap", "truncate")) {
      Tenant t = newTenant();
      for (int i = 0; i < 4; i++) {
        key(t.admin(), "SENDER");
      }
      // 7 events; verify signs a checkpoint over seq 7.
      Map<String, Object> before = verify(t.auditor());
      assertThat(before).containsEntry("ok", true).containsEntry("events", 7L);
      assertThat((Map<String, Object>) before.get("checkpoint")).containsEntry("seq", 7L);
      assertThat((Map<String, Object>) before.get("head")).containsEntry("seq", 7L);

      long seq = op.equals("truncate") ? 5 : 3;
      tamper(t, op, seq);

      Map<String, Object> after = verify(t.auditor());
      assertThat(after).as(op).containsEntry("ok", false);
      long expectedBad = op.equals("truncate") ? 6 : 3;
      assertThat(after.get("firstBadSeq")).as(op + " " + after).isEqualTo(expectedBad);
      assertThat((String) after.get("reason")).isNotBlank();

      Cli server = cli("audit", "verify", "--server", base.toString(), "--api-key", t.auditor());
      assertThat(server.exit()).as(op + server.out()).isEqualTo(2);

      Files.writeString(
          jwksFile, get(URI.create(base.toString()).resolve(".well-known/jwks.json"), null).body());
      Path file = tmp.resolve(op + ".ndjson");
      Files.writeString(file, export(t.auditor(), "ndjson"));
      Cli offline =
          cli("audit", "verify", "--file", file.toString(), "--trust", jwksFile.toString());
      assertThat(offline.exit()).as(op + offline.out()).isEqualTo(2);
      assertThat(offline.out()).contains("NOT intact");
    }
  }

  /**
   * Issue 6's "done when", end to end through the outbox mailer: the consumer gets the link from
   * the notification {@code .eml}, asks for a code, reads it from the next {@code .eml}, opens; the
   * sender revokes; the auditor's query for that envelope tells the whole story with client
   * addresses and user agents, both exports carry it, verify is ok, and one edited row makes the
   * API and the CLI say the log is not intact.
   */
  @Test
  void consumerOpenThenRevoke_isTheWholeStoryForTheAuditor_untilOneRowIsEdited() throws Exception {
    Tenant t = newTenant();
    String email = "story-" + UUID.randomUUID() + "@example.com";
    URI viaProxy = ItSupport.viaLoopback(base);
    HttpResponse<String> created =
        send(
            request(viaProxy.resolve("v1/envelopes"), t.sender())
                .header("Content-Type", "application/json")
                .header("User-Agent", "claims-system/7.4")
                .header("X-Forwarded-For", "198.51.100.7")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"subject\":\"Your claim\",\"message\":\"Claim 55 settled\","
                            + "\"recipients\":[{\"type\":\"consumer\",\"email\":\""
                            + email
                            + "\",\"locale\":\"fr\",\"verification\":{\"method\":\"EMAIL_OTP\"}}],"
                            + "\"notify\":true}")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String envelopeId = (String) json(created).get("id");

    Matcher link = awaitOutboxMail(email, LINK);
    assertThat(link.group(1)).isEqualTo(envelopeId);
    String recipientId = link.group(2);
    String token = LinkSecret.fromBase64Url(link.group(3)).tokenBase64Url();
    String phone = "Mozilla/5.0 (Linux; Android 14) consumer-phone";
    URI open = viaProxy.resolve("v1/open/" + envelopeId + "/" + recipientId + "/");
    HttpResponse<String> challenge =
        send(
            request(open.resolve("challenge"), null)
                .header("Content-Type", "application/json")
                .header("User-Agent", phone)
                .header("X-Forwarded-For", "203.0.113.42")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")));
    assertThat(challenge.statusCode()).as(challenge.body()).isBetween(200, 204);
    Matcher code = awaitOutboxMail(email, CODE);
    HttpResponse<String> verified =
        send(
            request(open.resolve("verify"), null)
                .header("Content-Type", "application/json")
                .header("User-Agent", phone)
                .header("X-Forwarded-For", "203.0.113.42")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"token\":\"" + token + "\",\"code\":\"" + code.group(1) + "\"}")));
    assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
    HttpResponse<String> manifest =
        get(api("open/" + envelopeId + "/manifest"), (String) json(verified).get("accessToken"));
    assertThat(manifest.statusCode()).as(manifest.body()).isEqualTo(200);
    HttpResponse<String> revoked =
        send(
            request(viaProxy.resolve("v1/envelopes/" + envelopeId), t.sender())
                .header("User-Agent", "claims-system/7.4")
                .header("X-Forwarded-For", "198.51.100.7")
                .DELETE());
    assertThat(revoked.statusCode()).as(revoked.body()).isBetween(200, 204);

    List<Map<String, Object>> story = events(t.auditor(), "envelope=" + envelopeId);
    Map<String, Map<String, Object>> byType = new java.util.LinkedHashMap<>();
    story.forEach(e -> byType.putIfAbsent((String) e.get("type"), e));
    List<String> expected =
        List.of(
            "ENVELOPE_CREATED",
            "NOTIFICATION_SENT",
            "CHALLENGE_STARTED",
            "CODE_SENT",
            "ENVELOPE_OPENED",
            "ENVELOPE_REVOKED");
    assertThat(byType.keySet()).containsAll(expected);
    assertThat(expected.stream().map(type -> story.indexOf(byType.get(type))))
        .as("in the order they happened")
        .isSorted();
    for (String type : List.of("ENVELOPE_CREATED", "ENVELOPE_REVOKED")) {
      assertThat(byType.get(type))
          .as(type)
          .containsEntry("ip", "198.51.100.7")
          .containsEntry("userAgent", "claims-system/7.4");
      assertThat((String) byType.get(type).get("actor")).startsWith("api-key:");
    }
    for (String type : List.of("CHALLENGE_STARTED", "CODE_SENT", "ENVELOPE_OPENED")) {
      assertThat(byType.get(type))
          .as(type)
          .containsEntry("ip", "203.0.113.42")
          .containsEntry("userAgent", phone)
          .containsEntry("recipientId", recipientId);
    }
    assertThat(byType.get("NOTIFICATION_SENT"))
        .containsEntry("actor", "system")
        .containsEntry("recipientId", recipientId);
    String storyJson = JSONObjectUtils.toJSONString(Map.of("e", story));
    assertThat(storyJson).doesNotContain("Claim 55", "Your claim", email, token, code.group(1));

    for (String format : List.of("ndjson", "csv")) {
      String body = export(t.auditor(), format);
      for (String type : expected) {
        assertThat(body.lines().filter(l -> l.contains(envelopeId) && l.contains(type)).count())
            .as(format + " " + type)
            .isPositive();
      }
      assertThat(body).contains("203.0.113.42", phone);
    }
    Map<String, Object> ok = verify(t.auditor());
    assertThat(ok).containsEntry("ok", true);
    Cli serverOk = cli("audit", "verify", "--server", base.toString(), "--api-key", t.auditor());
    assertThat(serverOk.exit()).as(serverOk.out()).isZero();

    Path jwksFile = tmp.resolve("jwks.json");
    Files.writeString(
        jwksFile, get(URI.create(base.toString()).resolve(".well-known/jwks.json"), null).body());
    evidenceOfTheOpenedEnvelope_verifiesOffline(t, envelopeId, recipientId, jwksFile, storyJson);

    // One stored event edited in the database: the opening's client address.
    tamper(t, "edit", ((Number) byType.get("ENVELOPE_OPENED").get("seq")).longValue());
    Map<String, Object> after = verify(t.auditor());
    assertThat(after).containsEntry("ok", false);
    assertThat(after.get("firstBadSeq")).isEqualTo(byType.get("ENVELOPE_OPENED").get("seq"));
    Cli server = cli("audit", "verify", "--server", base.toString(), "--api-key", t.auditor());
    assertThat(server.exit()).as(server.out()).isEqualTo(2);
    // The evidence bundle made now holds the edited row: the CLI names it and exits 2.
    Path broken = tmp.resolve("evidence-broken.json");
    Cli fetched =
        cli(
            "audit",
            "evidence",
            "get",
            envelopeId,
            "--server",
            base.toString(),
            "--api-key",
            t.auditor(),
            "--out",
            broken.toString());
    assertThat(fetched.exit()).as(fetched.out()).isZero();
    Cli brokenCheck =
        cli("audit", "evidence", "verify", broken.toString(), "--jwks", jwksFile.toString());
    assertThat(brokenCheck.exit()).as(brokenCheck.out()).isEqualTo(2);
    assertThat(brokenCheck.out())
        .contains(
            "NOT intact",
            "event seq " + byType.get("ENVELOPE_OPENED").get("seq") + " (ENVELOPE_OPENED)",
            "edited");
    Path file = tmp.resolve("story.ndjson");
    Files.writeString(file, export(t.auditor(), "ndjson"));
    Cli offline = cli("audit", "verify", "--file", file.toString(), "--trust", jwksFile.toString());
    assertThat(offline.exit()).as(offline.out()).isEqualTo(2);
    assertThat(offline.out()).contains("NOT intact");
  }

  /**
   * Issue 18: the opened envelope's evidence bundle (metadata, every event naming it with its hash
   * path, the signed checkpoints, the tenant's JWKS) verifies offline with the CLI; the sender sees
   * the recipient's timeline without the AUDITOR role; neither shows content or the address.
   */
  private void evidenceOfTheOpenedEnvelope_verifiesOffline(
      Tenant t, String envelopeId, String recipientId, Path jwksFile, String storyJson)
      throws Exception {
    HttpResponse<String> r = get(api("audit/evidence/" + envelopeId), t.auditor());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<String, Object> bundle = json(r);
    assertThat(bundle)
        .containsEntry("format", "sealpost-audit-evidence-v1")
        .containsEntry("tenant", t.id())
        .containsEntry("envelopeId", envelopeId)
        .containsKeys("envelope", "events", "checkpoints", "jwks");
    assertThat(r.body()).doesNotContain("Claim 55", "Your claim", "story-", "\"email\"");
    List<Map<String, Object>> named =
        ((List<Map<String, Object>>) bundle.get("events"))
            .stream().filter(e -> envelopeId.equals(e.get("envelopeId"))).toList();
    Map<String, Object> last = named.get(named.size() - 1);
    assertThat(last).containsEntry("type", "AUDIT_EXPORTED");
    assertThat((String) last.get("detail"))
        .startsWith("evidence bundle; earlier events: " + (named.size() - 1));
    assertThat(named).extracting(e -> e.get("type")).contains("ENVELOPE_OPENED");
    for (Map<String, Object> e : named.subList(0, named.size() - 1)) {
      assertThat(storyJson).contains((String) e.get("hash"));
    }
    Path file = tmp.resolve("evidence.json");
    Files.writeString(file, r.body(), StandardCharsets.UTF_8);
    Cli ok = cli("audit", "evidence", "verify", file.toString(), "--jwks", jwksFile.toString());
    assertThat(ok.exit()).as(ok.out()).isZero();
    assertThat(ok.out())
        .contains("envelope " + envelopeId, "intact", named.size() + " events of the envelope");

    HttpResponse<String> status = get(api("envelopes/" + envelopeId), t.sender());
    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    Map<String, Object> recipient =
        ((List<Map<String, Object>>) json(status).get("recipients")).get(0);
    assertThat(recipient).containsEntry("id", recipientId);
    List<Map<String, Object>> timeline = (List<Map<String, Object>>) recipient.get("timeline");
    assertThat(timeline)
        .extracting(e -> e.get("type"))
        .containsSubsequence("NOTIFICATION_SENT", "CODE_SENT", "ENVELOPE_OPENED");
    assertThat(timeline).allSatisfy(e -> assertThat(e).containsOnlyKeys("type", "time"));
  }

  private static final Pattern LINK =
      Pattern.compile("/v/([0-9a-f-]{36})/([0-9a-f-]{36})#([A-Za-z0-9_-]{43})");
  private static final Pattern CODE = Pattern.compile("(?m)^\\s*([0-9]{6,8})\\s*$");

  /**
   * Waits for an outbox {@code .eml} to {@code email} whose text part matches {@code pattern};
   * answers the matcher. Found by content, not by order: file names start with the time in whole
   * seconds, so two mails of the same second sort by their random suffix. The text is decoded
   * (quoted-printable soft line breaks undone), so the link and the code read whole.
   */
  private static Matcher awaitOutboxMail(String email, Pattern pattern) throws Exception {
    Path outbox = SharedServer.dataDir().resolve("outbox");
    for (int i = 0; i < 300; i++) {
      if (Files.isDirectory(outbox)) {
        List<Path> mails;
        try (var files = Files.list(outbox)) {
          mails = files.filter(f -> f.toString().endsWith(".eml")).toList();
        }
        for (Path f : mails) {
          if (!Files.readString(f, StandardCharsets.UTF_8).contains(email)) {
            continue;
          }
          jakarta.mail.internet.MimeMessage m;
          try (var in = Files.newInputStream(f)) {
            m =
                new jakarta.mail.internet.MimeMessage(
                    jakarta.mail.Session.getInstance(new java.util.Properties()), in);
            jakarta.mail.internet.MimeMultipart mp =
                (jakarta.mail.internet.MimeMultipart) m.getContent();
            Matcher matcher = pattern.matcher((String) mp.getBodyPart(0).getContent());
            if (matcher.find()) {
              return matcher;
            }
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no mail to " + email + " matching " + pattern + " in " + outbox);
  }

  /**
   * 201 CMR 17.04(1)(e) in evidence: five wrong answers lock a recipient; the envelope's bundle
   * (fetched with the SDK) verifies and holds every failed attempt and the lock, and the sender's
   * timeline shows them without an AUDITOR key.
   */
  @Test
  void lockedRecipient_isInTheEnvelopesEvidence_andTheSendersTimeline() {
    Tenant t = newTenant();
    HttpResponse<String> created =
        postJson(
            api("envelopes"),
            t.sender(),
            "{\"subject\":\"Policy\",\"message\":\"m\",\"notify\":false,\"recipients\":"
                + "[{\"type\":\"consumer\",\"email\":\"lock@example.com\",\"verification\":"
                + "{\"method\":\"SHARED_SECRET\",\"secret\":\"blue-harbour-42\"}}]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    Map<String, Object> recipient =
        ((List<Map<String, Object>>) json(created).get("recipients")).get(0);
    Matcher link = LINK.matcher((String) recipient.get("link"));
    assertThat(link.find()).isTrue();
    String envelopeId = link.group(1);
    String token = LinkSecret.fromBase64Url(link.group(3)).tokenBase64Url();
    URI verify = api("open/" + envelopeId + "/" + link.group(2) + "/verify");
    String wrong = "{\"token\":\"" + token + "\",\"secret\":\"red-harbour\"}";
    for (int i = 0; i < 4; i++) {
      assertProblem(postJson(verify, null, wrong), 401, "wrong-secret");
    }
    assertProblem(postJson(verify, null, wrong), 423, "locked");

    String bundle;
    try (EnvelopeClient auditor =
        EnvelopeClient.builder()
            .endpoint(ItSupport.viaLoopback(base))
            .apiKey(t.auditor())
            .build()) {
      bundle = auditor.auditEvidence(envelopeId);
    }
    AuditEvidenceVerification v = AuditEvidence.verify(bundle, jwks());
    assertThat(v.ok()).as(v.toString()).isTrue();
    List<String> types = new ArrayList<>();
    Matcher type = Pattern.compile("\"type\":\"([A-Z_]+)\"").matcher(bundle);
    while (type.find()) {
      types.add(type.group(1));
    }
    assertThat(types).contains("VERIFY_FAILED", "RECIPIENT_LOCKED", "AUDIT_EXPORTED");
    assertThat(bundle).doesNotContain("lock@example.com", "blue-harbour", "red-harbour", token);

    Map<String, Object> status = json(get(api("envelopes/" + envelopeId), t.sender()));
    List<Map<String, Object>> timeline =
        (List<Map<String, Object>>)
            ((List<Map<String, Object>>) status.get("recipients")).get(0).get("timeline");
    assertThat(timeline).extracting(e -> e.get("type")).contains("RECIPIENT_LOCKED");
    assertThat(timeline.stream().filter(e -> e.get("type").equals("VERIFY_FAILED")).count())
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void badQueries_giveProblemsNamingTheField() {
    Tenant t = newTenant();
    assertProblem(get(api("audit/events?type=NOPE"), t.auditor()), 422, "invalid-field");
    assertProblem(get(api("audit/events?from=yesterday"), t.auditor()), 422, "invalid-field");
    assertProblem(get(api("audit/events?cursor=xyz"), t.auditor()), 422, "invalid-field");
    assertProblem(get(api("audit/events?limit=0"), t.auditor()), 422, "invalid-field");
    assertProblem(get(api("audit/export?format=xml"), t.auditor()), 422, "invalid-field");
  }
}
