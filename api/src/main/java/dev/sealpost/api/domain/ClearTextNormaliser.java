package dev.sealpost.api.domain;

import java.text.Normalizer;

/** Folds text to the forms {@link ClearTextGuard}'s patterns know, before any matching. */
final class ClearTextNormaliser {
  private ClearTextNormaliser() {}

  /**
   * The text as a reader sees it, in the forms the patterns know: compatibility forms folded (NFKC:
   * full-width digits and punctuation), digits of every script as ASCII digits, every dash and the
   * minus sign as {@code -}, every space and line break as a space, and invisible format characters
   * (zero-width space, soft hyphen, bidi controls) removed.
   */
  static String normalise(String text) {
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(folded.length());
    folded
        .codePoints()
        .forEach(
            c -> {
              int type = Character.getType(c);
              if (type == Character.FORMAT) {
                return;
              }
              if (type == Character.DECIMAL_DIGIT_NUMBER) {
                out.append((char) ('0' + Character.digit(c, 10)));
              } else if (type == Character.DASH_PUNCTUATION || c == '\u2212') {
                out.append('-');
              } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                out.append(' ');
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }
}
