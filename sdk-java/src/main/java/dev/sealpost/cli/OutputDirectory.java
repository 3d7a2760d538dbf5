package dev.sealpost.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The {@code --out} directory of seal, open and fetch: new or empty, never overwritten. */
final class OutputDirectory {
  private OutputDirectory() {}

  /** Refuses a path that is a file or a directory with anything in it. */
  static void checkUsable(Path out) throws IOException {
    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(out)) {
        throw CliException.io("--out " + out + " exists and is not a directory", null);
      }
      try (Stream<Path> entries = Files.list(out)) {
        if (entries.findAny().isPresent()) {
          throw CliException.io("--out " + out + " is not empty; not overwriting", null);
        }
      }
    }
  }

  /**
   * Creates the directory if it is missing; answers whether it did (so a failure can remove it).
   */
  static boolean create(Path out) throws IOException {
    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Files.createDirectories(out);
    return true;
  }

  /** Removes a directory this run created, if nothing is in it. */
  static void deleteIfEmpty(Path directory) {
    try {
      Files.deleteIfExists(directory);
    } catch (IOException ignored) {
      // Not empty: something else is in it, and it is not ours to remove.
    }
  }

  /** The success report of open and fetch: what was verified, then each file written. */
  static void printWritten(
      PrintWriter stdout,
      String verb,
      String envelopeId,
      String signerKeyId,
      Path out,
      List<String> names) {
    stdout.printf("%s envelope %s signed by %s%n", verb, envelopeId, signerKeyId);
    for (String n : names) {
      stdout.println(out.resolve(n));
    }
    stdout.flush();
  }
}
