package dev.sealpost.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Shared by the ITs: the deployment is the real {@code target/api.war} (plus test-only classes),
 * and requests go over real HTTP. The server is configured through the environment Failsafe gives
 * it (see api/pom.xml: executions it-h2 and it-pg).
 */
public final class ItSupport {
  public static final String BOOTSTRAP_KEY = System.getenv("SEALPOST_BOOTSTRAP_ADMIN_KEY");
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          // HTTP/1.1: a stalled upload on a shared h2c connection must not block other requests.
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private ItSupport() {}

  /** The packaged war, as run.sh deploys it, with the test-only diagnostics resource. */
  public static WebArchive war() {
    String path = System.getProperty("warFile", "target/api.war");
    return ShrinkWrap.createFromZipFile(WebArchive.class, new File(path))
        .addClass(ItDiagnosticsResource.class);
  }

  /** Whether {@code needle} occurs in {@code hay} (ISO-8859-1 maps every byte to one char). */
  public static boolean containsBytes(byte[] hay, byte[] needle) {
    return new String(hay, java.nio.charset.StandardCharsets.ISO_8859_1)
        .contains(new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  /** Which database this run uses: {@code h2} or {@code postgresql}. */
  public static String database() {
    return System.getProperty("sealpost.it.db", "h2");
  }

  /** The same server, addressed through the loopback interface (a trusted proxy in the ITs). */
  public static URI viaLoopback(URL base) {
    return URI.create("http://127.0.0.1:" + base.getPort() + base.getPath());
  }

  public static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("request failed: " + e, e);
    }
  }

  public static HttpRequest.Builder request(URI uri, String apiKey) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    return b;
  }

  public static HttpResponse<String> get(URI uri, String apiKey) {
    return send(request(uri, apiKey).GET());
  }

  public static HttpResponse<String> postJson(URI uri, String apiKey, String json) {
    return send(
        request(uri, apiKey)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public static HttpResponse<String> patchJson(URI uri, String apiKey, String json) {
    return send(
        request(uri, apiKey)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
  }

  public static Map<String, Object> json(HttpResponse<String> response) {
    try {
      return JSONObjectUtils.parse(response.body());
    } catch (Exception e) {
      throw new AssertionError("not a JSON object: " + response.body(), e);
    }
  }

  /**
   * An audit event's detail without the request id the server appends to the events a request
   * causes ({@code requestId=<id>}, after {@code "; "} when there is another note); null when
   * nothing else is left.
   */
  public static String withoutRequestId(Object detail) {
    if (detail == null) {
      return null;
    }
    String d = detail.toString().replaceFirst("(^|; )requestId=[A-Za-z0-9._-]{1,64}$", "");
    return d.isEmpty() ? null : d;
  }

  /** Asserts an RFC 9457 answer with the given status and type slug, and no internals. */
  public static Map<String, Object> assertProblem(
      HttpResponse<String> response, int status, String slug) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    Map<String, Object> p = json(response);
    assertThat(p)
        .containsEntry("type", "https://sealpost.dev/problems/" + slug)
        .containsEntry("status", (long) status);
    assertThat(response.body()).doesNotContain("Exception", "\tat ", "dev.sealpost.", "SQL");
    return p;
  }
}
