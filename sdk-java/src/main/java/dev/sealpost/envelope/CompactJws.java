package dev.sealpost.envelope;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.UnsupportedFormatException;
import dev.sealpost.exception.UntrustedSignerException;
import dev.sealpost.internal.Es256;
import dev.sealpost.internal.Json;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;
import java.util.Set;

/**
 * Verifies a Sealpost compact JWS (the signed manifest inside an envelope, and a reply receipt): a
 * flat protected header of exactly {@code alg} ES256, {@code kid} and {@code typ}, the {@code kid}
 * looked up in {@link TrustedKeys} (never a key from the header), a 64-byte R||S signature.
 */
final class CompactJws {
  private static final Set<String> PARAMS = Set.of("alg", "kid", "typ");

  /** The verified signer's kid and the payload bytes. */
  static final class Verified {
    final String kid;
    final byte[] payload;

    Verified(String kid, byte[] payload) {
      this.kid = kid;
      this.payload = payload;
    }
  }

  private CompactJws() {}

  /**
   * @param what names the signed object in messages, e.g. {@code "the manifest"}
   * @param shapeMessage the malformed message when {@code jws} is not three parts
   */
  static Verified verify(
      String jws, String typ, TrustedKeys trusted, String what, String shapeMessage) {
    String[] parts = jws.split("\\.", -1);
    if (parts.length != 3) {
      throw new MalformedEnvelopeException(shapeMessage);
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
      if (!PARAMS.contains(name)) {
        throw new UnsupportedFormatException(
            "the JWS header parameter " + JweEnvelope.safe(name) + " is not allowed");
      }
    }
    if (!JWSAlgorithm.ES256.getName().equals(headerMap.get("alg"))) {
      throw new UnsupportedFormatException(what + " signature must be ES256");
    }
    if (!typ.equals(headerMap.get("typ"))) {
      throw new UnsupportedFormatException("the JWS typ must be " + typ);
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
                        what
                            + " is signed with kid "
                            + JweEnvelope.safe(kid)
                            + ", which is not a trusted key"));
    byte[] signature = B64.decode(parts[2], "the JWS signature");
    byte[] payload = B64.decode(parts[1], "the JWS payload");
    JWSHeader header;
    try {
      header = JWSHeader.parse(headerMap, new Base64URL(parts[0]));
    } catch (ParseException e) {
      throw new MalformedEnvelopeException("the JWS header is not valid");
    }
    boolean valid = signature.length == 64 && Es256.verifies(signerKey, header, parts);
    if (!valid) {
      throw new IntegrityException(
          what + " signature does not verify under kid " + JweEnvelope.safe(kid));
    }
    return new Verified(kid, payload);
  }
}
