package dev.sealpost.api.infrastructure.blobs;

import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.NotFoundException;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The {@code filesystem} blob store: one file per object under {@code <data-dir>/blobs}. Objects
 * are written to a temporary file in {@code .tmp/} on the same file system and renamed into place,
 * so a reader never sees a partial object. Files are owner-only.
 */
public final class FileSystemBlobStore implements BlobStore {
  // Directories as private as the files in them: their names are tenant and envelope ids.
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIRECTORY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final Path root;
  private final Path tmp;

  private FileSystemBlobStore(Path root) {
    this.root = root;
    this.tmp = root.resolve(".tmp");
  }

  public static FileSystemBlobStore open(Path root) throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(root.toAbsolutePath().normalize());
    Files.createDirectories(store.tmp, OWNER_ONLY_DIRECTORY);
    store.clearAbandonedUploads();
    return store;
  }

  private void clearAbandonedUploads() throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private Path path(BlobKey key) {
    Path p = root.resolve(key.value()).normalize();
    if (!p.startsWith(root) || p.startsWith(tmp)) {
      throw new IllegalArgumentException("blob key escapes the store");
    }
    return p;
  }

  @Override
  public Upload upload(BlobKey key) throws IOException {
    Path target = path(key);
    Path temp = tmp.resolve(UUID.randomUUID() + ".part");
    OutputStream raw =
        Files.newOutputStream(
            Files.createFile(
                temp,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
            StandardOpenOption.WRITE);
    return new FileUpload(target, temp, raw);
  }

  private static final class FileUpload implements Upload {
    private final Path target;
    private final Path temp;
    private final CountingStream stream;
    private boolean committed;
    private boolean closed;

    FileUpload(Path target, Path temp, OutputStream raw) {
      this.target = target;
      this.temp = temp;
      this.stream = new CountingStream(new BufferedOutputStream(raw, 64 * 1024));
    }

    @Override
    public OutputStream stream() {
      return stream;
    }

    @Override
    public long commit() throws IOException {
      if (closed || committed) {
        throw new IllegalStateException("upload already finished");
      }
      stream.flush();
      stream.closeUnderlying();
      Files.createDirectories(target.getParent(), OWNER_ONLY_DIRECTORY);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      committed = true;
      return stream.count;
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      if (!committed) {
        try {
          stream.closeUnderlying();
        } finally {
          Files.deleteIfExists(temp);
        }
      }
    }
  }

  private static final class CountingStream extends FilterOutputStream {
    long count;
    private boolean underlyingClosed;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    /** Callers (e.g. a sealer) may close the stream they were given: that must not commit. */
    @Override
    public void close() throws IOException {
      flush();
    }

    void closeUnderlying() throws IOException {
      if (!underlyingClosed) {
        underlyingClosed = true;
        out.close();
      }
    }
  }

  @Override
  public InputStream get(BlobKey key) throws IOException {
    try {
      return Files.newInputStream(path(key));
    } catch (NoSuchFileException e) {
      throw new NotFoundException("blob");
    }
  }

  @Override
  public boolean exists(BlobKey key) {
    return Files.isRegularFile(path(key));
  }

  @Override
  public boolean delete(BlobKey key) throws IOException {
    Path p = path(key);
    boolean deleted = Files.deleteIfExists(p);
    pruneEmptyParents(p.getParent());
    return deleted;
  }

  @Override
  public int deleteAll(BlobKey prefix) throws IOException {
    Path dir = path(prefix);
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int count = 0;
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : paths) {
      if (Files.isRegularFile(p)) {
        count++;
      }
      Files.deleteIfExists(p);
    }
    pruneEmptyParents(dir.getParent());
    return count;
  }

  private void pruneEmptyParents(Path dir) {
    while (dir != null && dir.startsWith(root) && !dir.equals(root)) {
      try {
        Files.deleteIfExists(dir);
      } catch (DirectoryNotEmptyException e) {
        return;
      } catch (IOException e) {
        return;
      }
      dir = dir.getParent();
    }
  }

  @Override
  public boolean healthy() {
    return Files.isDirectory(tmp) && Files.isWritable(tmp);
  }
}
