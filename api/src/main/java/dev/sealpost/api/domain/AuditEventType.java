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
  LINK_REISSUED,
  // A partner's keys were replaced (PATCH /v1/partners/{id}).
  PARTNER_UPDATED,
  // A partner was disabled (DELETE /v1/partners/{id}); its keys' revocations are recorded too.
  PARTNER_DISABLED,
  // PATCH /v1/tenant changed the tenant's settings; the event's detail says which and to what.
  TENANT_UPDATED,
  // A tenant ADMIN rotated the tenant's signing key (POST /v1/tenant/signing-keys/rotate).
  SIGNING_KEY_ROTATED,
  // A tenant ADMIN registered a webhook endpoint (POST /v1/webhooks); the detail is its id.
  WEBHOOK_CREATED,
  // A tenant ADMIN deleted a webhook endpoint (DELETE /v1/webhooks/{id}); the detail is its id.
  WEBHOOK_DELETED,
  // A consumer recipient sent a reply (POST /v1/open/{e}/{r}/replies); detail: reply id, counts.
  REPLY_SENT,
  // A sender fetched a reply's manifest (GET /v1/envelopes/{id}/replies/{replyId}/manifest).
  REPLY_FETCHED
}
