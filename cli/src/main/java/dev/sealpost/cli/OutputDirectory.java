package dev.sealpost.cli;

import dev.sealpost.envelope.AttachmentDescriptor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/** The {@code --out} directory of seal, open and fetch: new or empty, never overwritten. */
final class OutputDirectory {
  private static final int IO_BUFFER = 1 << 17;

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

  /** Writes one attachment's plaintext, read to its end so every check runs, to {@code out}. */
  interface AttachmentWriter {
    void write(AttachmentDescriptor attachment, String fileName, OutputStream out)
        throws IOException;
  }

  /**
   * Writes each attachment as {@code open} (which downloads it) answers it, with progress on {@code
   * err}. Reading to the end runs every check the verifying stream makes: each chunk's tag, the
   * final chunk, the size and the SHA-256 (for a reply also the receipt's SHA-256 of the object).
   */
  static AttachmentWriter downloading(Function<String, InputStream> open, PrintWriter err) {
    return (a, name, os) -> {
      try (InputStream plaintext =
          Progress.wrap(
              ServerOptions.call(() -> open.apply(a.id())), "fetching " + name, a.size(), err)) {
        ServerOptions.call(
            () -> {
              try {
                return plaintext.transferTo(os);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
      }
    };
  }

  /**
   * Open and fetch: creates {@code out} if missing, writes {@code message.txt} and each attachment
   * under a sanitised, distinct name as staged files, renamed into place only once every one has
   * verified. On any failure nothing stays, and a directory this call created is removed. Answers
   * the names written.
   */
  static List<String> writeStaged(
      Path out, String message, List<AttachmentDescriptor> attachments, AttachmentWriter writer)
      throws IOException {
    boolean created = create(out);
    List<String> names = new ArrayList<>();
    try (OpenCommand.StagedFiles staged = new OpenCommand.StagedFiles(out)) {
      FileNames fileNames = new FileNames();
      fileNames.reserve(OpenCommand.MESSAGE_FILE);
      try (OutputStream os = staged.create(OpenCommand.MESSAGE_FILE)) {
        os.write(message.getBytes(StandardCharsets.UTF_8));
      }
      names.add(OpenCommand.MESSAGE_FILE);
      for (AttachmentDescriptor a : attachments) {
        String name = fileNames.allocate(a.name());
        try (OutputStream os = new BufferedOutputStream(staged.create(name), IO_BUFFER)) {
          writer.write(a, name, os);
        }
        names.add(name);
      }
      staged.commit();
    } catch (RuntimeException | IOException | Error e) {
      if (created) {
        deleteIfEmpty(out);
      }
      throw e;
    }
    return names;
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

  /**
   * Copies {@code in} to standard output when {@code out} is null, else to {@code out} through a
   * temporary file beside it, moved into place only once complete (a failed download leaves no
   * half-written file under the asked name).
   */
  static void toFileOrStdout(InputStream in, Path out, String tempPrefix) throws IOException {
    if (out == null) {
      OutputStream stdout = System.out;
      in.transferTo(stdout);
      stdout.flush();
      return;
    }
    Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), tempPrefix, ".part");
    try {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
