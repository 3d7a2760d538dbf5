package dev.sealpost.cli;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Safe local file names for attachment names chosen by a sender. A name from an envelope is
 * untrusted text: it must not climb out of the output directory, hide as a dot file, carry control
 * or bidirectional-override characters, or clash with another file.
 */
final class FileNames {
  /** Well under the usual 255-byte limit, leaving room for a " (NN)" suffix. */
  static final int MAX_BYTES = 200;

  private static final Pattern WINDOWS_RESERVED =
      Pattern.compile("(?i)(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\\..*)?");
  private static final String FALLBACK = "attachment";

  private final Set<String> taken = new HashSet<>();

  /** Marks a name as used (e.g. {@code message.txt}) so no attachment gets it. */
  void reserve(String name) {
    taken.add(key(name));
  }

  /** A sanitised name for {@code untrusted}, distinct (ignoring case) from every earlier one. */
  String allocate(String untrusted) {
    String name = sanitise(untrusted);
    if (taken.add(key(name))) {
      return name;
    }
    int dot = extensionStart(name);
    String base = name.substring(0, dot);
    String ext = name.substring(dot);
    for (int i = 2; ; i++) {
      String candidate = base + " (" + i + ")" + ext;
      if (taken.add(key(candidate))) {
        return candidate;
      }
    }
  }

  /** One path segment that is safe on Linux, macOS and Windows. */
  static String sanitise(String untrusted) {
    String s = untrusted == null ? "" : Normalizer.normalize(untrusted, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            cp -> {
              if (isUnsafe(cp)) {
                out.append('_');
              } else {
                out.appendCodePoint(cp);
              }
            });
    String name = out.toString();
    // No ".", "..", hidden files or names Windows would silently trim.
    name = name.replaceAll("^[\\s.]+", "").replaceAll("[\\s.]+$", "");
    if (name.isEmpty()) {
      name = FALLBACK;
    }
    if (WINDOWS_RESERVED.matcher(name).matches()) {
      name = "_" + name;
    }
    return truncate(name);
  }

  private static boolean isUnsafe(int cp) {
    switch (cp) {
      case '/':
      case '\\':
      case ':':
      case '*':
      case '?':
      case '"':
      case '<':
      case '>':
      case '|':
        return true;
      default:
        break;
    }
    int type = Character.getType(cp);
    return type == Character.CONTROL // C0, DEL, C1
        || type == Character.FORMAT // bidi overrides (U+202E), zero-width characters
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.PRIVATE_USE
        || type == Character.SURROGATE
        || type == Character.UNASSIGNED;
  }

  private static String truncate(String name) {
    if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
      return name;
    }
    int dot = extensionStart(name);
    String ext = name.substring(dot);
    if (ext.getBytes(StandardCharsets.UTF_8).length > 20) {
      ext = "";
    }
    int budget = MAX_BYTES - ext.getBytes(StandardCharsets.UTF_8).length;
    StringBuilder base = new StringBuilder();
    int used = 0;
    String stem = name.substring(0, ext.isEmpty() ? name.length() : dot);
    for (int i = 0; i < stem.length(); ) {
      int cp = stem.codePointAt(i);
      int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (used + len > budget) {
        break;
      }
      base.appendCodePoint(cp);
      used += len;
      i += Character.charCount(cp);
    }
    return base.toString().strip() + ext;
  }

  /** Index of the extension's dot, or the length if there is none (".bashrc" has none). */
  private static int extensionStart(String name) {
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? name.length() : dot;
  }

  private static String key(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
  }
}
