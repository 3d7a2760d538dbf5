package dev.sealpost.api.infrastructure.keys;

import dev.sealpost.api.domain.KeyUnavailableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/** KMS failures as {@link KeyUnavailableException}s whose message names the cause, never a key. */
final class KmsFailures {
  private KmsFailures() {}

  static KeyUnavailableException unavailable(String op, String setting, SdkException e) {
    String why;
    String code =
        e instanceof KmsException k && k.awsErrorDetails() != null
            ? k.awsErrorDetails().errorCode()
            : null;
    if ("AccessDeniedException".equals(code)) {
      why = "access denied to the KMS key (" + setting + ")";
    } else if (e instanceof DisabledException) {
      why = "the KMS key is disabled (" + setting + ")";
    } else if (e instanceof NotFoundException) {
      why = "the KMS key does not exist (" + setting + ")";
    } else if (e instanceof KmsInvalidStateException) {
      why = "the KMS key is not usable now, e.g. pending deletion (" + setting + ")";
    } else if (e instanceof KmsException k && k.isThrottlingException()) {
      why = "KMS is throttling requests (retried " + KmsKeyService.MAX_ATTEMPTS + " times)";
    } else if (e instanceof KmsException k) {
      why =
          "KMS refused the request ("
              + (k.awsErrorDetails() == null
                  ? "HTTP " + k.statusCode()
                  : k.awsErrorDetails().errorCode())
              + ")";
    } else if (e instanceof SdkClientException) {
      why = "KMS could not be reached";
    } else {
      why = "KMS failed";
    }
    return new KeyUnavailableException("KMS " + op + ": " + why, e);
  }
}
