package dev.sealpost.api.infrastructure.config;

/** A wrong or missing setting. The message is one line that starts with the key. */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String key;

  public ConfigException(String key, String problem) {
    super(key + " " + problem);
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** The first line of the root cause's message: what a one-line start failure can show. */
  public static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return msg.lines().findFirst().orElse(msg);
  }
}
