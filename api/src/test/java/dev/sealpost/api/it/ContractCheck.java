package dev.sealpost.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Every HTTP exchange of the ITs checked against openapi.yaml: the answer's status must be one the
 * operation lists, its body must match the schema of its media type (problem+json included), and a
 * request body the server accepted (2xx) must match the operation's request schema. {@link
 * ItSupport#send} calls {@link #exchange} for every request; clients of their own call it too.
 *
 * <p>Each check is recorded by operationId, so {@link OpenApiCoverageIT} (run after the other ITs)
 * can fail when an operation of the document was never exercised.
 *
 * <p>A mismatch fails the test that sent the request. To see every mismatch of a run at once, pass
 * {@code -Dsealpost.it.contract=list}: they are then appended to {@code
 * target/openapi-mismatches.txt} instead.
 */
public final class ContractCheck {
  private static final int MAX_CAPTURED_BODY = 1 << 20;
  private static final Set<String> RECORDED = ConcurrentHashMap.newKeySet();
  private static volatile List<Route> routes;

  private ContractCheck() {}

  /** One {@code METHOD path-template} of the document, with the regex that matches its paths. */
  record Route(String method, String template, Pattern pattern, int literals, JsonNode operation) {
    String operationId() {
      return operation.path("operationId").asString();
    }
  }

  /** Checks one exchange; the request body is read back from its publisher when it is small. */
  public static void exchange(HttpRequest request, HttpResponse<String> response) {
    exchange(request, capture(request).orElse(null), response.statusCode(), response, true);
  }

  /** As {@link #exchange(HttpRequest, HttpResponse)}, for an answer whose body is not text. */
  public static void exchangeWithoutBody(HttpRequest request, HttpResponse<?> response) {
    exchange(request, capture(request).orElse(null), response.statusCode(), response, false);
  }

