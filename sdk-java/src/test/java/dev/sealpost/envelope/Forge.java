package dev.sealpost.envelope;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObjectJSON;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.AESEncrypter;
import com.nimbusds.jose.jwk.ECKey;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What an attacker who knows a recipient's key-wrapping key (or public key) can do: build a JWE
 * around any content. The JWE alone does not authenticate the sender; the JWS inside must.
 */
final class Forge {
  static final byte[] CUSTODY_KEY = Fixtures.bytes(32, 4242);

  private Forge() {}

  static RecipientKey custodyKey() {
    return RecipientKey.custody("1", CUSTODY_KEY);
  }

  /** A JWE for the custody key above whose plaintext is {@code content}. */
  static String jweAround(String content) {
    try {
      JWEHeader header =
          new JWEHeader.Builder(EncryptionMethod.A256GCM)
              .contentType("sealpost-manifest+jws")
              .build();
      JWEObjectJSON jwe = new JWEObjectJSON(header, new Payload(content));
      jwe.encrypt(
          new SingleRecipientEncrypter(
              new AESEncrypter(CUSTODY_KEY), JWEAlgorithm.A256KW, "custody:1"));
      return jwe.serializeGeneral();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A compact JWS with the given header and payload JSON, signed by {@code key}. */
  static String jws(String headerJson, String payloadJson, ECKey key) {
    String signingInput = Fixtures.b64(headerJson) + "." + Fixtures.b64(payloadJson);
    byte[] sig = ManifestSigner.fromJwk(key).sign(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + Fixtures.b64(sig);
  }

  static String jwsHeader(String kid) {
    return "{\"alg\":\"ES256\",\"kid\":\"" + kid + "\",\"typ\":\"sealpost-manifest+jws\"}";
  }

  /** A valid manifest JSON, to be varied by tests. */
  static Map<String, Object> manifest() {
    return Fixtures.parse(
        "{\"v\":1,\"envelopeId\":\"e-1\",\"tenant\":\"tenant-a\",\"created\":\"2026-11-29T10:00:00Z\","
            + "\"subject\":\"s\",\"message\":\"CANARY-message-7f3a\",\"attachments\":[]}");
  }
}
