package dev.sealpost.viewer;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the auditor console's files are in this jar: the api serves {@link #INDEX_RESOURCE} at
 * {@code /audit/} and the files under {@link #ASSETS_RESOURCE_DIR} at {@code /audit/assets/{name}},
 * each with {@link #securityHeaders()} (the viewer's: same-origin script, style, fetch and images
 * only, no framing, no cache, no Referer). The console calls only {@code /v1/audit/...} and {@code
 * /.well-known/jwks.json} on the same origin.
 */
public final class ConsoleResources {

  /** Class-path location of the console page. */
  public static final String INDEX_RESOURCE = "META-INF/resources/audit/index.html";

  /** Class-path folder of its assets, served at {@code /audit/assets/}. */
  public static final String ASSETS_RESOURCE_DIR = "META-INF/resources/audit/assets/";

  private static final Pattern ASSET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private ConsoleResources() {}

  /** The console's response headers: exactly the viewer's ({@link ViewerResources}). */
  public static Map<String, String> securityHeaders() {
    return ViewerResources.securityHeaders();
  }

  /** Opens the console's index.html from the class path. */
  public static InputStream openIndex() {
    InputStream in = ConsoleResources.class.getClassLoader().getResourceAsStream(INDEX_RESOURCE);
    if (in == null) {
      throw new IllegalStateException(
          INDEX_RESOURCE + " is missing: the console bundle was not built");
    }
    return in;
  }

  /** Opens an asset by its plain file name, or empty when there is none by that name. */
  public static Optional<InputStream> openAsset(String name) {
    if (name == null || !ASSET_NAME.matcher(name).matches() || name.contains("..")) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        ConsoleResources.class.getClassLoader().getResourceAsStream(ASSETS_RESOURCE_DIR + name));
  }
}
