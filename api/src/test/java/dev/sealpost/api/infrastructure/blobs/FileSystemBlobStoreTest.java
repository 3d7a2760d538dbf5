package dev.sealpost.api.infrastructure.blobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.NotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest {
  @TempDir Path dir;

  @Test
  void putThenGet_roundTrips_ownerOnly() throws IOException {
    BlobStore store = FileSystemBlobStore.open(dir);
    BlobKey key = BlobKey.of("tenant", "envelope", "attachment");
    assertThat(store.put(key, new ByteArrayInputStream(new byte[] {1, 2, 3}))).isEqualTo(3);
    try (InputStream in = store.get(key)) {
      assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
    }
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key.value()))))
        .isEqualTo("rw-------");
  }

  @Test
  void uncommittedUpload_leavesNothing() throws IOException {
    BlobStore store = FileSystemBlobStore.open(dir);
    BlobKey key = BlobKey.of("t", "e", "a");
    try (BlobStore.Upload up = store.upload(key)) {
      up.stream().write(new byte[1000]);
      assertThat(store.exists(key)).isFalse(); // invisible while being written
    }
    assertThat(store.exists(key)).isFalse();
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void streamClosedByTheWriter_stillNeedsCommit() throws IOException {
    BlobStore store = FileSystemBlobStore.open(dir);
    BlobKey key = BlobKey.of("t", "e", "b");
    try (BlobStore.Upload up = store.upload(key)) {
      up.stream().write(7);
      up.stream().close();
      assertThat(up.commit()).isEqualTo(1);
    }
    assertThat(store.exists(key)).isTrue();
  }

  @Test
  void deleteAndDeleteAll_removeObjects() throws IOException {
    BlobStore store = FileSystemBlobStore.open(dir);
    store.put(BlobKey.of("t", "e1", "a"), new ByteArrayInputStream(new byte[1]));
    store.put(BlobKey.of("t", "e1", "b"), new ByteArrayInputStream(new byte[1]));
    store.put(BlobKey.of("t", "e2", "a"), new ByteArrayInputStream(new byte[1]));
    assertThat(store.delete(BlobKey.of("t", "e2", "a"))).isTrue();
    assertThat(store.delete(BlobKey.of("t", "e2", "a"))).isFalse();
    assertThat(store.deleteAll(BlobKey.of("t", "e1"))).isEqualTo(2);
    assertThatThrownBy(() -> store.get(BlobKey.of("t", "e1", "a")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void keysCannotEscapeTheStore() {
    assertThatThrownBy(() -> new BlobKey("../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BlobKey("a//b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BlobKey("/abs")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BlobKey(".hidden")).isInstanceOf(IllegalArgumentException.class);
  }
}
