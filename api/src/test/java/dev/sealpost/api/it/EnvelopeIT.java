package dev.sealpost.api.it;

import static dev.sealpost.api.it.ItSupport.BOOTSTRAP_KEY;
import static dev.sealpost.api.it.ItSupport.assertProblem;
import static dev.sealpost.api.it.ItSupport.get;
import static dev.sealpost.api.it.ItSupport.json;
import static dev.sealpost.api.it.ItSupport.patchJson;
import static dev.sealpost.api.it.ItSupport.postJson;
import static dev.sealpost.api.it.ItSupport.request;
import static dev.sealpost.api.it.ItSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.envelope.LinkSecret;
import dev.sealpost.envelope.OpenedReply;
import dev.sealpost.envelope.RecipientKey;
import dev.sealpost.envelope.ReplyOpener;
import dev.sealpost.envelope.ReplyReceipt;
import dev.sealpost.envelope.TrustedKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sender API over HTTP (issue 3): create (JSON and streamed multipart, up to 100 MB under a
 * small server heap), status, list, revoke and crypto-shred, Idempotency-Key, the clear-text guard,
 * auth, tenancy and malformed input, and canaries proving no plaintext or link secret at rest or in
 * logs. On the run's shared server ({@link SharedServer}).
 */
@SuppressWarnings("unchecked")
class EnvelopeIT {
  private static final Instant CLASS_START = Instant.now();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          // HTTP/1.1: a stalled upload on a shared h2c connection must not block other requests.
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** The run's shared server (the packaged war at /): see {@link SharedServer}. */
  final URL base = SharedServer.base();

  private static volatile Tenant tenantA;

  record Tenant(String id, String admin, String sender, String auditor) {}

  private URI api(String path) {
    return URI.create(base.toString()).resolve("v1/" + path);
  }

  private URI root(String path) {
    return URI.create(base.toString()).resolve("/" + path);
  }

  private Tenant tenant() {
    if (tenantA == null) {
      synchronized (EnvelopeIT.class) {
        if (tenantA == null) {
          tenantA = newTenant();
        }
      }
    }
    return tenantA;
  }

  private Tenant newTenant() {
    String name = "e-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> r =
        postJson(
            api("tenants"),
            BOOTSTRAP_KEY,
            "{\"name\":\"" + name + "\",\"displayName\":\"Insurer " + name + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    Map<String, Object> t = json(r);
    String admin = (String) t.get("adminKey");
    return new Tenant((String) t.get("id"), admin, key(admin, "SENDER"), key(admin, "AUDITOR"));
  }

  private String key(String admin, String role) {
    HttpResponse<String> r =
        postJson(
            api("api-keys"),
            admin,
            "{\"role\":\"" + role + "\",\"name\":\"" + role.toLowerCase() + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return (String) json(r).get("key");
  }

  private static String consumerBody(String subject, String message, boolean notify) {
    return "{\"subject\":"
        + quote(subject)
        + ",\"message\":"
        + quote(message)
        + ",\"recipients\":[{\"type\":\"consumer\",\"email\":\"a@example.com\",\"locale\":\"fr\","
        + "\"verification\":{\"method\":\"EMAIL_OTP\"}},"
        + "{\"type\":\"consumer\",\"email\":\"b@example.com\",\"verification\":{\"method\":"
        + "\"SHARED_SECRET\",\"secret\":\"blue-harbour-42\",\"hint\":\"the word we agreed on the phone\"}}],"
        + "\"policy\":{\"expiresIn\":\"P7D\",\"maxOpens\":5},\"notify\":"
        + notify
        + "}";
  }

  private static String quote(String s) {
    return JSONObjectUtils.toJSONString(Map.of("s", s))
        .replaceFirst("^\\{\"s\":", "")
        .replaceFirst("}$", "");
  }

  private Map<String, Object> create(String key, String body) {
    HttpResponse<String> r = postJson(api("envelopes"), key, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r);
  }

  private Path dataDir() {
    return SharedServer.dataDir();
  }

  private Path envelopeBlobs(String tenantId, String envelopeId) {
    return dataDir().resolve("blobs").resolve(tenantId).resolve(envelopeId);
  }

  // ---------------------------------------------------------------- create and status

  @Test
  void createJson_answersIdsAndLinksOnlyWithoutNotify_andStatusShowsRecipients() {
    Tenant t = tenant();
    String attachment =
        Base64.getEncoder().encodeToString("hello policy".getBytes(StandardCharsets.UTF_8));
    String body =
        consumerBody("Your policy documents", "Dear customer, here they are.", false)
            .replaceFirst(
                "}$",
                ",\"attachments\":[{\"name\":\"policy.pdf\",\"contentType\":\"application/pdf\",\"data\":\""
                    + attachment
                    + "\"}]}");
    HttpResponse<String> r = postJson(api("envelopes"), t.sender(), body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().firstValue("Location").orElse("")).contains("/v1/envelopes/");
    Map<String, Object> created = json(r);
    assertThat(created.keySet()).containsExactlyInAnyOrder("id", "recipients");
    String id = (String) created.get("id");
    List<Map<String, Object>> recipients = (List<Map<String, Object>>) created.get("recipients");
    assertThat(recipients).hasSize(2);
    for (Map<String, Object> rec : recipients) {
      assertThat(rec).containsEntry("type", "consumer").containsKeys("id", "email", "link");
      assertThat((String) rec.get("link"))
          .matches("https?://[^/]+/v/" + id + "/" + rec.get("id") + "#[A-Za-z0-9_-]{43}");
    }
    assertThat(recipients.get(0)).containsEntry("email", "a@example.com");

    Map<String, Object> status = json(get(api("envelopes/" + id), t.sender()));
    assertThat(status)
        .containsEntry("id", id)
        .containsEntry("status", "active")
        .containsEntry("notify", false)
        .containsEntry("maxOpens", 5L)
        .containsEntry("attachments", 1L);
    List<Map<String, Object>> rs = (List<Map<String, Object>>) status.get("recipients");
    assertThat(rs).extracting(m -> m.get("status")).containsOnly("pending");
    assertThat(rs)
        .extracting(m -> m.get("verification"))
        .containsExactly("EMAIL_OTP", "SHARED_SECRET");
    assertThat(Instant.parse((String) status.get("expiresAt")))
        .isAfter(Instant.now().plus(Duration.ofDays(6)))
        .isBefore(Instant.now().plus(Duration.ofDays(8)));

    // Ciphertext only at rest: the manifest is a General JSON JWE with one entry per recipient.
    Path dir = envelopeBlobs(t.id(), id);
    assertThat(dir.resolve("manifest.jwe")).exists();
    Map<String, Object> jwe = parse(read(dir.resolve("manifest.jwe")));
    assertThat((List<Object>) jwe.get("recipients")).hasSize(2);
    assertThat(jwe).containsKeys("protected", "iv", "ciphertext", "tag");
  }

  @Test
  void createWithNotify_answersNoLinks() {
    Map<String, Object> created = create(tenant().sender(), consumerBody("Documents", "m", true));
    for (Map<String, Object> rec : (List<Map<String, Object>>) created.get("recipients")) {
      assertThat(rec).doesNotContainKey("link");
    }
  }

  // ---------------------------------------------------------------- multipart, streamed

  /** A multipart body: the envelope JSON part, then one file part of {@code size} bytes. */
  private static HttpRequest.BodyPublisher multipart(
      String boundary,
      String envelopeJson,
      String filename,
      long size,
      byte[] marker,
      InputStream tail) {
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"envelope\"\r\n"
                + "Content-Type: application/json\r\n\r\n"
                + envelopeJson
                + "\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + filename
                + "\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] end = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    return HttpRequest.BodyPublishers.ofInputStream(
        () ->
            new SequenceInputStream(
                Collections.enumeration(
                    List.of(
                        new ByteArrayInputStream(head),
                        new PatternStream(size, marker),
                        tail == null ? InputStream.nullInputStream() : tail,
                        new ByteArrayInputStream(end)))));
  }

  private HttpResponse<String> postMultipart(
      String key, String boundary, HttpRequest.BodyPublisher body, String idempotencyKey) {
    HttpRequest.Builder b =
        request(api("envelopes"), key)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .timeout(Duration.ofMinutes(5))
            .POST(body);
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    HttpRequest request = b.build();
    HttpResponse<String> response;
    try {
      response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("request failed: " + e, e);
    }
    ContractCheck.exchange(request, response);
    return response;
  }

  /**
   * Pseudo-random bytes generated on the fly (never held whole), with an optional marker at 1 MiB.
   */
  static final class PatternStream extends InputStream {
    private final long size;
    private final byte[] block = new byte[65_536];
    private final byte[] marker;
    private long pos;

    PatternStream(long size, byte[] marker) {
      this.size = size;
      this.marker = marker;
      new Random(size).nextBytes(block);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - pos);
      for (int i = 0; i < n; i++) {
        long p = pos + i;
        long m = p - (1 << 20);
        b[off + i] =
            marker != null && m >= 0 && m < marker.length
                ? marker[(int) m]
                : block[(int) (p % block.length)];
      }
      pos += n;
      return n;
    }
  }

