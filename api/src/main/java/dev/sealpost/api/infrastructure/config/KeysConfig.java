package dev.sealpost.api.infrastructure.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code sealpost.keys=local|aws-kms} (default local: {@code <data-dir>/keyring.json}); for
 * aws-kms: {@code sealpost.kms.key-id} (symmetric, for data keys, required), {@code
 * sealpost.kms.endpoint}, and the optional legacy {@code sealpost.kms.signing-key-id} (the one key
 * that signed for every tenant before each tenant got its own KMS key; only checked at start).
 */
public record KeysConfig(
    String kind,
    Path keyringFile,
    Optional<String> kmsKeyId,
    Optional<String> kmsSigningKeyId,
    Optional<URI> kmsEndpoint) {

  public static final String LOCAL = "local";
  public static final String AWS_KMS = "aws-kms";

  public static KeysConfig from(Settings s, Path dataDir) {
    String kind = s.oneOf("sealpost.keys", LOCAL, List.of(LOCAL, AWS_KMS));
    Optional<String> keyId = s.optional("sealpost.kms.key-id");
    Optional<String> signingKeyId = s.optional("sealpost.kms.signing-key-id");
    if (kind.equals(AWS_KMS)) {
      if (keyId.isEmpty()) {
        throw new ConfigException("sealpost.kms.key-id", "is required when sealpost.keys=aws-kms");
      }
    }
    return new KeysConfig(
        kind,
        dataDir.resolve("keyring.json"),
        keyId,
        signingKeyId,
        s.httpUri("sealpost.kms.endpoint"));
  }
}
