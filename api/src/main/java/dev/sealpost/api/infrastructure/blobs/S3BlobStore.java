package dev.sealpost.api.infrastructure.blobs;

import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

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
    S3ClientBuilder cb =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .credentialsProvider(b.credentials)
            .forcePathStyle(b.pathStyle)
            .requestChecksumCalculation(
                software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(
                software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED);
    b.region.ifPresent(r -> cb.region(Region.of(r)));
    if (b.region.isEmpty() && b.endpoint.isPresent()) {
      // S3-compatible stores ignore the region, but SigV4 needs one.
      cb.region(Region.US_EAST_1);
    }
    b.endpoint.ifPresent(cb::endpointOverride);
    this.s3 = cb.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings; {@code bucket} is required, the rest default to AWS's own chains. */
  public static final class Builder {
    private String bucket;
    private Optional<String> region = Optional.empty();
    private Optional<URI> endpoint = Optional.empty();
    private boolean pathStyle;
    private Optional<String> sseKmsKeyId = Optional.empty();
    private AwsCredentialsProvider credentials;
    private int partSize = DEFAULT_PART_SIZE;

    private Builder() {}

    public Builder bucket(String bucket) {
      this.bucket = bucket;
      return this;
    }

    public Builder region(Optional<String> region) {
      this.region = Objects.requireNonNull(region);
      return this;
    }

    public Builder endpoint(Optional<URI> endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint);
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
      this.credentials = credentials;
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
      if (credentials == null) {
        credentials = DefaultCredentialsProvider.builder().build();
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

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  @Override
  public Upload upload(BlobKey key) {
    return new S3Upload(key.value());
  }

  /**
   * Buffers up to one part. The first full part starts a multipart upload; commit either puts the
   * single buffered part as one object or uploads the last part and completes the upload.
   */
  private final class S3Upload implements Upload {
    private final String key;
    private final PartStream stream = new PartStream();
    private final List<CompletedPart> parts = new ArrayList<>();
    private String uploadId;
    private long size;
    private boolean committed;
    private boolean closed;
    private boolean failed;

    S3Upload(String key) {
      this.key = key;
    }

    @Override
    public OutputStream stream() {
      return stream;
    }

    @Override
    public long commit() throws IOException {
      if (closed || committed || failed) {
        throw new IllegalStateException("upload already finished");
      }
      try {
        if (uploadId == null) {
          s3.putObject(
              putRequest(),
              RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(stream.buffer, 0, stream.count)));
        } else {
          if (stream.count > 0 || parts.isEmpty()) {
            uploadPart();
          }
          s3.completeMultipartUpload(
              r ->
                  r.bucket(bucket)
                      .key(key)
                      .uploadId(uploadId)
                      .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        }
        committed = true;
        return size;
      } catch (SdkException e) {
        fail();
        throw new IOException("S3 upload failed: " + firstLine(e), e);
      } finally {
        stream.release();
      }
    }

    private PutObjectRequest putRequest() {
      PutObjectRequest.Builder r = PutObjectRequest.builder().bucket(bucket).key(key);
      sseKmsKeyId.ifPresent(
          id -> r.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(id));
      return r.build();
    }

    private void flushPart() throws IOException {
      if (failed || committed || closed) {
        throw new IOException("upload already finished");
      }
      try {
        if (uploadId == null) {
          CreateMultipartUploadRequest.Builder r =
              CreateMultipartUploadRequest.builder().bucket(bucket).key(key);
          sseKmsKeyId.ifPresent(
              id -> r.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(id));
          uploadId = s3.createMultipartUpload(r.build()).uploadId();
        }
        uploadPart();
      } catch (SdkException e) {
        fail();
        throw new IOException("S3 upload failed: " + firstLine(e), e);
      }
    }

    private void uploadPart() {
      int number = parts.size() + 1;
      String etag =
          s3.uploadPart(
                  r ->
                      r.bucket(bucket)
                          .key(key)
                          .uploadId(uploadId)
                          .partNumber(number)
                          .contentLength((long) stream.count),
                  RequestBody.fromByteBuffer(
                      java.nio.ByteBuffer.wrap(stream.buffer, 0, stream.count)))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      stream.count = 0;
    }

    private void fail() {
      failed = true;
      abort();
    }

    private void abort() {
      if (uploadId != null) {
        String id = uploadId;
        uploadId = null;
        try {
          s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(id));
        } catch (SdkException e) {
          // Best effort: a lifecycle rule (AbortIncompleteMultipartUpload) catches what is left.
        }
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      stream.release();
      if (!committed) {
        abort();
      }
    }

    /** Writes into the part buffer; close() does not commit (a sealer may close what it gets). */
    private final class PartStream extends OutputStream {
      byte[] buffer = new byte[64 * 1024];
      int count;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (buffer == null) {
          throw new IOException("upload already finished");
        }
        while (len > 0) {
          if (count == buffer.length) {
            if (buffer.length < partSize) {
              buffer = Arrays.copyOf(buffer, Math.min(partSize, buffer.length * 2));
            } else {
              flushPart();
            }
          }
          int n = Math.min(len, buffer.length - count);
          System.arraycopy(b, off, buffer, count, n);
          count += n;
          off += n;
          len -= n;
          size += n;
        }
      }

      @Override
      public void close() {
        // not a commit
      }

      void release() {
        buffer = null;
      }
    }
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
