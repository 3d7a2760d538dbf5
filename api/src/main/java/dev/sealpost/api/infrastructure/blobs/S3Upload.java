package dev.sealpost.api.infrastructure.blobs;

import dev.sealpost.api.domain.BlobStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * One upload of {@link S3BlobStore}. Buffers up to one part. The first full part starts a multipart
 * upload; commit either puts the single buffered part as one object or uploads the last part and
 * completes the upload.
 */
final class S3Upload implements BlobStore.Upload {
  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final Optional<String> sseKmsKeyId;
  private final int partSize;
  private final PartStream stream = new PartStream();
  private final List<CompletedPart> parts = new ArrayList<>();
  private String uploadId;
  private long size;
  private boolean committed;
  private boolean closed;
  private boolean failed;

  S3Upload(S3Client s3, String bucket, String key, Optional<String> sseKmsKeyId, int partSize) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.sseKmsKeyId = sseKmsKeyId;
    this.partSize = partSize;
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
            RequestBody.fromByteBuffer(ByteBuffer.wrap(stream.buffer, 0, stream.count)));
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
      throw new IOException("S3 upload failed: " + S3BlobStore.firstLine(e), e);
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
      throw new IOException("S3 upload failed: " + S3BlobStore.firstLine(e), e);
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
                RequestBody.fromByteBuffer(ByteBuffer.wrap(stream.buffer, 0, stream.count)))
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
