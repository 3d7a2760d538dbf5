package dev.sealpost.api.infrastructure.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Raw {@code sealpost.*} settings with typed, validating getters. Every failure is a {@link
 * ConfigException} naming the key. Backed by MicroProfile Config in the server, by a map in tests.
 */
public final class Settings {
  private final Function<String, Optional<String>> source;

  private Settings(Function<String, Optional<String>> source) {
    this.source = source;
  }

  public static Settings of(Function<String, Optional<String>> source) {
    return new Settings(source);
  }

  public static Settings of(Map<String, String> values) {
    return new Settings(key -> Optional.ofNullable(values.get(key)));
  }

  public Optional<String> optional(String key) {
    return source.apply(key).map(String::trim).filter(v -> !v.isEmpty());
  }

  public String string(String key, String defaultValue) {
    return optional(key).orElse(defaultValue);
  }

  public String required(String key, String why) {
    return optional(key).orElseThrow(() -> new ConfigException(key, "is required " + why));
  }

  public String oneOf(String key, String defaultValue, List<String> allowed) {
    String value = string(key, defaultValue);
    if (!allowed.contains(value)) {
      throw new ConfigException(
          key, "must be one of " + String.join(", ", allowed) + " (got '" + value + "')");
    }
    return value;
  }

  public boolean bool(String key, boolean defaultValue) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    return switch (value.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new ConfigException(key, "must be true or false (got '" + value.get() + "')");
    };
  }

  public int integer(String key, int defaultValue, int min, int max) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(value.get());
      if (n < min || n > max) {
        throw new ConfigException(
            key, "must be between " + min + " and " + max + " (got " + n + ")");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "must be a whole number (got '" + value.get() + "')");
    }
  }

  public Duration positiveDuration(String key, Duration defaultValue) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      Duration d = Duration.parse(value.get());
      if (d.isNegative() || d.isZero()) {
        throw new ConfigException(
            key, "must be a positive ISO-8601 duration (got '" + value.get() + "')");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          key, "must be an ISO-8601 duration such as PT1M (got '" + value.get() + "')");
    }
  }

  /** An absolute http(s) URI, if set. */
  public Optional<URI> httpUri(String key) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(value.get());
      String scheme = uri.getScheme();
      if (uri.getHost() == null
          || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
        throw new ConfigException(
            key, "must be an absolute http(s) URL (got '" + value.get() + "')");
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "must be an absolute http(s) URL (got '" + value.get() + "')");
    }
  }
}
