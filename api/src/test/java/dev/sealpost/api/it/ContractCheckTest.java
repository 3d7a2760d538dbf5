package dev.sealpost.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/** The IT contract check can fail: wrong status, media type, answer or accepted request body. */
class ContractCheckTest {
  private static final String ENVELOPE =
      "{\"id\":\"7f8e0c43-5a59-4c55-9f3a-6f1a4b1e2d3c\",\"status\":\"active\","
          + "\"createdAt\":\"2026-12-06T10:00:00Z\",\"notify\":true,\"recipients\":[]}";

  record Answer(HttpRequest request, int statusCode, String contentType, String body)
      implements HttpResponse<String> {
    @Override
    public Optional<HttpResponse<String>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return HttpHeaders.of(Map.of("Content-Type", List.of(contentType)), (a, b) -> true);
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return request.uri();
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }

  private static HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create("http://localhost:8080" + path)).GET().build();
  }

  private static HttpRequest post(String path, String json) {
    return HttpRequest.newBuilder(URI.create("http://localhost:8080" + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  @Test
  void routes_literalSegmentsWin_andAContextRootIsAllowed() {
    assertThat(ContractCheck.route("GET", "/api/v1/envelopes/abc").orElseThrow().operationId())
        .isEqualTo("getEnvelope");
    assertThat(ContractCheck.route("GET", "/v1/tenant").orElseThrow().operationId())
        .isEqualTo("getTenant");
    assertThat(ContractCheck.route("GET", "/v1/open/e/manifest").orElseThrow().operationId())
        .isEqualTo("openManifest");
    assertThat(ContractCheck.route("GET", "/v1/envelopes/a/b")).isEmpty();
  }

  @Test
  void aDocumentedAnswer_passes() {
    HttpRequest r = get("/api/v1/envelopes/x");
    ContractCheck.exchange(r, new Answer(r, 200, "application/json", ENVELOPE));
  }

  @Test
  void anUndeclaredField_anUnlistedStatus_orMediaType_fail() {
    HttpRequest r = get("/v1/envelopes/x");
    assertThatThrownBy(
            () ->
                ContractCheck.exchange(
                    r,
                    new Answer(
                        r,
                        200,
                        "application/json",
                        ENVELOPE.replace("{\"id\"", "{\"x\":1,\"id\""))))
        .hasMessageContaining("does not match openapi.yaml");
    assertThatThrownBy(
            () -> ContractCheck.exchange(r, new Answer(r, 418, "application/problem+json", "{}")))
        .hasMessageContaining("lists no 418 answer");
    assertThatThrownBy(
            () -> ContractCheck.exchange(r, new Answer(r, 200, "text/html", "<p>hi</p>")))
        .hasMessageContaining("answered text/html");
  }

  @Test
  void aProblemWithoutItsType_fails() {
    HttpRequest r = get("/v1/envelopes/x");
    assertThatThrownBy(
            () ->
                ContractCheck.exchange(
                    r,
                    new Answer(
                        r, 404, "application/problem+json", "{\"title\":\"x\",\"status\":404}")))
        .hasMessageContaining("does not match openapi.yaml");
  }

  @Test
  void anAcceptedRequestBody_thatBreaksTheSchema_fails_aRefusedOneIsNotChecked() {
    HttpRequest bad = post("/v1/api-keys", "{\"role\":\"ROOT\",\"name\":\"x\"}");
    String created = "{\"id\":\"7f8e0c43-5a59-4c55-9f3a-6f1a4b1e2d3c\",\"key\":\"sp_x\"}";
    assertThatThrownBy(
            () -> ContractCheck.exchange(bad, new Answer(bad, 201, "application/json", created)))
        .hasMessageContaining("request POST /v1/api-keys");
    ContractCheck.exchange(
        bad,
        new Answer(
            bad,
            422,
            "application/problem+json",
            "{\"type\":\"https://sealpost.dev/problems/invalid-field\",\"title\":\"t\","
                + "\"status\":422,\"field\":\"role\"}"));
  }

  @Test
  void anUndocumentedV1Operation_fails_unlessItIs404() {
    HttpRequest r = get("/v1/secrets");
    assertThatThrownBy(
            () -> ContractCheck.exchange(r, new Answer(r, 200, "application/json", "{}")))
        .hasMessageContaining("no such operation");
    ContractCheck.exchange(r, new Answer(r, 404, "application/problem+json", "{}"));
  }
}
