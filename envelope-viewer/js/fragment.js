// The link: /v/{envelopeId}/{recipientId}#{linkSecret}. The secret lives only in the fragment, which
// browsers never send to a server; we read it once and remove it from the address bar and history entry.

import { fromBase64Url } from './bytes.js';

const ID = /^[A-Za-z0-9._~-]{1,128}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * Reads the ids from the path and the 32-byte secret from the fragment, then strips the fragment.
 * @returns {{envelopeId: string, recipientId: string, secret: Uint8Array|null}} secret is null when the
 *     fragment is missing or not 32 bytes of base64url (a truncated copy-paste, a reload after stripping).
 */
export function takeLinkFromLocation(loc = window.location, hist = window.history) {
  const parts = loc.pathname.split('/').filter((p) => p.length > 0);
  let envelopeId = null;
  let recipientId = null;
  if (parts.length === 3 && parts[0] === 'v') {
    try {
      envelopeId = decodeURIComponent(parts[1]);
      recipientId = decodeURIComponent(parts[2]);
    } catch {
      envelopeId = recipientId = null;
    }
  }
  if (!ID.test(envelopeId ?? '') || !ID.test(recipientId ?? '')) {
    envelopeId = recipientId = null;
  }

  const raw = loc.hash.startsWith('#') ? loc.hash.slice(1) : loc.hash;
  if (loc.hash !== '') {
    // Remove the secret before anything else can read the URL (extensions, a later Referer, a shared screen).
    hist.replaceState(null, '', loc.pathname + loc.search);
  }
  let secret = null;
  if (SECRET.test(raw)) {
    const bytes = fromBase64Url(raw);
    if (bytes.length === 32) secret = bytes;
  }
  return { envelopeId, recipientId, secret };
}
