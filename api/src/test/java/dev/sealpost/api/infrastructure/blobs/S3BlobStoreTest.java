package dev.sealpost.api.infrastructure.blobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.NotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The s3 adapter against a real S3-compatible server (s3proxy, in-process, SigV4 on). */
class S3BlobStoreTest {
  private static final String BUCKET = "sealpost-test";
  private static S3ProxyServer server;
  private static S3BlobStore store;
  private static S3Client raw;

  @BeforeAll
  static void start() throws Exception {
    server = S3ProxyServer.start(BUCKET);
    store =
        S3BlobStore.builder()
            .bucket(BUCKET)
            .endpoint(Optional.of(server.endpoint()))
            .pathStyle(true)
            .credentials(server.credentials())
            .build();
    raw =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(Region.US_EAST_1)
            .endpointOverride(server.endpoint())
            .forcePathStyle(true)
            .credentialsProvider(server.credentials())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    raw.close();
    store.close();
    server.close();
  }

  private static int pendingUploads(String prefix) {
    return raw.listMultipartUploads(r -> r.bucket(BUCKET).prefix(prefix)).uploads().size();
  }

  @Test
  void bucketCheck_passesForTheBucket_andNamesAMissingOne() {
    store.checkBucket();
    try (S3BlobStore other =
        S3BlobStore.builder()
            .bucket("no-such-bucket")
            .endpoint(Optional.of(server.endpoint()))
            .pathStyle(true)
            .credentials(server.credentials())
            .build()) {
      assertThatThrownBy(other::checkBucket)
          .hasMessageContaining("'no-such-bucket' does not exist");
    }
    assertThat(store.healthy()).isTrue();
  }

  @Test
  void putThenGet_roundTrips() throws IOException {
    BlobKey key = BlobKey.of("t1", "e1", "manifest.jwe");
    assertThat(store.put(key, new ByteArrayInputStream(new byte[] {1, 2, 3}))).isEqualTo(3);
    assertThat(store.exists(key)).isTrue();
    try (InputStream in = store.get(key)) {
      assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
    }
  }

  @Test
  void emptyBlob_roundTrips() throws IOException {
    BlobKey key = BlobKey.of("t1", "e2", "empty");
    assertThat(store.put(key, new ByteArrayInputStream(new byte[0]))).isZero();
    try (InputStream in = store.get(key)) {
      assertThat(in.readAllBytes()).isEmpty();
    }
  }

  @Test
  void largeBlob_streamsAsMultipartUpload_visibleOnlyAfterCommit() throws Exception {
    BlobKey key = BlobKey.of("t2", "e1", "big");
    long size = 21L * 1024 * 1024 + 12345; // three 8 MiB parts, the last one short
    MessageDigest written = MessageDigest.getInstance("SHA-256");
    Random random = new Random(42);
    byte[] chunk = new byte[64 * 1024 + 7];
    try (BlobStore.Upload up = store.upload(key)) {
      OutputStream out = up.stream();
      long left = size;
      while (left > 0) {
        int n = (int) Math.min(chunk.length, left);
        random.nextBytes(chunk);
        out.write(chunk, 0, n);
        written.update(chunk, 0, n);
        left -= n;
      }
      // Two full parts went up already, as a pending multipart upload; no object yet.
      assertThat(pendingUploads("t2/e1/")).isEqualTo(1);
      assertThat(store.exists(key)).isFalse();
      assertThat(up.commit()).isEqualTo(size);
    }
    assertThat(pendingUploads("t2/e1/")).isZero();
    MessageDigest read = MessageDigest.getInstance("SHA-256");
    long readBytes = 0;
    try (InputStream in = store.get(key)) {
      byte[] buf = new byte[100_000];
      for (int n; (n = in.read(buf)) > 0; ) {
        read.update(buf, 0, n);
        readBytes += n;
      }
    }
    assertThat(readBytes).isEqualTo(size);
    assertThat(read.digest()).isEqualTo(written.digest());
  }

  @Test
  void uploadClosedWithoutCommit_leavesNoObjectAndNoPendingUpload() throws IOException {
    BlobKey key = BlobKey.of("t3", "e1", "abandoned");
    try (BlobStore.Upload up = store.upload(key)) {
      up.stream().write(new byte[10 * 1024 * 1024]); // one part is up already
      assertThat(pendingUploads("t3/")).isEqualTo(1);
    }
    assertThat(pendingUploads("t3/")).isZero();
    assertThat(store.exists(key)).isFalse();
    BlobKey small = BlobKey.of("t3", "e1", "small");
    try (BlobStore.Upload up = store.upload(small)) {
      up.stream().write(new byte[100]);
    }
    assertThat(store.exists(small)).isFalse();
  }

  @Test
  void streamClosedByTheWriter_stillNeedsCommit() throws IOException {
    BlobKey key = BlobKey.of("t4", "e1", "a");
    try (BlobStore.Upload up = store.upload(key)) {
      up.stream().write(7);
      up.stream().close();
      assertThat(store.exists(key)).isFalse();
      assertThat(up.commit()).isEqualTo(1);
    }
    assertThat(store.exists(key)).isTrue();
  }

  @Test
  void deleteAll_removesEveryObjectUnderThePrefixOnly() throws IOException {
    for (int i = 0; i < 5; i++) {
      store.put(BlobKey.of("t5", "e1", "a" + i), new ByteArrayInputStream(new byte[] {1}));
    }
    store.put(BlobKey.of("t5", "e1x", "keep"), new ByteArrayInputStream(new byte[] {2}));
    store.put(BlobKey.of("t5", "e2", "keep"), new ByteArrayInputStream(new byte[] {3}));
    assertThat(store.deleteAll(BlobKey.of("t5", "e1"))).isEqualTo(5);
    assertThat(store.exists(BlobKey.of("t5", "e1", "a0"))).isFalse();
    assertThat(store.exists(BlobKey.of("t5", "e1x", "keep"))).isTrue();
    assertThat(store.exists(BlobKey.of("t5", "e2", "keep"))).isTrue();
    assertThat(store.deleteAll(BlobKey.of("t5", "e1"))).isZero();
  }

  @Test
  void missingKey_isNotFound_andDeleteSaysSo() throws IOException {
    BlobKey key = BlobKey.of("t6", "nothing", "here");
    assertThatThrownBy(() -> store.get(key)).isInstanceOf(NotFoundException.class);
    assertThat(store.exists(key)).isFalse();
    assertThat(store.delete(key)).isFalse();
    store.put(key, new ByteArrayInputStream(new byte[] {9}));
    assertThat(store.delete(key)).isTrue();
    assertThat(store.exists(key)).isFalse();
  }
}
