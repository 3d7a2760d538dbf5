package dev.sealpost.viewer;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The server side of the viewer, faked on 127.0.0.1 with the JDK's HttpServer: it serves the built
 * viewer exactly as the api must (index.html for /v/{e}/{r}, assets at /v/assets/, the security
 * headers of {@link ViewerResources}) and answers challenge / verify / manifest / attachments /
 * jwks with real sealed data. Every request is recorded, so tests can check what the page sent and
 * when.
 */
final class FakeOpenApi implements AutoCloseable {

  static final String PROBLEMS = "https://sealpost.dev/problems/";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Path testRoot;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());

  private volatile TestSealer.Sealed envelope;
  private volatile String method = "EMAIL_OTP";
  private volatile String hint = "j•••@example.com";
  private volatile String answer = "123456";
  private volatile int attemptsLeft = 5;
  private volatile String accessToken;
  private volatile Problem challengeProblem;
  private volatile Problem verifyProblem;
  private volatile Problem attachmentProblem;
  private final Map<String, byte[]> attachmentOverrides = new HashMap<>();
  private final Map<String, byte[]> blobs = new HashMap<>();
  private final Map<String, Path> attachmentFiles = new HashMap<>();
  private final List<byte[]> rawBodies = Collections.synchronizedList(new ArrayList<>());
  private final List<ReplyUpload> replies = Collections.synchronizedList(new ArrayList<>());
  private final List<Map<String, Object>> replyAnswers =
      Collections.synchronizedList(new ArrayList<>());
  private volatile Map<String, Object> replyOffer;
  private volatile Problem replyProblem;
  private volatile int replyReadDelayMillis;
  private volatile ReceiptSigner receiptSigner;
  private final List<JWK> alsoPublished = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean jwksUnavailable;

  /** One part of a multipart upload as it arrived. */
  record Part(String name, String filename, String contentType, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** A reply upload as it arrived: headers of note, the parts in order, and the raw body. */
  record ReplyUpload(
      String path, String contentType, String authorization, List<Part> parts, byte[] raw) {}

  /** Signs the 201 answer's receipt (REPLY-WIRE.md "The receipt"); answers the compact JWS. */
  interface ReceiptSigner {
    String sign(
        String envelopeId, String recipientId, String replyId, String received, List<Part> parts);
  }

  /** A scripted problem+json answer. */
  record Problem(int status, String slug, Map<String, Object> extra, String retryAfter) {
    static Problem of(int status, String slug) {
      return new Problem(status, slug, Map.of(), null);
    }
  }

  FakeOpenApi(Path testRoot) throws IOException {
    this.testRoot = testRoot;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Resets everything for a new scenario. */
  FakeOpenApi serve(TestSealer.Sealed sealed) {
    this.envelope = sealed;
    this.method = "EMAIL_OTP";
    this.hint = "j•••@example.com";
    this.answer = "123456";
    this.attemptsLeft = 5;
    this.accessToken = null;
    this.challengeProblem = null;
    this.verifyProblem = null;
    this.attachmentProblem = null;
    synchronized (attachmentOverrides) {
      attachmentOverrides.clear();
      attachmentFiles.clear();
    }
    requests.clear();
    bodies.clear();
    rawBodies.clear();
    replies.clear();
    replyAnswers.clear();
    this.replyOffer = null;
    this.replyProblem = null;
    this.replyReadDelayMillis = 0;
    alsoPublished.clear();
    jwksUnavailable = false;
    return this;
  }

  /** The JWKS answers 503 (the key service is down). */
  FakeOpenApi jwksUnavailable() {
    jwksUnavailable = true;
    return this;
  }

  /** Publishes {@code key} (its public part) in the JWKS too, beside the envelope's signing key. */
  FakeOpenApi alsoPublish(JWK key) {
    alsoPublished.add(key.toPublicJWK());
    return this;
  }

  private String jwksJson() {
    if (alsoPublished.isEmpty()) {
      return envelope.jwksJson();
    }
    try {
      Map<String, Object> set = JSONObjectUtils.parse(envelope.jwksJson());
      List<Object> keys = new ArrayList<>(JSONObjectUtils.getJSONArray(set, "keys"));
      for (JWK k : alsoPublished) {
        keys.add(k.toJSONObject());
      }
      return JSONObjectUtils.toJSONString(Map.of("keys", keys));
    } catch (java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The verify answer carries {@code "reply": {"keys": jwks, "remaining", "maxBytes"}}. */
  FakeOpenApi offerReply(Map<String, Object> jwks, int remaining, long maxBytes) {
    Map<String, Object> offer = new LinkedHashMap<>();
    offer.put("keys", jwks);
    offer.put("remaining", (long) remaining);
    offer.put("maxBytes", maxBytes);
    this.replyOffer = offer;
    return this;
  }

  /** Answers reply uploads with this problem (after reading the whole body), or 201 when null. */
  FakeOpenApi failReplies(Problem p) {
    this.replyProblem = p;
    return this;
  }

  /**
   * Reads reply uploads slowly (this many ms per 64 KiB), so the page's upload progress is
   * observable.
   */
  FakeOpenApi slowReplyReads(int millisPer64KiB) {
    this.replyReadDelayMillis = millisPer64KiB;
    return this;
  }

  FakeOpenApi receiptSigner(ReceiptSigner signer) {
    this.receiptSigner = signer;
    return this;
  }

  /** Every reply upload received (also the refused ones). */
  List<ReplyUpload> replyUploads() {
    synchronized (replies) {
      return List.copyOf(replies);
    }
  }

  /** The body of every 201 answer to a reply upload (replyId, received, receipt). */
  List<Map<String, Object>> replyAnswers() {
    synchronized (replyAnswers) {
      return List.copyOf(replyAnswers);
    }
  }

  /** The raw bytes of every request body (for searching a canary in what travelled). */
  List<byte[]> rawRequestBodies() {
    synchronized (rawBodies) {
      return List.copyOf(rawBodies);
    }
  }

  FakeOpenApi method(String method, String hint, String answer) {
    this.method = method;
    this.hint = hint;
    this.answer = answer;
    return this;
  }

  FakeOpenApi attemptsLeft(int n) {
    this.attemptsLeft = n;
    return this;
  }

  FakeOpenApi failChallenge(Problem p) {
    this.challengeProblem = p;
    return this;
  }

  FakeOpenApi failVerify(Problem p) {
    this.verifyProblem = p;
    return this;
  }

  FakeOpenApi failAttachments(Problem p) {
    this.attachmentProblem = p;
    return this;
  }

  FakeOpenApi attachmentBytes(String attachmentId, byte[] ciphertext) {
    synchronized (attachmentOverrides) {
      attachmentOverrides.put(attachmentId, ciphertext);
    }
    return this;
  }

  /** Serves this attachment's ciphertext from a file (for attachments too large for a byte[]). */
  FakeOpenApi attachmentFile(String attachmentId, Path ciphertext) {
    synchronized (attachmentOverrides) {
      attachmentFiles.put(attachmentId, ciphertext);
    }
    return this;
  }

  /** Serves bytes at /blob/{name} without authentication (for the crypto harness). */
  String putBlob(String name, byte[] bytes) {
    synchronized (blobs) {
      blobs.put(name, bytes);
    }
    return "/blob/" + name;
  }

  /** "METHOD /path" of every request not for a static file. */
  List<String> apiRequests() {
    synchronized (requests) {
      return requests.stream()
          .filter(r -> r.contains(" /v1/") || r.contains(" /.well-known/"))
          .toList();
    }
  }

  List<String> allRequests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  List<String> requestBodies() {
    synchronized (bodies) {
      return List.copyOf(bodies);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      String fullUri = ex.getRequestURI().toString();
      requests.add(ex.getRequestMethod() + " " + fullUri);
      String[] seg = path.substring(1).split("/", -1);
      boolean replyUpload =
          seg.length == 5
              && seg[0].equals("v1")
              && seg[1].equals("open")
              && seg[4].equals("replies");
      byte[] body = readBody(ex, replyUpload ? replyReadDelayMillis : 0);
      if (body.length > 0) {
        bodies.add(new String(body, StandardCharsets.UTF_8));
        rawBodies.add(body);
      }
      if (path.startsWith("/v/assets/")) {
        staticAsset(ex, path.substring("/v/assets/".length()));
      } else if (path.equals(ViewerResources.SERVICE_WORKER_PATH)) {
        try (InputStream in = ViewerResources.openServiceWorker()) {
          sendStatic(ex, 200, ViewerResources.contentType(path), in.readAllBytes());
        }
      } else if (path.startsWith(ViewerResources.STREAM_SCOPE)) {
        sendStatic(ex, 204, "text/plain", new byte[0]);
      } else if (seg.length == 3 && seg[0].equals("v")) {
        try (InputStream in = ViewerResources.openIndex()) {
          sendStatic(ex, 200, "text/html; charset=utf-8", in.readAllBytes());
        }
      } else if (path.startsWith("/test/")) {
        Path file = testRoot.resolve(path.substring("/test/".length())).normalize();
        if (!file.startsWith(testRoot) || !Files.isRegularFile(file)) {
          sendStatic(ex, 404, "text/plain", new byte[0]);
        } else {
          sendStatic(
              ex, 200, ViewerResources.contentType(file.toString()), Files.readAllBytes(file));
        }
      } else if (seg.length == 2 && seg[0].equals("blob")) {
        byte[] b;
        synchronized (blobs) {
          b = blobs.get(seg[1]);
        }
        if (b == null) {
          sendStatic(ex, 404, "text/plain", new byte[0]);
        } else {
          sendStatic(ex, 200, "application/octet-stream", b);
        }
      } else if (path.equals("/.well-known/jwks.json")) {
        if (jwksUnavailable) {
          sendStatic(
              ex,
              503,
              "application/problem+json",
              "{\"type\":\"https://sealpost.dev/problems/storage-unavailable\",\"status\":503}"
                  .getBytes(StandardCharsets.UTF_8));
        } else {
          sendJson(ex, 200, jwksJson(), "application/jwk-set+json");
        }
      } else if (seg.length == 5
          && seg[0].equals("v1")
          && seg[1].equals("open")
          && seg[4].equals("challenge")) {
        challenge(ex, seg[2], seg[3], body);
      } else if (seg.length == 5
          && seg[0].equals("v1")
          && seg[1].equals("open")
          && seg[4].equals("verify")) {
        verify(ex, seg[2], seg[3], body);
      } else if (seg.length == 4
          && seg[0].equals("v1")
          && seg[1].equals("open")
          && seg[3].equals("manifest")) {
        if (authorized(ex, seg[2])) {
          sendJson(ex, 200, envelope.flattenedJwe(), "application/json");
        }
      } else if (replyUpload) {
        reply(ex, seg[2], seg[3], body);
      } else if (seg.length == 5
          && seg[0].equals("v1")
          && seg[1].equals("open")
          && seg[3].equals("attachments")) {
        attachment(ex, seg[2], seg[4]);
      } else {
        problem(ex, Problem.of(404, "not-found"));
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  private void staticAsset(HttpExchange ex, String name) throws IOException {
    Optional<InputStream> in = ViewerResources.openAsset(name);
    if (in.isEmpty()) {
      sendStatic(ex, 404, "text/plain", new byte[0]);
      return;
    }
    try (InputStream s = in.get()) {
      sendStatic(ex, 200, ViewerResources.contentType(name), s.readAllBytes());
    }
  }

  private boolean linkMatches(String e, String r, byte[] body) {
    TestSealer.Sealed env = envelope;
    if (!env.envelopeId().equals(e) || !env.recipientId().equals(r)) {
      return false;
    }
    Map<String, Object> json = parse(body);
    return env.token().equals(json.get("token"));
  }

  private void challenge(HttpExchange ex, String e, String r, byte[] body) throws IOException {
    if (!ex.getRequestMethod().equals("POST") || !linkMatches(e, r, body)) {
      problem(ex, Problem.of(404, "link-not-found"));
      return;
    }
    if (challengeProblem != null) {
      problem(ex, challengeProblem);
      return;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("method", method);
    out.put("hint", hint);
    sendJson(ex, 200, JSONObjectUtils.toJSONString(out), "application/json");
  }

  private void verify(HttpExchange ex, String e, String r, byte[] body) throws IOException {
    if (!ex.getRequestMethod().equals("POST") || !linkMatches(e, r, body)) {
      problem(ex, Problem.of(404, "link-not-found"));
      return;
    }
    if (verifyProblem != null) {
      problem(ex, verifyProblem);
      return;
    }
    if (attemptsLeft <= 0) {
      problem(ex, Problem.of(423, "recipient-locked"));
      return;
    }
    Map<String, Object> json = parse(body);
    Object given = method.equals("SHARED_SECRET") ? json.get("secret") : json.get("code");
    if (!method.equals("NONE") && !answer.equals(given)) {
      attemptsLeft--;
      if (attemptsLeft == 0) {
        problem(ex, Problem.of(423, "recipient-locked"));
      } else {
        String slug = method.equals("SHARED_SECRET") ? "wrong-secret" : "wrong-code";
        problem(ex, new Problem(401, slug, Map.of("remainingAttempts", attemptsLeft), null));
      }
      return;
    }
    accessToken = UUID.randomUUID().toString();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("accessToken", accessToken);
    out.put("expiresIn", 900L);
    out.put(
        "serverShare",
        Base64.getUrlEncoder().withoutPadding().encodeToString(envelope.serverShare()));
    if (replyOffer != null) {
      out.put("reply", replyOffer);
    }
    sendJson(ex, 200, JSONObjectUtils.toJSONString(out), "application/json");
  }

  private boolean authorized(HttpExchange ex, String e) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (accessToken == null || !("Bearer " + accessToken).equals(auth)) {
      problem(ex, Problem.of(401, "access-token-invalid"));
      return false;
    }
    if (!envelope.envelopeId().equals(e)) {
      problem(ex, Problem.of(404, "not-found"));
      return false;
    }
    return true;
  }

  private void attachment(HttpExchange ex, String e, String id) throws IOException {
    if (!authorized(ex, e)) {
      return;
    }
    if (attachmentProblem != null) {
      problem(ex, attachmentProblem);
      return;
    }
    byte[] bytes;
    Path file;
    synchronized (attachmentOverrides) {
      bytes = attachmentOverrides.get(id);
      file = attachmentFiles.get(id);
    }
    if (file != null) {
      ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      ex.sendResponseHeaders(200, Files.size(file));
      try (OutputStream out = ex.getResponseBody()) {
        Files.copy(file, out);
      } catch (IOException stopped) {
        // the browser stopped reading (a failed check cancels the fetch)
      }
      return;
    }
    if (bytes == null) {
      bytes = envelope.attachment(id).ciphertext();
    }
    ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      for (int off = 0; off < bytes.length; off += 16384) {
        out.write(bytes, off, Math.min(16384, bytes.length - off));
        out.flush();
      }
    }
  }

  private static byte[] readBody(HttpExchange ex, int delayPer64KiB) throws IOException {
    if (delayPer64KiB <= 0) {
      return ex.getRequestBody().readAllBytes();
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    InputStream in = ex.getRequestBody();
    for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0; ) {
      out.write(buf, 0, n);
      try {
        Thread.sleep(delayPer64KiB);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    return out.toByteArray();
  }

  /**
   * POST /v1/open/{e}/{r}/replies (REPLY-WIRE.md "Upload"): records the parts, checks the part
   * order and the clear {@code reply} part as the server must, answers 201 with a signed receipt.
   */
  private void reply(HttpExchange ex, String e, String r, byte[] body) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    List<Part> parts = Multipart.parse(type, body);
    replies.add(
        new ReplyUpload(
            ex.getRequestURI().getRawPath(),
            type,
            ex.getRequestHeaders().getFirst("Authorization"),
            parts,
            body));
    if (!ex.getRequestMethod().equals("POST") || !authorized(ex, e)) {
      return;
    }
    if (!envelope.recipientId().equals(r)) {
      problem(ex, Problem.of(404, "not-found"));
      return;
    }
    if (replyProblem != null) {
      problem(ex, replyProblem);
      return;
    }
    String refused = Multipart.checkReplyParts(parts);
    if (refused != null) {
      problem(ex, new Problem(400, "invalid-reply", Map.of("detail", refused), null));
      return;
    }
    String replyId = (String) parse(parts.get(0).body()).get("replyId");
    String received =
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("replyId", replyId);
    out.put("received", received);
    out.put(
        "receipt", receiptSigner == null ? "" : receiptSigner.sign(e, r, replyId, received, parts));
    replyAnswers.add(out);
    ex.getResponseHeaders().set("Location", "/v1/envelopes/" + e + "/replies/" + replyId);
    sendJson(ex, 201, JSONObjectUtils.toJSONString(out), "application/json");
  }

  private void problem(HttpExchange ex, Problem p) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", PROBLEMS + p.slug());
    out.put("title", p.slug());
    out.put("status", (long) p.status());
    out.putAll(p.extra());
    if (p.retryAfter() != null) {
      ex.getResponseHeaders().set("Retry-After", p.retryAfter());
    }
    sendJson(ex, p.status(), JSONObjectUtils.toJSONString(out), "application/problem+json");
  }

  private static Map<String, Object> parse(byte[] body) {
    try {
      return JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
    } catch (Exception e) {
      return Map.of();
    }
  }

  private static void sendJson(HttpExchange ex, int status, String json, String type)
      throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  private static void sendStatic(HttpExchange ex, int status, String type, byte[] b) {
    try {
      ViewerResources.securityHeaders().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      ex.getResponseHeaders().set("Content-Type", type);
      ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
      if (b.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(b);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
