package dev.sealpost.api.infrastructure.blobs;

import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.infrastructure.aws.AwsClientSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@code s3} blob store (AWS SDK v2, url-connection HTTP client). An object becomes visible
 * only when {@link Upload#commit()} finishes: small objects (up to one part) go up as one {@code
 * PutObject}; larger ones stream as a multipart upload of {@code partSize} parts (8 MiB by
 * default), so memory stays at one part per upload whatever the object size. An upload that fails
 * or is closed without commit is aborted, so no half-written object and no pending upload (whose
 * parts S3 would keep and bill) remains.
 *
 * <p>Checksums are computed and validated only where S3 requires them ({@code WHEN_REQUIRED}):
 * S3-compatible stores such as s3proxy reject the SDK's default trailing checksums. Optional
 * SSE-KMS names the key for every object written; without it the bucket's default encryption
 * applies.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
  /** S3's minimum size for every part but the last. */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

  private static final String HEALTH_PROBE_KEY = ".sealpost-health-probe";

  private final S3Client s3;
  private final String bucket;
  private final Optional<String> sseKmsKeyId;
  private final int partSize;

  private S3BlobStore(Builder b) {
    this.bucket = b.bucket;
    this.sseKmsKeyId = b.sseKmsKeyId;
    this.partSize = b.partSize;
    this.s3 =
        b.aws
            .build()
            .configure(S3Client.builder())
            .forcePathStyle(b.pathStyle)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings; {@code bucket} is required, the rest default to AWS's own chains. */
  public static final class Builder {
    private final AwsClientSettings.Builder aws = AwsClientSettings.builder();
    private String bucket;
    private boolean pathStyle;
    private Optional<String> sseKmsKeyId = Optional.empty();
    private int partSize = DEFAULT_PART_SIZE;

    private Builder() {}

    public Builder bucket(String bucket) {
      this.bucket = bucket;
      return this;
    }

    public Builder region(Optional<String> region) {
      aws.region(region);
      return this;
    }

    public Builder endpoint(Optional<URI> endpoint) {
      aws.endpoint(endpoint);
      return this;
    }

    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    public Builder sseKmsKeyId(Optional<String> keyId) {
      this.sseKmsKeyId = Objects.requireNonNull(keyId);
      return this;
    }

    /** Default: the SDK's default chain (environment, profile, ECS task role...). */
    public Builder credentials(AwsCredentialsProvider credentials) {
      aws.credentials(credentials);
      return this;
    }

    public Builder partSize(int partSize) {
      if (partSize < MIN_PART_SIZE) {
        throw new IllegalArgumentException("part size must be at least 5 MiB");
      }
      this.partSize = partSize;
      return this;
    }

    public S3BlobStore build() {
      if (bucket == null || bucket.isBlank()) {
        throw new IllegalStateException("bucket is required");
      }
      return new S3BlobStore(this);
    }
  }

  /**
   * Checks at start that the bucket answers; the message says what is wrong (without secrets).
   *
   * @throws IllegalStateException naming the problem
   */
  public void checkBucket() {
    try {
      s3.headBucket(r -> r.bucket(bucket));
    } catch (NoSuchBucketException e) {
      throw new IllegalStateException("bucket '" + bucket + "' does not exist");
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new IllegalStateException("bucket '" + bucket + "' does not exist");
      }
      throw new IllegalStateException(
          "bucket '" + bucket + "' refused access (HTTP " + e.statusCode() + ")");
    } catch (SdkClientException e) {
      throw new IllegalStateException("could not reach S3 (" + firstLine(e) + ")");
    }
  }

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  @Override
  public Upload upload(BlobKey key) {
    return new S3Upload(s3, bucket, key.value(), sseKmsKeyId, partSize);
  }

  @Override
  public InputStream get(BlobKey key) throws IOException {
    try {
      return s3.getObject(
          r -> r.bucket(bucket).key(key.value()), ResponseTransformer.toInputStream());
    } catch (NoSuchKeyException e) {
      throw new NotFoundException("blob");
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new NotFoundException("blob");
      }
      throw new IOException("S3 get failed: HTTP " + e.statusCode(), e);
    } catch (SdkException e) {
      throw new IOException("S3 get failed: " + firstLine(e), e);
    }
  }

  @Override
  public boolean exists(BlobKey key) throws IOException {
    return exists(key.value());
  }

  private boolean exists(String key) throws IOException {
    try {
      s3.headObject(r -> r.bucket(bucket).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw new IOException("S3 head failed: HTTP " + e.statusCode(), e);
    } catch (SdkException e) {
      throw new IOException("S3 head failed: " + firstLine(e), e);
    }
  }

  @Override
  public boolean delete(BlobKey key) throws IOException {
    boolean existed = exists(key.value());
    try {
      s3.deleteObject(r -> r.bucket(bucket).key(key.value()));
    } catch (SdkException e) {
      throw new IOException("S3 delete failed: " + firstLine(e), e);
    }
    return existed;
  }

  @Override
  public int deleteAll(BlobKey prefix) throws IOException {
    String p = prefix.value() + "/";
    int deleted = 0;
    try {
      String token = null;
      do {
        ListObjectsV2Request.Builder list =
            ListObjectsV2Request.builder().bucket(bucket).prefix(p).maxKeys(1000);
        if (token != null) {
          list.continuationToken(token);
        }
        ListObjectsV2Response page = s3.listObjectsV2(list.build());
        List<ObjectIdentifier> ids = new ArrayList<>();
        for (S3Object o : page.contents()) {
          ids.add(ObjectIdentifier.builder().key(o.key()).build());
        }
        if (!ids.isEmpty()) {
          DeleteObjectsResponse r =
              s3.deleteObjects(
                  d -> d.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build()));
          if (r.hasErrors() && !r.errors().isEmpty()) {
            throw new IOException(
                "S3 could not delete "
                    + r.errors().size()
                    + " object(s) under "
                    + p
                    + ": "
                    + r.errors().get(0).code());
          }
          deleted += ids.size();
        }
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null);
    } catch (SdkException e) {
      throw new IOException("S3 delete failed: " + firstLine(e), e);
    }
    return deleted;
  }

  /** A HEAD of a fixed key: 200 or 404 mean the bucket answers with these credentials. */
  @Override
  public boolean healthy() {
    try {
      exists(HEALTH_PROBE_KEY);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
