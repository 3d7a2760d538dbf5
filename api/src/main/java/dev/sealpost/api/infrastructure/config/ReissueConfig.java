package dev.sealpost.api.infrastructure.config;

/**
 * {@code sealpost.open.max-reissues} (default 3, 0 to 100): how many new links one consumer
 * recipient may get in its envelope's life, whoever asks. Each reissue may come with a lock lifted
 * by an ADMIN, so this also bounds the wrong answers anyone can try against a shared secret.
 */
public record ReissueConfig(int maxReissues) {
  public static final String MAX_REISSUES = "sealpost.open.max-reissues";
  public static final int DEFAULT_MAX_REISSUES = 3;
  public static final int MAX_MAX_REISSUES = 100;

  public static ReissueConfig from(Settings s) {
    return new ReissueConfig(s.integer(MAX_REISSUES, DEFAULT_MAX_REISSUES, 0, MAX_MAX_REISSUES));
  }
}
