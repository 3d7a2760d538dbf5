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
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MultiEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.SealpostException;
import dev.sealpost.exception.UnsupportedFormatException;
import dev.sealpost.exception.UntrustedSignerException;
import dev.sealpost.internal.Json;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Sign-then-encrypt of the manifest (JWS ES256 inside JWE A256GCM), and the reverse. */
final class EnvelopeCodec {
  static final String JWS_TYPE = "sealpost-manifest+jws";
  private static final Set<String> JWS_PARAMS = Set.of("alg", "kid", "typ");

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
    JWEHeader header =
        new JWEHeader.Builder(EncryptionMethod.A256GCM)
            .contentType(JweEnvelope.CONTENT_TYPE)
            .build();
    JWEObjectJSON jwe = new JWEObjectJSON(header, new Payload(jws));
    try {
      jwe.encrypt(
          recipients.size() == 1
              ? singleEncrypter(recipients.get(0))
              : new MultiEncrypter(new JWKSet(keys)));
    } catch (JOSEException e) {
      throw new SealpostException("the manifest could not be encrypted for its recipients", e);
    }
    String json = jwe.serializeGeneral();
    if (json.length() > Limits.MAX_JWE_CHARS) {
      throw new IllegalArgumentException(
          "the sealed manifest exceeds "
              + Limits.MAX_JWE_CHARS
              + " characters: shorten the message");
    }
    return new SealedEnvelope(json, manifest, kids);
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

    String[] parts = jws.split("\\.", -1);
    if (parts.length != 3) {
      throw new MalformedEnvelopeException("the JWE content is not a compact JWS");
    }
    if (parts[0].length() > Limits.MAX_PROTECTED_HEADER_CHARS) {
      throw new MalformedEnvelopeException(
          "the JWS header is larger than " + Limits.MAX_PROTECTED_HEADER_BYTES + " bytes");
    }
    String headerJson = new String(B64.decode(parts[0], "the JWS header"), StandardCharsets.UTF_8);
    Map<String, Object> headerMap =
        Json.parseObject(
            headerJson,
            Limits.MAX_PROTECTED_HEADER_BYTES,
            Limits.MAX_HEADER_DEPTH,
            "the JWS header");
    if (headerMap.containsKey("crit")) {
      throw new UnsupportedFormatException("critical header parameters (crit) are not allowed");
    }
    for (String name : headerMap.keySet()) {
      if (!JWS_PARAMS.contains(name)) {
        throw new UnsupportedFormatException(
            "the JWS header parameter " + JweEnvelope.safe(name) + " is not allowed");
      }
    }
    if (!JWSAlgorithm.ES256.getName().equals(headerMap.get("alg"))) {
      throw new UnsupportedFormatException("the manifest signature must be ES256");
    }
    if (!JWS_TYPE.equals(headerMap.get("typ"))) {
      throw new UnsupportedFormatException("the JWS typ must be " + JWS_TYPE);
    }
    Object kidValue = headerMap.get("kid");
    if (!(kidValue instanceof String) || ((String) kidValue).isEmpty()) {
      throw new MalformedEnvelopeException("the JWS header has no kid");
    }
    String kid = (String) kidValue;
    ECKey signerKey =
        trusted
            .find(kid)
            .orElseThrow(
                () ->
                    new UntrustedSignerException(
                        "the manifest is signed with kid "
                            + JweEnvelope.safe(kid)
                            + ", which is not a trusted key"));
    byte[] signature = B64.decode(parts[2], "the JWS signature");
    byte[] payload = B64.decode(parts[1], "the JWS payload");
    boolean valid;
    try {
      JWSHeader header = JWSHeader.parse(headerMap, new Base64URL(parts[0]));
      valid =
          signature.length == 64
              && new ECDSAVerifier(signerKey)
                  .verify(
                      header,
                      (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                      new Base64URL(parts[2]));
    } catch (JOSEException e) {
      valid = false;
    } catch (ParseException e) {
      throw new MalformedEnvelopeException("the JWS header is not valid");
    }
    if (!valid) {
      throw new IntegrityException("the manifest signature does not verify under kid " + kid);
    }

    Manifest manifest = ManifestCodec.parse(new String(payload, StandardCharsets.UTF_8));
    if (expectedEnvelopeId != null && !expectedEnvelopeId.equals(manifest.envelopeId())) {
      throw new IntegrityException(
          "the envelope is "
              + JweEnvelope.safe(manifest.envelopeId())
              + ", not the expected "
              + JweEnvelope.safe(expectedEnvelopeId));
    }
    return new OpenedEnvelope(manifest, kid);
  }
}
