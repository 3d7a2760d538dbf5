package dev.sealpost.envelope;

import dev.sealpost.exception.MalformedEnvelopeException;
import java.util.Base64;

/** Strict base64url without padding: only canonical encodings decode. */
final class B64 {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private B64() {}

  static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Decodes, rejecting padding, other alphabets and non-canonical trailing bits (which would let
   * two texts carry the same bytes).
   *
   * @param what names the value in error messages
   */
  static byte[] decode(String text, String what) {
    int rem = text.length() % 4;
    if (rem == 1 || text.indexOf('=') >= 0) {
      throw new MalformedEnvelopeException(what + " is not base64url without padding");
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new MalformedEnvelopeException(what + " is not base64url without padding");
    }
    if (rem != 0) {
      int last = ALPHABET.indexOf(text.charAt(text.length() - 1));
      int unusedBitsMask = rem == 2 ? 0x0F : 0x03;
      if ((last & unusedBitsMask) != 0) {
        throw new MalformedEnvelopeException(what + " is not canonical base64url");
      }
    }
    return bytes;
  }

  /** Decodes and requires an exact length. */
  static byte[] decode(String text, String what, int length) {
    byte[] bytes = decode(text, what);
    if (bytes.length != length) {
      throw new MalformedEnvelopeException(what + " must be " + length + " bytes");
    }
    return bytes;
  }
}
