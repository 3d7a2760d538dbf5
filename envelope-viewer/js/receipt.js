// The server's receipt for a reply (docs/FORMAT.md 12.5), checked in the page against what the page
// itself sent: an ES256 compact JWS by a key the envelope's tenant publishes, over the ids of this
// reply and the SHA-256 and size of every part as the server received it. The SDK and CLI check the
// same receipt for the sender; here it tells the person that the server signed for exactly their
// reply. The signature and hashes are js/crypto.js's (jose, @noble/hashes); nothing is hand-rolled.

import { toBase64Url } from './bytes.js';
import { peekSignatureHeader, sha256Stream, verifyManifestJws } from './crypto.js';
import { assertSignerIsTenant, signingKeyFor } from './manifest.js';

const MAX_RECEIPT = 262144;
const HEADER_MEMBERS = ['alg', 'kid', 'typ'];
const RECEIPT_TYP = 'sealpost-reply-receipt+jws';
const WHOLE_SECONDS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Why a receipt does not hold; `reason` is for the console, the page shows one sentence. */
export class ReceiptError extends Error {
  constructor(reason) {
    super(reason);
    this.name = 'ReceiptError';
  }
}

/** SHA-256 (base64url) and size of a Blob, read as a stream (a reply attachment may be 100 MiB). */
async function digestOf(blob) {
  const h = sha256Stream();
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    h.update(value);
  }
  return { sha256: toBase64Url(h.digest()), size: blob.size };
}

function same(entry, digest) {
  return entry && typeof entry === 'object' && entry.sha256 === digest.sha256 && entry.size === digest.size;
}

/**
 * Checks `receipt` under the published `jwks` against what was sent.
 * @param {string} receipt the compact JWS from the 201
 * @param {object} jwks the JWK set of /.well-known/jwks.json
 * @param {{tenant: string, envelopeId: string, recipientId: string, replyId: string,
 *     received: string, manifest: Uint8Array, attachments: {id: string, blob: Blob}[]}} sent (with
 *     `received` as the 201 stated it)
 * @returns {Promise<{kid: string}>} the key that signed it
 * @throws {ReceiptError} when anything does not hold
 */
export async function checkReceipt(receipt, jwks, sent) {
  if (typeof receipt !== 'string' || receipt.length === 0 || receipt.length > MAX_RECEIPT) {
    throw new ReceiptError('no receipt');
  }
  let header;
  try {
    header = peekSignatureHeader(receipt);
  } catch {
    throw new ReceiptError('not a compact JWS');
  }
  if (
    Object.keys(header).some((k) => !HEADER_MEMBERS.includes(k)) ||
    header.alg !== 'ES256' ||
    header.typ !== RECEIPT_TYP
  ) {
    throw new ReceiptError('not a reply receipt');
  }
  let jwk;
  try {
    jwk = signingKeyFor(jwks, header.kid);
    assertSignerIsTenant(jwk, header.kid, sent.tenant);
  } catch (e) {
    throw new ReceiptError(e.message);
  }
  let payload;
  try {
    payload = await verifyManifestJws(receipt, jwk, RECEIPT_TYP);
  } catch (e) {
    throw new ReceiptError(e.message);
  }
  let p;
  try {
    p = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    throw new ReceiptError('the payload is not JSON');
  }
  if (!p || p.v !== 1 || p.tenant !== sent.tenant) throw new ReceiptError('another version or tenant');
  if (p.envelopeId !== sent.envelopeId || p.recipientId !== sent.recipientId || p.replyId !== sent.replyId) {
    throw new ReceiptError('the receipt is for another reply');
  }
  // RFC 3339 UTC in whole seconds, as the SDK requires it, and the time the 201 showed.
  if (
    typeof p.received !== 'string' ||
    !WHOLE_SECONDS_UTC.test(p.received) ||
    Number.isNaN(Date.parse(p.received)) ||
    p.received !== sent.received
  ) {
    throw new ReceiptError('the receipt time is not the one shown');
  }
  const manifest = sha256Stream();
  manifest.update(sent.manifest);
  if (!same(p.manifest, { sha256: toBase64Url(manifest.digest()), size: sent.manifest.length })) {
    throw new ReceiptError('the manifest received is not the one sent');
  }
  if (!Array.isArray(p.attachments) || p.attachments.length !== sent.attachments.length) {
    throw new ReceiptError('the files received are not the ones sent');
  }
  for (let i = 0; i < sent.attachments.length; i++) {
    const a = sent.attachments[i];
    if (p.attachments[i]?.id !== a.id || !same(p.attachments[i], await digestOf(a.blob))) {
      throw new ReceiptError('the files received are not the ones sent');
    }
  }
  return { kid: header.kid };
}
