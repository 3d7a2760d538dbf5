package dev.sealpost.api.it;

import static dev.sealpost.api.it.ItSupport.assertProblem;
import static dev.sealpost.api.it.ItSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What an SRE sees (issue 16), on a server started as run.sh and the container start it, with
 * {@code SEALPOST_LOG_FORMAT=json}: every answer carries an {@code X-Request-Id} (the client's when
 * well-formed), problem answers repeat it as {@code requestId}, audit events record it, and every
 * line of the server's log is one JSON object (the request's lines with its id and tenant), with no
 * ANSI escape and no personal datum planted in a seal.
 *
 * <p>Not an Arquillian test: the log format must hold from Payara's first line, which only a
 * process started with the log properties shows. H2 and the embedded parts only, so it runs in the
 * {@code it-h2} execution (it skips itself in {@code it-pg}).
 */
@SuppressWarnings("unchecked")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIT {
  private static final String ADMIN = "sp_obs-it-bootstrap-admin-key-0123456789abcdefghijklm";

  /** Personal data planted in a seal: none of it may reach the log. */
  private static final String CANARY_EMAIL = "canary.q7x3@example.org";

  private static final String CANARY_TEXT = "Canary-Zebra-q7x3";
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private static ServerProcess server;
  private static int port;
  private static Path log;
  private static String senderKey;
  private static String auditorKey;
  private static String tenantId;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue("h2".equals(ItSupport.database()), "one run is enough: H2 and embedded parts only");
    String run = Long.toHexString(System.nanoTime());
    Path dir = Path.of("target", "observability-it", run).toAbsolutePath();
    Map<String, String> env = new HashMap<>();
    System.getenv().keySet().stream()
        .filter(k -> k.startsWith("SEALPOST_"))
        .forEach(k -> env.put(k, null));
    env.put("SEALPOST_LOG_FORMAT", "json");
    env.put("SEALPOST_BOOTSTRAP_ADMIN_KEY", ADMIN);
    env.put("SEALPOST_EXIT_ON_START_FAILURE", "true");
    server =
        ServerProcess.launch(
                "server",
                dir,
                Path.of(System.getProperty("warFile", "target/api.war")),
                env,
                List.of(
                    "--prebootcommandfile",
                    "src/main/payara/preboot.asadmin",
                    "--logproperties",
                    "src/main/payara/logging-json.properties"))
            .awaitReady(HTTP);
    port = server.port();
    log = server.log();
    Map<String, Object> t =
        json(
            send(
                post("v1/tenants", ADMIN, "{\"name\":\"obs-" + run + "\"}")
                    .header("X-Request-Id", "obs.tenant-1"),
                201));
    tenantId = (String) t.get("id");
    String admin = (String) t.get("adminKey");
    senderKey = key(admin, "SENDER");
    auditorKey = key(admin, "AUDITOR");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      ServerProcess.stopAll(server);
    }
  }

  @Test
  @Order(1)
  void aWellFormedRequestId_isEchoed_anyOtherIsReplacedByAGeneratedOne() {
    HttpResponse<String> mine =
        send(get("v1/envelopes", senderKey).header("X-Request-Id", "abc.DEF_1-2"), 200);
    assertThat(mine.headers().firstValue("X-Request-Id")).hasValue("abc.DEF_1-2");
    for (String bad : List.of("has space", "x".repeat(65), "semi;colon", "\u00e9t\u00e9")) {
      HttpResponse<String> r =
          send(get("v1/envelopes", senderKey).header("X-Request-Id", bad), 200);
      assertThat(r.headers().firstValue("X-Request-Id").orElseThrow())
          .as("for %s", bad)
          .matches("[0-9a-f]{32}");
    }
    HttpResponse<String> none = send(get("v1/envelopes", senderKey), 200);
    assertThat(none.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f]{32}");
  }

  @Test
  @Order(2)
  void problemAnswers_carryTheRequestId_inTheHeaderAndTheBody() throws Exception {
    // 401 (JAX-RS filter), 404 of an unknown API path (JAX-RS), 404 of an unknown path
    // (the container's error page), 422 (the problem mapper)
    HttpResponse<String> unauthorized =
        ItSupport.send(req("v1/envelopes", null).header("X-Request-Id", "p-401").GET());
    assertProblem(unauthorized, 401, "unauthorized");
    HttpResponse<String> unknownApi =
        ItSupport.send(req("v1/no-such-thing", senderKey).header("X-Request-Id", "p-404a").GET());
    assertProblem(unknownApi, 404, "not-found");
    HttpResponse<String> unknown =
        ItSupport.send(req("no/such/page", null).header("X-Request-Id", "p-404b").GET());
    assertProblem(unknown, 404, "not-found");
    HttpResponse<String> invalid =
        ItSupport.send(
            req("v1/envelopes?limit=0", senderKey).header("X-Request-Id", "p-422").GET());
    assertThat(invalid.statusCode()).as(invalid.body()).isBetween(400, 499);
    for (var e :
        Map.of("p-401", unauthorized, "p-404a", unknownApi, "p-404b", unknown, "p-422", invalid)
            .entrySet()) {
      assertThat(e.getValue().headers().firstValue("X-Request-Id"))
          .as(e.getKey())
          .hasValue(e.getKey());
      assertThat(json(e.getValue())).as(e.getKey()).containsEntry("requestId", e.getKey());
    }
    // 413 from the body filter, before anything reads the body
    String raw =
        rawRequest(
            "POST /v1/envelopes HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + senderKey
                + "\r\nX-Request-Id: p-413\r\nContent-Type: application/json\r\n"
                + "Content-Length: 9000000000\r\n\r\n");
    assertThat(raw).startsWith("HTTP/1.1 413");
    assertThat(raw).containsIgnoringCase("X-Request-Id: p-413");
    assertThat(raw).contains("\"requestId\":\"p-413\"");
  }

  @Test
  @Order(3)
  void aSeal_recordsItsRequestId_inTheAuditEvent() {
    String body =
        "{\"subject\":\"For "
            + CANARY_TEXT
            + "\",\"message\":\"Dear "
            + CANARY_TEXT
            + "\",\"recipients\":[{\"type\":\"consumer\",\"email\":\""
            + CANARY_EMAIL
            + "\",\"verification\":{\"method\":\"EMAIL_OTP\"}}],"
            + "\"policy\":{\"expiresIn\":\"P7D\"},\"notify\":true}";
    Map<String, Object> created =
        json(send(post("v1/envelopes", senderKey, body).header("X-Request-Id", "seal-q7x3"), 201));
    String envelopeId = (String) created.get("id");
    Map<String, Object> page =
        json(send(get("v1/audit/events?envelope=" + envelopeId, auditorKey), 200));
    List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
    assertThat(items).isNotEmpty();
    assertThat(items)
        .filteredOn(e -> "ENVELOPE_CREATED".equals(e.get("type")))
        .singleElement()
        .satisfies(e -> assertThat((String) e.get("detail")).contains("requestId=seal-q7x3"));
    Map<String, Object> verify = json(send(get("v1/audit/verify", auditorKey), 200));
    assertThat(verify).containsEntry("ok", true);
  }

  @Test
  @Order(4)
  void metrics_anOnCallPersonNeeds_areListed_andMoveWhenTheThingHappens() throws Exception {
    String before = metrics();
    for (String name :
        List.of(
            "sealpost_outbox_pending",
            "sealpost_outbox_oldest_age_seconds",
            "sealpost_db_pool_waiting",
            "sealpost_db_pool_active",
            "sealpost_db_pool_total",
            "sealpost_keys_latency_seconds_count{",
            "sealpost_keys_errors_total{",
            "sealpost_blobs_latency_seconds_count{",
            "sealpost_blobs_errors_total{",
            "sealpost_mail_latency_seconds_count{",
            "sealpost_mail_errors_total{",
            "sealpost_http_answers_total{")) {
      assertThat(before).as(name).contains(name);
    }
    // a seal with an attachment: the key service and the blob store are used
    String body =
        "{\"subject\":\"m\",\"message\":\"m\",\"recipients\":[{\"type\":\"consumer\","
            + "\"email\":\"m-q7x3@example.net\",\"verification\":{\"method\":\"EMAIL_OTP\"}}],"
            + "\"policy\":{\"expiresIn\":\"P7D\"},\"notify\":false,\"attachments\":[{\"name\":"
            + "\"a.txt\",\"contentType\":\"text/plain\",\"data\":\"aGVsbG8=\"}]}";
    Map<String, Object> created = json(send(post("v1/envelopes", senderKey, body), 201));
    // the consumer asks for a code (a mail), then answers wrongly until locked out
    String link =
        (String) ((List<Map<String, Object>>) created.get("recipients")).get(0).get("link");
    String[] parts = link.substring(link.indexOf("/v/") + 3).split("[/#]");
    String token = dev.sealpost.envelope.LinkSecret.fromBase64Url(parts[2]).tokenBase64Url();
    String open = "v1/open/" + parts[0] + "/" + parts[1];
    send(post(open + "/challenge", null, "{\"token\":\"" + token + "\"}"), 200);
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> wrong =
          ItSupport.send(
              post(
                  open + "/verify",
                  null,
                  "{\"token\":\"" + token + "\",\"code\":\"00000" + (i % 2) + "\"}"));
      assertThat(wrong.statusCode()).as(wrong.body()).isBetween(400, 429);
    }
    // a key allowed one request a minute: the second is a 429
    String limited =
        (String)
            json(send(
                    post(
                        "v1/api-keys",
                        ADMIN,
                        "{\"role\":\"ADMIN\",\"name\":\"rl\",\"rateLimitPerMinute\":1}"),
                    201))
                .get("key");
    send(get("v1/api-keys", limited), 200);
    assertThat(ItSupport.send(get("v1/api-keys", limited)).statusCode()).isEqualTo(429);

    String after = metrics();
    assertThat(value(after, "sealpost_keys_latency_seconds_count", "generateDataKey"))
        .isGreaterThan(value(before, "sealpost_keys_latency_seconds_count", "generateDataKey"));
    assertThat(value(after, "sealpost_keys_latency_seconds_count", "signer.sign"))
        .isGreaterThan(value(before, "sealpost_keys_latency_seconds_count", "signer.sign"));
    assertThat(value(after, "sealpost_blobs_latency_seconds_count", "upload"))
        .isGreaterThan(value(before, "sealpost_blobs_latency_seconds_count", "upload"));
    assertThat(value(after, "sealpost_mail_latency_seconds_count", "operation=\"send\""))
        .isGreaterThan(value(before, "sealpost_mail_latency_seconds_count", "operation=\"send\""));
    assertThat(value(after, "sealpost_audit_events_total", "RECIPIENT_LOCKED"))
        .isEqualTo(value(before, "sealpost_audit_events_total", "RECIPIENT_LOCKED") + 1);
    assertThat(value(after, "sealpost_http_answers_total", "status=\"429\""))
        .isEqualTo(value(before, "sealpost_http_answers_total", "status=\"429\"") + 1);
    assertThat(value(after, "sealpost_db_pool_total", "")).isPositive();
    assertThat(after).doesNotContain(CANARY_EMAIL, CANARY_TEXT, "m-q7x3", tenantId);
  }

  @Test
  @Order(99)
  void everyLogLine_isOneJsonObject_withTheRequestsIdAndTenant_andNoPersonalDatum()
      throws Exception {
    Thread.sleep(500); // the last lines reach the file
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    String text = String.join("\n", lines);
    assertThat(lines).hasSizeGreaterThan(20);
    assertThat(text)
        .doesNotContain("\u001b")
        .doesNotContain(CANARY_EMAIL)
        .doesNotContain(CANARY_TEXT)
        .doesNotContain(ADMIN);
    List<Map<String, Object>> records = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, Object> r;
      try {
        r = JSONObjectUtils.parse(line);
      } catch (java.text.ParseException e) {
        throw new AssertionError("not a JSON object: " + line, e);
      }
      assertThat(line).startsWith("{").endsWith("}");
      assertThat(r).as(line).containsKeys("Timestamp", "Level", "LoggerName", "LogMessage");
      records.add(r);
    }
    assertThat(records)
        .as("the server started and logged it")
        .anySatisfy(r -> assertThat((String) r.get("LogMessage")).startsWith("Sealpost started"));
    // the access line of a request carries its id; once authenticated, its tenant
    assertThat(records)
        .filteredOn(r -> "seal-q7x3".equals(r.get("RequestId")))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r).containsEntry("TenantId", tenantId))
        .anySatisfy(
            r -> assertThat((String) r.get("LogMessage")).startsWith("POST /v1/envelopes 201"));
    assertThat(records)
        .filteredOn(r -> "p-404b".equals(r.get("RequestId")))
        .anySatisfy(r -> assertThat((String) r.get("LogMessage")).contains("404"));
    assertThat(records)
        .filteredOn(r -> r.get("RequestId") == null)
        .noneSatisfy(r -> assertThat((String) r.get("LogMessage")).startsWith("GET /v1/"));
  }

  // ---- helpers ----

  private static String metrics() {
    return send(get("metrics", null), 200).body();
  }

  /** The sum of a metric's samples whose line contains {@code fragment} (0 when none). */
  private static double value(String metrics, String name, String fragment) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> l.contains(fragment))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + "/" + path);
  }

  private static HttpRequest.Builder req(String path, String apiKey) {
    return ItSupport.request(uri(path), apiKey);
  }

  private static HttpRequest.Builder get(String path, String apiKey) {
    return req(path, apiKey).GET();
  }

  private static HttpRequest.Builder post(String path, String apiKey, String json) {
    return req(path, apiKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, int expected) {
    HttpResponse<String> r = ItSupport.send(request);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
    return r;
  }

  private static String key(String admin, String role) {
    return (String)
        json(send(
                post(
                    "v1/api-keys",
                    admin,
                    "{\"role\":\""
                        + role
                        + "\",\"name\":\""
                        + role
                        + "-"
                        + UUID.randomUUID().toString().substring(0, 4)
                        + "\"}"),
                201))
            .get("key");
  }

  /** Sends raw bytes, answers what came back until the server closed (at most 64 KiB). */
  private static String rawRequest(String head) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] answer = in.readNBytes(64 * 1024);
      return new String(answer, StandardCharsets.UTF_8);
    }
  }
}
