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
}
