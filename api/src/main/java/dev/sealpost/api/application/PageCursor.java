package dev.sealpost.api.application;

import dev.sealpost.api.domain.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The opaque {@code cursor} of every list: base64url of {@code kind|seconds|nanos|id}, the last row
 * of the previous page (newest or oldest first by creation time, then id). {@code kind} keeps one
 * list's cursor from being replayed on another.
 */
final class PageCursor {
  /** A decoded position: the last row's creation time and id. */
  record Position(Instant createdAt, String id) {}

  private PageCursor() {}

  static String encode(String kind, Instant createdAt, Object id) {
    String raw = kind + "|" + createdAt.getEpochSecond() + "|" + createdAt.getNano() + "|" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws InvalidInputException naming {@code cursor} when it is not one of this kind
   */
  static Position decode(String kind, String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] p = raw.split("\\|");
      if (p.length != 4 || !p[0].equals(kind) || p[3].length() > 36) {
        throw new IllegalArgumentException();
      }
      return new Position(Instant.ofEpochSecond(Long.parseLong(p[1]), Long.parseLong(p[2])), p[3]);
    } catch (RuntimeException e) {
      throw new InvalidInputException("cursor", "is not a cursor this API gave out");
    }
  }
}
