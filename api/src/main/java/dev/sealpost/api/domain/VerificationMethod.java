package dev.sealpost.api.domain;

/** How a consumer proves who they are before the server share is released. */
public enum VerificationMethod {
  EMAIL_OTP,
  SHARED_SECRET,
  /** Only where the tenant allows it: off by default. */
  NONE
}
