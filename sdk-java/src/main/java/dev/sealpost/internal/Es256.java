package dev.sealpost.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;

/** ES256 verification of a compact JWS by Nimbus, for the manifest, receipt and checkpoint JWS. */
public final class Es256 {
  private Es256() {}

  /**
   * Whether {@code parts} (header, payload, signature of a compact JWS) verify under {@code key}; a
   * key Nimbus refuses counts as not verifying.
   */
  public static boolean verifies(ECKey key, JWSHeader header, String[] parts) {
    try {
      return new ECDSAVerifier(key)
          .verify(
              header,
              (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
              new Base64URL(parts[2]));
    } catch (JOSEException e) {
      return false;
    }
  }
}
