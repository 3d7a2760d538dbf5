package dev.sealpost.envelope;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.NoMatchingRecipientException;
import dev.sealpost.exception.UnsupportedFormatException;
import dev.sealpost.internal.Json;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A manifest JWE in JSON Serialization (General or flattened), parsed and checked against the
 * format's allow-list before any key is used. The checks run in order of cost: document size and
 * nesting depth (one linear scan), then protected-header size, then parsing, then header contents.
 */
final class JweEnvelope {
  static final String CONTENT_TYPE = "sealpost-manifest+jws";

  /** The {@code cty} of a reply manifest JWE (docs/FORMAT.md section 12). */
  static final String REPLY_CONTENT_TYPE = "sealpost-reply+json";

  private static final String ENC = "A256GCM";
  private static final Set<String> ALGS =
      Set.of(
          JWEAlgorithm.RSA_OAEP_256.getName(),
          JWEAlgorithm.ECDH_ES_A256KW.getName(),
          JWEAlgorithm.A256KW.getName());

  /** A reply is sealed to the tenant's reply keys only: no link or custody (A256KW) entries. */
  private static final Set<String> REPLY_ALGS =
      Set.of(JWEAlgorithm.RSA_OAEP_256.getName(), JWEAlgorithm.ECDH_ES_A256KW.getName());

  private static final Set<String> HEADER_PARAMS = Set.of("alg", "enc", "kid", "epk", "cty", "typ");
  private static final Set<String> TOP_LEVEL =
      Set.of("protected", "recipients", "header", "encrypted_key", "iv", "ciphertext", "tag");

  private final Map<String, Object> document;
  private final String protectedB64;
  private final Map<String, Object> protectedHeader;
  private final List<Entry> entries;
  private final String iv;
  private final String ciphertext;
  private final String tag;

  /** One recipient entry: its per-recipient header and wrapped content key. */
  static final class Entry {
    final Map<String, Object> header;
    final String encryptedKey;
    final String kid;
    final String alg;

    Entry(Map<String, Object> header, String encryptedKey, String kid, String alg) {
      this.header = header;
      this.encryptedKey = encryptedKey;
      this.kid = kid;
      this.alg = alg;
    }
  }

  private JweEnvelope(
      Map<String, Object> document,
      String protectedB64,
      Map<String, Object> protectedHeader,
      List<Entry> entries,
      String iv,
      String ciphertext,
      String tag) {
    this.document = document;
    this.protectedB64 = protectedB64;
    this.protectedHeader = protectedHeader;
    this.entries = entries;
    this.iv = iv;
    this.ciphertext = ciphertext;
    this.tag = tag;
  }

  /** An envelope's manifest JWE ({@code cty} {@value #CONTENT_TYPE}). */
  static JweEnvelope parse(String json) {
    return parse(json, CONTENT_TYPE, ALGS, Limits.MAX_JWE_CHARS);
  }

  /**
   * A reply manifest JWE ({@code cty} {@value #REPLY_CONTENT_TYPE}, {@code RSA-OAEP-256} or {@code
   * ECDH-ES+A256KW} entries only, at most {@link Limits#MAX_REPLY_JWE_CHARS}).
   */
  static JweEnvelope parseReply(String json) {
    return parse(json, REPLY_CONTENT_TYPE, REPLY_ALGS, Limits.MAX_REPLY_JWE_CHARS);
  }

