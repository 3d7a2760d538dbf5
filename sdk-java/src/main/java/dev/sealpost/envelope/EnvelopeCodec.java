package dev.sealpost.envelope;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObjectJSON;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.AESEncrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.MultiEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.SealpostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Sign-then-encrypt of the manifest (JWS ES256 inside JWE A256GCM), and the reverse. */
final class EnvelopeCodec {
  static final String JWS_TYPE = "sealpost-manifest+jws";

  private EnvelopeCodec() {}

  static SealedEnvelope seal(Manifest manifest, ManifestSigner signer, List<Recipient> recipients) {
    if (recipients.isEmpty() || recipients.size() > EnvelopeSealer.MAX_RECIPIENTS) {
      throw new IllegalArgumentException(
          "an envelope needs 1 to " + EnvelopeSealer.MAX_RECIPIENTS + " recipients");
    }
    List<JWK> keys = new ArrayList<>();
    List<String> kids = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Recipient r : recipients) {
      if (!seen.add(r.keyId())) {
        throw new IllegalArgumentException("two recipients share the kid " + r.keyId());
      }
      keys.add(r.encryptionKey());
      kids.add(r.keyId());
    }

    String jws = sign(ManifestCodec.toJson(manifest), signer);
    String json = encrypt(new Payload(jws), JweEnvelope.CONTENT_TYPE, recipients, keys);
    if (json.length() > Limits.MAX_JWE_CHARS) {
      throw new IllegalArgumentException(
          "the sealed manifest exceeds "
              + Limits.MAX_JWE_CHARS
              + " characters: shorten the message");
    }
    return new SealedEnvelope(json, manifest, kids);
  }

  /**
   * Encrypts {@code payload} once (A256GCM, protected header {@code cty} and {@code enc}) and wraps
   * the content key for every recipient: the General JSON Serialization.
   */
  static String encrypt(
      Payload payload, String contentType, List<Recipient> recipients, List<JWK> keys) {
    JWEHeader header =
        new JWEHeader.Builder(EncryptionMethod.A256GCM).contentType(contentType).build();
    JWEObjectJSON jwe = new JWEObjectJSON(header, payload);
    try {
      jwe.encrypt(
          recipients.size() == 1
              ? singleEncrypter(recipients.get(0))
              : new MultiEncrypter(new JWKSet(keys)));
    } catch (JOSEException e) {
      throw new SealpostException("the manifest could not be encrypted for its recipients", e);
    }
    return jwe.serializeGeneral();
  }

  private static JWEEncrypter singleEncrypter(Recipient r) throws JOSEException {
    JWK key = r.encryptionKey();
    JWEAlgorithm alg = JWEAlgorithm.parse(key.getAlgorithm().getName());
    JWEEncrypter delegate;
    if (key instanceof RSAKey) {
      delegate = new RSAEncrypter((RSAKey) key);
    } else if (key instanceof ECKey) {
      delegate = new ECDHEncrypter((ECKey) key);
    } else {
      delegate = new AESEncrypter((OctetSequenceKey) key);
    }
    return new SingleRecipientEncrypter(delegate, alg, r.keyId());
  }

  private static String sign(String manifestJson, ManifestSigner signer) {
    String kid = signer.keyId();
    if (kid == null || kid.isEmpty()) {
      throw new IllegalArgumentException("the signer has no kid");
    }
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.ES256)
            .keyID(kid)
            .type(new JOSEObjectType(JWS_TYPE))
            .build();
    String signingInput =
        header.toBase64URL() + "." + B64.encode(manifestJson.getBytes(StandardCharsets.UTF_8));
    byte[] signature = signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
    if (signature == null || signature.length != 64) {
      throw new SealpostException(
          "the signer must return a 64-byte ES256 signature (R || S), not DER");
    }
    return signingInput + "." + B64.encode(signature);
  }

  static OpenedEnvelope open(
      String jweJson, RecipientKey key, TrustedKeys trusted, String expectedEnvelopeId) {
    JweEnvelope jwe = JweEnvelope.parse(jweJson);
    byte[] plaintext = jwe.decrypt(key);
    String jws = new String(plaintext, StandardCharsets.US_ASCII);
    CompactJws.Verified verified =
        CompactJws.verify(
            jws, JWS_TYPE, trusted, "the manifest", "the JWE content is not a compact JWS");

    Manifest manifest = ManifestCodec.parse(new String(verified.payload, StandardCharsets.UTF_8));
    if (expectedEnvelopeId != null && !expectedEnvelopeId.equals(manifest.envelopeId())) {
      throw new IntegrityException(
          "the envelope is "
              + JweEnvelope.safe(manifest.envelopeId())
              + ", not the expected "
              + JweEnvelope.safe(expectedEnvelopeId));
    }
    return new OpenedEnvelope(manifest, verified.kid);
  }
}
