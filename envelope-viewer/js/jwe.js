// The limits of docs/FORMAT.md, checked on the text before any JSON parser or the JOSE library sees
// it (a 10,000-deep header is refused by size or depth, not by a stack overflow somewhere), and the
// choice of this recipient's entry.

import { fromBase64Url, utf8Strict } from './bytes.js';
import { MalformedEnvelopeError, NoRecipientError } from './errors.js';

export const MAX_JWE_CHARS = 32 * 1024 * 1024;
export const MAX_JWE_DEPTH = 5; // object > recipients > entry > header > epk
export const MAX_MANIFEST_DEPTH = 3; // object > attachments > attachment
export const MAX_PROTECTED_CHARS = 5462; // 4096 decoded bytes
export const MAX_HEADER_CHARS = 4096;

/** Throws unless the JSON text nests at most maxDepth levels (a linear scan, strings skipped). */
export function assertJsonDepth(text, maxDepth, what) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) throw new MalformedEnvelopeError(`${what} nests deeper than ${maxDepth} levels`);
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
}

function flatObject(value) {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => v === null || typeof v !== 'object')
  );
}

/**
 * Parses the served JWE (flattened, or General JSON) and returns the flattened JWE of the entry whose
 * kid is `kid` (for a consumer link: the recipient id), after the size and depth limits.
 */
export function parseManifestJwe(text, kid) {
  if (typeof text !== 'string' || text.length > MAX_JWE_CHARS) {
    throw new MalformedEnvelopeError('the manifest JWE is larger than 32 MiB');
  }
  assertJsonDepth(text, MAX_JWE_DEPTH, 'the manifest JWE');
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new MalformedEnvelopeError('the manifest JWE is not JSON');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new MalformedEnvelopeError('the manifest JWE is not a JSON object');
  }
  if (typeof doc.protected !== 'string' || doc.protected.length > MAX_PROTECTED_CHARS) {
    throw new MalformedEnvelopeError('the JWE protected header is missing or over 4096 bytes');
  }
  let flattened = doc;
  if (doc.recipients !== undefined) {
    if (!Array.isArray(doc.recipients)) throw new MalformedEnvelopeError('recipients is not an array');
    const entry = doc.recipients.find((r) => r && r.header && r.header.kid === kid);
    if (!entry) throw new NoRecipientError('the envelope has no entry for this recipient');
    const { recipients, ...shared } = doc;
    flattened = { ...shared, header: entry.header, encrypted_key: entry.encrypted_key };
  }
  const header = flattened.header;
  if (header !== undefined) {
    if (header === null || typeof header !== 'object' || Array.isArray(header)) {
      throw new MalformedEnvelopeError('the JWE recipient header is not an object');
    }
    if (JSON.stringify(header).length > MAX_HEADER_CHARS) {
      throw new MalformedEnvelopeError('the JWE recipient header is over 4096 bytes');
    }
  }
  const entryKid = header && header.kid !== undefined ? header.kid : protectedKid(flattened.protected);
  if (entryKid !== kid) throw new NoRecipientError('the served entry is for another recipient');
  return flattened;
}

function protectedKid(b64) {
  try {
    const json = JSON.parse(utf8Strict.decode(fromBase64Url(b64)));
    if (!flatObject(json)) throw new MalformedEnvelopeError('the JWE protected header is not a flat object');
    return json.kid;
  } catch (e) {
    if (e instanceof MalformedEnvelopeError) throw e;
    throw new MalformedEnvelopeError('the JWE protected header is not base64url JSON');
  }
}
