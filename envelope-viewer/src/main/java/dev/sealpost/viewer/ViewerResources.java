package dev.sealpost.viewer;

import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the envelope viewer's files are in this jar and which headers they must be served with.
 *
 * <p>The api serves {@link #INDEX_RESOURCE} for every {@code GET /v/{envelopeId}/{recipientId}} and
 * the files under {@link #ASSETS_RESOURCE_DIR} at {@code /v/assets/{name}}, each with {@link
 * #securityHeaders()}. The viewer's texts, scripts and styles are all in those files: the page has
 * no inline script or style, so the Content-Security-Policy below needs no nonce or hash.
 *
 * <pre>{@code
 * try (InputStream html = ViewerResources.openIndex()) { ... }
 * ViewerResources.securityHeaders().forEach(response::header);
 * }</pre>
 */
public final class ViewerResources {

  /** Class-path location of the page returned for any {@code /v/{envelopeId}/{recipientId}}. */
  public static final String INDEX_RESOURCE = "META-INF/resources/v/index.html";

  /** Class-path folder of the assets, served at {@code /v/assets/}. */
  public static final String ASSETS_RESOURCE_DIR = "META-INF/resources/v/assets/";

  /**
   * Class-path location of the service worker, served at {@link #SERVICE_WORKER_PATH}. It streams a
   * large decrypted attachment to the browser's downloads (never caches, never fetches).
   */
  public static final String SERVICE_WORKER_RESOURCE = "META-INF/resources/v/sw.js";

  /** Where the service worker script is served. */
  public static final String SERVICE_WORKER_PATH = "/v/sw.js";

  /**
   * The service worker's scope: it handles only navigations under this path. Requests that reach
   * the server there (no worker answered) get {@code 204 No Content}, which leaves the page as it
   * is.
   */
  public static final String STREAM_SCOPE = "/v/stream/";

  /**
   * The viewer's Content-Security-Policy: same-origin script, style, fetch, images and the
   * same-origin service worker only.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self';"
          + " worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";

  // Asset names are content-hashed (viewer-XXXXXXXX.js): letters, digits, '-', '.', nothing else.
  private static final Pattern ASSET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private ViewerResources() {}

  /**
   * The response headers for the page and its assets. The link secret is in the URL fragment, which
   * never reaches the server; these keep the page from leaking anything else (no Referer, no cache,
   * no framing, no sniffing, no cross-origin window access).
   */
  public static Map<String, String> securityHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    h.put("Referrer-Policy", "no-referrer");
    h.put("X-Content-Type-Options", "nosniff");
    h.put("X-Frame-Options", "DENY");
    h.put("Cache-Control", "no-store");
    h.put("Cross-Origin-Opener-Policy", "same-origin");
    h.put("Cross-Origin-Resource-Policy", "same-origin");
    h.put("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    return Collections.unmodifiableMap(h);
  }

  /** Opens index.html from the class path. */
  public static InputStream openIndex() {
    InputStream in = ViewerResources.class.getClassLoader().getResourceAsStream(INDEX_RESOURCE);
    if (in == null) {
      throw new IllegalStateException(
          INDEX_RESOURCE + " is missing: the viewer bundle was not built");
    }
    return in;
  }

  /** Opens the service worker script (served as JavaScript at {@link #SERVICE_WORKER_PATH}). */
  public static InputStream openServiceWorker() {
    InputStream in =
        ViewerResources.class.getClassLoader().getResourceAsStream(SERVICE_WORKER_RESOURCE);
    if (in == null) {
      throw new IllegalStateException(
          SERVICE_WORKER_RESOURCE + " is missing: the viewer bundle was not built");
    }
    return in;
  }

  /**
   * Opens an asset by its file name (as requested at {@code /v/assets/{name}}), or empty when the
   * name is not a plain file name or no such asset exists.
   */
  public static Optional<InputStream> openAsset(String name) {
    if (name == null || !ASSET_NAME.matcher(name).matches() || name.contains("..")) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        ViewerResources.class.getClassLoader().getResourceAsStream(ASSETS_RESOURCE_DIR + name));
  }

  /** The Content-Type for an asset name. */
  public static String contentType(String name) {
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    if (name.endsWith(".svg")) {
      return "image/svg+xml";
    }
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    return "application/octet-stream";
  }
}
