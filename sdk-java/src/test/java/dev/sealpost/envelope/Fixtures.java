package dev.sealpost.envelope;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.ParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Helpers for building, reading and tampering with envelopes in tests. */
final class Fixtures {
  private Fixtures() {}

  static byte[] bytes(int length, long seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] seal(AttachmentSealer a, byte[] plaintext) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      a.seal(new ByteArrayInputStream(plaintext), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] open(OpenedEnvelope e, String attachmentId, byte[] ciphertext) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      e.openAttachment(attachmentId, new ByteArrayInputStream(ciphertext), out);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  static Map<String, Object> parse(String json) {
    try {
      return new LinkedHashMap<>(JSONObjectUtils.parse(json));
    } catch (ParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static String write(Map<String, ?> json) {
    return JSONObjectUtils.toJSONString(json);
  }

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static byte[] unb64(String s) {
    return Base64.getUrlDecoder().decode(s);
  }

  static String b64(String utf8) {
    return b64(utf8.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Flips one bit of the decoded value of a base64url member and re-encodes it canonically. */
  static String flipBit(String base64url, int byteIndex) {
    byte[] b = unb64(base64url);
    int i = byteIndex < 0 ? b.length + byteIndex : byteIndex;
    b[i] ^= 0x01;
    return b64(b);
  }

  /** The single recipient entry of a General JSON JWE with one recipient, mutable. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> firstRecipient(Map<String, Object> jwe) {
    List<Object> recipients = (List<Object>) jwe.get("recipients");
    Map<String, Object> entry = new LinkedHashMap<>((Map<String, Object>) recipients.get(0));
    recipients.set(0, entry);
    return entry;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> header(Map<String, Object> entry) {
    Map<String, Object> header = new LinkedHashMap<>((Map<String, Object>) entry.get("header"));
    entry.put("header", header);
    return header;
  }
}
