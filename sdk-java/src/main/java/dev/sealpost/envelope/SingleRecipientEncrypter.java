package dev.sealpost.envelope;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWECryptoParts;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.jca.JWEJCAContext;
import java.util.Collections;
import java.util.Set;

/**
 * Nimbus 10.10's {@code MultiEncrypter} drops the per-recipient header ({@code alg}, {@code kid},
 * {@code epk}) when there is exactly one recipient, which leaves an undecryptable JWE. For that
 * case this adapter hands {@code JWEObjectJSON} one ordinary encrypter: it adds {@code alg} and
 * {@code kid} to the shared protected header ({@code enc}, {@code cty}) and keeps the JWE's AAD
 * (the protected header as sealed), so {@code JWEObjectJSON} writes {@code alg}, {@code kid} and
 * {@code epk} as the recipient's unprotected header, exactly as it does for several recipients.
 */
final class SingleRecipientEncrypter implements JWEEncrypter {
  private final JWEEncrypter delegate;
  private final JWEAlgorithm algorithm;
  private final String keyId;

  SingleRecipientEncrypter(JWEEncrypter delegate, JWEAlgorithm algorithm, String keyId) {
    this.delegate = delegate;
    this.algorithm = algorithm;
    this.keyId = keyId;
  }

  @Override
  public JWECryptoParts encrypt(JWEHeader shared, byte[] clearText, byte[] aad)
      throws JOSEException {
    JWEHeader full =
        new JWEHeader.Builder(algorithm, shared.getEncryptionMethod())
            .contentType(shared.getContentType())
            .keyID(keyId)
            .build();
    return delegate.encrypt(full, clearText, aad);
  }

  @Override
  public Set<JWEAlgorithm> supportedJWEAlgorithms() {
    // JWEObjectJSON checks the shared protected header's alg, which is absent (null) by design.
    return Collections.singleton(null);
  }

  @Override
  public Set<EncryptionMethod> supportedEncryptionMethods() {
    return Set.of(EncryptionMethod.A256GCM);
  }

  @Override
  public JWEJCAContext getJCAContext() {
    return delegate.getJCAContext();
  }
}
