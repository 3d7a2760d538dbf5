package dev.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sealpost.client.EnvelopeClient;
import dev.sealpost.client.EnvelopeStatus;
import dev.sealpost.client.EnvelopeSummary;
import dev.sealpost.exception.ServiceException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code EnvelopeClient.status/envelopes/revoke} and {@code sealpost status|list|revoke} against a
 * server that answers as openapi.yaml says (stubbed, as for the other server commands).
 */
class EnvelopeCommandsTest {
  private static final String KEY = "sp_" + "c".repeat(43);
  private static final String ENVELOPE = "6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10";
  private static final String OLDER = "7a2b3c4d-0000-4000-8000-000000000001";
  private static final String OLDEST = "7a2b3c4d-0000-4000-8000-000000000002";
  private static final String UNKNOWN = "99999999-9999-4999-8999-999999999999";
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile boolean revoked;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String statusJson() {
    return "{\"id\":\""
        + ENVELOPE
        + "\",\"status\":\""
        + (revoked ? "revoked" : "active")
        + "\",\"createdAt\":\"2030-01-01T10:00:00Z\",\"expiresAt\":\"2030-01-08T10:00:00Z\","
        + (revoked ? "\"revokedAt\":\"2030-01-02T09:00:00Z\"," : "")
        + "\"notify\":true,\"attachments\":1,\"size\":2048,\"recipients\":["
        + "{\"id\":\"r-1\",\"type\":\"consumer\",\"email\":\"alice@example.com\","
        + "\"status\":\"opened\",\"openCount\":2,\"firstOpenedAt\":\"2030-01-01T11:00:00Z\"},"
        + "{\"id\":\"r-2\",\"type\":\"partner\",\"partnerId\":\"p-9\",\"status\":\"notified\","
        + "\"openCount\":0},"
        + "{\"id\":\"r-3\",\"type\":\"consumer\",\"email\":\"bob\\u001b[2J@example.com\","
        + "\"status\":\"locked\",\"openCount\":0}]}";
  }

  private void handle(HttpExchange ex) throws IOException {
    String line = ex.getRequestMethod() + " " + ex.getRequestURI();
    requests.add(line + " " + ex.getRequestHeaders().getFirst("Authorization"));
    if (line.equals("GET /v1/envelopes/" + ENVELOPE)) {
      answer(ex, 200, "application/json", statusJson());
    } else if (line.equals("DELETE /v1/envelopes/" + ENVELOPE)) {
      revoked = true;
      answer(ex, 200, "application/json", statusJson());
    } else if (line.equals("GET /v1/envelopes?limit=100")) {
      answer(
          ex,
          200,
          "application/json",
          "{\"items\":[{\"id\":\""
              + ENVELOPE
              + "\",\"status\":\"active\",\"createdAt\":\"2030-01-03T00:00:00Z\","
              + "\"expiresAt\":\"2030-01-10T00:00:00Z\",\"notify\":true,\"size\":2048},"
              + "{\"id\":\""
              + OLDER
              + "\",\"status\":\"revoked\",\"createdAt\":\"2030-01-02T00:00:00Z\","
              + "\"revokedAt\":\"2030-01-02T01:00:00Z\",\"maxOpens\":3,\"notify\":false}],"
              + "\"nextCursor\":\"c 2\"}");
    } else if (line.equals("GET /v1/envelopes?limit=100&cursor=c+2")) {
      answer(
          ex,
          200,
          "application/json",
          "{\"items\":[{\"id\":\""
              + OLDEST
              + "\",\"status\":\"expired\",\"createdAt\":\"2030-01-01T00:00:00Z\","
              + "\"notify\":true,\"size\":10}]}");
    } else {
      answer(
          ex,
          404,
          "application/problem+json",
          "{\"type\":\"https://sealpost.dev/problems/not-found\",\"title\":\"Not Found\","
              + "\"status\":404,\"detail\":\"no such envelope\"}");
    }
  }

