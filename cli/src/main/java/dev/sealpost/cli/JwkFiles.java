package dev.sealpost.cli;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.client.auth.DecryptionKeyProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading and writing JWK and JWK set files. */
final class JwkFiles {
  /** A key file or a JWKS is small; anything bigger is not one. */
  static final int MAX_KEY_FILE_BYTES = 1 << 20;

  private JwkFiles() {}

  /** One JWK from a file (a JSON object with {@code kty}). */
  static JWK readJwk(Path file, String what) throws IOException {
    String json = readSmallFile(file, what);
    try {
      return JWK.parse(json);
    } catch (ParseException e) {
      throw CliException.usage(what + " " + file + " is not a JWK: " + e.getMessage());
    }
  }

  /** A private JWK (for decrypting or signing). */
  static JWK readPrivateJwk(Path file, String what) throws IOException {
    JWK jwk = readJwk(file, what);
    if (!jwk.isPrivate()) {
      throw CliException.usage(what + " " + file + " holds a public key; a private JWK is needed");
    }
    return jwk;
  }

  /**
   * Reads the private JWK files given as {@code --key} into one provider.
   *
   * @throws CliException a usage error naming {@code --key} if the keys do not fit together
   */
  static DecryptionKeyProvider readDecryptionKeys(List<Path> keys) throws IOException {
    List<JWK> privateKeys = new ArrayList<>();
    for (Path k : keys) {
      privateKeys.add(readPrivateJwk(k, "--key"));
    }
    try {
      return DecryptionKeyProvider.of(privateKeys);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--key: " + e.getMessage());
    }
  }

  /** The public keys in a file that holds a JWK or a JWK set ({@code {"keys":[...]}}). */
  static List<JWK> readPublicKeys(Path file, String what) throws IOException {
    String json = readSmallFile(file, what);
    List<JWK> parsed;
    try {
      Map<String, Object> object = JSONObjectUtils.parse(json);
      parsed =
          object.containsKey("keys") ? JWKSet.parse(object).getKeys() : List.of(JWK.parse(object));
    } catch (ParseException e) {
      throw CliException.usage(what + " " + file + " is not a JWK or JWK set: " + e.getMessage());
    }
    if (parsed.isEmpty()) {
      throw CliException.usage(what + " " + file + " holds an empty JWK set");
    }
    List<JWK> keys = new ArrayList<>();
    for (JWK k : parsed) {
      keys.add(k.toPublicJWK());
    }
    return keys;
  }

  static String readSmallFile(Path file, String what) throws IOException {
    if (Files.isDirectory(file)) {
      throw CliException.usage(what + " " + file + " is a directory, not a key file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
      if (bytes.length > MAX_KEY_FILE_BYTES) {
        throw CliException.usage(what + " " + file + " is too large for a key file");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /**
   * Writes a private key file readable by its owner only. The mode is set when the file is created,
   * so the key is never readable by others, not even for a moment; an existing file is never
   * overwritten.
   */
  static void writePrivate(Path file, String content) throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    boolean posix =
        file.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attributes =
        posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(
                  EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))
            }
            : new FileAttribute<?>[0];
    try (SeekableByteChannel ch = Files.newByteChannel(file, options, attributes)) {
      ByteBuffer buf = ByteBuffer.wrap((content + "\n").getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }
    if (!posix) {
      // Best effort where POSIX modes do not exist (Windows): owner-only read and write.
      java.io.File f = file.toFile();
      boolean ok =
          f.setReadable(false, false)
              && f.setReadable(true, true)
              && f.setWritable(false, false)
              && f.setWritable(true, true);
      if (!ok) {
        throw new IOException("could not restrict access to " + file);
      }
    }
  }

  /** Writes a public file (a public key), never overwriting an existing one. */
  static void writePublic(Path file, String content) throws IOException {
    Files.write(
        file,
        Arrays.asList(content),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
  }
}
