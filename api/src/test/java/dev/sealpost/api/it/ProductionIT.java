package dev.sealpost.api.it;

import static dev.sealpost.api.it.ItSupport.assertProblem;
import static dev.sealpost.api.it.ItSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.api.infrastructure.blobs.S3ProxyServer;
import dev.sealpost.api.infrastructure.keys.LocalKmsProtocolServer;
import dev.sealpost.envelope.EnvelopeOpener;
import dev.sealpost.envelope.LinkKek;
import dev.sealpost.envelope.LinkSecret;
import dev.sealpost.envelope.OpenedEnvelope;
import dev.sealpost.envelope.RecipientKey;
import dev.sealpost.envelope.TrustedKeys;
import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scale-out, for real: TWO Payara Micro processes share one PostgreSQL schema, one S3-compatible
 * bucket (s3proxy, in this JVM) and one KMS (the local KMS-protocol server, in this JVM), and the
 * tests check that what must be exact stays exact across them: each serves the other's envelopes,
 * open counts and attempt limits hold under races spread over both, idempotency creates one
 * envelope, both notification relays together mail each link once, only ciphertext reaches the
 * bucket, and both expiry sweepers together shred an expired envelope exactly once.
 *
 * <p>Not an Arquillian test: Arquillian manages one container per class, and this needs two. The
 * processes are started as run.sh starts the server ({@code java -jar payara-micro.jar --deploy ...
 * --contextroot / --nocluster}), with the ITs' JVM flags ({@code payara.cmdOptions}) and the
 * production parts chosen by environment variables only, as in a container. Their output goes to
 * {@code target/production-it/<run>/<a|b>/server.log}.
 *
 * <p>PostgreSQL only: the whole point is a database shared by two processes, which the embedded H2
 * file database (one process, {@code AUTO_SERVER=FALSE}) is not. In Failsafe's {@code it-h2}
 * execution the class skips itself through a JUnit assumption rather than a pom exclusion, so it
 * also skips cleanly when run by hand without PostgreSQL.
 */
@SuppressWarnings("unchecked")
class ProductionIT {
  private static final String BUCKET = "sealpost-prod-it";
  private static final String REGION = "us-east-1";
  private static final String FALLBACK_BOOTSTRAP_KEY =
      "sp_prod-it-bootstrap-admin-key-0123456789abcdefghijklmn";
  private static final Duration SWEEP = Duration.ofSeconds(2);
  private static final String SECRET = "blue-harbour-42";
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * A fresh client (connection pool) per test: Payara closes connections idle for 30 s, and the JDK
   * client does not retry a POST that it wrote to such a connection ("header parser received no
   * bytes"), so a pool left over from an earlier test's 40-wide race must not be reused.
   */
  private static volatile HttpClient http = newClient();

  private static S3ProxyServer s3;
  private static LocalKmsProtocolServer kms;
  private static String schema;
  private static ServerProcess a;
  private static ServerProcess b;
  private static Tenant tenant;
  private static WebhookReceiver receiver;

  record Tenant(String id, String sender, String auditor, String admin) {}

  record Link(String envelopeId, String recipientId, String secret) {
    String token() {
      return LinkSecret.fromBase64Url(secret).tokenBase64Url();
    }
  }

  // ---- the two servers ----

  @BeforeAll
  static void startTwoServers() throws Exception {
    assumeTrue(
        "postgresql".equals(ItSupport.database()) && System.getenv("SEALPOST_DB_URL") != null,
        "ProductionIT needs a PostgreSQL database that two server processes can share");
    s3 = S3ProxyServer.start(BUCKET);
    kms = LocalKmsProtocolServer.start();
    String keyId = kms.createSymmetricKey("sealpost-data");
    schema = "prod_" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);

    String run = java.time.LocalDateTime.now().toString().replaceAll("[^0-9]", "").substring(0, 14);
    Path dir = Path.of("target", "production-it", run).toAbsolutePath();
    Files.createDirectories(dir);
    // The packaged war plus the test-only resource that moves an envelope's expiry into the past.
    Path war = dir.resolve("api.war");
    ItSupport.war()
        .addClass(ConsumerItResource.class)
        .as(ZipExporter.class)
        .exportTo(war.toFile(), true);

    Map<String, String> shared = new LinkedHashMap<>();
    shared.put("SEALPOST_DB_SCHEMA", schema);
    shared.put("SEALPOST_BLOBS", "s3");
    shared.put("SEALPOST_S3_BUCKET", BUCKET);
    shared.put("SEALPOST_S3_ENDPOINT", s3.endpoint().toString());
    shared.put("SEALPOST_S3_PATH_STYLE", "true");
    shared.put("SEALPOST_S3_REGION", REGION);
    shared.put("SEALPOST_KEYS", "aws-kms");
    shared.put("SEALPOST_KMS_KEY_ID", keyId);
    // no SEALPOST_KMS_SIGNING_KEY_ID: each tenant's signing key is a KMS key of its own (issue 13)
    shared.put("SEALPOST_KMS_ENDPOINT", kms.endpoint().toString());
    shared.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
    shared.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
    shared.put("AWS_REGION", REGION);
    shared.put("AWS_EC2_METADATA_DISABLED", "true");
    shared.put("SEALPOST_BOOTSTRAP_ADMIN_KEY", bootstrapKey());
    shared.put("SEALPOST_EXPIRY_SWEEP_INTERVAL", SWEEP.toString());
    shared.put("SEALPOST_MAIL", "outbox");
    // Every one of the 20 racing opens per instance gets a connection at once and queues on the
    // recipient's row lock, where the exactness is decided. With the default 10 the rest would wait
    // for the pool behind two shared-secret hashes (~3 s each on these C1-only JVMs) and could hit
    // the pool's 10 s timeout on a loaded machine: a test artefact, not what this class checks.
    shared.put("SEALPOST_DB_POOL_SIZE", "24");
    // A process without a working application must end, so a failed start is seen at once.
    shared.put("SEALPOST_EXIT_ON_START_FAILURE", "true");
    // Webhooks (issue 17): an HTTPS receiver on 127.0.0.1 whose self-signed certificate the
    // servers trust through a trust store given to their JVMs; retries a second apart.
    receiver = WebhookReceiver.start(dir.resolve("webhook-receiver"));
    shared.put("JAVA_TOOL_OPTIONS", receiver.javaToolOptions());
    shared.put("SEALPOST_WEBHOOKS_ALLOW_LOOPBACK", "true");
    shared.put("SEALPOST_WEBHOOKS_RETRY_BASE_DELAY", "PT1S");

    // Both at once: the slow part, and it also races their first start (migrations, bootstrap).
    a = ServerProcess.launch("a", dir, war, shared);
    b = ServerProcess.launch("b", dir, war, shared);
    a.awaitReady(http);
    b.awaitReady(http);
    tenant = newTenant(a);
  }