  @Test
  void multipart20MB_isStreamedIntoOneAttachment() throws IOException {
    Tenant t = tenant();
    long size = 20L * 1024 * 1024;
    String boundary = "b" + UUID.randomUUID();
    HttpResponse<String> r =
        postMultipart(
            t.sender(),
            boundary,
            multipart(
                boundary,
                consumerBody("Claim documents", "see attached", true),
                "claim.pdf",
                size,
                null,
                null),
            null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    OpenApiContract.assertResponseMatches(
        "POST", "/v1/envelopes", 201, "application/json", r.body());
    String id = (String) json(r).get("id");
    Map<String, Object> status = json(get(api("envelopes/" + id), t.sender()));
    assertThat(status).containsEntry("attachments", 1L);
    // Ciphertext = 8-byte header + plaintext + a 16-byte tag per 64 KiB chunk.
    try (Stream<Path> files = Files.list(envelopeBlobs(t.id(), id))) {
      List<Path> attachments = files.filter(p -> !p.endsWith("manifest.jwe")).toList();
      assertThat(attachments).hasSize(1);
      assertThat(Files.size(attachments.get(0))).isEqualTo(8 + size + 16 * (size / 65_536));
    }
  }

  @Test
  void multipart100MB_sealsUnderASmallServerHeap() {
    Tenant t = tenant();
    long maxHeap = serverMaxHeap();
    long size = 100L * 1024 * 1024;
    assertThat(maxHeap)
        .as("the IT server runs with a small heap (api/pom.xml it.server.jvm)")
        .isLessThanOrEqualTo(300L * 1024 * 1024);
    String boundary = "b" + UUID.randomUUID();
    long t0 = System.nanoTime();
    HttpResponse<String> r =
        postMultipart(
            t.sender(),
            boundary,
            multipart(
                boundary, consumerBody("Large file", "m", true), "scan.tiff", size, null, null),
            null);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    System.out.println(
        "EnvelopeIT: 100 MiB multipart sealed in "
            + ms
            + " ms with a server heap of at most "
            + maxHeap / (1024 * 1024)
            + " MiB");
    assertThat(serverUsedHeap()).isLessThan(maxHeap);
  }

  @Test
  void overTheEnvelopeLimit_is413_andLeavesNothingBehind() {
    // api/pom.xml sets sealpost.envelope.max-bytes to 120 MiB for the ITs.
    Tenant t = newTenant();
    String boundary = "b" + UUID.randomUUID();
    HttpResponse<String> r =
        postMultipart(
            t.sender(),
            boundary,
            multipart(
                boundary, consumerBody("Too big", "m", true), "big.bin", 121L << 20, null, null),
            "too-big");
    assertProblem(r, 413, "payload-too-large");
    assertThat(blobsIn(dataDir().resolve("blobs").resolve(t.id()))).isEmpty();
    assertThat((List<Object>) json(get(api("envelopes"), t.sender())).get("items")).isEmpty();
    // The failed request released its Idempotency-Key: a (small) retry with it runs.
    HttpResponse<String> retry =
        send(
            request(api("envelopes"), t.sender())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "too-big")
                .POST(HttpRequest.BodyPublishers.ofString(consumerBody("Smaller", "m", true))));
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    // A JSON body over 16 MiB is refused too (large files go multipart).
    String huge = "{\"subject\":\"s\",\"message\":\"" + "x".repeat(17 << 20) + "\"}";
    assertProblem(postJson(api("envelopes"), t.sender(), huge), 413, "payload-too-large");
  }

  private long serverMaxHeap() {
    return metric("memory_maxHeap_bytes");
  }

  private long serverUsedHeap() {
    return metric("memory_usedHeap_bytes");
  }

