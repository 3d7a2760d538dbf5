package dev.sealpost.api.domain;

/**
 * The rules for an attachment's file name, which a recipient's viewer, SDK or CLI shows and saves:
 * a bare name, not a path ({@code /}, {@code \}, {@code .} and {@code ..} are refused, so that no
 * client can be led to write outside its folder), and no character that hides or reorders what the
 * recipient reads (control, bidi override such as U+202E in {@code invoice\u202Efdp.exe}, other
 * format characters, line separators, unpaired surrogates). Pure: no I/O.
 */
public final class AttachmentName {
  private AttachmentName() {}

  /** Refuses {@code name} with a 422 naming {@code field}. */
  public static void check(String field, String name) {
    if (name.equals(".") || name.equals("..")) {
      throw new InvalidInputException(field, "must be a file name, not . or ..");
    }
    if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
      throw new InvalidInputException(field, "must be a file name without / or \\");
    }
    name.codePoints()
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
  }
}