  private static void exchange(
      HttpRequest request,
      String requestBody,
      int status,
      HttpResponse<?> response,
      boolean textBody) {
    try {
      check(request, requestBody, status, response, textBody);
    } catch (AssertionError e) {
      // -Dsealpost.it.contract=list: note every mismatch of a run instead of stopping at the first.
      if (!"list".equals(System.getProperty("sealpost.it.contract"))) {
        throw e;
      }
      synchronized (ContractCheck.class) {
        try {
          Files.writeString(
              Path.of("target", "openapi-mismatches.txt"),
              e.getMessage().replace('\n', ' ') + "\n",
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        } catch (IOException io) {
          throw new UncheckedIOException(io);
        }
      }
    }
  }

  private static void check(
      HttpRequest request,
      String requestBody,
      int status,
      HttpResponse<?> response,
      boolean textBody) {
    String method = request.method().equals("HEAD") ? "GET" : request.method();
    URI uri = request.uri();
    Optional<Route> found = route(method, uri.getPath());
    if (found.isEmpty()) {
      boolean undocumentedApi =
          uri.getPath().contains("/v1/") && !uri.getPath().contains("/v1/it-");
      assertThat(undocumentedApi && status != 404 && status != 405)
          .as("%s %s answered %d but openapi.yaml has no such operation", method, uri, status)
          .isFalse();
      return;
    }
    Route route = found.get();
    String what = route.method() + " " + route.template() + " -> " + status;
    JsonNode answer = route.operation().path("responses").path(Integer.toString(status));
    assertThat(answer.isMissingNode())
        .as(
            "openapi.yaml lists no %d answer for %s %s; the answer was %s",
            status, route.method(), route.template(), textBody ? response.body() : "(bytes)")
        .isFalse();
    answer = OpenApiContract.resolveResponse(answer);
    String mediaType = mediaType(response.headers().firstValue("Content-Type").orElse(""));
    Object body = textBody ? response.body() : null;
    boolean hasBody =
        !request.method().equals("HEAD")
            && (textBody ? !((String) body).isEmpty() : !mediaType.isEmpty());
    JsonNode content = answer.path("content");
    if (hasBody) {
      assertThat(content.has(mediaType))
          .as("%s answered %s; openapi.yaml lists %s", what, mediaType, content.propertyNames())
          .isTrue();
      if (textBody && isJson(mediaType)) {
        OpenApiContract.validate(content.path(mediaType).path("schema"), (String) body, what);
      }
    } else if (!request.method().equals("HEAD")) {
      assertThat(content.isMissingNode() || content.isEmpty())
          .as("%s answered no body; openapi.yaml lists %s", what, content.propertyNames())
          .isTrue();
    }
    record(status / 100 == 2 ? "answer" : "problem", route.operationId());
    if (status / 100 == 2 && requestBody != null) {
      checkRequest(route, request, requestBody);
    }
  }

  private static void checkRequest(Route route, HttpRequest request, String body) {
    String mediaType = mediaType(request.headers().firstValue("Content-Type").orElse(""));
    if (body.isEmpty()) {
      return; // no body (a Content-Type on an empty POST says nothing)
    }
    JsonNode content = route.operation().path("requestBody").path("content");
    String what = "request " + route.method() + " " + route.template();
    assertThat(content.has(mediaType))
        .as(
            "%s was accepted as %s; openapi.yaml lists %s",
            what, mediaType, content.propertyNames())
        .isTrue();
    if (isJson(mediaType)) {
      OpenApiContract.validate(content.path(mediaType).path("schema"), body, what);
    }
    record("request", route.operationId());
  }

  /**
   * Remembers a checked operation, and appends it to the file {@code sealpost.it.coverageFile}
   * names (api/pom.xml: one per database and build) the first time, for {@link OpenApiCoverageIT}
   * in a later Failsafe execution.
   */
  private static void record(String kind, String operationId) {
    if (!RECORDED.add(kind + " " + operationId)) {
      return;
    }
    String file = System.getProperty("sealpost.it.coverageFile");
    if (file == null) {
      return;
    }
    synchronized (ContractCheck.class) {
      try {
        Path path = Path.of(file);
        Files.createDirectories(path.getParent());
        Files.writeString(
            path,
            kind + " " + operationId + "\n",
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The operation a request names: literal segments win over templates. */
  static Optional<Route> route(String method, String path) {
    return routes().stream()
        .filter(r -> r.method().equals(method) && r.pattern().matcher(path).matches())
        .max(Comparator.comparingInt(Route::literals));
  }

  static List<Route> routes() {
    if (routes == null) {
      List<Route> all = new ArrayList<>();
      for (Map.Entry<String, JsonNode> path :
          OpenApiContract.document().get("paths").properties()) {
        String template = path.getKey();
        // Any one leading segment: the ITs deploy the war under a context root (/api/v1/...).
        String regex =
            "(?:/[^/]+)?"
                + Pattern.compile("\\{[^}]+}")
                    .splitAsStream(template)
                    .map(Pattern::quote)
                    .reduce((a, b) -> a + "[^/]+" + b)
                    .orElse("");
        if (template.endsWith("}")) {
          regex += "[^/]+";
        }
        int literals = template.replaceAll("\\{[^}]+}", "").length();
        for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
          if (op.getValue().has("operationId")) {
            all.add(
                new Route(
                    op.getKey().toUpperCase(Locale.ROOT),
                    template,
                    Pattern.compile(regex),
                    literals,
                    op.getValue()));
          }
        }
      }
      routes = List.copyOf(all);
    }
    return routes;
  }

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  private static boolean isJson(String mediaType) {
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }

  /** The request body, when its publisher has a known small length (never a streamed upload). */
  static Optional<String> capture(HttpRequest request) {
    Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
    if (publisher.isEmpty()
        || publisher.get().contentLength() < 0
        || publisher.get().contentLength() > MAX_CAPTURED_BODY) {
      return Optional.empty();
    }
    CompletableFuture<byte[]> bytes = new CompletableFuture<>();
    publisher
        .get()
        .subscribe(
            new Flow.Subscriber<ByteBuffer>() {
              private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

              @Override
              public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(ByteBuffer item) {
                byte[] b = new byte[item.remaining()];
                item.get(b);
                out.writeBytes(b);
              }

              @Override
              public void onError(Throwable t) {
                bytes.completeExceptionally(t);
              }

              @Override
              public void onComplete() {
                bytes.complete(out.toByteArray());
              }
            });
    try {
      return Optional.of(new String(bytes.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new AssertionError("cannot read back the request body of " + request, e);
    }
  }
}
