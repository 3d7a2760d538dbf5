package dev.sealpost.envelope.vectors;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jca.ProviderContext;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jwa.CryptoPrimitive;
import org.jose4j.jwe.ContentEncryptionAlgorithm;
import org.jose4j.jwe.ContentEncryptionParts;
import org.jose4j.jwe.KeyManagementAlgorithm;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.Headers;
import org.jose4j.lang.JoseException;

/**
 * Opens a Sealpost manifest JWE with jose4j, a JOSE implementation that shares no code with Nimbus.
 *
 * <p>jose4j parses only the compact JWE serialization, so this class does the JSON serialization
 * steps of RFC 7516 section 5.2 itself (pick the recipient entry, merge the protected and
 * per-recipient headers, AAD = ASCII(protected)) and lets jose4j's own key management and content
 * encryption algorithms do every cryptographic step. The nested JWS is compact and goes through
 * jose4j's {@link JsonWebSignature} whole.
 */
final class Jose4jOpener {
  private Jose4jOpener() {}

  /** Decrypts a General or flattened JSON JWE for the entry {@code kid}; answers the plaintext. */
  static String decrypt(String jweJson, String kid, Key key) throws JoseException {
    return new String(decryptDetailed(jweJson, kid, key)[1], StandardCharsets.US_ASCII);
  }

  /** As {@link #decrypt}, answering {CEK, plaintext}: the vector generator records both. */
  @SuppressWarnings("unchecked")
  static byte[][] decryptDetailed(String jweJson, String kid, Key key) throws JoseException {
    Map<String, Object> jwe = JsonUtil.parseJson(jweJson);
    String protectedB64 = (String) jwe.get("protected");
    Map<String, Object> entry;
    if (jwe.containsKey("recipients")) {
      entry = null;
      for (Object o : (List<Object>) jwe.get("recipients")) {
        Map<String, Object> candidate = (Map<String, Object>) o;
        if (kid.equals(((Map<String, Object>) candidate.get("header")).get("kid"))) {
          entry = candidate;
        }
      }
      if (entry == null) {
        throw new JoseException("no recipient entry with kid " + kid);
      }
    } else {
      entry = jwe;
    }
    Map<String, Object> header =
        new LinkedHashMap<>(
            JsonUtil.parseJson(new String(unb64(protectedB64), StandardCharsets.UTF_8)));
    Map<String, Object> perRecipient = (Map<String, Object>) entry.get("header");
    for (Map.Entry<String, Object> e : perRecipient.entrySet()) {
      if (header.put(e.getKey(), e.getValue()) != null) {
        throw new JoseException("header parameter in both headers: " + e.getKey());
      }
    }
    Headers headers = new Headers();
    headers.setFullHeaderAsJsonString(JsonUtil.toJson(header));

    AlgorithmFactoryFactory factories = AlgorithmFactoryFactory.getInstance();
    KeyManagementAlgorithm alg =
        factories
            .getJweKeyManagementAlgorithmFactory()
            .getAlgorithm(headers.getStringHeaderValue("alg"));
    ContentEncryptionAlgorithm enc =
        factories
            .getJweContentEncryptionAlgorithmFactory()
            .getAlgorithm(headers.getStringHeaderValue("enc"));
    ProviderContext context = new ProviderContext();
    CryptoPrimitive primitive = alg.prepareForDecrypt(key, headers, context);
    Key cek =
        alg.manageForDecrypt(
            primitive,
            unb64((String) entry.get("encrypted_key")),
            enc.getContentEncryptionKeyDescriptor(),
            headers,
            context);
    ContentEncryptionParts parts =
        new ContentEncryptionParts(
            unb64((String) jwe.get("iv")),
            unb64((String) jwe.get("ciphertext")),
            unb64((String) jwe.get("tag")));
    byte[] plaintext =
        enc.decrypt(
            parts,
            protectedB64.getBytes(StandardCharsets.US_ASCII),
            cek.getEncoded(),
            headers,
            context);
    return new byte[][] {cek.getEncoded(), plaintext};
  }

  /** A verified JWS: its header {@code kid} and its payload. */
  static final class Verified {
    final String kid;
    final String typ;
    final String payload;

    Verified(String kid, String typ, String payload) {
      this.kid = kid;
      this.typ = typ;
      this.payload = payload;
    }
  }

  /** Verifies an ES256 compact JWS with the signer's public JWK (JSON); throws if it fails. */
  static Verified verify(String compactJws, String signerPublicJwkJson) throws JoseException {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setAlgorithmConstraints(
        new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "ES256"));
    jws.setCompactSerialization(compactJws);
    jws.setKey(PublicJsonWebKey.Factory.newPublicJwk(signerPublicJwkJson).getPublicKey());
    if (!jws.verifySignature()) {
      throw new JoseException("the ES256 signature does not verify");
    }
    return new Verified(
        jws.getKeyIdHeaderValue(), jws.getHeader("typ"), jws.getUnverifiedPayload());
  }

  static byte[] unb64(String s) {
    return Base64.getUrlDecoder().decode(s);
  }
}
