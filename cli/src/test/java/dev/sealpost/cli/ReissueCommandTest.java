package dev.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sealpost.client.EnvelopeClient;
import dev.sealpost.exception.ServiceException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code EnvelopeClient.reissue} and {@code sealpost reissue} against a stub server. */
class ReissueCommandTest {
  private static final String KEY = "sp_" + "b".repeat(43);
  private static final String ENVELOPE = "6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10";
  private static final String RECIPIENT = "0b8e5d3a-2f4c-4c1b-8d7e-5a6f9e2c1d40";
  private static final String LOCKED = "22222222-2222-2222-2222-222222222222";
  private static final String USED_UP = "33333333-3333-3333-3333-333333333333";
  private static final String LINK =
      "https://sealpost.test/v/" + ENVELOPE + "/" + RECIPIENT + "#" + "A".repeat(43);
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

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

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String line = ex.getRequestMethod() + " " + ex.getRequestURI();
    requests.add(line + " " + body + " " + ex.getRequestHeaders().getFirst("Authorization"));
    String path = "POST /v1/envelopes/" + ENVELOPE + "/recipients/";
    if (line.equals(path + LOCKED + "/reissue")) {
      answer(ex, 403, "application/problem+json", problem(403, "lock-needs-admin"));
    } else if (line.equals(path + USED_UP + "/reissue")) {
      answer(ex, 409, "application/problem+json", problem(409, "reissue-limit"));
    } else if (line.equals(path + RECIPIENT + "/reissue")) {
      String link = body.contains("\"notify\":false") ? "\"" + LINK + "\"" : "null";
      answer(
          ex,
          200,
          "application/json",
          "{\"recipientId\":\"" + RECIPIENT + "\",\"link\":" + link + "}");
    } else {
      answer(ex, 404, "application/problem+json", problem(404, "not-found"));
    }
  }

  private static String problem(int status, String slug) {
    return "{\"type\":\"https://sealpost.dev/problems/"
        + slug
        + "\",\"title\":\"T\",\"status\":"
        + status
        + ",\"detail\":\"refused: "
        + slug
        + "\"}";
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

  @Test
  void client_answersTheLinkOnlyWithoutNotify_andRefusalsAreServiceExceptions() {
    try (EnvelopeClient client =
        EnvelopeClient.builder().endpoint(URI.create(url())).apiKey(KEY).build()) {
      assertThat(client.reissue(ENVELOPE, RECIPIENT, false)).hasValue(LINK);
      assertThat(client.reissue(ENVELOPE, RECIPIENT, true)).isEmpty();
      ServiceException locked =
          Assertions.catchThrowableOfType(
              ServiceException.class, () -> client.reissue(ENVELOPE, LOCKED, false));
      assertThat(locked.statusCode()).isEqualTo(403);
      assertThat(locked.problemSlug()).isEqualTo("lock-needs-admin");
      ServiceException usedUp =
          Assertions.catchThrowableOfType(
              ServiceException.class, () -> client.reissue(ENVELOPE, USED_UP, true));
      assertThat(usedUp.statusCode()).isEqualTo(409);
      assertThat(usedUp.problemSlug()).isEqualTo("reissue-limit");
      Assertions.assertThatThrownBy(() -> client.reissue("../x", RECIPIENT, true))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(requests)
        .first()
        .isEqualTo(
            "POST /v1/envelopes/"
                + ENVELOPE
                + "/recipients/"
                + RECIPIENT
                + "/reissue {\"notify\":false} Bearer "
                + KEY);
    // refusals are not retried: a retry would spend another reissue
    assertThat(requests).hasSize(4);
  }

  @Test
  void cli_printsTheLinkWithNoNotify_elseSaysItIsMailed() {
    CliRunner.Result shown =
        CliRunner.run(
            "reissue", ENVELOPE, RECIPIENT, "--no-notify", "--server", url(), "--api-key", KEY);
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    assertThat(shown.out().strip()).isEqualTo(LINK);
    CliRunner.Result mailed =
        CliRunner.run("reissue", ENVELOPE, RECIPIENT, "--server", url(), "--api-key", KEY);
    assertThat(mailed.exitCode()).as(mailed.err()).isZero();
    assertThat(mailed.out()).contains("emailed").doesNotContain("#");
    assertThat(requests.get(1)).contains("{\"notify\":true}");
  }

  @Test
  void cli_refusalsAndBadIds() {
    CliRunner.Result locked =
        CliRunner.run("reissue", ENVELOPE, LOCKED, "--server", url(), "--api-key", KEY);
    assertThat(locked.exitCode()).isEqualTo(ExitCodes.IO);
    assertThat(locked.err()).contains("403", "lock-needs-admin");
    CliRunner.Result bad =
        CliRunner.run("reissue", "../x", RECIPIENT, "--server", url(), "--api-key", KEY);
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    CliRunner.Result missing = CliRunner.run("reissue", ENVELOPE, "--server", url());
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void help_hasTheRulesAndAnExample() {
    CliRunner.Result help = CliRunner.run("reissue", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("ENVELOPE_ID", "RECIPIENT_ID", "--no-notify", "ADMIN", "Example:")
        .contains("sealpost reissue ");
  }
}
