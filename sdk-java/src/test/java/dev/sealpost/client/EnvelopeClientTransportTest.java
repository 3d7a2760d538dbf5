package dev.sealpost.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sealpost.exception.ClientException;
import dev.sealpost.exception.ServiceException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's transport against a local JDK HTTP server: retries, Retry-After, timeouts, errors.
 */
class EnvelopeClientTransportTest {
  private HttpServer server;
  private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
  private final List<HttpExchangeRecord> requests = new CopyOnWriteArrayList<>();

  /** A canned answer. */
  record Reply(int status, String body, String retryAfter, long delayMillis) {
    static Reply ok(String body) {
      return new Reply(200, body, null, 0);
    }
  }

  record HttpExchangeRecord(String method, String path, String authorization, String requestId) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.add(
        new HttpExchangeRecord(
            ex.getRequestMethod(),
            ex.getRequestURI().toString(),
            ex.getRequestHeaders().getFirst("Authorization"),
            ex.getRequestHeaders().getFirst("X-Request-Id")));
    Reply r = replies.poll();
    if (r == null) {
      r = new Reply(500, "{}", null, 0);
    }
    try {
      Thread.sleep(r.delayMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders()
        .set("Content-Type", r.status() >= 400 ? "application/problem+json" : "application/json");
    if (r.retryAfter() != null) {
      ex.getResponseHeaders().set("Retry-After", r.retryAfter());
    }
    try {
      ex.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException gone) {
      // the client timed out and hung up
    }
  }

  private URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private EnvelopeClient.Builder builder() {
    return EnvelopeClient.builder()
        .endpoint(endpoint())
        .apiKey("sp_test-key")
        .retryBaseDelay(Duration.ofMillis(10));
  }

  private static final String STATUS = "{\"id\":\"e1\",\"status\":\"active\",\"recipients\":[]}";

  private static String problem(int status, String slug) {
    return "{\"type\":\"https://sealpost.dev/problems/"
        + slug
        + "\",\"title\":\"T\",\"status\":"
        + status
        + ",\"detail\":\"d\"}";
  }

  @Test
  void aProblem_carriesTheServersRequestId_fromTheBodyWhenNoHeaderCameBack() {
    replies.add(
        new Reply(
            404,
            "{\"type\":\"https://sealpost.dev/problems/not-found\",\"status\":404,"
                + "\"requestId\":\"srv-req.42\"}",
            null,
            0));
    replies.add(new Reply(404, problem(404, "not-found"), null, 0));
    try (EnvelopeClient c = builder().build()) {
      assertThatThrownBy(() -> c.status("e1"))
          .isInstanceOfSatisfying(
              ServiceException.class, e -> assertThat(e.requestId()).isEqualTo("srv-req.42"));
      // no id in the answer at all: the one the client sent
      assertThatThrownBy(() -> c.status("e1"))
          .isInstanceOfSatisfying(
              ServiceException.class,
              e -> assertThat(e.requestId()).isEqualTo(requests.get(1).requestId()));
    }
  }

  @Test
  void serviceUnavailable_withRetryAfter_isRetriedAfterThatDelay() {
    replies.add(new Reply(503, problem(503, "unavailable"), "1", 0));
    replies.add(Reply.ok(STATUS));
    long t0 = System.nanoTime();
    try (EnvelopeClient c = builder().build()) {
      assertThat(c.status("e1").status()).isEqualTo("active");
    }
    assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(950);
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).requestId()).isNotEqualTo(null);
  }

  @Test
  void tooManyRequests_withoutRetryAfter_isRetriedWithBackoff() {
    replies.add(new Reply(429, problem(429, "rate-limited"), null, 0));
    replies.add(new Reply(429, problem(429, "rate-limited"), null, 0));
    replies.add(Reply.ok(STATUS));
    try (EnvelopeClient c = builder().build()) {
      assertThat(c.status("e1").envelopeId()).isEqualTo("e1");
    }
    assertThat(requests).hasSize(3);
  }

  @Test
  void retryAfterBeyondTheBound_failsAtOnce() {
    replies.add(new Reply(429, problem(429, "rate-limited"), "3600", 0));
    long t0 = System.nanoTime();
    try (EnvelopeClient c = builder().maxRetryAfter(Duration.ofSeconds(5)).build()) {
      assertThatThrownBy(() -> c.status("e1"))
          .isInstanceOfSatisfying(
              ServiceException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(429);
                assertThat(e.problemSlug()).isEqualTo("rate-limited");
              });
    }
    // Not an hour: the client gave up at once (generous bound: class loading on a loaded machine).
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(60_000);
    assertThat(requests).hasSize(1);
  }

  @Test
  void retriesAreBounded() {
    for (int i = 0; i < 5; i++) {
      replies.add(new Reply(503, problem(503, "unavailable"), "0", 0));
    }
    try (EnvelopeClient c = builder().maxRetries(2).build()) {
      assertThatThrownBy(() -> c.status("e1"))
          .isInstanceOfSatisfying(
              ServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
    }
    assertThat(requests).hasSize(3);
  }

  @Test
  void problemJson_becomesServiceException_withTypeAndRequestId_andIsNotRetried() {
    replies.add(new Reply(404, problem(404, "not-found"), null, 0));
    try (EnvelopeClient c = builder().build()) {
      assertThatThrownBy(() -> c.status("e1"))
          .isInstanceOfSatisfying(
              ServiceException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(404);
                assertThat(e.problemType()).isEqualTo("https://sealpost.dev/problems/not-found");
                assertThat(e.requestId()).isEqualTo(requests.get(0).requestId());
                assertThat(e.getMessage()).doesNotContain("sp_test-key");
              });
    }
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).authorization()).isEqualTo("Bearer sp_test-key");
    assertThat(requests.get(0).path()).isEqualTo("/v1/envelopes/e1");
  }

  @Test
  void slowServer_timesOut_asClientException() {
    replies.add(new Reply(200, STATUS, null, 30_000));
    long t0 = System.nanoTime();
    try (EnvelopeClient c = builder().requestTimeout(Duration.ofMillis(300)).build()) {
      assertThatThrownBy(() -> c.status("e1")).isInstanceOf(ClientException.class);
    }
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(20_000);
  }

  @Test
  void unreachableServer_isClientException_afterBoundedRetries() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (EnvelopeClient c =
        EnvelopeClient.builder()
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .apiKey("sp_x")
            .maxRetries(1)
            .retryBaseDelay(Duration.ofMillis(1))
            .build()) {
      assertThatThrownBy(() -> c.status("e1"))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("could not connect");
    }
  }

  @Test
  void inbox_pagesLazily_followingTheCursor() {
    replies.add(
        Reply.ok(
            "{\"items\":[{\"envelopeId\":\"a\",\"kid\":\"k\",\"createdAt\":\"2026-11-29T10:00:00Z\","
                + "\"attachments\":[{\"id\":\"x\",\"size\":24}]},"
                + "{\"envelopeId\":\"b\",\"kid\":\"k\",\"createdAt\":\"2026-11-29T09:00:00Z\",\"attachments\":[]}],"
                + "\"nextCursor\":\"c2\"}"));
    replies.add(
        Reply.ok(
            "{\"items\":[{\"envelopeId\":\"c\",\"kid\":\"k\",\"createdAt\":\"2026-11-29T08:00:00Z\","
                + "\"expiresAt\":\"2026-12-06T08:00:00Z\",\"attachments\":[]}],\"nextCursor\":null}"));
    try (EnvelopeClient c = builder().build()) {
      Iterator<InboxItem> it = c.inbox().iterator();
      assertThat(it.next().envelopeId()).isEqualTo("a");
      assertThat(requests).hasSize(1);
      List<String> rest = new ArrayList<>();
      it.forEachRemaining(i -> rest.add(i.envelopeId()));
      assertThat(rest).containsExactly("b", "c");
    }
    assertThat(requests.get(1).path()).isEqualTo("/v1/inbox?limit=50&cursor=c2");
  }

  @Test
  void build_namesEverythingMissingOrInvalid() {
    assertThatThrownBy(() -> EnvelopeClient.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("endpoint is required")
        .hasMessageContaining("apiKey is required");
    assertThatThrownBy(
            () ->
                EnvelopeClient.builder()
                    .endpoint(URI.create("http://sealpost.example.com"))
                    .apiKey("sp_x")
                    .maxRetries(-1)
                    .build())
        .hasMessageContaining("https")
        .hasMessageContaining("maxRetries");
  }

  @Test
  void closedClient_refusesCalls() {
    EnvelopeClient c = builder().build();
    c.close();
    assertThatThrownBy(() -> c.status("e1")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void send_streamsFilesAsMultipart_withExactLength_andReportsProgress(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
    byte[] content = new byte[300_000];
    new java.util.Random(1).nextBytes(content);
    java.nio.file.Path file = dir.resolve("report.pdf");
    java.nio.file.Files.write(file, content);
    java.util.concurrent.atomic.AtomicReference<byte[]> body =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<String> type =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<String> length =
        new java.util.concurrent.atomic.AtomicReference<>();
    server.createContext(
        "/v1/envelopes",
        ex -> {
          type.set(ex.getRequestHeaders().getFirst("Content-Type"));
          length.set(ex.getRequestHeaders().getFirst("Content-Length"));
          body.set(ex.getRequestBody().readAllBytes());
          byte[] answer =
              "{\"id\":\"e9\",\"recipients\":[{\"id\":\"r1\",\"type\":\"partner\",\"partnerId\":\"p1\"}]}"
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(201, answer.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(answer);
          }
        });
    java.util.concurrent.atomic.AtomicLong progress = new java.util.concurrent.atomic.AtomicLong();
    SendResult r;
    try (EnvelopeClient c = builder().build()) {
      r =
          c.send(
              SendRequest.builder()
                  .subject("s")
                  .message("m")
                  .recipient(SendRequest.Recipient.partner("p1"))
                  .attach(file, "application/pdf")
                  .progress(progress::set)
                  .build());
    }
    assertThat(r.envelopeId()).isEqualTo("e9");
    assertThat(r.recipients().get(0).partnerId()).contains("p1");
    assertThat(type.get()).startsWith("multipart/form-data; boundary=");
    assertThat(Long.parseLong(length.get())).isEqualTo(body.get().length);
    assertThat(progress.get()).isEqualTo(content.length);
    String text = new String(body.get(), StandardCharsets.ISO_8859_1);
    assertThat(text).contains("name=\"envelope\"").contains("filename=\"report.pdf\"");
    assertThat(text.indexOf("name=\"envelope\"")).isLessThan(text.indexOf("filename="));
    int start = text.indexOf("\r\n\r\n", text.indexOf("filename=")) + 4;
    byte[] received = java.util.Arrays.copyOfRange(body.get(), start, start + content.length);
    assertThat(received).isEqualTo(content);
  }

  @Test
  void retryAfter_parsesSecondsAndHttpDates() {
    assertThat(HttpTransport.parseRetryAfter("7")).contains(Duration.ofSeconds(7));
    assertThat(HttpTransport.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"))
        .contains(Duration.ZERO);
    assertThat(HttpTransport.parseRetryAfter("soon")).isEmpty();
  }
}