  private static JweEnvelope parse(
      String json, String contentType, Set<String> algs, int maxChars) {
    Map<String, Object> doc =
        Json.parseObject(json, maxChars, Limits.MAX_JWE_DEPTH, "the manifest JWE");
    if (doc.containsKey("unprotected")) {
      throw new UnsupportedFormatException("a shared unprotected JWE header is not allowed");
    }
    if (doc.containsKey("aad")) {
      throw new UnsupportedFormatException(
          "JWE additional authenticated data (aad) is not allowed");
    }
    for (String member : doc.keySet()) {
      if (!TOP_LEVEL.contains(member)) {
        throw new MalformedEnvelopeException("the manifest JWE has an unknown member " + member);
      }
    }
    String protectedB64 = string(doc, "protected", "the JWE");
    if (protectedB64.length() > Limits.MAX_PROTECTED_HEADER_CHARS) {
      throw new MalformedEnvelopeException(
          "the JWE protected header is larger than "
              + Limits.MAX_PROTECTED_HEADER_BYTES
              + " bytes");
    }
    String protectedJson =
        new String(B64.decode(protectedB64, "the JWE protected header"), StandardCharsets.UTF_8);
    Map<String, Object> protectedHeader =
        Json.parseObject(
            protectedJson,
            Limits.MAX_PROTECTED_HEADER_BYTES,
            Limits.MAX_HEADER_DEPTH,
            "the JWE protected header");
    checkParams(protectedHeader);
    if (!ENC.equals(protectedHeader.get("enc"))) {
      throw new UnsupportedFormatException("the JWE enc must be A256GCM in the protected header");
    }
    if (!contentType.equals(protectedHeader.get("cty"))) {
      throw new UnsupportedFormatException("the JWE cty must be " + contentType);
    }

    List<Map<String, Object>> rawEntries = new ArrayList<>();
    boolean general = doc.containsKey("recipients");
    if (general) {
      if (doc.containsKey("header") || doc.containsKey("encrypted_key")) {
        throw new MalformedEnvelopeException("the JWE mixes General and flattened serialization");
      }
      Object recipients = doc.get("recipients");
      if (!(recipients instanceof List)) {
        throw new MalformedEnvelopeException("the JWE recipients member is not an array");
      }
      for (Object o : (List<?>) recipients) {
        rawEntries.add(object(o, "a JWE recipient entry"));
      }
      if (rawEntries.isEmpty() || rawEntries.size() > EnvelopeSealer.MAX_RECIPIENTS) {
        throw new MalformedEnvelopeException(
            "the JWE must have 1 to " + EnvelopeSealer.MAX_RECIPIENTS + " recipients");
      }
    } else {
      Map<String, Object> flat = new LinkedHashMap<>();
      if (doc.containsKey("header")) {
        flat.put("header", doc.get("header"));
      }
      if (doc.containsKey("encrypted_key")) {
        flat.put("encrypted_key", doc.get("encrypted_key"));
      }
      rawEntries.add(flat);
    }

    List<Entry> entries = new ArrayList<>();
    Set<String> kids = new HashSet<>();
    for (Map<String, Object> raw : rawEntries) {
      for (String member : raw.keySet()) {
        if (!member.equals("header") && !member.equals("encrypted_key")) {
          throw new MalformedEnvelopeException("a JWE recipient entry has an unknown member");
        }
      }
      Map<String, Object> header =
          raw.containsKey("header")
              ? object(raw.get("header"), "a JWE recipient header")
              : new LinkedHashMap<>();
      checkParams(header);
      for (String name : header.keySet()) {
        if (protectedHeader.containsKey(name)) {
          throw new MalformedEnvelopeException(
              "the JWE header parameter " + name + " appears twice");
        }
      }
      Map<String, Object> merged = new LinkedHashMap<>(protectedHeader);
      merged.putAll(header);
      Object alg = merged.get("alg");
      if (!(alg instanceof String)) {
        throw new MalformedEnvelopeException("a JWE recipient entry has no alg");
      }
      if (!algs.contains(alg)) {
        throw new UnsupportedFormatException(
            "the JWE alg " + safe((String) alg) + " is not allowed");
      }
      Object kid = merged.get("kid");
      if (!(kid instanceof String)
          || ((String) kid).isEmpty()
          || ((String) kid).length() > Limits.MAX_ID_CHARS) {
        throw new MalformedEnvelopeException("a JWE recipient entry has no valid kid");
      }
      if (!kids.add((String) kid)) {
        throw new MalformedEnvelopeException("two JWE recipient entries share a kid");
      }
      boolean ecdh = JWEAlgorithm.ECDH_ES_A256KW.getName().equals(alg);
      if (ecdh) {
        checkEphemeralKey(merged.get("epk"));
      } else if (merged.containsKey("epk")) {
        throw new MalformedEnvelopeException("epk is only allowed with ECDH-ES+A256KW");
      }
      String encryptedKey = string(raw, "encrypted_key", "a JWE recipient entry");
      B64.decode(encryptedKey, "an encrypted_key");
      entries.add(new Entry(header, encryptedKey, (String) kid, (String) alg));
    }

    String iv = string(doc, "iv", "the JWE");
    B64.decode(iv, "the JWE iv", 12);
    String tag = string(doc, "tag", "the JWE");
    B64.decode(tag, "the JWE tag", 16);
    String ciphertext = string(doc, "ciphertext", "the JWE");
    B64.decode(ciphertext, "the JWE ciphertext");
    return new JweEnvelope(doc, protectedB64, protectedHeader, entries, iv, ciphertext, tag);
  }

  private static void checkParams(Map<String, Object> header) {
    if (header.containsKey("zip")) {
      throw new UnsupportedFormatException("compressed JWE (zip) is not allowed");
    }
    if (header.containsKey("crit")) {
      throw new UnsupportedFormatException("critical header parameters (crit) are not allowed");
    }
    for (String name : header.keySet()) {
      if (!HEADER_PARAMS.contains(name)) {
        throw new UnsupportedFormatException(
            "the JWE header parameter " + safe(name) + " is not allowed");
      }
    }
  }

