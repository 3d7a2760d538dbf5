package dev.sealpost.api.infrastructure.keys;

import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.infrastructure.config.ConfigException;
import dev.sealpost.api.infrastructure.config.KeysConfig;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore;
import dev.sealpost.api.infrastructure.metrics.Metered;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The key service ({@code sealpost.keys}: the local keyring or AWS KMS, checked before first use)
 * and the {@link SecretSealer} built on it.
 */
@ApplicationScoped
public class KeyProducers {
  @Produces
  @ApplicationScoped
  KeyService keyService(
      KeysConfig config,
      Transactions tx,
      Jdbc jdbc,
      Clock clock,
      MetricRegistry metrics,
      Instance<Tracer> tracers) {
    return Metered.wrap(
        KeyService.class,
        keyService(config, tx, jdbc, clock),
        metrics,
        Metered.tracer(tracers),
        "keys");
  }

  private static KeyService keyService(KeysConfig config, Transactions tx, Jdbc jdbc, Clock clock) {
    JdbcSigningKeyStore store = new JdbcSigningKeyStore(jdbc);
    if (config.kind().equals(KeysConfig.LOCAL)) {
      try {
        return LocalKeyService.open(config.keyringFile(), tx, store, clock);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return kms(config, tx, store, clock);
  }

  private static KmsKeyService kms(
      KeysConfig c, Transactions tx, JdbcSigningKeyStore store, Clock clock) {
    KmsKeyService kms;
    try {
      KmsKeyService.Builder b =
          KmsKeyService.builder()
              .keyId(c.kmsKeyId().orElseThrow())
              .endpoint(c.kmsEndpoint())
              .signingKeys(tx, store)
              .clock(clock);
      c.kmsSigningKeyId().ifPresent(b::signingKeyId);
      kms = b.build();
    } catch (RuntimeException e) {
      throw new ConfigException(
          "sealpost.kms.key-id",
          "could not set up the KMS client (" + ConfigException.describe(e) + ")");
    }
    try {
      kms.checkKeys();
    } catch (KmsKeyService.StartCheckException e) {
      kms.close();
      throw new ConfigException(e.key(), "does not work: " + e.getMessage());
    }
    return kms;
  }

  void close(@Disposes KeyService keys) {
    if (keys instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // closing a client at shutdown: nothing left to protect
      }
    }
  }

  @Produces
  @ApplicationScoped
  SecretSealer secretSealer(KeyService keys) {
    return new AesGcmSecretSealer(keys);
  }
}
