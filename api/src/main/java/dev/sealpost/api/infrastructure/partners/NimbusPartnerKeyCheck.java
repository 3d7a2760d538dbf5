package dev.sealpost.api.infrastructure.partners;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.PartnerJwks;
import dev.sealpost.api.domain.PartnerKeyCheck;
import dev.sealpost.api.domain.PrivateKeyPostedException;
import dev.sealpost.envelope.Recipient;
import java.math.BigInteger;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The partner key rules with Nimbus. Keys that are not for encryption (use=sig) are skipped; a key
 * with private parts (or a symmetric key) refuses the whole document.
 */
public final class NimbusPartnerKeyCheck implements PartnerKeyCheck {
  static final int MAX_KEYS = 50;
  private static final Set<String> PRIVATE_MEMBERS =
      Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

  /**
   * Members of a JOSE header, not of a key: a key carrying them is someone's mistake or an attempt
   * to make a JOSE library fetch (jku, x5u), trust (jwk) or decompress (zip) something. Refused.
   */
  private static final List<String> HEADER_MEMBERS =
      List.of(
          "jku", "x5u", "jwk", "crit", "zip", "enc", "p2c", "p2s", "epk", "apu", "apv", "iv", "tag",
          "cty", "typ");

  static final int MIN_RSA_BITS = 2048;
  static final int MAX_RSA_BITS = 16384;
  private static final BigInteger MIN_RSA_EXPONENT = BigInteger.valueOf(65537);

  @Override
  public PartnerJwks check(String field, String jwksJson) {
    return check(field, jwksJson, false, MAX_KEYS);
  }

  @Override
  public PartnerJwks checkEvery(String field, String jwksJson, int maxKeys) {
    return check(field, jwksJson, true, maxKeys);
  }

