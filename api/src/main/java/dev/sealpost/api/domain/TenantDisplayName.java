package dev.sealpost.api.domain;

/**
 * The rules for a tenant's display name, which travels in clear: in the From header and the text of
 * every notification mail. It may hold no personal data ({@link ClearTextGuard}) and no character
 * that hides or reorders what the recipient reads: control characters (a line break would start a
 * new header), line and paragraph separators, and format characters (Unicode category Cf: bidi
 * overrides and isolates such as U+202E and U+2066-U+2069, the marks U+200E and U+200F, zero-width
 * characters). Pure: no I/O.
 */
public final class TenantDisplayName {

  private TenantDisplayName() {}

  /** Refuses {@code value} with a 422 naming {@code field}; null passes (nothing to check). */
  public static void check(String field, String value) {
    if (value == null) {
      return;
    }
    value
        .codePoints()
        .filter(TenantDisplayName::hidden)
        .findFirst()
        .ifPresent(
            c -> {
              throw new InvalidInputException(
                  field,
                  String.format(
                      "must not contain control, bidirectional or other invisible formatting"
                          + " characters (found U+%04X)",
                      c));
            });
    ClearTextGuard.standard().check(field, value);
  }

  static boolean hidden(int c) {
    int type = Character.getType(c);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE;
  }
}
