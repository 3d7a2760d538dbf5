package dev.sealpost.api.infrastructure.blobs;

import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.infrastructure.config.BlobsConfig;
import dev.sealpost.api.infrastructure.config.ConfigException;
import dev.sealpost.api.infrastructure.metrics.Metered;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The blob store ({@code sealpost.blobs}: a directory or an S3 bucket, checked before first use).
 */
@ApplicationScoped
public class BlobProducers {
  @Produces
  @ApplicationScoped
  BlobStore blobStore(BlobsConfig config, MetricRegistry metrics, Instance<Tracer> tracers) {
    return Metered.wrap(
        BlobStore.class, blobStore(config), metrics, Metered.tracer(tracers), "blobs");
  }

  private static BlobStore blobStore(BlobsConfig config) {
    if (config.kind().equals(BlobsConfig.FILESYSTEM)) {
      try {
        return FileSystemBlobStore.open(config.directory());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return s3(config);
  }

  private static S3BlobStore s3(BlobsConfig c) {
    S3BlobStore s3;
    try {
      s3 =
          S3BlobStore.builder()
              .bucket(c.bucket().orElseThrow())
              .region(c.region())
              .endpoint(c.endpoint())
              .pathStyle(c.pathStyle())
              .sseKmsKeyId(c.sseKmsKeyId())
              .build();
    } catch (RuntimeException e) {
      // the only setting the client itself can miss: no region here nor in the SDK's chain
      throw new ConfigException(
          "sealpost.s3.region",
          "is not set and the AWS SDK found none (" + ConfigException.describe(e) + ")");
    }
    try {
      s3.checkBucket();
    } catch (IllegalStateException e) {
      s3.close();
      throw new ConfigException("sealpost.s3.bucket", e.getMessage());
    }
    return s3;
  }

  void close(@Disposes BlobStore blobs) {
    if (Metered.unwrap(blobs) instanceof S3BlobStore s3) {
      s3.close();
    }
  }
}
