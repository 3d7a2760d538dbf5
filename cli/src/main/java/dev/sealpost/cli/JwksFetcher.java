package dev.sealpost.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** Fetches a sender's published JWK set (e.g. {@code https://host/.well-known/jwks.json}). */
final class JwksFetcher {
  private static final Set<String> LOOPBACK_HOSTS =
      Set.of("localhost", "127.0.0.1", "[::1]", "::1");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private JwksFetcher() {}

  /**
   * The JWKS document at {@code url}. Only https, except on this machine (http://localhost), since
   * whoever can change the trusted keys in transit can forge any sender. Redirects are not
   * followed.
   */
  static String fetch(String url) throws IOException {
    URI uri = checkUrl(url);
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/jwk-set+json, application/json")
            .GET()
            .build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.io("interrupted while fetching " + uri, e);
    } catch (IOException e) {
      throw CliException.io("could not fetch " + uri + ": " + describe(e), e);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        String where =
            response
                .headers()
                .firstValue("Location")
                .map(l -> " (redirect to " + l + ")")
                .orElse("");
        throw CliException.io(
            "could not fetch " + uri + ": HTTP " + response.statusCode() + where, null);
      }
      byte[] bytes = body.readNBytes(JwkFiles.MAX_KEY_FILE_BYTES + 1);
      if (bytes.length > JwkFiles.MAX_KEY_FILE_BYTES) {
        throw CliException.io("the JWKS at " + uri + " is larger than 1 MiB", null);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  static URI checkUrl(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--jwks is not a URL: " + url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    if (host.isEmpty()) {
      throw CliException.usage("--jwks needs an absolute https URL, not " + url);
    }
    if (scheme.equals("https")) {
      return uri;
    }
    if (scheme.equals("http") && LOOPBACK_HOSTS.contains(host)) {
      return uri;
    }
    throw CliException.usage("--jwks must be an https URL (http only for localhost): " + url);
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
