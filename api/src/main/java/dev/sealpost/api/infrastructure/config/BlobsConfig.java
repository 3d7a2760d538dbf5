package dev.sealpost.api.infrastructure.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code sealpost.blobs=filesystem|s3} (default filesystem, under {@code <data-dir>/blobs}); for
 * s3: {@code sealpost.s3.bucket} (required), {@code sealpost.s3.region}, {@code
 * sealpost.s3.endpoint} (override for S3-compatible stores), {@code sealpost.s3.path-style}, {@code
 * sealpost.s3.sse-kms-key-id} (optional: SSE-KMS with this key for every object written; otherwise
 * the bucket's default encryption applies). For every store: {@code sealpost.blobs.orphan-grace}
 * (default PT1H: how long a seal may take before the objects it wrote count as orphans) and {@code
 * sealpost.blobs.orphan-sweep-interval} (default PT5M).
 */
public record BlobsConfig(
    String kind,
    Path directory,
    Optional<String> bucket,
    Optional<String> region,
    Optional<URI> endpoint,
    boolean pathStyle,
    Optional<String> sseKmsKeyId,
    Duration orphanGrace,
    Duration orphanSweepInterval) {

  public static final String FILESYSTEM = "filesystem";
  public static final String S3 = "s3";

  public static BlobsConfig from(Settings s, Path dataDir) {
    String kind = s.oneOf("sealpost.blobs", FILESYSTEM, List.of(FILESYSTEM, S3));
    Optional<String> bucket = s.optional("sealpost.s3.bucket");
    if (kind.equals(S3) && bucket.isEmpty()) {
      throw new ConfigException("sealpost.s3.bucket", "is required when sealpost.blobs=s3");
    }
    if (bucket.isPresent() && !bucket.get().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new ConfigException(
          "sealpost.s3.bucket", "is not a valid bucket name (got '" + bucket.get() + "')");
    }
    return new BlobsConfig(
        kind,
        dataDir.resolve("blobs"),
        bucket,
        s.optional("sealpost.s3.region"),
        s.httpUri("sealpost.s3.endpoint"),
        s.bool("sealpost.s3.path-style", false),
        s.optional("sealpost.s3.sse-kms-key-id"),
        s.positiveDuration("sealpost.blobs.orphan-grace", Duration.ofHours(1)),
        s.positiveDuration("sealpost.blobs.orphan-sweep-interval", Duration.ofMinutes(5)));
  }
}
