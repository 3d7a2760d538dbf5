package dev.sealpost.api.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds a planted canary (plaintext that must never reach the disk) in the files under a directory.
 * Only files written since a given instant are read: a canary the test made can be in no older
 * file, and a file written to since (a log, the database) has a newer modification time. That keeps
 * a search of a shared temp dir to the files of this run. Skipped: the test runners' own reports
 * (they print what the tests print), the test browser's profile (it holds what the viewer shows the
 * recipient, by design), class files and archives. Files vanishing or unreadable meanwhile (other
 * builds share the temp dir) are not searched. The skipped names are matched below {@code root}, so
 * a checkout under a directory named like them is still searched.
 */
public final class CanarySearch {
  private static final long MAX_FILE = 512L << 20;

  private CanarySearch() {}

  /** The files under {@code root} written since {@code since} that contain {@code needle}. */
  public static List<Path> filesContaining(Path root, Instant since, byte[] needle)
      throws IOException {
    List<Path> hits = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return hits;
    }
    FileTime after = FileTime.from(since);
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
            String name =
                root.relativize(f).toString(); // what lies above root may be named anything
            if (attrs.isRegularFile()
                && attrs.lastModifiedTime().compareTo(after) >= 0
                && attrs.size() <= MAX_FILE
                && !name.contains("sealpost-chromium")
                && !name.contains("surefire")
                && !name.contains("failsafe")
                && !name.endsWith(".class")
                && !name.endsWith(".jar")
                && !name.endsWith(".war")
                && contains(f, needle)) {
              hits.add(f);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
    return hits;
  }

  /** Streams the file in 64 KiB windows, a needle across two windows included. */
  private static boolean contains(Path file, byte[] needle) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      byte[] carry = new byte[0];
      int n;
      while ((n = in.read(buf)) > 0) {
        byte[] window = new byte[carry.length + n];
        System.arraycopy(carry, 0, window, 0, carry.length);
        System.arraycopy(buf, 0, window, carry.length, n);
        if (ItSupport.containsBytes(window, needle)) {
          return true;
        }
        int keep = Math.min(needle.length - 1, window.length);
        carry = Arrays.copyOfRange(window, window.length - keep, window.length);
      }
    } catch (IOException | RuntimeException e) {
      // gone or unreadable meanwhile: nothing to search
    }
    return false;
  }
}
