package dev.sealpost.envelope.vectors;

import com.nimbusds.jose.crypto.impl.ECDSA;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds JWS and JWE strings by hand, from JSON text and base64url, with plain JCA for the
 * cryptography. The test vector generator uses it for every header that a conformant JOSE library
 * would refuse to emit ({@code zip}, {@code crit}, {@code RSA1_5}, {@code PBES2-*}, {@code none},
 * an off-curve {@code epk}, a 10,000-deep header...): no JOSE library is needed to write them, so
 * the vectors say exactly what an attacker can send.
 *
 * <p>Test code only: never a model for product code.
 */
final class HandJose {
  private static final SecureRandom RANDOM = new SecureRandom();

  private HandJose() {}

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String b64(String utf8) {
    return b64(utf8.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] unb64(String s) {
    return Base64.getUrlDecoder().decode(s);
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** A compact JWS over {@code payload} with the given header JSON, signed ES256 (R||S). */
  static String jwsEs256(String headerJson, String payload, PrivateKey ecKey)
      throws GeneralSecurityException {
    String input = b64(headerJson) + "." + b64(payload);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(ecKey);
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    byte[] der = s.sign();
    try {
      return input + "." + b64(ECDSA.transcodeSignatureToConcat(der, 64));
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** A compact JWS with an arbitrary header and signature part (e.g. {@code alg:none}, empty). */
  static String jwsRaw(String headerJson, String payload, byte[] signature) {
    return b64(headerJson) + "." + b64(payload) + "." + b64(signature);
  }

  /** One recipient of a hand-built JWE: its header JSON and its {@code encrypted_key}. */
  static final class Entry {
    final String headerJson;
    final byte[] encryptedKey;

    Entry(String headerJson, byte[] encryptedKey) {
      this.headerJson = headerJson;
      this.encryptedKey = encryptedKey;
    }
  }

  /** What a hand-built JWE encrypts: the encoded protected header and the CEK. */
  static final class Content {
    final String protectedB64;
    final byte[] cek;
    final byte[] iv;
    final byte[] ciphertext;
    final byte[] tag;

    Content(String protectedB64, byte[] cek, byte[] iv, byte[] ciphertext, byte[] tag) {
      this.protectedB64 = protectedB64;
      this.cek = cek;
      this.iv = iv;
      this.ciphertext = ciphertext;
      this.tag = tag;
    }
  }

  /**
   * Encrypts {@code plaintext} with AES-GCM under a fresh CEK of {@code cekBytes} bytes, the AAD
   * being ASCII of the base64url protected header, exactly as RFC 7516 section 5.1 says.
   */
  static Content encryptContent(String protectedJson, byte[] plaintext, int cekBytes)
      throws GeneralSecurityException {
    return encryptContent(protectedJson, plaintext, random(cekBytes));
  }

  static Content encryptContent(String protectedJson, byte[] plaintext, byte[] cek)
      throws GeneralSecurityException {
    String protectedB64 = b64(protectedJson);
    byte[] iv = random(12);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, iv));
    c.updateAAD(protectedB64.getBytes(StandardCharsets.US_ASCII));
    byte[] out = c.doFinal(plaintext);
    return new Content(
        protectedB64,
        cek,
        iv,
        Arrays.copyOf(out, out.length - 16),
        Arrays.copyOfRange(out, out.length - 16, out.length));
  }

  /** The flattened JWE JSON serialization (RFC 7516 section 7.2.2), built as text. */
  static String flattened(Content c, Entry e) {
    return "{\"protected\":\""
        + c.protectedB64
        + "\",\"header\":"
        + e.headerJson
        + ",\"encrypted_key\":\""
        + b64(e.encryptedKey)
        + "\",\"iv\":\""
        + b64(c.iv)
        + "\",\"ciphertext\":\""
        + b64(c.ciphertext)
        + "\",\"tag\":\""
        + b64(c.tag)
        + "\"}";
  }

  /** The general JWE JSON serialization (RFC 7516 section 7.2.1), built as text. */
  static String general(Content c, List<Entry> entries) {
    List<String> recipients = new ArrayList<>();
    for (Entry e : entries) {
      recipients.add(
          "{\"header\":" + e.headerJson + ",\"encrypted_key\":\"" + b64(e.encryptedKey) + "\"}");
    }
    return "{\"protected\":\""
        + c.protectedB64
        + "\",\"recipients\":["
        + String.join(",", recipients)
        + "],\"iv\":\""
        + b64(c.iv)
        + "\",\"ciphertext\":\""
        + b64(c.ciphertext)
        + "\",\"tag\":\""
        + b64(c.tag)
        + "\"}";
  }

  /** RSAES-OAEP with SHA-256 and MGF1-SHA-256 (JWE {@code RSA-OAEP-256}). */
  static byte[] rsaOaep256(PublicKey key, byte[] cek) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
    c.init(
        Cipher.ENCRYPT_MODE,
        key,
        new OAEPParameterSpec(
            "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
    return c.doFinal(cek);
  }

  /** RSAES-PKCS1-v1_5 (JWE {@code RSA1_5}): what Sealpost refuses. */
  static byte[] rsa15(PublicKey key, byte[] cek) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("RSA/ECB/PKCS1Padding");
    c.init(Cipher.ENCRYPT_MODE, key);
    return c.doFinal(cek);
  }

  /** AES Key Wrap, RFC 3394 (JWE {@code A256KW} with a 32-byte KEK). */
  static byte[] aesKeyWrap(byte[] kek, byte[] cek) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AESWrap");
    c.init(Cipher.WRAP_MODE, new SecretKeySpec(kek, "AES"));
    return c.wrap(new SecretKeySpec(cek, "AES"));
  }

  static Key aesKey(byte[] k) {
    return new SecretKeySpec(k, "AES");
  }

  /** Raw DEFLATE (RFC 1951), as JWE {@code zip: DEF} would carry. */
  static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    d.setInput(data);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!d.finished()) {
      int n = d.deflate(buf);
      out.write(buf, 0, n);
    }
    d.end();
    return out.toByteArray();
  }

  /** {@code n} opening brackets then {@code n} closing ones: a deeply nested JSON array. */
  static String nested(int n) {
    StringBuilder sb = new StringBuilder(2 * n);
    for (int i = 0; i < n; i++) {
      sb.append('[');
    }
    for (int i = 0; i < n; i++) {
      sb.append(']');
    }
    return sb.toString();
  }

  /** JSON string literal with the escapes JSON requires. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (ch < 0x20) {
            sb.append(String.format("\\u%04x", (int) ch));
          } else {
            sb.append(ch);
          }
      }
    }
    return sb.append('"').toString();
  }
}
