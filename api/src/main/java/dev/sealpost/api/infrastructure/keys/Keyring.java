package dev.sealpost.api.infrastructure.keys;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The local master keys: a JSON file ({@code keyring.json}, mode 0600) holding versioned 256-bit
 * AES keys and which version is primary. New wraps use the primary; any listed version unwraps, so
 * {@link #rotate()} keeps old data readable. Created on first start.
 */
final class Keyring {
  private static final String FORMAT = "sealpost-keyring-v1";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Path file;
  private final TreeMap<Integer, byte[]> keys;
  private int primary;

  private Keyring(Path file, TreeMap<Integer, byte[]> keys, int primary) {
    this.file = file;
    this.keys = keys;
    this.primary = primary;
  }

  /** Loads the keyring, creating it with one fresh master key if the file does not exist. */
  static Keyring openOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      return load(file);
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    TreeMap<Integer, byte[]> keys = new TreeMap<>();
    keys.put(1, randomKey());
    Keyring ring = new Keyring(file, keys, 1);
    try {
      ring.write(false);
    } catch (FileAlreadyExistsException e) {
      return load(file); // another process created it first
    }
    return ring;
  }

  private static Keyring load(Path file) throws IOException {
    try {
      Map<String, Object> json =
          JSONObjectUtils.parse(Files.readString(file, StandardCharsets.UTF_8));
      if (!FORMAT.equals(json.get("format"))) {
        throw new IOException("keyring " + file + " has an unknown format");
      }
      TreeMap<Integer, byte[]> keys = new TreeMap<>();
      for (Map<String, Object> k : JSONObjectUtils.getJSONObjectArray(json, "keys")) {
        byte[] bytes = JSONObjectUtils.getBase64URL(k, "k").decode();
        if (bytes.length != 32) {
          throw new IOException("keyring " + file + " holds a key of the wrong size");
        }
        keys.put(JSONObjectUtils.getInt(k, "version"), bytes);
      }
      int primary = JSONObjectUtils.getInt(json, "primary");
      if (!keys.containsKey(primary)) {
        throw new IOException("keyring " + file + " names a primary key it does not hold");
      }
      return new Keyring(file, keys, primary);
    } catch (ParseException e) {
      throw new IOException("keyring " + file + " is not valid JSON");
    }
  }

  synchronized int primaryVersion() {
    return primary;
  }

  synchronized byte[] key(int version) {
    byte[] k = keys.get(version);
    return k == null ? null : k.clone();
  }

  /** Adds a new master key version and makes it primary. */
  synchronized int rotate() throws IOException {
    int next = keys.lastKey() + 1;
    keys.put(next, randomKey());
    primary = next;
    write(true);
    return next;
  }

  private void write(boolean replace) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("format", FORMAT);
    json.put("primary", primary);
    List<Object> list = new ArrayList<>();
    for (Map.Entry<Integer, byte[]> e : keys.entrySet()) {
      Map<String, Object> k = new LinkedHashMap<>();
      k.put("version", e.getKey());
      k.put("created", Instant.now().toString());
      k.put("k", Base64URL.encode(e.getValue()).toString());
      list.add(k);
    }
    json.put("keys", list);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + System.nanoTime());
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      Files.writeString(tmp, JSONObjectUtils.toJSONString(json), StandardCharsets.UTF_8);
      if (replace) {
        move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      } else {
        // A hard link fails if the target exists: no race can overwrite a master key.
        Files.createLink(file, tmp);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void move(Path from, Path to, StandardCopyOption option) throws IOException {
    try {
      Files.move(from, to, option, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, option);
    }
  }

  private static byte[] randomKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }
}