  private static String bootstrapKey() {
    return ItSupport.BOOTSTRAP_KEY != null ? ItSupport.BOOTSTRAP_KEY : FALLBACK_BOOTSTRAP_KEY;
  }

  @AfterAll
  static void stopEverything() throws Exception {
    ServerProcess.stopAll(a, b);
    if (receiver != null) {
      receiver.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (kms != null) {
      kms.close();
    }
    if (schema != null) {
      // The PostgreSQL test database outlives the build: leave nothing behind.
      try (Connection c =
              DriverManager.getConnection(
                  System.getenv("SEALPOST_DB_URL"),
                  System.getenv("SEALPOST_DB_USER"),
                  System.getenv("SEALPOST_DB_PASSWORD"));
          Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @BeforeEach
  void freshConnections() {
    http = newClient();
  }

  private static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
    HttpResponse<String> response;
    try {
      response = http.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("request failed: " + e, e);
    }
    ContractCheck.exchange(built, response);
    return response;
  }

  private static HttpResponse<String> get(URI uri, String apiKey) {
    return send(ItSupport.request(uri, apiKey).GET());
  }

  private static HttpResponse<String> postJson(URI uri, String apiKey, String json) {
    return send(
        ItSupport.request(uri, apiKey)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  // ---- webhooks ----

  /**
   * Issue 17: with both instances' relays running, each open is delivered exactly once per
   * webhook-id to a healthy endpoint, signed (checked with javax.crypto.Mac in the receiver), and
   * an endpoint that answers 500 twice gets the same webhook-id a third time, then it is DELIVERED
   * with 3 attempts; no body carries the message, the email or the shared secret.
   */
  @Test
  void webhooks_eachOpenDeliveredOncePerWebhookId_acrossBothInstances_signed_andRetried()
      throws Exception {
    Tenant t = newTenant(b);
    receiver.failFirst("/flaky", 2);
    String ok = createWebhook(a, t, "/ok");
    String flaky = createWebhook(b, t, "/flaky");
    String canary = "canary-" + UUID.randomUUID();
    String email = canary + "@example.com";
    int opens = 2;
    Set<String> envelopes = new HashSet<>();
    for (int i = 0; i < opens; i++) {
      ServerProcess sealer = i % 2 == 0 ? a : b;
      HttpResponse<String> r =
          postJson(
              sealer.api("envelopes"),
              t.sender(),
              sealBody("message " + canary, null, null, true, email, false));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      Link l = linkOf(json(r));
      envelopes.add(l.envelopeId());
      assertThat(verify(i % 2 == 0 ? b : a, l, SECRET).statusCode()).isEqualTo(200);
    }

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while ((receiver.received("/ok").size() < opens || delivered(a, t, flaky) < opens)
        && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    Thread.sleep(2_000); // both relays keep polling: no late duplicate may arrive
    List<WebhookReceiver.Received> okHits = receiver.received("/ok");
    assertThat(okHits).allMatch(WebhookReceiver.Received::verified).hasSize(opens);
    assertThat(okHits.stream().map(WebhookReceiver.Received::id).distinct()).hasSize(opens);
    Set<String> seen = new HashSet<>();
    for (WebhookReceiver.Received r : okHits) {
      Map<String, Object> body = JSONObjectUtils.parse(r.body());
      assertThat(body).containsEntry("type", "envelope.opened");
      seen.add((String) ((Map<String, Object>) body.get("data")).get("envelopeId"));
      assertThat(r.body()).doesNotContain(canary, SECRET, "example.com");
    }
    assertThat(seen).isEqualTo(envelopes);

    List<WebhookReceiver.Received> flakyHits = receiver.received("/flaky");
    assertThat(flakyHits).allMatch(WebhookReceiver.Received::verified).hasSize(opens * 3);
    Map<String, List<Integer>> answersById = new LinkedHashMap<>();
    flakyHits.forEach(
        r -> answersById.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r.answered()));
    assertThat(answersById).hasSize(opens);
    assertThat(answersById.values()).allMatch(v -> v.equals(List.of(500, 500, 204)));
    List<Map<String, Object>> items = deliveries(a, t, flaky);
    assertThat(items)
        .hasSize(opens)
        .allSatisfy(
            d -> {
              assertThat(d).containsEntry("status", "DELIVERED").containsEntry("attempts", 3L);
              assertThat(d).containsEntry("lastStatus", 204L).containsEntry("nextAttemptAt", null);
            });
    assertThat(deliveries(b, t, ok)).allMatch(d -> Long.valueOf(1).equals(d.get("attempts")));
  }

  /**
   * Issue 17: a secure reply uploaded to either instance raises {@code reply.received} exactly once
   * per webhook-id, delivered by whichever relay claims it, signed, with ids only (the reply's
   * message, a canary, is in no body).
   */
  @Test
  void replyReceived_deliveredOncePerWebhookId_acrossBothInstances_withIdsOnly() throws Exception {
    Tenant t = newTenant(a);
    String jwks = ReplyUploads.publicJwks(ReplyUploads.replyKey("reply-" + UUID.randomUUID()));
    HttpResponse<String> put =
        send(
            ItSupport.request(b.api("tenant/reply-keys"), t.admin())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(jwks)));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    createWebhook(b, t, "/replies", "reply.received");
    String canary = "reply-canary-" + UUID.randomUUID();
    int replies = 4;
    Map<String, String> expected = new LinkedHashMap<>(); // replyId -> envelopeId
    for (int i = 0; i < replies; i++) {
      ServerProcess sealer = i % 2 == 0 ? a : b;
      HttpResponse<String> r =
          postJson(
              sealer.api("envelopes"),
              t.sender(),
              sealBody("message", null, null, true, "r" + i + "@example.com", false));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      Link l = linkOf(json(r));
      HttpResponse<String> v = verify(i % 2 == 0 ? b : a, l, SECRET);
      assertThat(v.statusCode()).as(v.body()).isEqualTo(200);
      ReplyUploads.Reply reply =
          ReplyUploads.seal(
              l.envelopeId(), l.recipientId(), jwks, canary, Map.of("a.bin", new byte[100_000]));
      HttpResponse<String> up =
          send(
              ReplyUploads.request(
                  sealer.api("open/" + l.envelopeId() + "/" + l.recipientId() + "/replies"),
                  (String) json(v).get("accessToken"),
                  reply.parts()));
      assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
      expected.put(reply.replyId(), l.envelopeId());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (receiver.received("/replies").size() < replies && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    Thread.sleep(2_000); // both relays keep polling: no late duplicate may arrive
    List<WebhookReceiver.Received> hits = receiver.received("/replies");
    assertThat(hits).allMatch(WebhookReceiver.Received::verified).hasSize(replies);
    assertThat(hits.stream().map(WebhookReceiver.Received::id).distinct()).hasSize(replies);
    Map<String, String> seen = new LinkedHashMap<>();
    for (WebhookReceiver.Received h : hits) {
      Map<String, Object> body = JSONObjectUtils.parse(h.body());
      assertThat(body).containsEntry("type", "reply.received");
      Map<String, Object> data = (Map<String, Object>) body.get("data");
      assertThat(data).containsOnlyKeys("envelopeId", "recipientId", "replyId");
      seen.put((String) data.get("replyId"), (String) data.get("envelopeId"));
      assertThat(h.body()).doesNotContain(canary, "example.com");
    }
    assertThat(seen).isEqualTo(expected);
  }

  private static String createWebhook(ServerProcess s, Tenant t, String path) {
    return createWebhook(s, t, path, "envelope.opened");
  }

  private static String createWebhook(ServerProcess s, Tenant t, String path, String event) {
    HttpResponse<String> r =
        postJson(
            s.api("webhooks"),
            t.admin(),
            "{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"" + event + "\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    receiver.acceptSecret(path, (String) json(r).get("secret"));
    return (String) json(r).get("id");
  }

  private static List<Map<String, Object>> deliveries(ServerProcess s, Tenant t, String webhook) {
    HttpResponse<String> r = get(s.api("webhooks/" + webhook + "/deliveries"), t.admin());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return (List<Map<String, Object>>) json(r).get("items");
  }

  private static long delivered(ServerProcess s, Tenant t, String webhook) {
    return deliveries(s, t, webhook).stream()
        .filter(d -> "DELIVERED".equals(d.get("status")))
        .count();
  }

  // ---- helpers ----

  private static Tenant newTenant(ServerProcess s) {
    String name = "p-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> r =
        postJson(s.api("tenants"), bootstrapKey(), "{\"name\":\"" + name + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    Map<String, Object> t = json(r);
    String admin = (String) t.get("adminKey");
    return new Tenant(
        (String) t.get("id"), key(s, admin, "SENDER"), key(s, admin, "AUDITOR"), admin);
  }

  private static String key(ServerProcess s, String admin, String role) {
    HttpResponse<String> r =
        postJson(s.api("api-keys"), admin, "{\"role\":\"" + role + "\",\"name\":\"" + role + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return (String) json(r).get("key");
  }

  /**
   * A create body for one consumer. {@code SHARED_SECRET} where a test opens the envelope; else
   * {@code EMAIL_OTP} (no mail with notify false): the secret's slow hash costs seconds per seal on
   * the test servers' C1-only JVMs.
   */
  private static String sealBody(
      String message, byte[] attachment, Integer maxOpens, boolean sharedSecret) {
    return sealBody(
        message,
        attachment,
        maxOpens,
        sharedSecret,
        "c-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com",
        false);
  }

  private static String sealBody(
      String message,
      byte[] attachment,
      Integer maxOpens,
      boolean sharedSecret,
      String email,
      boolean notify) {
    Map<String, Object> recipient = new LinkedHashMap<>();
    recipient.put("type", "consumer");
    recipient.put("email", email);
    recipient.put(
        "verification",
        sharedSecret
            ? Map.of("method", "SHARED_SECRET", "secret", SECRET)
            : Map.of("method", "EMAIL_OTP"));
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("expiresIn", "P7D");
    if (maxOpens != null) {
      policy.put("maxOpens", maxOpens);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subject", "Your policy documents");
    body.put("message", message);
    body.put("recipients", List.of(recipient));
    body.put("policy", policy);
    body.put("notify", notify);
    if (attachment != null) {
      body.put(
          "attachments",
          List.of(
              Map.of(
                  "name",
                  "policy.pdf",
                  "contentType",
                  "application/pdf",
                  "data",
                  Base64.getEncoder().encodeToString(attachment))));
    }
    return JSONObjectUtils.toJSONString(body);
  }

  /** Seals on {@code s} for one SHARED_SECRET consumer; answers its link. */
  private static Link seal(ServerProcess s, String message, byte[] attachment, Integer maxOpens) {
    return seal(s, message, attachment, maxOpens, true);
  }

  private static Link seal(
      ServerProcess s, String message, byte[] attachment, Integer maxOpens, boolean sharedSecret) {
    HttpResponse<String> r =
        postJson(
            s.api("envelopes"),
            tenant.sender(),
            sealBody(message, attachment, maxOpens, sharedSecret));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return linkOf(json(r));
  }

  private static Link linkOf(Map<String, Object> created) {
    String url =
        (String) ((List<Map<String, Object>>) created.get("recipients")).get(0).get("link");
    // {publicBaseUrl}/v/{envelopeId}/{recipientId}#{linkSecret}
    String[] parts = url.substring(url.indexOf("/v/") + 3).split("[/#]");
    assertThat(parts[0]).isEqualTo(created.get("id"));
    return new Link(parts[0], parts[1], parts[2]);
  }

  private static HttpResponse<String> verify(ServerProcess s, Link l, String secret) {
    return postJson(
        s.api("open/" + l.envelopeId() + "/" + l.recipientId() + "/verify"),
        null,
        JSONObjectUtils.toJSONString(Map.of("token", l.token(), "secret", secret)));
  }

  private static HttpResponse<String> verifyCode(ServerProcess s, Link l, String code) {
    return postJson(
        s.api("open/" + l.envelopeId() + "/" + l.recipientId() + "/verify"),
        null,
        JSONObjectUtils.toJSONString(Map.of("token", l.token(), "code", code)));
  }

  private static HttpResponse<byte[]> getBytes(URI uri, String bearer) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + bearer)
            .timeout(Duration.ofSeconds(30))
            .build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    ContractCheck.exchangeWithoutBody(request, response);
    return response;
  }

  private static String recipientStatus(ServerProcess s, String envelopeId) {
    HttpResponse<String> r = get(s.api("envelopes/" + envelopeId), tenant.sender());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return String.valueOf(
        ((List<Map<String, Object>>) json(r).get("recipients")).get(0).get("status"));
  }

  /** The auditor's events of one type, for one envelope (or the whole tenant when null). */
  private static List<Map<String, Object>> events(ServerProcess s, String envelopeId, String type) {
    List<Map<String, Object>> all = new ArrayList<>();
    String cursor = null;
    do {
      String q =
          "audit/events?limit=100&type="
              + type
              + (envelopeId == null ? "" : "&envelope=" + envelopeId)
              + (cursor == null ? "" : "&cursor=" + cursor);
      HttpResponse<String> r = get(s.api(q), tenant.auditor());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      Map<String, Object> page = json(r);
      all.addAll((List<Map<String, Object>>) page.get("items"));
      cursor = (String) page.get("nextCursor");
    } while (cursor != null);
    return all;
  }

  private static void assertAuditChainOk(ServerProcess s) {
    HttpResponse<String> r = get(s.api("audit/verify"), tenant.auditor());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r)).as("audit/verify on " + s).containsEntry("ok", true);
  }

  /** Runs every call at the same moment (one thread each); answers their results in order. */
  private static <T> List<T> together(List<Callable<T>> calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.size());
    try {
      CountDownLatch ready = new CountDownLatch(calls.size());
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> c : calls) {
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return c.call();
                }));
      }
      ready.await(30, TimeUnit.SECONDS);
      go.countDown();
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(120, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every object in the bucket under {@code prefix} (all when empty), with its bytes. */
  private static Map<String, byte[]> objects(String prefix) throws IOException {
    BlobStore store = s3.backend();
    Map<String, byte[]> out = new LinkedHashMap<>();
    ListContainerOptions options = ListContainerOptions.Builder.recursive();
    if (!prefix.isEmpty()) {
      options = options.prefix(prefix);
    }
    String marker = null;
    do {
      ListContainerOptions page = marker == null ? options : options.afterMarker(marker);
      var list = store.list(BUCKET, page);
      for (StorageMetadata m : list) {
        if (m.getType() != StorageType.BLOB) {
          continue;
        }
        var blob = store.getBlob(BUCKET, m.getName());
        if (blob == null) {
          continue; // deleted meanwhile
        }
        try (InputStream in = blob.getPayload().openStream()) {
          out.put(m.getName(), in.readAllBytes());
        }
      }
      marker = list.getNextMarker();
    } while (marker != null);
    return out;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  // ---- the tests ----

  @Test
  void eachInstance_servesTheOthersEnvelopes_andTheBytesDecrypt() throws Exception {
    for (ServerProcess[] pair : new ServerProcess[][] {{a, b}, {b, a}}) {
      ServerProcess sealer = pair[0];
      ServerProcess reader = pair[1];
      byte[] attachment = new byte[200_000];
      RANDOM.nextBytes(attachment);
      String message = "sealed on " + sealer + ", read on " + reader + " " + UUID.randomUUID();
      String email = "r-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
      // EMAIL_OTP (the code lands in the reader's outbox): no slow secret hash to wait for.
      HttpResponse<String> created =
          postJson(
              sealer.api("envelopes"),
              tenant.sender(),
              sealBody(message, attachment, null, false, email, false));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      Link l = linkOf(json(created));

      assertThat(recipientStatus(reader, l.envelopeId())).isEqualTo("pending");
      Mail codeMail = challenge(reader, l, email);
      assertThat(codeMail.server()).isEqualTo(reader);
      HttpResponse<String> ok = verifyCode(reader, l, code(codeMail));
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      Map<String, Object> v = json(ok);
      String access = (String) v.get("accessToken");

      HttpResponse<byte[]> manifest =
          getBytes(reader.api("open/" + l.envelopeId() + "/manifest"), access);
      assertThat(manifest.statusCode()).isEqualTo(200);
      LinkKek kek =
          LinkKek.derive(
              Base64.getUrlDecoder().decode((String) v.get("serverShare")),
              LinkSecret.fromBase64Url(l.secret()).linkShare(),
              l.envelopeId());
      String jwks = get(reader.root(".well-known/jwks.json"), null).body();
      OpenedEnvelope opened =
          EnvelopeOpener.builder()
              .trust(TrustedKeys.fromJwksJson(jwks))
              .requireSignerOfManifestTenant()
              .build()
              .open(
                  new String(manifest.body(), StandardCharsets.UTF_8),
                  RecipientKey.link(l.recipientId(), kek),
                  l.envelopeId());
      assertThat(opened.manifest().message()).isEqualTo(message);
      assertThat(opened.manifest().tenant()).isEqualTo(tenant.id());
      String attachmentId = opened.manifest().attachments().get(0).id();

      HttpResponse<byte[]> ciphertext =
          getBytes(reader.api("open/" + l.envelopeId() + "/attachments/" + attachmentId), access);
      assertThat(ciphertext.statusCode()).isEqualTo(200);
      try (InputStream plain =
          opened.openAttachment(attachmentId, new ByteArrayInputStream(ciphertext.body()))) {
        assertThat(plain.readAllBytes()).isEqualTo(attachment);
      }
      // The sealing instance sees the open recorded by the other one.
      assertThat(recipientStatus(sealer, l.envelopeId())).isEqualTo("opened");
    }
  }

  @Test
  void eachTenant_hasItsOwnKmsSigningKeyInTheJwks_andRotationKeepsTheOldKidOnBothInstances()
      throws Exception {
    HttpResponse<String> created =
        postJson(
            b.api("tenants"),
            bootstrapKey(),
            "{\"name\":\"k-" + UUID.randomUUID().toString().substring(0, 8) + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String other = (String) json(created).get("id");
    String otherAdmin = (String) json(created).get("adminKey");

    com.nimbusds.jose.jwk.JWKSet jwks =
        com.nimbusds.jose.jwk.JWKSet.parse(get(a.root(".well-known/jwks.json"), null).body());
    var mine = (com.nimbusds.jose.jwk.ECKey) jwks.getKeyByKeyId(tenant.id() + ".1");
    var theirs = (com.nimbusds.jose.jwk.ECKey) jwks.getKeyByKeyId(other + ".1");
    assertThat(mine).isNotNull();
    assertThat(theirs).isNotNull();
    assertThat(mine.toECPublicKey()).isNotEqualTo(theirs.toECPublicKey());
    // over the whole JWKS: no public key is published under two tenants' kids
    Map<String, String> tenantOfKey = new LinkedHashMap<>();
    for (var k : jwks.getKeys()) {
      String owner = k.getKeyID().substring(0, k.getKeyID().lastIndexOf('.'));
      String previous = tenantOfKey.putIfAbsent(k.computeThumbprint().toString(), owner);
      assertThat(previous).as(k.getKeyID()).isIn(null, owner);
    }
    assertThat(kms.aliasTarget("alias/sealpost/tenant/" + tenant.id())).isNotNull();
    assertThat(kms.aliasTarget("alias/sealpost/tenant/" + other))
        .isNotNull()
        .isNotEqualTo(kms.aliasTarget("alias/sealpost/tenant/" + tenant.id()));

    HttpResponse<String> rotated = postJson(b.api("tenant/signing-keys/rotate"), otherAdmin, "");
    assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
    assertThat(json(rotated))
        .containsEntry("kid", other + ".2")
        .containsEntry("previousKid", other + ".1");
    com.nimbusds.jose.jwk.JWKSet after =
        com.nimbusds.jose.jwk.JWKSet.parse(get(a.root(".well-known/jwks.json"), null).body());
    assertThat(after.getKeyByKeyId(other + ".1").toJSONString()).isEqualTo(theirs.toJSONString());
    var next = (com.nimbusds.jose.jwk.ECKey) after.getKeyByKeyId(other + ".2");
    assertThat(next.toECPublicKey()).isNotEqualTo(theirs.toECPublicKey());
  }

  @Test
  void fortyConcurrentOpens_ofAMaxOpensTwoEnvelope_overBothInstances_openExactlyTwice()
      throws Exception {
    Link l = seal(a, "race " + UUID.randomUUID(), null, 2);
    List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ServerProcess s = i % 2 == 0 ? a : b;
      calls.add(() -> verify(s, l, SECRET));
    }
    List<HttpResponse<String>> answers = together(calls);

    List<HttpResponse<String>> opened =
        answers.stream().filter(r -> r.statusCode() == 200).toList();
    assertThat(opened).as(summary(answers)).hasSize(2);
    for (HttpResponse<String> r : answers) {
      if (r.statusCode() != 200) {
        assertProblem(r, 410, "open-limit");
      }
    }
    assertThat(events(a, l.envelopeId(), "ENVELOPE_OPENED")).hasSize(2);
    assertThat(events(b, l.envelopeId(), "ENVELOPE_OPENED")).hasSize(2);
    assertAuditChainOk(a);
    assertAuditChainOk(b);
  }

  private static String summary(List<HttpResponse<String>> answers) {
    Map<Integer, Integer> byStatus = new java.util.TreeMap<>();
    answers.forEach(r -> byStatus.merge(r.statusCode(), 1, Integer::sum));
    return "answers by status: " + byStatus;
  }

  @Test
  void idempotencyKey_raceOverBothInstances_createsOneEnvelope_andAnotherBodyIs422()
      throws Exception {
    String key = "prod-it-" + UUID.randomUUID();
    String body = sealBody("idempotent " + UUID.randomUUID(), null, null, false);
    int before = events(a, null, "ENVELOPE_CREATED").size();
    List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ServerProcess s = i % 2 == 0 ? a : b;
      calls.add(() -> createWithKey(s, key, body));
    }
    List<HttpResponse<String>> answers = together(calls);

    Set<String> ids = new HashSet<>();
    int fresh = 0;
    for (HttpResponse<String> r : answers) {
      if (r.statusCode() == 201) {
        ids.add((String) json(r).get("id"));
        if (r.headers().firstValue("Idempotent-Replayed").isEmpty()) {
          fresh++;
        }
      } else {
        // the documented answer while the first request is still being sealed
        assertProblem(r, 409, "conflict");
      }
    }
    assertThat(fresh).as(summary(answers)).isEqualTo(1);
    assertThat(ids).as(summary(answers)).hasSizeLessThanOrEqualTo(1);

    // Once done, both instances replay the same envelope; another body with the key is refused.
    for (ServerProcess s : List.of(a, b)) {
      HttpResponse<String> replay = createWithKey(s, key, body);
      assertThat(replay.statusCode()).as(replay.body()).isEqualTo(201);
      assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
      ids.add((String) json(replay).get("id"));
      assertProblem(
          createWithKey(s, key, sealBody("another body " + UUID.randomUUID(), null, null, false)),
          422,
          "invalid-field");
    }
    assertThat(ids).hasSize(1);
    assertThat(events(b, null, "ENVELOPE_CREATED")).hasSize(before + 1);
  }

  private static HttpResponse<String> createWithKey(ServerProcess s, String key, String body) {
    return send(
        ItSupport.request(s.api("envelopes"), tenant.sender())
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  @Test
  void aKeyRevokedOnOneInstance_isRefusedByTheOther_onTheNextRequest() {
    String name = "r-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> created =
        postJson(a.api("tenants"), bootstrapKey(), "{\"name\":\"" + name + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String admin = (String) json(created).get("adminKey");
    HttpResponse<String> made =
        postJson(a.api("api-keys"), admin, "{\"role\":\"SENDER\",\"name\":\"rotating\"}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    String sender = (String) json(made).get("key");
    String id = (String) json(made).get("id");
    assertThat(get(b.api("envelopes"), sender).statusCode()).isEqualTo(200);

    HttpResponse<String> revoked =
        send(
            HttpRequest.newBuilder(a.api("api-keys/" + id))
                .header("Authorization", "Bearer " + admin)
                .DELETE());
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(204);
    // The very next request, on the other instance: no instance caches a key.
    assertProblem(get(b.api("envelopes"), sender), 401, "unauthorized");
    assertThat(get(b.api("api-keys"), admin).statusCode()).isEqualTo(200);
  }

  @Test
  void wrongAnswers_alternatingOverBothInstances_lockAfterExactlyFive() {
    Link l = seal(b, "lockout " + UUID.randomUUID(), null, null);
    for (int i = 1; i <= 4; i++) {
      ServerProcess s = i % 2 == 1 ? a : b;
      Map<String, Object> p = assertProblem(verify(s, l, "wrong-" + i), 401, "wrong-secret");
      assertThat(p).as("attempt " + i + " on " + s).containsEntry("remainingAttempts", 5L - i);
    }
    assertProblem(verify(a, l, "wrong-5"), 423, "locked");
    assertProblem(verify(b, l, SECRET), 423, "locked");
    assertProblem(verify(a, l, SECRET), 423, "locked");
    assertThat(recipientStatus(a, l.envelopeId())).isEqualTo("locked");
    assertThat(events(b, l.envelopeId(), "VERIFY_FAILED")).hasSize(5);
    assertThat(events(a, l.envelopeId(), "RECIPIENT_LOCKED")).hasSize(1);
    assertThat(events(a, l.envelopeId(), "ENVELOPE_OPENED")).isEmpty();
  }

  @Test
  void onlyCiphertext_landsInTheBucket() throws Exception {
    String canary = "CANARY-" + UUID.randomUUID();
    byte[] attachment =
        (canary + " attachment " + canary + "\n").repeat(2000).getBytes(StandardCharsets.UTF_8);
    Link onA = seal(a, "Dear customer, " + canary, attachment, null, false);
    Link onB = seal(b, "Dear customer, " + canary, attachment, null, false);

    Map<String, byte[]> all = objects("");
    String prefixA = tenant.id() + "/" + onA.envelopeId() + "/";
    String prefixB = tenant.id() + "/" + onB.envelopeId() + "/";
    // Manifest and attachment of each envelope really are in the bucket, and only there.
    assertThat(all.keySet().stream().filter(k -> k.startsWith(prefixA))).hasSize(2);
    assertThat(all.keySet().stream().filter(k -> k.startsWith(prefixB))).hasSize(2);
    List<byte[]> needles = new ArrayList<>();
    needles.add(canary.getBytes(StandardCharsets.UTF_8));
    for (Function<byte[], String> enc :
        List.<Function<byte[], String>>of(
            x -> Base64.getEncoder().encodeToString(x),
            x -> Base64.getUrlEncoder().encodeToString(x))) {
      needles.addAll(base64Needles(canary, enc));
    }
    List<String> hits = new ArrayList<>();
    for (Map.Entry<String, byte[]> o : all.entrySet()) {
      for (byte[] n : needles) {
        if (ItSupport.containsBytes(o.getValue(), n)) {
          hits.add(o.getKey() + " holds " + new String(n, StandardCharsets.US_ASCII));
        }
      }
    }
    assertThat(hits).isEmpty();
    // With blobs in S3 nothing of the content touches either instance's disk.
    for (ServerProcess s : List.of(a, b)) {
      try (Stream<Path> files = Files.walk(s.dataDir())) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          if (f.toString().endsWith(".jar") || f.toString().endsWith(".war")) {
            continue;
          }
          byte[] content;
          try {
            content = Files.readAllBytes(f);
          } catch (IOException e) {
            continue; // gone meanwhile
          }
          assertThat(ItSupport.containsBytes(content, needles.get(0)))
              .as("canary in " + f)
              .isFalse();
        }
      }
    }
  }

  /**
   * Base64 of the canary at each of the three byte alignments it could have inside a larger buffer:
   * only the characters that do not depend on the neighbouring bytes.
   */
  private static List<byte[]> base64Needles(String canary, Function<byte[], String> encoder) {
    List<byte[]> out = new ArrayList<>();
    byte[] c = canary.getBytes(StandardCharsets.UTF_8);
    for (int pad = 0; pad < 3; pad++) {
      byte[] padded = new byte[pad + c.length];
      System.arraycopy(c, 0, padded, pad, c.length);
      String enc = encoder.apply(padded);
      int start = pad == 0 ? 0 : 4; // the first group mixes filler bytes in
      int end = (padded.length / 3) * 4; // only complete groups
      out.add(enc.substring(start, end).getBytes(StandardCharsets.US_ASCII));
    }
    return out;
  }

  @Test
  void expiredEnvelopes_areRefusedEverywhere_andBothSweepersShredEachExactlyOnce()
      throws Exception {
    byte[] attachment = new byte[100_000];
    RANDOM.nextBytes(attachment);
    List<Link> links = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      links.add(seal(i % 2 == 0 ? a : b, "expiring " + UUID.randomUUID(), attachment, null, false));
    }
    for (Link l : links) {
      assertThat(objects(tenant.id() + "/" + l.envelopeId() + "/")).hasSize(2);
    }
    // All six expire at once, so both instances' sweepers find the same batch.
    for (int i = 0; i < links.size(); i++) {
      ServerProcess s = i % 2 == 0 ? b : a;
      HttpResponse<String> r =
          postJson(s.api("it-consumer/expire/" + links.get(i).envelopeId()), null, "");
      assertThat(r.body()).isEqualTo("1");
    }
    // Refused at once on both, whether or not a sweep ran yet.
    for (Link l : links) {
      assertProblem(verifyCode(a, l, "000000"), 410, "expired");
      assertProblem(verifyCode(b, l, "000000"), 410, "expired");
    }

    long deadline = System.nanoTime() + SWEEP.multipliedBy(10).toNanos();
    for (Link l : links) {
      while (events(a, l.envelopeId(), "KEYS_SHREDDED").isEmpty()
          || !objects(tenant.id() + "/" + l.envelopeId() + "/").isEmpty()) {
        assertThat(System.nanoTime()).as("shredded within 10 sweep intervals").isLessThan(deadline);
        sleep(Duration.ofMillis(250));
      }
    }
    sleep(SWEEP.multipliedBy(2)); // both sweepers run again: nothing more may happen
    for (Link l : links) {
      assertThat(events(b, l.envelopeId(), "KEYS_SHREDDED")).hasSize(1);
      assertThat(events(b, l.envelopeId(), "ENVELOPE_EXPIRED")).hasSize(1);
      assertThat(objects(tenant.id() + "/" + l.envelopeId() + "/")).isEmpty();
      assertProblem(verifyCode(a, l, "000000"), 410, "expired");
      assertProblem(verifyCode(b, l, "000000"), 410, "expired");
    }
    assertAuditChainOk(a);
    assertAuditChainOk(b);
  }

  @Test
  void notifications_areMailedExactlyOnceByEitherInstance_andTheMailedLinkOpensOnTheOther()
      throws Exception {
    Map<String, String> envelopeByEmail = new LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      String email = "n" + i + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
      HttpResponse<String> r =
          postJson(
              (i % 2 == 0 ? a : b).api("envelopes"),
              tenant.sender(),
              sealBody("notified " + UUID.randomUUID(), null, null, false, email, true));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      envelopeByEmail.put(email, (String) json(r).get("id"));
    }
    // Both relays poll the one outbox table every second.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (envelopeByEmail.keySet().stream().anyMatch(e -> mailsTo(e).isEmpty())) {
      assertThat(System.nanoTime())
          .as("every notification mailed within 60 s")
          .isLessThan(deadline);
      sleep(Duration.ofMillis(250));
    }
    sleep(Duration.ofSeconds(3)); // a few more passes of both relays: nothing may be sent again
    for (Map.Entry<String, String> e : envelopeByEmail.entrySet()) {
      assertThat(mailsTo(e.getKey())).as("mails to " + e.getKey()).hasSize(1);
      assertThat(events(a, e.getValue(), "NOTIFICATION_SENT")).hasSize(1);
      assertThat(recipientStatus(b, e.getValue())).isEqualTo("notified");
    }

    // The mailed link opens through the other instance; its code lands in that one's outbox.
    String email = envelopeByEmail.keySet().iterator().next();
    Mail notification = mailsTo(email).get(0);
    ServerProcess other = notification.server() == a ? b : a;
    Link l = parseLink(notification.text());
    assertThat(l.envelopeId()).isEqualTo(envelopeByEmail.get(email));
    Mail codeMail = challenge(other, l, email);
    assertThat(codeMail.server()).isEqualTo(other);
    assertThat(mailsTo(email)).hasSize(2);
    HttpResponse<String> ok = verifyCode(other, l, code(codeMail));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
  }

  /**
   * Starts EMAIL_OTP on {@code s}; answers the code mail it wrote (synchronously) to {@code to}.
   */
  private static Mail challenge(ServerProcess s, Link l, String to) {
    Set<Path> before = new HashSet<>();
    mailsTo(to).forEach(m -> before.add(m.file()));
    HttpResponse<String> c =
        postJson(
            s.api("open/" + l.envelopeId() + "/" + l.recipientId() + "/challenge"),
            null,
            JSONObjectUtils.toJSONString(Map.of("token", l.token())));
    assertThat(c.statusCode()).as(c.body()).isEqualTo(200);
    List<Mail> fresh = mailsTo(to).stream().filter(m -> !before.contains(m.file())).toList();
    assertThat(fresh).as("one code mail").hasSize(1);
    return fresh.get(0);
  }

  private static String code(Mail m) {
    Matcher code = Pattern.compile("(?m)^\\s*([0-9]{6})\\s*$").matcher(m.text());
    assertThat(code.find()).as("a code in the mail").isTrue();
    return code.group(1);
  }

  /** One {@code .eml} file in an instance's outbox ({@code <data-dir>/outbox}). */
  record Mail(ServerProcess server, Path file, List<String> to, String text) {}

  private static List<Mail> mailsTo(String email) {
    List<Mail> out = new ArrayList<>();
    for (ServerProcess s : List.of(a, b)) {
      Path outbox = s.dataDir().resolve("outbox");
      if (!Files.isDirectory(outbox)) {
        continue;
      }
      try (Stream<Path> files = Files.list(outbox)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".eml")).sorted().toList()) {
          Mail m = readMail(s, f);
          if (m.to().contains(email)) {
            out.add(m);
          }
        }
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  private static Mail readMail(ServerProcess s, Path f) {
    try (InputStream in = Files.newInputStream(f)) {
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), in);
      List<String> to = new ArrayList<>();
      for (Address addr : m.getAllRecipients()) {
        to.add(((InternetAddress) addr).getAddress());
      }
      Object content = m.getContent();
      String text =
          content instanceof MimeMultipart mp
              ? String.valueOf(mp.getBodyPart(0).getContent())
              : String.valueOf(content);
      return new Mail(s, f, to, text);
    } catch (Exception e) {
      throw new AssertionError("unreadable mail " + f, e);
    }
  }

  private static Link parseLink(String text) {
    Matcher m =
        Pattern.compile("/v/([0-9a-f-]{36})/([0-9a-f-]{36})#([A-Za-z0-9_-]{43})").matcher(text);
    assertThat(m.find()).as("a link in the mail").isTrue();
    return new Link(m.group(1), m.group(2), m.group(3));
  }
}
