package dev.sealpost.api.infrastructure.jdbc;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;
import org.h2.store.fs.disk.FilePathDisk;

/**
 * H2's file system, with every file it creates owner-only (0600) and every directory 0700, whatever
 * the process umask: the database file, its trace file and temporary result files hold envelope
 * metadata and wrapped keys, like everything else under the data directory. Used as the H2 file
 * name prefix {@value #SCHEME}{@code :} (see {@link #url}); the files themselves are H2's usual
 * ones, so a database written without it opens with it and the other way round.
 */
public final class OwnerOnlyH2Files extends FilePathWrapper {
  static final String SCHEME = "sealpost-owner-only";
  private static final String FILE_URL = "jdbc:h2:file:";
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  static {
    FilePath.register(new OwnerOnlyH2Files());
  }

  /**
   * {@code url} reading its files through this class when it names an H2 file database ({@code
   * jdbc:h2:file:}); after the directory is made owner-only and the files already there are
   * tightened (a database written before). Other URLs come back unchanged.
   */
  public static String url(String url) {
    if (!url.startsWith(FILE_URL)) {
      return url;
    }
    String name = url.substring(FILE_URL.length());
    int options = name.indexOf(';');
    Path base =
        Path.of(
            FilePathDisk.expandUserHomeDirectory(options < 0 ? name : name.substring(0, options)));
    Path directory = base.toAbsolutePath().getParent();
    if (directory == null || !supportsPosix(directory)) {
      return url; // no POSIX permissions to set (e.g. Windows): H2's files as they are
    }
    tighten(directory);
    return "jdbc:h2:" + SCHEME + ":file:" + name;
  }

  private static boolean supportsPosix(Path directory) {
    Path existing = directory;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      return existing != null && Files.getFileStore(existing).supportsFileAttributeView("posix");
    } catch (IOException e) {
      return false;
    }
  }

  /** Creates {@code directory} 0700, or makes it 0700 and every file directly in it 0600. */
  private static void tighten(Path directory) {
    try {
      if (!Files.isDirectory(directory)) {
        Path parent = directory.getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.createDirectory(directory, attribute(DIRECTORY));
        return;
      }
      Files.setPosixFilePermissions(directory, DIRECTORY);
      try (Stream<Path> files = Files.list(directory)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          if (Files.isRegularFile(f)) {
            Files.setPosixFilePermissions(f, FILE);
          }
        }
      }
    } catch (FileAlreadyExistsException e) {
      tighten(directory); // created meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the database directory owner-only", e);
    }
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileChannel open(String mode) throws IOException {
    if (!mode.equals("r")) {
      createOwnerOnly();
    }
    return super.open(mode);
  }

  @Override
  public OutputStream newOutputStream(boolean append) throws IOException {
    createOwnerOnly();
    return super.newOutputStream(append);
  }

  @Override
  public boolean createFile() {
    try {
      return createOwnerOnly();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void createDirectory() {
    if (!Files.isDirectory(path())) {
      try {
        Files.createDirectory(path(), attribute(DIRECTORY));
      } catch (FileAlreadyExistsException e) {
        // a race with another creator: the directory is there, as asked
      } catch (IOException e) {
        super.createDirectory(); // H2's own error for it
      }
    }
  }

  @Override
  public FilePath createTempFile(String suffix, boolean inTempDir) throws IOException {
    FilePath created = getBase().createTempFile(suffix, inTempDir);
    Path file = Path.of(created.toString());
    if (Files.exists(file)) {
      Files.setPosixFilePermissions(file, FILE);
    }
    return wrap(created);
  }

  /** True when this call created the (empty, 0600) file; false when it was there. */
  private boolean createOwnerOnly() throws IOException {
    try {
      Files.createFile(path(), attribute(FILE));
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  private Path path() {
    return Path.of(getBase().toString());
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(
      Set<PosixFilePermission> permissions) {
    return PosixFilePermissions.asFileAttribute(permissions);
  }
}
