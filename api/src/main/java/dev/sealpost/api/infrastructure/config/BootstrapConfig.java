package dev.sealpost.api.infrastructure.config;

import dev.sealpost.api.domain.ApiKeySecret;
import java.util.Optional;

/**
 * {@code sealpost.bootstrap-admin-key}: the first tenant's admin key, preset by the operator (32 to
 * 200 characters); when absent, the first start generates one and shows it once.
 */
public record BootstrapConfig(Optional<ApiKeySecret> presetAdminKey) {
  public static BootstrapConfig from(Settings s) {
    Optional<String> key = s.optional("sealpost.bootstrap-admin-key");
    if (key.isPresent() && (key.get().length() < 32 || key.get().length() > 200)) {
      throw new ConfigException(
          "sealpost.bootstrap-admin-key", "must be 32 to 200 characters long (a random secret)");
    }
    return new BootstrapConfig(key.map(ApiKeySecret::of));
  }
}