  private long metric(String name) {
    HttpResponse<String> r = get(root("metrics"), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body()
        .lines()
        .filter(l -> l.startsWith(name) || l.startsWith("base_" + name))
        .filter(l -> !l.contains("mp_scope") || l.contains("mp_scope=\"base\""))
        .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in /metrics"));
  }

  @Test
  void metrics_countSealedEnvelopesAndSealLatency() {
    create(tenant().sender(), consumerBody("Metrics", "m", true));
    String metrics = get(root("metrics"), null).body();
    assertThat(metrics)
        .contains("sealpost_envelopes_sealed_total")
        .contains("sealpost_envelopes_seal_latency");
  }

  // ---------------------------------------------------------------- list

  @Test
  void list_isNewestFirst_withAnOpaqueCursor() {
    Tenant t = newTenant();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add((String) create(t.sender(), consumerBody("Item " + i, "m", true)).get("id"));
    }
    HttpResponse<String> first = get(api("envelopes?limit=2"), t.sender());
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    OpenApiContract.assertResponseMatches(
        "GET", "/v1/envelopes", 200, "application/json", first.body());
    Map<String, Object> page1 = json(first);
    List<Map<String, Object>> items1 = (List<Map<String, Object>>) page1.get("items");
    assertThat(items1).extracting(m -> m.get("id")).containsExactly(ids.get(2), ids.get(1));
    String cursor = (String) page1.get("nextCursor");
    assertThat(cursor).isNotBlank();
    Map<String, Object> page2 = json(get(api("envelopes?limit=2&cursor=" + cursor), t.sender()));
    assertThat((List<Map<String, Object>>) page2.get("items"))
        .extracting(m -> m.get("id"))
        .containsExactly(ids.get(0));
    assertThat(page2.get("nextCursor")).isNull();
    assertProblem(get(api("envelopes?cursor=bm90LWEtY3Vyc29y"), t.sender()), 422, "invalid-field");
    assertProblem(get(api("envelopes?limit=1000"), t.sender()), 422, "invalid-field");
  }

  // ---------------------------------------------------------------- revoke