  private static void checkEphemeralKey(Object epk) {
    if (!(epk instanceof Map)) {
      throw new MalformedEnvelopeException("ECDH-ES+A256KW needs an epk object");
    }
    JWK key;
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) epk;
      // Nimbus rejects a point that is not on the named curve while parsing.
      key = JWK.parse(map);
    } catch (ParseException | RuntimeException e) {
      throw new MalformedEnvelopeException("the epk is not a valid EC public key on P-256");
    }
    if (!(key instanceof ECKey)
        || !Curve.P_256.equals(((ECKey) key).getCurve())
        || key.isPrivate()) {
      throw new MalformedEnvelopeException("the epk is not a valid EC public key on P-256");
    }
  }

  /**
   * Decrypts the content with the entry that {@code key} addresses.
   *
   * @return the JWE plaintext (the compact JWS)
   */
  byte[] decrypt(RecipientKey key) {
    List<Entry> candidates = new ArrayList<>();
    String wantedKid = key.keyId().orElse(null);
    String wantedAlg = key.algorithm().getName();
    for (Entry e : entries) {
      if (wantedKid != null ? wantedKid.equals(e.kid) : wantedAlg.equals(e.alg)) {
        candidates.add(e);
      }
    }
    if (candidates.isEmpty()) {
      throw new NoMatchingRecipientException(
          wantedKid != null
              ? "the envelope has no recipient entry for kid " + wantedKid
              : "the envelope has no " + wantedAlg + " recipient entry");
    }
    for (Entry e : candidates) {
      if (!wantedAlg.equals(e.alg)) {
        throw new NoMatchingRecipientException(
            "the entry for kid " + e.kid + " uses " + e.alg + ", the key is for " + wantedAlg);
      }
    }
    byte[] aad = protectedB64.getBytes(StandardCharsets.US_ASCII);
    JOSEException last = null;
    for (Entry e : candidates) {
      Map<String, Object> merged = new LinkedHashMap<>(protectedHeader);
      merged.putAll(e.header);
      try {
        JWEHeader header = JWEHeader.parse(merged);
        return key.decrypter()
            .decrypt(
                header,
                new Base64URL(e.encryptedKey),
                new Base64URL(iv),
                new Base64URL(ciphertext),
                new Base64URL(tag),
                aad);
      } catch (JOSEException ex) {
        last = ex;
      } catch (ParseException ex) {
        throw new MalformedEnvelopeException("a JWE recipient header is not valid");
      }
    }
    throw new IntegrityException(
        "the manifest did not decrypt with this key: wrong key, or the envelope was altered", last);
  }

  /** The flattened JSON JWE for the entry with this {@code kid}. */
  String flattenedFor(String kid) {
    for (Entry e : entries) {
      if (e.kid.equals(kid)) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flat.put("protected", protectedB64);
        if (!e.header.isEmpty()) {
          flat.put("header", e.header);
        }
        flat.put("encrypted_key", e.encryptedKey);
        flat.put("iv", iv);
        flat.put("ciphertext", ciphertext);
        flat.put("tag", tag);
        return Json.write(flat);
      }
    }
    throw new NoMatchingRecipientException("the envelope has no recipient entry for kid " + kid);
  }

  /** The entry with this {@code kid}. */
  Entry entry(String kid) {
    for (Entry e : entries) {
      if (e.kid.equals(kid)) {
        return e;
      }
    }
    throw new NoMatchingRecipientException("the envelope has no recipient entry for kid " + kid);
  }

  /**
   * This document as parsed, written again with one change: the {@code encrypted_key} of the entry
   * with this {@code kid}. Member order, the entry's {@code header} and every other member and
   * entry are kept as they were.
   */
  @SuppressWarnings("unchecked")
  String withEncryptedKey(String kid, String encryptedKey) {
    Entry target = entry(kid);
    Map<String, Object> copy = new LinkedHashMap<>(document);
    if (!copy.containsKey("recipients")) {
      copy.put("encrypted_key", encryptedKey);
      return Json.write(copy);
    }
    List<Object> recipients = new ArrayList<>((List<Object>) document.get("recipients"));
    int index = entries.indexOf(target); // entries are in the order of the recipients array
    Map<String, Object> entry = new LinkedHashMap<>((Map<String, Object>) recipients.get(index));
    entry.put("encrypted_key", encryptedKey);
    recipients.set(index, entry);
    copy.put("recipients", recipients);
    return Json.write(copy);
  }

  List<String> keyIds() {
    List<String> kids = new ArrayList<>();
    for (Entry e : entries) {
      kids.add(e.kid);
    }
    return kids;
  }

  private static String string(Map<String, Object> map, String name, String where) {
    Object value = map.get(name);
    if (!(value instanceof String)) {
      throw new MalformedEnvelopeException(where + " has no string member " + name);
    }
    return (String) value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String what) {
    if (!(value instanceof Map)) {
      throw new MalformedEnvelopeException(what + " is not a JSON object");
    }
    return (Map<String, Object>) value;
  }

  /** Names from hostile input, shortened and limited to printable ASCII for messages. */
  static String safe(String name) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < name.length() && i < 40; i++) {
      char c = name.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return name.length() > 40 ? b + "..." : b.toString();
  }
}
