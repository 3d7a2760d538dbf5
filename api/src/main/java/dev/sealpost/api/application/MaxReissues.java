package dev.sealpost.api.application;

/** {@code sealpost.open.max-reissues}: how many new links one consumer recipient may get. */
public record MaxReissues(int value) {
  public MaxReissues {
    if (value < 0) {
      throw new IllegalArgumentException("max reissues must not be negative");
    }
  }
}
