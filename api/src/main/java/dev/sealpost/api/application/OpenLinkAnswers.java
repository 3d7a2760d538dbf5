package dev.sealpost.api.application;

import dev.sealpost.api.application.OpenLinkException.Reason;
import dev.sealpost.api.domain.LinkAccess;
import dev.sealpost.api.domain.OpenLinkRepository.LinkState;
import dev.sealpost.api.domain.OtpCode;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.VerificationMethod;
import java.time.Instant;
import java.util.Optional;

/** The second factor's answer, checked under the recipient's row lock. */
final class OpenLinkAnswers {
  private final TenantRepository tenants;

  OpenLinkAnswers(TenantRepository tenants) {
    this.tenants = tenants;
  }

  /**
   * Whether the answer is right for the recipient's method: NONE if the sender allows it, the code
   * for EMAIL_OTP, the secret for SHARED_SECRET. A missing answer or a method the sender does not
   * allow is refused outright (not counted as a wrong answer).
   */
  boolean right(
      LinkState s,
      RecipientId recipientId,
      String code,
      String secret,
      OpenLinkSecretCheck.Checked checked,
      Instant now) {
    return switch (s.method()) {
      case NONE -> {
        requireNoneAllowed(s);
        yield true;
      }
      case EMAIL_OTP -> {
        if (code == null || code.isBlank()) {
          throw new OpenLinkException(Reason.ANSWER_REQUIRED, "code is required");
        }
        yield LinkAccess.codeLive(s, now) && OtpCode.matches(recipientId, code, s.otpHash());
      }
      case SHARED_SECRET -> {
        if (!OpenLinkSecretCheck.isAnswer(secret)) {
          throw new OpenLinkException(Reason.ANSWER_REQUIRED, "secret is required");
        }
        yield OpenLinkSecretCheck.matches(secret, s.secretHash(), checked);
      }
    };
  }

  private void requireNoneAllowed(LinkState s) {
    Optional<Tenant> tenant = tenants.find(s.tenantId());
    if (tenant.isEmpty()
        || !tenant
            .get()
            .settings()
            .allowedVerificationMethods()
            .contains(VerificationMethod.NONE)) {
      throw new OpenLinkException(
          Reason.METHOD_NOT_ALLOWED, "this sender does not allow opening without a second factor");
    }
  }
}