  private PartnerJwks check(String field, String jwksJson, boolean every, int maxKeys) {
    List<Map<String, Object>> raw = keyObjects(field, jwksJson);
    if (every && (!isKeySet(jwksJson) || raw.size() > maxKeys)) {
      throw new InvalidInputException(
          field, "must be a JWK set {\"keys\":[...]} of 1 to " + maxKeys + " keys");
    }
    refuseNonPublic(field, raw);
    List<JWK> usable = new ArrayList<>();
    Set<String> kids = new HashSet<>();
    String firstReason = null;
    for (Map<String, Object> k : raw) {
      JWK jwk;
      try {
        jwk = JWK.parse(k);
      } catch (ParseException | RuntimeException e) {
        throw new InvalidInputException(field, "a key is not a valid JWK");
      }
      if (jwk.isPrivate()) {
        throw new PrivateKeyPostedException(field);
      }
      String kid = jwk.getKeyID();
      if (kid != null && !kids.add(kid)) {
        throw new InvalidInputException(field, "two keys share the kid " + shortKid(kid));
      }
      String reason = unusable(jwk);
      if (reason != null && every) {
        throw new InvalidInputException(field, reason);
      }
      if (reason == null) {
        usable.add(jwk.toPublicJWK());
      } else if (firstReason == null) {
        firstReason = reason;
      }
    }
    if (usable.isEmpty()) {
      throw new InvalidInputException(
          field,
          "no usable encryption key (RSA >= 2048 bits or EC P-256, with a kid and use enc)"
              + (firstReason == null ? "" : ": " + firstReason));
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (JWK k : usable) {
      out.add(k.toJSONObject());
    }
    Map<String, Object> set = JSONObjectUtils.newJSONObject();
    set.put("keys", out);
    JWK current = usable.get(0);
    return new PartnerJwks(
        JSONObjectUtils.toJSONString(set), current.getKeyID(), current.toJSONString());
  }

  /** Private parts anywhere refuse the document; so do JOSE header members in a key. */
  private static void refuseNonPublic(String field, List<Map<String, Object>> raw) {
    for (Map<String, Object> k : raw) {
      for (String m : PRIVATE_MEMBERS) {
        if (k.containsKey(m)) {
          throw new PrivateKeyPostedException(field);
        }
      }
      for (String m : HEADER_MEMBERS) {
        if (k.containsKey(m)) {
          throw new InvalidInputException(
              field, "a key carries the JOSE header member " + m + ", which a key may not have");
        }
      }
    }
  }

  private static boolean isKeySet(String json) {
    try {
      return JSONObjectUtils.parse(json).containsKey("keys");
    } catch (ParseException | RuntimeException e) {
      return false;
    }
  }

  /** Why the key cannot be a partner encryption key, or null when it can. */
  static String unusable(JWK k) {
    String kid = k.getKeyID();
    if (kid == null || kid.isEmpty() || kid.length() > 255) {
      return "a key has no kid (or one over 255 characters)";
    }
    if (kid.codePoints()
        .anyMatch(c -> c < 0x20 || c == 0x7f || Character.getType(c) == Character.FORMAT)) {
      return "a key's kid has control or formatting characters";
    }
    String name = "key " + shortKid(kid);
    if (k.getKeyUse() != null && !KeyUse.ENCRYPTION.equals(k.getKeyUse())) {
      return name + " is not for encryption (use " + k.getKeyUse().identifier() + ")";
    }
    if (k instanceof RSAKey rsa) {
      String weak = weakRsa(rsa);
      if (weak != null) {
        return name + weak;
      }
      if (k.getAlgorithm() != null && !JWEAlgorithm.RSA_OAEP_256.equals(k.getAlgorithm())) {
        return name + " has alg " + k.getAlgorithm() + " (RSA keys: RSA-OAEP-256)";
      }
    } else if (k instanceof ECKey ec) {
      if (!Curve.P_256.equals(ec.getCurve())) {
        return name + " is EC but not P-256";
      }
      if (k.getAlgorithm() != null && !JWEAlgorithm.ECDH_ES_A256KW.equals(k.getAlgorithm())) {
        return name + " has alg " + k.getAlgorithm() + " (EC keys: ECDH-ES+A256KW)";
      }
    } else {
      return name + " is neither RSA nor EC";
    }
    try {
      Recipient.partner(k.toPublicJWK());
    } catch (IllegalArgumentException e) {
      return name + " cannot be sealed to";
    }
    return null;
  }

  /**
   * An RSA public key one can seal to safely: a modulus of 2048 to 16384 bits (its real bit length,
   * not its byte length times 8) that is odd, and an odd exponent of at least 65537 (with e = 1 the
   * "encrypted" key would be the key itself) below 2^256 (NIST SP 800-56B).
   */
  private static String weakRsa(RSAKey rsa) {
    BigInteger n = rsa.getModulus().decodeToBigInteger();
    BigInteger e = rsa.getPublicExponent().decodeToBigInteger();
    if (n.bitLength() < MIN_RSA_BITS) {
      return " is RSA below " + MIN_RSA_BITS + " bits";
    }
    if (n.bitLength() > MAX_RSA_BITS) {
      return " is RSA above " + MAX_RSA_BITS + " bits";
    }
    if (!n.testBit(0)) {
      return " has an even RSA modulus";
    }
    if (!e.testBit(0) || e.compareTo(MIN_RSA_EXPONENT) < 0 || e.bitLength() > 256) {
      return " has an RSA exponent that is not odd, at least 65537 and below 2^256";
    }
    return null;
  }

  private static String shortKid(String kid) {
    String printable = kid.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> keyObjects(String field, String json) {
    Map<String, Object> doc;
    try {
      doc = JSONObjectUtils.parse(json);
    } catch (ParseException | RuntimeException e) {
      throw new InvalidInputException(field, "is not a JSON object (a JWK set)");
    }
    if (!doc.containsKey("keys")) {
      return List.of(doc); // a single JWK: accepted as a set of one
    }
    Object keys = doc.get("keys");
    if (!(keys instanceof List<?> list) || list.isEmpty()) {
      throw new InvalidInputException(field, "keys must be a non-empty array");
    }
    if (list.size() > MAX_KEYS) {
      throw new InvalidInputException(field, "at most " + MAX_KEYS + " keys");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?>)) {
        throw new InvalidInputException(field, "each key must be a JSON object");
      }
      out.add((Map<String, Object>) o);
    }
    return out;
  }
}
