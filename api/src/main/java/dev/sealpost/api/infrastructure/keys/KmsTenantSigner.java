package dev.sealpost.api.infrastructure.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.impl.ECDSA;
import dev.sealpost.api.domain.KeyUnavailableException;
import dev.sealpost.api.domain.TenantSigner;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Signs as one tenant's kid with that tenant's own KMS key {@code arn}: only the SHA-256 of the
 * signing input is sent ({@code MessageType DIGEST}), and KMS's DER signature is transcoded to
 * JOSE's R||S.
 */
final class KmsTenantSigner implements TenantSigner {
  private final KmsClient kms;
  private final String kid;
  private final String arn;
  private final String label;

  /** {@code label} names the key in error messages (the tenant's alias), never key material. */
  KmsTenantSigner(KmsClient kms, String kid, String arn, String label) {
    this.kms = kms;
    this.kid = kid;
    this.arn = arn;
    this.label = label;
  }

  @Override
  public String keyId() {
    return kid;
  }

  @Override
  public byte[] sign(byte[] signingInput) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(signingInput);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    byte[] der;
    try {
      der =
          kms.sign(
                  q ->
                      q.keyId(arn)
                          .message(SdkBytes.fromByteArray(digest))
                          .messageType(MessageType.DIGEST)
                          .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256))
              .signature()
              .asByteArray();
    } catch (SdkException e) {
      throw KmsFailures.unavailable("Sign", label, e);
    }
    try {
      return ECDSA.transcodeSignatureToConcat(der, 64);
    } catch (JOSEException e) {
      throw new KeyUnavailableException("KMS returned a malformed signature");
    }
  }
}
