package dev.sealpost.api.interfaces.rest;

/**
 * Checks, one byte at a time, that a body is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF). A JSON parser would otherwise replace bad bytes with U+FFFD
 * and let a damaged or crafted name through.
 */
final class Utf8Check {
  private int need;
  private int lower = 0x80;
  private int upper = 0xBF;

  void accept(byte b) {
    int x = b & 0xff;
    if (need == 0) {
      if (x < 0x80) {
        return;
      }
      lower = 0x80;
      upper = 0xBF;
      if (x >= 0xC2 && x <= 0xDF) {
        need = 1;
      } else if (x >= 0xE0 && x <= 0xEF) {
        need = 2;
        lower = x == 0xE0 ? 0xA0 : 0x80;
        upper = x == 0xED ? 0x9F : 0xBF;
      } else if (x >= 0xF0 && x <= 0xF4) {
        need = 3;
        lower = x == 0xF0 ? 0x90 : 0x80;
        upper = x == 0xF4 ? 0x8F : 0xBF;
      } else {
        throw invalid();
      }
      return;
    }
    if (x < lower || x > upper) {
      throw invalid();
    }
    lower = 0x80;
    upper = 0xBF;
    need--;
  }

  /** The body ended: a character cut short is invalid too. */
  void end() {
    if (need > 0) {
      throw invalid();
    }
  }

  private static ProblemException invalid() {
    return JsonLimitsInterceptor.malformed("the request body is not valid UTF-8");
  }
}