  private static void answer(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private EnvelopeClient client() {
    return EnvelopeClient.builder().endpoint(URI.create(url())).apiKey(KEY).build();
  }

  @Test
  void client_statusListAndRevoke_readTheServersAnswers() {
    try (EnvelopeClient client = client()) {
      EnvelopeStatus s = client.status(ENVELOPE);
      assertThat(s.status()).isEqualTo("active");
      assertThat(s.createdAt()).hasValue(Instant.parse("2030-01-01T10:00:00Z"));
      assertThat(s.expiresAt()).hasValue(Instant.parse("2030-01-08T10:00:00Z"));
      assertThat(s.revokedAt()).isEmpty();
      assertThat(s.recipientStatus("r-1")).hasValue("opened");

      List<EnvelopeSummary> all = new ArrayList<>();
      client.envelopes().forEach(all::add);
      assertThat(all)
          .extracting(EnvelopeSummary::envelopeId)
          .containsExactly(ENVELOPE, OLDER, OLDEST);
      assertThat(all.get(1).status()).isEqualTo("revoked");
      assertThat(all.get(1).maxOpens()).hasValue(3);
      assertThat(all.get(1).notified()).isFalse();
      assertThat(all.get(1).size()).isEmpty();
      assertThat(all.get(0).size()).hasValue(2048);
      assertThat(all.get(2).expiresAt()).isEmpty();

      EnvelopeStatus after = client.revoke(ENVELOPE);
      assertThat(after.status()).isEqualTo("revoked");
      assertThat(after.revokedAt()).hasValue(Instant.parse("2030-01-02T09:00:00Z"));

      ServiceException unknown =
          Assertions.catchThrowableOfType(ServiceException.class, () -> client.status(UNKNOWN));
      assertThat(unknown.statusCode()).isEqualTo(404);
      Assertions.assertThatThrownBy(() -> client.revoke("../x"))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(requests).contains("DELETE /v1/envelopes/" + ENVELOPE + " Bearer " + KEY);
  }

  @Test
  void status_printsTheEnvelopeThenOneLinePerRecipient_controlCharactersReplaced() {
    CliRunner.Result r = CliRunner.run("status", ENVELOPE, "--server", url(), "--api-key", KEY);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines())
        .containsExactly(
            ENVELOPE + "\tactive\t2030-01-01T10:00:00Z\t2030-01-08T10:00:00Z\t-",
            "r-1\tconsumer\topened\t2\talice@example.com",
            "r-2\tpartner\tnotified\t0\tpartner:p-9",
            "r-3\tconsumer\tlocked\t0\tbob?[2J@example.com");
  }

  @Test
  void list_pagesNewestFirst_andStopsAtTheLimit() {
    CliRunner.Result r = CliRunner.run("list", "--server", url(), "--api-key", KEY);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines())
        .containsExactly(
            ENVELOPE + "\tactive\t2030-01-03T00:00:00Z\t2030-01-10T00:00:00Z\t2048",
            OLDER + "\trevoked\t2030-01-02T00:00:00Z\t-\t-",
            OLDEST + "\texpired\t2030-01-01T00:00:00Z\t-\t10");

    requests.clear();
    CliRunner.Result two =
        CliRunner.run("list", "--limit", "2", "--server", url(), "--api-key", KEY);
    assertThat(two.out().lines()).hasSize(2);
    assertThat(requests).hasSize(1); // the second page is never fetched
    assertThat(
            CliRunner.run("list", "--limit", "0", "--server", url(), "--api-key", KEY).exitCode())
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void revoke_deletesAndPrintsTheRevokedState() {
    CliRunner.Result r = CliRunner.run("revoke", ENVELOPE, "--server", url(), "--api-key", KEY);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines().findFirst())
        .hasValue(
            ENVELOPE
                + "\trevoked\t2030-01-01T10:00:00Z\t2030-01-08T10:00:00Z\t2030-01-02T09:00:00Z");
    assertThat(requests).containsExactly("DELETE /v1/envelopes/" + ENVELOPE + " Bearer " + KEY);
  }

  @Test
  void refusalsAndBadInput_areOneLineWithTheirExitCodes() {
    CliRunner.Result unknown =
        CliRunner.run("status", UNKNOWN, "--server", url(), "--api-key", KEY);
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.IO);
    assertThat(unknown.errLines()).hasSize(1);
    assertThat(unknown.err()).contains("404");
    requests.clear();

    CliRunner.Result bad = CliRunner.run("revoke", "../x", "--server", url(), "--api-key", KEY);
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("ENVELOPE_ID");

    CliRunner.Result noServer = CliRunner.run("list", "--api-key", KEY, "--server", " ");
    assertThat(noServer.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noServer.err()).contains("--server");
    assertThat(requests).as("nothing sent for bad input").isEmpty();
  }
}
