// A secure reply (REPLY-WIRE.md): what the verify answer offers, and sealing a message and files into
// the reply manifest JWE and STREAM attachments, in the browser, to the tenant's public reply keys.
// Nothing of the content travels in clear: the only clear part is {"replyId","attachments":[ids]}.

import { utf8 } from './bytes.js';
import { encryptReplyManifest, randomUuid } from './crypto.js';
import { ReplyInputError } from './errors.js';
import { encryptFile, sealedSize } from './stream.js';

export const MAX_REPLY_ATTACHMENTS = 20;
export const MAX_REPLY_MANIFEST_BYTES = 1024 * 1024;
export const REPLY_CHUNK_SIZE = 65536;
const MAX_REPLY_KEYS = 4;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** One reply key as the partner key rules allow it (RSA >= 2048 / RSA-OAEP-256, EC P-256 / ECDH-ES+A256KW), else null. */
function replyKey(jwk) {
  if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) return null;
  if (PRIVATE_MEMBERS.some((m) => m in jwk)) return null;
  if (typeof jwk.kid !== 'string' || jwk.kid.length < 1 || jwk.kid.length > 255) return null;
  if (jwk.use !== undefined && jwk.use !== 'enc') return null;
  const b64 = (v) => typeof v === 'string' && /^[A-Za-z0-9_-]+$/.test(v);
  if (jwk.kty === 'RSA') {
    if (jwk.alg !== undefined && jwk.alg !== 'RSA-OAEP-256') return null;
    // >= 2048 bits: at least 256 bytes once leading zeros are ignored (342 base64url characters).
    if (!b64(jwk.n) || !b64(jwk.e) || jwk.n.replace(/^A+/, '').length < 342) return null;
    return { kid: jwk.kid, alg: 'RSA-OAEP-256', jwk };
  }
  if (jwk.kty === 'EC') {
    if (jwk.alg !== undefined && jwk.alg !== 'ECDH-ES+A256KW') return null;
    if (jwk.crv !== 'P-256' || !b64(jwk.x) || !b64(jwk.y)) return null;
    return { kid: jwk.kid, alg: 'ECDH-ES+A256KW', jwk };
  }
  return null;
}

/**
 * The verify answer's optional `reply` member: {keys: JWKS, remaining, maxBytes}. Answers null (no
 * reply offered) when it is absent or anything in it does not check out: a reply must be readable by
 * the tenant's keys and nobody else's, so one doubtful key means no reply rather than a partial one.
 */
export function parseReplyOffer(reply) {
  if (reply === undefined || reply === null) return null;
  try {
    if (typeof reply !== 'object') throw new Error('not an object');
    const list = reply.keys && Array.isArray(reply.keys.keys) ? reply.keys.keys : null;
    if (!list || list.length < 1 || list.length > MAX_REPLY_KEYS) throw new Error('keys');
    const keys = list.map(replyKey);
    if (keys.includes(null)) throw new Error('a reply key is not usable');
    if (new Set(keys.map((k) => k.kid)).size !== keys.length) throw new Error('duplicate kid');
    if (!Number.isSafeInteger(reply.remaining) || reply.remaining < 0) throw new Error('remaining');
    if (!Number.isSafeInteger(reply.maxBytes) || reply.maxBytes <= 0) throw new Error('maxBytes');
    return { keys, remaining: reply.remaining, maxBytes: reply.maxBytes };
  } catch (e) {
    console.warn('reply not offered:', e.message);
    return null;
  }
}

const whole = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Checks what can be checked before anything is encrypted: not empty, file count, total size. */
export function checkReplyInput({ message, files, maxBytes }) {
  if (message.trim() === '' && files.length === 0) throw new ReplyInputError('reply.empty');
  if (files.length > MAX_REPLY_ATTACHMENTS) throw new ReplyInputError('reply.tooManyFiles', { n: MAX_REPLY_ATTACHMENTS });
  const total = files.reduce((n, f) => n + sealedSize(f.size, REPLY_CHUNK_SIZE), utf8.encode(message).length);
  if (total > maxBytes) throw new ReplyInputError('reply.tooLarge', { size: { $bytes: maxBytes } });
}

/**
 * Seals a reply: each file to a STREAM object (AAD with the reply id), then the reply manifest (the
 * files' keys and hashes, the message) to every reply key.
 * @param {{envelopeId: string, recipientId: string, message: string, files: File[], keys: object[],
 *     maxBytes: number, onProgress?: (done: number, total: number) => void}} p
 * @returns {Promise<{replyId: string, replyJson: string, manifest: Uint8Array,
 *     attachments: {id: string, blob: Blob}[], bytes: number}>}
 */
export async function sealReply({ envelopeId, recipientId, message, files, keys, maxBytes, onProgress = () => {} }) {
  checkReplyInput({ message, files, maxBytes });
  const replyId = randomUuid();
  const total = files.reduce((n, f) => n + f.size, 0);
  let before = 0;
  const attachments = [];
  const descriptors = [];
  for (const file of files) {
    const id = randomUuid();
    const sealed = await encryptFile(file, {
      scopeId: replyId,
      attachmentId: id,
      chunkSize: REPLY_CHUNK_SIZE,
      onProgress: (done) => onProgress(before + done, total),
    });
    before += file.size;
    attachments.push({ id, blob: sealed.blob });
    descriptors.push({
      id,
      name: file.name,
      mediaType: file.type || 'application/octet-stream',
      size: sealed.size,
      sha256: sealed.sha256,
      key: sealed.key,
      noncePrefix: sealed.noncePrefix,
      chunkSize: sealed.chunkSize,
    });
  }
  const plain = {
    v: 1,
    replyId,
    envelopeId,
    recipientId,
    created: whole(new Date()),
    message,
    attachments: descriptors,
  };
  const manifestText = JSON.stringify(await encryptReplyManifest(utf8.encode(JSON.stringify(plain)), keys));
  const manifest = utf8.encode(manifestText);
  if (manifest.length > MAX_REPLY_MANIFEST_BYTES) throw new ReplyInputError('reply.messageTooLong');
  const replyJson = JSON.stringify({ replyId, attachments: attachments.map((a) => a.id) });
  const bytes = attachments.reduce((n, a) => n + a.blob.size, manifest.length + utf8.encode(replyJson).length);
  if (bytes > maxBytes) throw new ReplyInputError('reply.tooLarge', { size: { $bytes: maxBytes } });
  onProgress(total, total);
  return { replyId, replyJson, manifest, attachments, bytes };
}
