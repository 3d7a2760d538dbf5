package dev.sealpost.api.domain;

/** The one role an API key carries. */
public enum Role {
  ADMIN,
  SENDER,
  AUDITOR,
  PARTNER
}
