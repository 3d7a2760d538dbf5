package dev.sealpost.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --server} / {@code --api-key} (or {@code SEALPOST_SERVER} / {@code SEALPOST_API_KEY}) and
 * the GET requests of the audit commands, over java.net.http. The key is sent only as a bearer
 * token and never printed.
 */
final class AuditServer {
  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "The Sealpost server (default: $SEALPOST_SERVER).")
  String server;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description = "An AUDITOR API key (default: $SEALPOST_API_KEY).")
  String apiKey;

  private URI base() {
    String s = server != null ? server : System.getenv("SEALPOST_SERVER");
    if (s == null || s.isBlank()) {
      throw CliException.usage("no server: pass --server URL or set SEALPOST_SERVER");
    }
    URI uri;
    try {
      uri = URI.create(s.endsWith("/") ? s : s + "/");
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--server is not a URL: " + s);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
      throw CliException.usage("--server must be an http(s) URL: " + s);
    }
    return uri;
  }

  private String key() {
    String k = apiKey != null ? apiKey : System.getenv("SEALPOST_API_KEY");
    if (k == null || k.isBlank()) {
      throw CliException.usage("no API key: pass --api-key KEY or set SEALPOST_API_KEY");
    }
    return k.trim();
  }

  static String query(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      sb.append(sb.length() == 0 ? "?" : "&")
          .append(e.getKey())
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  /** GET {@code v1/<path>}; the body stream of a 200 answer (the caller closes it). */
  InputStream get(String path) throws IOException {
    URI uri = base().resolve("v1/" + path);
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + key())
            .header("User-Agent", "sealpost-cli")
            .GET()
            .build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.io("interrupted", e);
    } catch (IOException e) {
      throw CliException.io("could not reach " + base() + ": " + e.getMessage(), e);
    }
    if (response.statusCode() != 200) {
      String detail;
      try (InputStream body = response.body()) {
        detail = problem(new String(body.readNBytes(16 * 1024), StandardCharsets.UTF_8));
      }
      throw CliException.io(
          "the server answered " + response.statusCode() + " for " + uri.getPath() + detail, null);
    }
    return response.body();
  }

  /** GET a JSON object. */
  Map<String, Object> getJson(String path) throws IOException {
    try (InputStream in = get(path)) {
      byte[] body = in.readNBytes(16 * 1024 * 1024);
      return JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw CliException.io("the server's answer is not JSON", e);
    }
  }

  private static String problem(String body) {
    try {
      Map<String, Object> p = JSONObjectUtils.parse(body);
      Object title = p.get("title");
      Object detail = p.get("detail");
      return (title == null ? "" : ": " + title) + (detail == null ? "" : " (" + detail + ")");
    } catch (ParseException | RuntimeException e) {
      return "";
    }
  }
}