  @Test
  void revoke_shredsKeysDeletesBlobs_andIsIdempotent() {
    Tenant t = tenant();
    String attachment = Base64.getEncoder().encodeToString(new byte[5000]);
    Map<String, Object> created =
        create(
            t.sender(),
            consumerBody("To revoke", "m", false)
                .replaceFirst(
                    "}$",
                    ",\"attachments\":[{\"name\":\"a.bin\",\"data\":\"" + attachment + "\"}]}"));
    String id = (String) created.get("id");
    Path dir = envelopeBlobs(t.id(), id);
    assertThat(dir.resolve("manifest.jwe")).exists();

    HttpResponse<String> r = send(request(api("envelopes/" + id), t.sender()).DELETE());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    OpenApiContract.assertResponseMatches(
        "DELETE", "/v1/envelopes/{id}", 200, "application/json", r.body());
    Map<String, Object> revoked = json(r);
    assertThat(revoked).containsEntry("status", "revoked").containsKeys("revokedAt", "shreddedAt");
    assertThat(blobsIn(dir)).isEmpty();

    Map<String, Object> status = json(get(api("envelopes/" + id), t.sender()));
    assertThat(status)
        .containsEntry("status", "revoked")
        .containsEntry("revokedAt", revoked.get("revokedAt"));
    HttpResponse<String> again = send(request(api("envelopes/" + id), t.sender()).DELETE());
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again))
        .containsEntry("status", "revoked")
        .containsEntry("revokedAt", revoked.get("revokedAt"));
  }

  private static List<Path> blobsIn(Path dir) {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  // ---------------------------------------------------------------- idempotency

  @Test
  void idempotencyKey_sameBodySameAnswer_otherBody422() {
    Tenant t = tenant();
    String key = "idem-" + UUID.randomUUID();
    String body = consumerBody("Idempotent", "m", false);
    HttpResponse<String> first = send(withKey(t.sender(), key, body));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    HttpResponse<String> second = send(withKey(t.sender(), key, body));
    assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.headers().firstValue("Idempotent-Replayed")).contains("true");

    Map<String, Object> p =
        assertProblem(
            send(withKey(t.sender(), key, body.replace("Idempotent", "Other"))),
            422,
            "invalid-field");
    assertThat(p).containsEntry("field", "Idempotency-Key");
    // Scoped per API key: another key may reuse the string.
    String otherSender = key(t.admin(), "SENDER");
    HttpResponse<String> other = send(withKey(otherSender, key, body));
    assertThat(other.statusCode()).isEqualTo(201);
    assertThat(json(other).get("id")).isNotEqualTo(json(first).get("id"));
  }

  private HttpRequest.Builder withKey(String apiKey, String idempotencyKey, String body) {
    return request(api("envelopes"), apiKey)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  @Test
  void idempotencyKey_concurrentDuplicateWhileFirstInFlight_is409() throws Exception {
    Tenant t = tenant();
    String key = "idem-" + UUID.randomUUID();
    String boundary = "b" + UUID.randomUUID();
    String envelope = consumerBody("Slow upload", "m", true);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    // The first request sends 16 MiB, then stalls until released: the server is reading it.
    InputStream stall =
        new InputStream() {
          @Override
          public int read() throws IOException {
            try {
              release.await();
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
            return -1;
          }
        };
    CompletableFuture<HttpResponse<String>> first =
        CompletableFuture.supplyAsync(
            () ->
                postMultipart(
                    t.sender(),
                    boundary,
                    multipart(boundary, envelope, "a.pdf", 16L << 20, null, stall),
                    key));
    try {
      Thread.sleep(3000);
      HttpResponse<String> dup =
          postMultipart(
              t.sender(), boundary, multipart(boundary, envelope, "a.pdf", 1024L, null, null), key);
      assertProblem(dup, 409, "conflict");
    } finally {
      release.countDown();
    }
    HttpResponse<String> r = first.get(3, java.util.concurrent.TimeUnit.MINUTES);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    // Done now: the same multipart again replays the first answer.
    HttpResponse<String> replay =
        postMultipart(
            t.sender(),
            "other" + boundary,
            multipart("other" + boundary, envelope, "a.pdf", 16L << 20, null, null),
            key);
    assertThat(replay.statusCode()).isEqualTo(201);
    assertThat(replay.body()).isEqualTo(r.body());
  }

  // ---------------------------------------------------------------- clear-text guard and input
  // errors

  @Test
  void ssnInSubject_is422NamingSubject() {
    Map<String, Object> p =
        assertProblem(
            postJson(
                api("envelopes"),
                tenant().sender(),
                consumerBody("SSN 123-45-6789 documents", "m", true)),
            422,
            "invalid-field");
    assertThat(p).containsEntry("field", "subject");
    assertThat((String) p.get("detail")).doesNotContain("6789");
    OpenApiContract.assertResponseMatches(
        "POST", "/v1/envelopes", 422, "application/problem+json", JSONObjectUtils.toJSONString(p));
  }

  @Test
  void personalDataInHint_is422NamingTheHint_andLineBreaksAre400() {
    String sender = tenant().sender();
    Map<String, Object> p =
        assertProblem(
            postJson(
                api("envelopes"),
                sender,
                consumerBody("Documents", "m", true)
                    .replace("the word we agreed on the phone", "your DOB 04/12/1975")),
            422,
            "invalid-field");
    assertThat(p).containsEntry("field", "recipients[1].verification.hint");
    Map<String, Object> crlf =
        assertProblem(
            postJson(
                api("envelopes"),
                sender,
                consumerBody("Documents\r\nBcc: x@evil.example", "m", true)),
            400,
            "invalid-field");
    assertThat(crlf).containsEntry("field", "subject");
    Map<String, Object> email =
        assertProblem(
            postJson(
                api("envelopes"),
                sender,
                consumerBody("Documents", "m", true)
                    .replace("a@example.com", "a@example.com\\nBcc: x@evil.example")),
            400,
            "invalid-field");
    assertThat(email).containsEntry("field", "recipients[0].email");
  }

  @Test
  void verificationNone_isRefusedUnlessTheTenantAllowsIt_andUnknownPartnerIs422() {
    String sender = tenant().sender();
    String none = consumerBody("Documents", "m", true).replaceFirst("EMAIL_OTP", "NONE");
    assertThat(assertProblem(postJson(api("envelopes"), sender, none), 422, "invalid-field"))
        .containsEntry("field", "recipients[0].verification.method");
    String partner =
        "{\"subject\":\"s\",\"message\":\"m\",\"recipients\":[{\"type\":\"partner\",\"partnerId\":\""
            + UUID.randomUUID()
            + "\"}]}";
    assertThat(assertProblem(postJson(api("envelopes"), sender, partner), 422, "invalid-field"))
        .containsEntry("field", "recipients[0].partnerId");
    assertThat(
            assertProblem(
                postJson(
                    api("envelopes"),
                    sender,
                    consumerBody("s", "m", true).replace("P7D", "P9999D")),
                422,
                "invalid-field"))
        .containsEntry("field", "policy.expiresIn");
  }

  /**
   * Issue 12, finding 6: lifetimes are held to {@code sealpost.envelope.max-expiry} (default P2Y).
   * A tenant ADMIN can no longer set absurd maxima, and no envelope lives past the ceiling.
   */
  @Test
  void expiries_beyondTheServerCeiling_areRefusedNamingTheField() {
    Tenant t = newTenant();
    for (String absurd : List.of("P36500D", "PT2562047788015215H", "P731D", "-P1D", "PT0S")) {
      assertThat(
              assertProblem(
                  patchJson(api("tenant"), t.admin(), "{\"maxExpiry\":\"" + absurd + "\"}"),
                  422,
                  "invalid-field"))
          .as(absurd)
          .containsEntry("field", "maxExpiry");
    }
    assertThat(
            assertProblem(
                patchJson(api("tenant"), t.admin(), "{\"defaultExpiry\":\"P36500D\"}"),
                422,
                "invalid-field"))
        .containsEntry("field", "defaultExpiry");
    HttpResponse<String> atCeiling =
        patchJson(api("tenant"), t.admin(), "{\"maxExpiry\":\"P730D\"}");
    assertThat(atCeiling.statusCode()).as(atCeiling.body()).isEqualTo(200);
    assertThat(json(get(api("tenant"), t.admin()))).containsEntry("maxExpiry", "P730D");

    for (String tooLong : List.of("P731D", "P3650D", "PT2562047788015215H")) {
      assertThat(
              assertProblem(
                  postJson(
                      api("envelopes"),
                      t.sender(),
                      consumerBody("s", "m", false).replace("P7D", tooLong)),
                  422,
                  "invalid-field"))
          .as(tooLong)
          .containsEntry("field", "policy.expiresIn");
    }
    HttpResponse<String> sealed =
        postJson(
            api("envelopes"), t.sender(), consumerBody("s", "m", false).replace("P7D", "P730D"));
    assertThat(sealed.statusCode()).as(sealed.body()).isEqualTo(201);
  }

  @Test
  void malformedInput_isProblemJson() {
    String sender = tenant().sender();
    assertProblem(postJson(api("envelopes"), sender, "{\"subject\":"), 400, "malformed-json");
    assertProblem(
        postJson(api("envelopes"), sender, "{\"subject\":\"s\",\"recipients\":\"x\"}"),
        400,
        "malformed-json");
    assertThat(
            assertProblem(
                postJson(api("envelopes"), sender, "{\"subject\":\"s\",\"message\":\"m\"}"),
                422,
                "invalid-field"))
        .containsEntry("field", "recipients");
    assertProblem(
        send(
            request(api("envelopes"), sender)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))),
        415,
        "unsupported-media-type");
    HttpResponse<String> noBoundary =
        send(
            request(api("envelopes"), sender)
                .header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("x")));
    assertProblem(noBoundary, 400, "bad-request");
    assertProblem(get(api("envelopes/not-an-id"), sender), 404, "not-found");
  }

  // ---------------------------------------------------------------- auth and tenancy

  @Test
  void authAndRoles_401WithoutKey_403ForOtherRoles() {
    Tenant t = tenant();
    String body = consumerBody("Documents", "m", true);
    OpenApiContract.assertRequestMatches("POST", "/v1/envelopes", "application/json", body);
    assertProblem(postJson(api("envelopes"), null, body), 401, "unauthorized");
    assertProblem(postJson(api("envelopes"), "sp_unknown", body), 401, "unauthorized");
    HttpResponse<String> auditor = postJson(api("envelopes"), t.auditor(), body);
    assertProblem(auditor, 403, "forbidden");
    OpenApiContract.assertResponseMatches(
        "POST", "/v1/envelopes", 403, "application/problem+json", auditor.body());
    assertProblem(postJson(api("envelopes"), t.admin(), body), 403, "forbidden");
    assertProblem(get(api("envelopes"), t.auditor()), 403, "forbidden");
  }

  @Test
  void anotherTenantsEnvelope_is404_andNotListed() {
    String id = (String) create(tenant().sender(), consumerBody("Tenant A", "m", true)).get("id");
    Tenant b = newTenant();
    HttpResponse<String> r = get(api("envelopes/" + id), b.sender());
    assertProblem(r, 404, "not-found");
    OpenApiContract.assertResponseMatches(
        "GET", "/v1/envelopes/{id}", 404, "application/problem+json", r.body());
    assertProblem(send(request(api("envelopes/" + id), b.sender()).DELETE()), 404, "not-found");
    assertThat(get(api("envelopes"), b.sender()).body()).doesNotContain(id);
    assertThat(json(get(api("envelopes/" + id), tenant().sender())))
        .containsEntry("status", "active");
  }

  // ---------------------------------------------------------------- openapi.yaml

  @Test
  void servedOpenApi_isTheCuratedOpenapiYaml_byteForByte() throws IOException {
    // The application's own path (run.sh deploys it at /; the ITs under a context root).
    HttpResponse<String> served = get(URI.create(base.toString()).resolve("openapi"), null);
    assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/yaml");
    assertThat(served.body()).isEqualTo(Files.readString(OpenApiContract.locate()));
    // Not Payara's annotation scan: the release version, and an operationId it would never choose.
    assertThat(OpenApiContract.parseYaml(served.body()).path("info").path("version").asString())
        .isEqualTo("0.2.0");
    assertThat(served.body()).contains("operationId: partnerInbox", "openapi: 3.1.0");
  }

  // ---------------------------------------------------------------- secure replies (issue 17)

  private static final String REPLY_SECRET = "blue-harbour-42";

  /** A tenant with reply keys (the private key kept here, as the tenant would). */
  private record ReplyTenant(Tenant t, ECKey replyKey, String jwks) {}

  /** A consumer who opened: its ids, the access token and the verify answer. */
  private record Opened(
      String envelopeId, String recipientId, String accessToken, Map<String, Object> verify) {}

  private ReplyTenant replyTenant() {
    Tenant t = newTenant();
    ECKey key = ReplyUploads.replyKey("reply-" + UUID.randomUUID());
    HttpResponse<String> put =
        send(
            request(api("tenant/reply-keys"), t.admin())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(ReplyUploads.publicJwks(key))));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    return new ReplyTenant(t, key, put.body());
  }

  /** Seals for {@code n} SHARED_SECRET consumers (links answered) with {@code policy} members. */
  private Map<String, Object> sealForReply(Tenant t, int n, String policyExtra) {
    StringBuilder recipients = new StringBuilder();
    for (int i = 0; i < n; i++) {
      recipients
          .append(i == 0 ? "" : ",")
          .append("{\"type\":\"consumer\",\"email\":\"r")
          .append(i)
          .append("@example.com\",\"verification\":{\"method\":\"SHARED_SECRET\",\"secret\":\"")
          .append(REPLY_SECRET)
          .append("\"}}");
    }
    return create(
        t.sender(),
        "{\"subject\":\"Claim form\",\"message\":\"Please send the form back\",\"recipients\":["
            + recipients
            + "],\"policy\":{\"expiresIn\":\"P7D\""
            + policyExtra
            + "},\"notify\":false}");
  }

  private Opened open(Map<String, Object> created, int i) {
    String link =
        (String) ((List<Map<String, Object>>) created.get("recipients")).get(i).get("link");
    String[] p = link.substring(link.indexOf("/v/") + 3).split("[/#]");
    HttpResponse<String> v =
        postJson(
            api("open/" + p[0] + "/" + p[1] + "/verify"),
            null,
            JSONObjectUtils.toJSONString(
                Map.of(
                    "token",
                    LinkSecret.fromBase64Url(p[2]).tokenBase64Url(),
                    "secret",
                    REPLY_SECRET)));
    assertThat(v.statusCode()).as(v.body()).isEqualTo(200);
    return new Opened(p[0], p[1], (String) json(v).get("accessToken"), json(v));
  }

  private HttpResponse<String> upload(Opened o, String token, List<ReplyUploads.Part> parts) {
    return send(
        ReplyUploads.request(
            api("open/" + o.envelopeId() + "/" + o.recipientId() + "/replies"), token, parts));
  }

  private static String sha256(byte[] b) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private HttpResponse<byte[]> getBytes(URI uri, String key) {
    HttpRequest r = request(uri, key).timeout(Duration.ofSeconds(30)).GET().build();
    try {
      HttpResponse<byte[]> a = HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray());
      ContractCheck.exchangeWithoutBody(r, a);
      return a;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private List<Path> replyBlobs(String tenantId) {
    return blobsIn(dataDir().resolve("blobs").resolve(tenantId).resolve("replies"));
  }

  @Test
  void reply_roundTrip_offerUploadReceiptListFetch_openedWithTheTenantKey_andOnlyCiphertextStored()
      throws Exception {
    ReplyTenant rt = replyTenant();
    assertThat(json(get(api("tenant/reply-keys"), rt.t().admin())).get("keys")).asList().hasSize(1);
    Map<String, Object> created = sealForReply(rt.t(), 1, "");
    String envelopeId = (String) created.get("id");
    assertThat(
            (Map<String, Object>)
                json(get(api("envelopes/" + envelopeId), rt.t().sender())).get("policy"))
        .containsEntry("allowReply", true);
    Opened o = open(created, 0);
    Map<String, Object> offer = (Map<String, Object>) o.verify().get("reply");
    assertThat(offer).containsEntry("remaining", 5L).containsEntry("maxBytes", 16_777_216L);
    String offeredKeys = JSONObjectUtils.toJSONString((Map<String, Object>) offer.get("keys"));

    String canary = "REPLY-CANARY-" + UUID.randomUUID();
    byte[] file = ("my bank details " + canary).repeat(2000).getBytes(StandardCharsets.UTF_8);
    ReplyUploads.Reply reply =
        ReplyUploads.seal(
            envelopeId,
            o.recipientId(),
            offeredKeys,
            "Here is the form " + canary,
            Map.of("form.pdf", file));
    HttpResponse<String> r = upload(o, o.accessToken(), reply.parts());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().firstValue("Location").orElse(""))
        .endsWith("/v1/envelopes/" + envelopeId + "/replies/" + reply.replyId());
    String receiptJws = (String) json(r).get("receipt");

    // The receipt verifies against the published JWKS and binds exactly the bytes uploaded.
    TrustedKeys trusted =
        TrustedKeys.fromJwksJson(
            get(URI.create(base.toString()).resolve(".well-known/jwks.json"), null).body());
    ReplyReceipt receipt = ReplyReceipt.verify(receiptJws, trusted);
    receipt.checkFor(envelopeId, reply.replyId());
    assertThat(receipt.recipientId()).isEqualTo(o.recipientId());
    assertThat(receipt.tenant()).isEqualTo(rt.t().id());
    assertThat(receipt.manifest().size()).isEqualTo(reply.manifest().length);
    assertThat(Base64.getUrlEncoder().withoutPadding().encodeToString(receipt.manifest().sha256()))
        .isEqualTo(sha256(reply.manifest()));
    String attachmentId = reply.attachmentIds().get(0);
    assertThat(receipt.attachments()).hasSize(1);
    assertThat(receipt.attachment(attachmentId).orElseThrow().size())
        .isEqualTo(reply.attachments().get(0).length);
    assertThat(
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(receipt.attachment(attachmentId).orElseThrow().sha256()))
        .isEqualTo(sha256(reply.attachments().get(0)));

    // The sender lists and fetches it: byte for byte what was uploaded; REPLY_FETCHED audited.
    HttpResponse<String> list = get(api("envelopes/" + envelopeId + "/replies"), rt.t().sender());
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    List<Map<String, Object>> replies = (List<Map<String, Object>>) json(list).get("replies");
    assertThat(replies).hasSize(1);
    assertThat(replies.get(0))
        .containsEntry("replyId", reply.replyId())
        .containsEntry("recipientId", o.recipientId())
        .containsEntry("receipt", receiptJws)
        .containsEntry("manifestSize", (long) reply.manifest().length);
    HttpResponse<byte[]> manifest =
        getBytes(
            api("envelopes/" + envelopeId + "/replies/" + reply.replyId() + "/manifest"),
            rt.t().sender());
    assertThat(manifest.statusCode()).isEqualTo(200);
    assertThat(manifest.body()).isEqualTo(reply.manifest());
    HttpResponse<byte[]> object =
        getBytes(
            api(
                "envelopes/"
                    + envelopeId
                    + "/replies/"
                    + reply.replyId()
                    + "/attachments/"
                    + attachmentId),
            rt.t().sender());
    assertThat(object.statusCode()).isEqualTo(200);
    assertThat(object.body()).isEqualTo(reply.attachments().get(0));

    // The tenant's private reply key opens what the server stored, after checking the receipt.
    OpenedReply opened =
        ReplyOpener.builder()
            .trust(trusted)
            .build()
            .open(
                receiptJws,
                manifest.body(),
                RecipientKey.privateJwk(rt.replyKey()),
                envelopeId,
                reply.replyId());
    assertThat(opened.manifest().message()).isEqualTo("Here is the form " + canary);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    opened.openAttachment(attachmentId, new ByteArrayInputStream(object.body()), plain);
    assertThat(plain.toByteArray()).isEqualTo(file);

    // Audited: REPLY_SENT by the recipient (ids and counts only), REPLY_FETCHED by the sender.
    List<Map<String, Object>> sent =
        (List<Map<String, Object>>)
            json(get(api("audit/events?type=REPLY_SENT&envelope=" + envelopeId), rt.t().auditor()))
                .get("items");
    assertThat(sent).hasSize(1);
    assertThat(ItSupport.withoutRequestId(sent.get(0).get("detail")))
        .isEqualTo(
            "reply: "
                + reply.replyId()
                + "; attachments: 1; bytes: "
                + (reply.manifest().length + reply.attachments().get(0).length));
    assertThat(
            (List<Object>)
                json(get(
                        api("audit/events?type=REPLY_FETCHED&envelope=" + envelopeId),
                        rt.t().auditor()))
                    .get("items"))
        .hasSize(1);
    // One fewer reply left; the offer says so.
    assertThat((Map<String, Object>) open(created, 0).verify().get("reply"))
        .containsEntry("remaining", 4L);

    // Only ciphertext reached the server: the canary is in no file and no log line.
    assertThat(filesContaining(dataDir(), canary.getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(
            filesContaining(
                Path.of(System.getProperty("java.io.tmpdir")),
                canary.getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
    assertThat(ServerOutput.captured()).doesNotContain(canary);
  }

  @Test
  void reply_limitIsExact_underConcurrentUploads_andTheSixthIs409_withNothingLeftOver()
      throws Exception {
    ReplyTenant rt = replyTenant();
    Map<String, Object> created = sealForReply(rt.t(), 1, "");
    Opened o = open(created, 0);
    int n = 9;
    List<CompletableFuture<HttpResponse<String>>> racing = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ReplyUploads.Reply r =
          ReplyUploads.seal(
              o.envelopeId(),
              o.recipientId(),
              rt.jwks(),
              "reply " + i,
              Map.of("a.bin", new byte[70_000]));
      racing.add(CompletableFuture.supplyAsync(() -> upload(o, o.accessToken(), r.parts())));
    }
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : racing) {
      HttpResponse<String> r = f.get();
      statuses.add(r.statusCode());
      if (r.statusCode() == 409) {
        assertProblem(r, 409, "reply-limit");
      }
    }
    assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
    assertThat(statuses).filteredOn(s -> s == 409).hasSize(n - 5);
    List<Map<String, Object>> replies =
        (List<Map<String, Object>>)
            json(get(api("envelopes/" + o.envelopeId() + "/replies"), rt.t().sender()))
                .get("replies");
    assertThat(replies).hasSize(5);
    // The refused uploads left no object: 5 replies of a manifest and one attachment each.
    assertThat(replyBlobs(rt.t().id())).hasSize(10);
    ReplyUploads.Reply sixth =
        ReplyUploads.seal(o.envelopeId(), o.recipientId(), rt.jwks(), "one more", Map.of());
    assertProblem(upload(o, o.accessToken(), sixth.parts()), 409, "reply-limit");
    assertThat(open(created, 0).verify().get("reply"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("remaining", 0L);
    assertThat(replyBlobs(rt.t().id())).hasSize(10);
  }

  @Test
  void reply_bodyCutShortByTheClient_is400_notAStorageFault_andLeavesNothing() throws Exception {
    // A client that declares more bytes than it sends and half-closes mid-attachment: the server's
    // read of the request fails (Grizzly: EOFException). That is the client's fault, a 400
    // (ReplyUploadPartsTest), not the store's: it was answered 503 storage-unavailable and logged
    // as a storage outage ("storage unavailable: reply write failed: EOFException"). Grizzly closes
    // the connection on the client's EOF, so no answer reaches this client (and the container
    // counts the answer it could not write as a 500): the server's log is what shows it here.
    ReplyTenant rt = replyTenant();
    Opened o = open(sealForReply(rt.t(), 1, ""), 0);
    RawReply raw = rawReply(rt, o, "cut", 200_000);
    ReplyUploads.Reply r = raw.reply();
    byte[] body = raw.body();
    double answered503 = answers("503");
    String logBefore = ServerOutput.captured();
    String answer;
    try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(raw.head());
      s.getOutputStream().write(body, 0, body.length - 100_000);
      s.getOutputStream().flush();
      s.shutdownOutput();
      answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
    if (!answer.isEmpty()) {
      assertThat(answer).startsWith("HTTP/1.1 400").contains("bad-request");
    }
    // The upload's failure is handled (prefix deleted, answer attempted) before this reads back.
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!ServerOutput.captured().substring(logBefore.length()).contains("EOFException")
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    String log = ServerOutput.captured().substring(logBefore.length());
    assertThat(log).doesNotContain("storage unavailable");
    assertThat(answers("503")).as("503 answers").isEqualTo(answered503);
    assertThat(replyBlobs(rt.t().id())).isEmpty();
    assertThat(
            (List<Object>)
                json(get(api("envelopes/" + o.envelopeId() + "/replies"), rt.t().sender()))
                    .get("replies"))
        .isEmpty();
    assertThat(
            (List<Object>)
                json(get(
                        api("audit/events?type=REPLY_SENT&envelope=" + o.envelopeId()),
                        rt.t().auditor()))
                    .get("items"))
        .isEmpty();
    // The recipient may still reply: the failed upload used up nothing.
    HttpResponse<String> ok = upload(o, o.accessToken(), r.parts());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
  }

  /** A reply with one attachment of {@code size} bytes as a raw HTTP request: head and body. */
  private record RawReply(ReplyUploads.Reply reply, byte[] head, byte[] body) {}

  private RawReply rawReply(ReplyTenant rt, Opened o, String message, int size) {
    ReplyUploads.Reply r =
        ReplyUploads.seal(
            o.envelopeId(), o.recipientId(), rt.jwks(), message, Map.of("a.bin", new byte[size]));
    String boundary = "r" + UUID.randomUUID();
    byte[] body = ReplyUploads.body(boundary, r.parts());
    return new RawReply(
        r, replyHead(o, boundary, body.length).getBytes(StandardCharsets.ISO_8859_1), body);
  }

  /** The request head of a reply upload of {@code length} bytes, on a connection of its own. */
  private String replyHead(Opened o, String boundary, int length) {
    return "POST /v1/open/"
        + o.envelopeId()
        + "/"
        + o.recipientId()
        + "/replies HTTP/1.1\r\nHost: "
        + base.getHost()
        + ":"
        + base.getPort()
        + "\r\nAuthorization: Bearer "
        + o.accessToken()
        + "\r\nContent-Type: multipart/form-data; boundary="
        + boundary
        + "\r\nContent-Length: "
        + length
        + "\r\nConnection: close\r\n\r\n";
  }

  /** {@code sealpost_http_answers_total} for {@code status}, as /metrics shows it now. */
  private double answers(String status) {
    return get(root("metrics"), null)
        .body()
        .lines()
        .filter(l -> l.startsWith("sealpost_http_answers_total{"))
        .filter(l -> l.contains("status=\"" + status + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void reply_receivedIsWhenTheServerAcceptedIt_notWhenTheUploadBegan() throws Exception {
    ReplyTenant rt = replyTenant();
    Opened o = open(sealForReply(rt.t(), 1, ""), 0);
    RawReply raw = rawReply(rt, o, "slow", 1000);
    ReplyUploads.Reply r = raw.reply();
    byte[] body = raw.body();
    long pauseMillis = 3_000;
    Instant before = Instant.now();
    String answer;
    try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(30_000);
      s.setTcpNoDelay(true);
      java.io.OutputStream out = s.getOutputStream();
      out.write(raw.head());
      // All but the attachment's last 200 bytes now, the rest after the pause.
      out.write(body, 0, body.length - 200);
      out.flush();
      Thread.sleep(pauseMillis);
      out.write(body, body.length - 200, 200);
      out.flush();
      answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
    assertThat(answer).startsWith("HTTP/1.1 201");
    Map<String, Object> created =
        JSONObjectUtils.parse(answer.substring(answer.indexOf('{'), answer.lastIndexOf('}') + 1));
    Instant received = Instant.parse((String) created.get("received"));
    // Whole seconds: accepted at least pauseMillis after before, so at least pauseMillis - 1 s.
    assertThat(received).isAfterOrEqualTo(before.plusMillis(pauseMillis - 1_000));
    TrustedKeys trusted =
        TrustedKeys.fromJwksJson(
            get(URI.create(base.toString()).resolve(".well-known/jwks.json"), null).body());
    ReplyReceipt receipt = ReplyReceipt.verify((String) created.get("receipt"), trusted);
    receipt.checkFor(o.envelopeId(), r.replyId());
    assertThat(receipt.received()).isEqualTo(received);
  }

  @Test
  void reply_overTheByteLimit_is413_andLeavesNoObject() {
    // api/pom.xml sets sealpost.reply.max-bytes to 16 MiB for the ITs.
    ReplyTenant rt = replyTenant();
    Opened o = open(sealForReply(rt.t(), 1, ""), 0);
    ReplyUploads.Reply r =
        ReplyUploads.seal(o.envelopeId(), o.recipientId(), rt.jwks(), "big", Map.of());
    String id = ReplyUploads.uuid();
    byte[] big = new byte[17 << 20];
    System.arraycopy("SPA1".getBytes(StandardCharsets.US_ASCII), 0, big, 0, 4);
    List<ReplyUploads.Part> parts =
        List.of(
            new ReplyUploads.Part(
                "reply",
                null,
                "application/json",
                ReplyUploads.replyJson(r.replyId(), List.of(id)).getBytes(StandardCharsets.UTF_8)),
            new ReplyUploads.Part("manifest", null, "application/jose+json", r.manifest()),
            new ReplyUploads.Part("attachment", id, "application/octet-stream", big));
    assertProblem(upload(o, o.accessToken(), parts), 413, "payload-too-large");
    assertThat(replyBlobs(rt.t().id())).isEmpty();
    assertThat(
            (List<Object>)
                json(get(api("envelopes/" + o.envelopeId() + "/replies"), rt.t().sender()))
                    .get("replies"))
        .isEmpty();
  }

  @Test
  void reply_policyAndTenantSetting_decideWhetherRepliesAreOffered() {
    // No reply keys: policy.allowReply true is refused naming it; absent it is false.
    Tenant plain = newTenant();
    Map<String, Object> p =
        assertProblem(
            postJson(
                api("envelopes"),
                plain.sender(),
                "{\"subject\":\"s\",\"message\":\"m\",\"recipients\":[{\"type\":\"consumer\","
                    + "\"email\":\"a@example.com\"}],\"policy\":{\"allowReply\":true}}"),
            422,
            "invalid-field");
    assertThat(p).containsEntry("field", "policy.allowReply");
    Opened none = open(sealForReply(plain, 1, ""), 0);
    assertThat(none.verify()).doesNotContainKey("reply");
    assertThat(
            (Map<String, Object>)
                json(get(api("envelopes/" + none.envelopeId()), plain.sender())).get("policy"))
        .containsEntry("allowReply", false);

    // With reply keys: an envelope sealed with allowReply false offers nothing and refuses (403).
    ReplyTenant rt = replyTenant();
    Opened off = open(sealForReply(rt.t(), 1, ",\"allowReply\":false"), 0);
    assertThat(off.verify()).doesNotContainKey("reply");
    ReplyUploads.Reply r =
        ReplyUploads.seal(off.envelopeId(), off.recipientId(), rt.jwks(), "no", Map.of());
    assertProblem(upload(off, off.accessToken(), r.parts()), 403, "reply-not-allowed");

    // The tenant turns replies off: no offer, 403; on again: offered.
    Map<String, Object> on = sealForReply(rt.t(), 1, ",\"allowReply\":true");
    HttpResponse<String> patched =
        patchJson(api("tenant"), rt.t().admin(), "{\"allowReplies\":false}");
    assertThat(json(patched)).containsEntry("allowReplies", false);
    Opened o = open(on, 0);
    assertThat(o.verify()).doesNotContainKey("reply");
    ReplyUploads.Reply r2 =
        ReplyUploads.seal(o.envelopeId(), o.recipientId(), rt.jwks(), "x", Map.of());
    assertProblem(upload(o, o.accessToken(), r2.parts()), 403, "reply-not-allowed");
    // ... and sealing allowReply true is refused while it is off.
    assertProblem(
        postJson(
            api("envelopes"),
            rt.t().sender(),
            "{\"subject\":\"s\",\"message\":\"m\",\"recipients\":[{\"type\":\"consumer\","
                + "\"email\":\"a@example.com\"}],\"policy\":{\"allowReply\":true}}"),
        422,
        "invalid-field");
    patchJson(api("tenant"), rt.t().admin(), "{\"allowReplies\":true}");
    assertThat(open(on, 0).verify()).containsKey("reply");

    // Removing the keys ends the offer.
    HttpResponse<String> removed =
        send(
            request(api("tenant/reply-keys"), rt.t().admin())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"keys\":[]}")));
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    assertThat((List<Object>) json(removed).get("keys")).isEmpty();
    assertThat(open(on, 0).verify()).doesNotContainKey("reply");
  }

  // ---------------------------------------------------------------- canaries

  @Test
  void canaries_plaintextAndLinkSecret_neverAtRestOrInLogs() throws IOException {
    Tenant t = tenant();
    String canary = "CANARY-" + UUID.randomUUID();
    String attachment =
        Base64.getEncoder().encodeToString(("attached " + canary).getBytes(StandardCharsets.UTF_8));
    Map<String, Object> created =
        create(
            t.sender(),
            consumerBody("Documents", "The secret is " + canary, false)
                .replaceFirst(
                    "}$",
                    ",\"attachments\":[{\"name\":\"c.txt\",\"contentType\":\"text/plain\",\"data\":\""
                        + attachment
                        + "\"}]}"));
    String link =
        (String) ((List<Map<String, Object>>) created.get("recipients")).get(0).get("link");
    String linkSecret = link.substring(link.indexOf('#') + 1);
    // The same canary streamed through the multipart path, with an idempotent (stored) answer.
    String boundary = "b" + UUID.randomUUID();
    HttpResponse<String> mp =
        postMultipart(
            t.sender(),
            boundary,
            multipart(
                boundary,
                consumerBody("Documents", "The secret is " + canary, false),
                "c.bin",
                3L << 20,
                canary.getBytes(StandardCharsets.UTF_8),
                null),
            "canary-" + UUID.randomUUID());
    assertThat(mp.statusCode()).as(mp.body()).isEqualTo(201);
    String link2 =
        (String) ((List<Map<String, Object>>) json(mp).get("recipients")).get(1).get("link");
    String linkSecret2 = link2.substring(link2.indexOf('#') + 1);

    List<Path> roots =
        new ArrayList<>(List.of(dataDir(), Path.of(System.getProperty("java.io.tmpdir"))));
    List<String> needles = List.of(canary, linkSecret, linkSecret2);
    for (Path root : roots) {
      for (String needle : needles) {
        assertThat(filesContaining(root, needle.getBytes(StandardCharsets.UTF_8)))
            .as("files under %s holding a canary", root)
            .isEmpty();
      }
    }
    String log = ServerOutput.captured();
    assertThat(log).as("server output captured").isNotEmpty();
    for (String needle : needles) {
      assertThat(log).doesNotContain(needle);
    }
  }

  /** Files under {@code root} changed since this class started that contain {@code needle}. */
  private static List<Path> filesContaining(Path root, byte[] needle) throws IOException {
    return CanarySearch.filesContaining(root, CLASS_START.minusSeconds(120), needle);
  }

  // ---------------------------------------------------------------- helpers for files

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Map<String, Object> parse(String json) {
    try {
      return JSONObjectUtils.parse(json);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
