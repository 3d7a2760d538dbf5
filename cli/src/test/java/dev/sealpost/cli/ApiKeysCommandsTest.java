package dev.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sealpost.client.ApiKeyInfo;
import dev.sealpost.client.EnvelopeClient;
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

/** {@code EnvelopeClient.apiKeys/revokeApiKey} and {@code sealpost keys list|revoke}, stubbed. */
class ApiKeysCommandsTest {
  private static final String KEY = "sp_" + "a".repeat(43);
  private static final String LAST_ADMIN = "11111111-1111-1111-1111-111111111111";
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
    String line = ex.getRequestMethod() + " " + ex.getRequestURI();
    requests.add(line + " " + ex.getRequestHeaders().getFirst("Authorization"));
    if (line.equals("GET /v1/api-keys?limit=100")) {
      answer(
          ex,
          200,
          "application/json",
          "{\"items\":[{\"id\":\"k1\",\"name\":\"admin\",\"role\":\"ADMIN\",\"partnerId\":null,"
              + "\"bootstrap\":false,\"createdAt\":\"2030-01-01T00:00:00Z\",\"lastUsedAt\":"
              + "\"2030-01-02T00:00:00Z\",\"expiresAt\":null,\"revokedAt\":null}],"
              + "\"nextCursor\":\"c2\"}");
    } else if (line.equals("GET /v1/api-keys?limit=100&cursor=c2")) {
      answer(
          ex,
          200,
          "application/json",
          "{\"items\":[{\"id\":\"k2\",\"name\":\"bill\\u001b[2Jing\",\"role\":\"SENDER\","
              + "\"bootstrap\":false,\"createdAt\":\"2030-01-01T00:00:01Z\","
              + "\"revokedAt\":\"2030-01-03T00:00:00Z\"}],\"nextCursor\":null}");
    } else if (line.equals("DELETE /v1/api-keys/" + LAST_ADMIN)) {
      answer(
          ex,
          409,
          "application/problem+json",
          "{\"type\":\"https://sealpost.dev/problems/last-admin-key\",\"title\":\"Last ADMIN"
              + " key\",\"status\":409,\"detail\":\"create another ADMIN key first\"}");
    } else if (line.startsWith("DELETE /v1/api-keys/")) {
      ex.sendResponseHeaders(204, -1);
      ex.close();
    } else {
      answer(ex, 404, "application/problem+json", "{\"type\":\"x\",\"status\":404}");
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

  @Test
  void client_listsEveryPage_andRevokes() {
    try (EnvelopeClient client =
        EnvelopeClient.builder().endpoint(URI.create(url())).apiKey(KEY).build()) {
      List<ApiKeyInfo> keys = new ArrayList<>();
      client.apiKeys().forEach(keys::add);
      assertThat(keys).extracting(ApiKeyInfo::id).containsExactly("k1", "k2");
      assertThat(keys.get(0).lastUsedAt()).hasValue(Instant.parse("2030-01-02T00:00:00Z"));
      assertThat(keys.get(0).isLive(Instant.parse("2030-06-01T00:00:00Z"))).isTrue();
      assertThat(keys.get(1).isLive(Instant.parse("2030-06-01T00:00:00Z"))).isFalse();
      client.revokeApiKey("k2");
      ServiceException e =
          Assertions.catchThrowableOfType(
              ServiceException.class, () -> client.revokeApiKey(LAST_ADMIN));
      assertThat(e.statusCode()).isEqualTo(409);
      assertThat(e.problemType()).endsWith("/last-admin-key");
    }
    assertThat(requests).contains("DELETE /v1/api-keys/k2 Bearer " + KEY);
  }

  @Test
  void keysList_printsOneLinePerKey_neverControlCharacters() {
    CliRunner.Result r = CliRunner.run("keys", "list", "--server", url(), "--api-key", KEY);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines())
        .containsExactly(
            "k1\tADMIN\tlive\t2030-01-01T00:00:00Z\t2030-01-02T00:00:00Z\t-\tadmin",
            "k2\tSENDER\trevoked\t2030-01-01T00:00:01Z\t-\t-\tbill?[2Jing");
    assertThat(r.out()).doesNotContain(KEY);
  }

  @Test
  void keysRevoke_revokes_andTheLastAdminKeyIsARefusal() {
    CliRunner.Result ok =
        CliRunner.run("keys", "revoke", "k2", "--server", url(), "--api-key", KEY);
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("revoked k2");
    CliRunner.Result refused =
        CliRunner.run("keys", "revoke", LAST_ADMIN, "--server", url(), "--api-key", KEY);
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.IO);
    assertThat(refused.err()).contains("409", "create another ADMIN key first");
    CliRunner.Result bad =
        CliRunner.run("keys", "revoke", "../x", "--server", url(), "--api-key", KEY);
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
  }
}
