package dev.sealpost.api.domain;

/** The audit event types of DESIGN.md "Wire details". */
public enum AuditEventType {
  ENVELOPE_CREATED,
  NOTIFICATION_SENT,
  NOTIFICATION_FAILED,
  CHALLENGE_STARTED,
  CODE_SENT,
  VERIFY_FAILED,
  RECIPIENT_LOCKED,
  ENVELOPE_OPENED,
  ATTACHMENT_DOWNLOADED,
  PARTNER_FETCHED,
  ENVELOPE_REVOKED,
  ENVELOPE_EXPIRED,
  KEYS_SHREDDED,
  API_KEY_CREATED,
  // An API key was revoked (DELETE /v1/api-keys/{id}, or a new bootstrap key replaced it).
  API_KEY_REVOKED,
  PARTNER_REGISTERED,
  // A PARTNER key asked for an envelope it may not read (not addressed to it, revoked, expired).
  FETCH_REFUSED,
  AUDIT_EXPORTED,
  // A consumer recipient got a new link (POST .../reissue); the actor is the API key that asked.
  LINK_REISSUED
}
