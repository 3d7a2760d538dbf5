package dev.sealpost.api.interfaces.rest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Follows the member names of every open JSON object (fed by {@link JsonLimitsInterceptor}'s
 * scanner) and refuses a name given twice in one object, comparing names after their escapes are
 * decoded ({@code "r\u006fle"} is {@code "role"}). Names are short: one over {@link #MAX_NAME}
 * bytes, or more than {@link #MAX_MEMBERS} members in one object, is refused too, which bounds the
 * memory this takes.
 */
final class JsonMemberNames {
  static final int MAX_NAME = 1024;
  static final int MAX_MEMBERS = 10_000;

  /** One entry per open container: the names seen so far, or null for an array. */
  private final List<Set<String>> open = new ArrayList<>();

  private boolean expectName;
  private boolean capturing;
  private String pending;
  private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
  private final StringBuilder name = new StringBuilder();
  private int unicodeDigits = -1;
  private int unicode;
  private int length;

  void open(boolean object) {
    open.add(object ? new HashSet<>() : null);
    expectName = object;
  }

  void close() {
    if (!open.isEmpty()) {
      open.remove(open.size() - 1);
    }
    expectName = false;
  }

  void comma() {
    expectName = !open.isEmpty() && open.get(open.size() - 1) != null;
  }

  void colon() {
    if (pending != null && !open.isEmpty() && open.get(open.size() - 1) != null) {
      Set<String> names = open.get(open.size() - 1);
      if (!names.add(pending)) {
        throw JsonLimitsInterceptor.malformed(
            "the member \"" + printable(pending) + "\" appears twice in one object");
      }
      if (names.size() > MAX_MEMBERS) {
        throw JsonLimitsInterceptor.malformed(
            "an object may have at most " + MAX_MEMBERS + " members");
      }
    }
    pending = null;
    expectName = false;
  }

  void stringStart() {
    capturing = expectName;
    expectName = false;
    pending = null;
    raw.reset();
    name.setLength(0);
    unicodeDigits = -1;
    length = 0;
  }

  void stringByte(byte b) {
    if (!capturing) {
      return;
    }
    if (unicodeDigits >= 0) {
      unicode = unicode * 16 + Character.digit(b, 16);
      if (++unicodeDigits == 4) {
        name.append((char) unicode);
        unicodeDigits = -1;
      }
      return;
    }
    count();
    raw.write(b);
  }

  /** The byte after a backslash. */
  void escaped(byte b) {
    if (!capturing) {
      return;
    }
    count();
    flush();
    switch (b) {
      case 'u' -> {
        unicodeDigits = 0;
        unicode = 0;
      }
      case 'n' -> name.append('\n');
      case 't' -> name.append('\t');
      case 'r' -> name.append('\r');
      case 'b' -> name.append('\b');
      case 'f' -> name.append('\f');
      default -> name.append((char) b);
    }
  }

  void stringEnd() {
    if (capturing) {
      flush();
      pending = name.toString();
      capturing = false;
    }
  }

  private void count() {
    if (++length > MAX_NAME) {
      throw JsonLimitsInterceptor.malformed(
          "a member name may have at most " + MAX_NAME + " bytes");
    }
  }

  private void flush() {
    if (raw.size() > 0) {
      name.append(new String(raw.toByteArray(), StandardCharsets.UTF_8));
      raw.reset();
    }
  }

  private static String printable(String s) {
    String p = s.replaceAll("[^\\x20-\\x7e]", "?");
    return p.length() > 40 ? p.substring(0, 40) + "..." : p;
  }
}
