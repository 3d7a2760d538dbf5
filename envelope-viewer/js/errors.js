// Typed failures, so the page can tell "tampered" from "not allowed" from "malformed" from "network".
// Messages are for developers (console); what a person reads comes from js/i18n.js.

/** A tag, signature, hash, size or truncation check failed: the data was changed or is incomplete. */
export class IntegrityError extends Error {
  constructor(message) {
    super(message);
    this.name = 'IntegrityError';
  }
}

/** The signature is fine but the key is not one the sender's organisation publishes. */
export class UntrustedSignerError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UntrustedSignerError';
  }
}

/** The data does not follow envelope format v1 (or uses something it forbids). */
export class MalformedEnvelopeError extends Error {
  constructor(message) {
    super(message);
    this.name = 'MalformedEnvelopeError';
  }
}

/** The API answered with an error (RFC 9457 problem+json) or could not be reached. */
export class ApiError extends Error {
  /**
   * @param {string} kind one of: wrongCode, locked, expired, revoked, opensUsed, gone, rateLimited,
   *     notFound, sessionEnded, network, server
   */
  constructor(kind, { status = 0, type = '', title = '', detail = '', retryAfter = null, attemptsLeft = null } = {}) {
    super(`${kind} (${status} ${type})`);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.type = type;
    this.title = title;
    this.detail = detail;
    this.retryAfter = retryAfter;
    this.attemptsLeft = attemptsLeft;
  }
}

/** The manifest's signature, signing key or signer's organisation does not check out. */
export class SignatureError extends IntegrityError {
  constructor(message) {
    super(message);
    this.name = 'SignatureError';
  }
}

/** The JWE has no entry for this recipient (the server served another recipient's entry). */
export class NoRecipientError extends MalformedEnvelopeError {
  constructor(message) {
    super(message);
    this.name = 'NoRecipientError';
  }
}

/**
 * The plaintext could not be written where the person chose: the disk refused, or the download was
 * cancelled in the browser. Not tampering: trying again may work.
 */
export class SaveError extends Error {
  constructor(message, cause) {
    super(message);
    this.name = 'SaveError';
    this.cause = cause;
  }
}

/** A file the person chose for a reply could not be read (moved, deleted or changed since it was chosen). */
export class FileReadError extends Error {
  constructor(name, cause) {
    super(`the file could not be read: ${cause && cause.name ? cause.name : cause}`);
    this.name = 'FileReadError';
    this.fileName = name;
    this.cause = cause;
  }
}

/** A reply the page will not send as it is (too large, too many files, empty); `key` names the text to show. */
export class ReplyInputError extends Error {
  constructor(key, args) {
    super(key);
    this.name = 'ReplyInputError';
    this.key = key;
    this.args = args;
  }
}
