// The only module that touches crypto.subtle (and the only one that imports the JOSE library).
//
// What it guarantees:
// - Each purpose gets its own key: the link secret becomes a non-extractable HKDF key; the token and the
//   link share are derived from it with distinct `info` strings; the KEK is a non-extractable AES-KW key
//   that can only unwrap. The link share must exist as bytes for a moment, because WebCrypto HKDF cannot
//   take "serverShare || linkShare" as input otherwise; it is zeroed as soon as it has been imported.
// - The manifest JWE is opened by jose (a maintained JOSE library) with an allow-list: A256KW + A256GCM,
//   no zip, no crit. The nested JWS is verified with ES256 only, against a key the caller looked up.
// - Attachment chunks are opened with AES-256-GCM; nonces are built here from the counter, never passed in;
//   a chunk after the final one, a counter overflow or a failed tag is an IntegrityError.
// - A reply (REPLY-WIRE.md) is sealed the same way in reverse: its manifest with jose's GeneralEncrypt to
//   the tenant's public reply keys only, its attachments with the same STREAM nonce and AAD (the reply
//   id in the envelope id's slot). Keys are drawn here from the CSPRNG, never chosen by a caller.

import { compactVerify, decodeProtectedHeader, flattenedDecrypt, GeneralEncrypt, importJWK } from 'jose';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, fromBase64Url, utf8, utf8Strict } from './bytes.js';
import { IntegrityError, MalformedEnvelopeError, UntrustedSignerError } from './errors.js';

const subtle = globalThis.crypto && globalThis.crypto.subtle;

/** WebCrypto exists only in secure contexts (https, or http://localhost). */
export function webCryptoAvailable() {
  return Boolean(subtle);
}

const INFO_TOKEN = utf8.encode('sealpost link token v1');
const INFO_LINK_SHARE = utf8.encode('sealpost link share v1');
const INFO_KEK = utf8.encode('sealpost link kek v1');
const EMPTY = new Uint8Array(0);

export const MANIFEST_CTY = 'sealpost-manifest+jws';
export const MANIFEST_TYP = 'sealpost-manifest+jws';

// ---- link secret, token, link share, KEK (DESIGN.md "Wire details") ----

/**
 * Imports the 32-byte link secret as a non-extractable HKDF key and zeroes the given bytes.
 * @param {Uint8Array} secret
 * @returns {Promise<CryptoKey>}
 */
export async function importLinkSecret(secret) {
  if (!(secret instanceof Uint8Array) || secret.length !== 32) {
    throw new TypeError('the link secret must be 32 bytes');
  }
  try {
    return await subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits']);
  } finally {
    secret.fill(0);
  }
}

async function hkdf32(ikmKey, salt, info) {
  const bits = await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, ikmKey, 256);
  return new Uint8Array(bits);
}

/** token = HKDF-SHA256(linkSecret, salt = empty, info = "sealpost link token v1", 32). Sent to the API. */
export function deriveToken(linkSecretKey) {
  return hkdf32(linkSecretKey, EMPTY, INFO_TOKEN);
}

/** linkShare = HKDF-SHA256(linkSecret, salt = empty, info = "sealpost link share v1", 32). Never leaves the page. */
export function deriveLinkShare(linkSecretKey) {
  return hkdf32(linkSecretKey, EMPTY, INFO_LINK_SHARE);
}

/**
 * kek = HKDF-SHA256(serverShare || linkShare, salt = UTF-8(envelopeId), info = "sealpost link kek v1", 32),
 * returned as a non-extractable AES-KW key usable only to unwrap. Zeroes serverShare.
 * @returns {Promise<CryptoKey>}
 */
export async function deriveKek(linkSecretKey, serverShare, envelopeId) {
  if (!(serverShare instanceof Uint8Array) || serverShare.length !== 32) {
    throw new MalformedEnvelopeError('the server share must be 32 bytes');
  }
  const linkShare = await deriveLinkShare(linkSecretKey);
  const ikm = concatBytes(serverShare, linkShare);
  linkShare.fill(0);
  serverShare.fill(0);
  let ikmKey;
  try {
    ikmKey = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveKey']);
  } finally {
    ikm.fill(0);
  }
  return subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8.encode(envelopeId), info: INFO_KEK },
    ikmKey,
    { name: 'AES-KW', length: 256 },
    false,
    ['unwrapKey'],
  );
}

// ---- manifest: JWE (A256KW, A256GCM) around a compact JWS (ES256) ----

/**
 * Decrypts a flattened JWE JSON object with the KEK. Refuses anything but A256KW + A256GCM, and zip.
 * (keyManagementAlgorithms exists for the shared test vectors, which also hold partner entries.)
 * @returns {Promise<string>} the plaintext (the manifest as a compact JWS)
 */
export async function decryptManifestJwe(jwe, kek, keyManagementAlgorithms = ['A256KW']) {
  if (jwe === null || typeof jwe !== 'object' || Array.isArray(jwe)) {
    throw new MalformedEnvelopeError('the manifest is not a flattened JWE JSON object');
  }
  let result;
  try {
    result = await flattenedDecrypt(jwe, kek, {
      keyManagementAlgorithms,
      contentEncryptionAlgorithms: ['A256GCM'],
    });
  } catch (e) {
    if (e && (e.code === 'ERR_JWE_DECRYPTION_FAILED' || e.name === 'OperationError')) {
      throw new IntegrityError('the manifest could not be decrypted (wrong key or changed data)');
    }
    throw new MalformedEnvelopeError(`the manifest JWE was refused: ${e && e.code ? e.code : e}`);
  }
  const headers = [result.protectedHeader, result.sharedUnprotectedHeader, result.unprotectedHeader];
  for (const h of headers) {
    if (h && (h.zip !== undefined || h.crit !== undefined)) {
      throw new MalformedEnvelopeError('zip and crit are not allowed');
    }
  }
  const cty = result.protectedHeader && result.protectedHeader.cty;
  if (cty !== undefined && cty !== MANIFEST_CTY) {
    throw new MalformedEnvelopeError('unexpected content type');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(result.plaintext);
  } catch {
    throw new MalformedEnvelopeError('the manifest is not UTF-8');
  }
}

/** Reads the JWS protected header without verifying it (to pick the key by `kid`). */
export function peekSignatureHeader(jws) {
  const dot = typeof jws === 'string' ? jws.indexOf('.') : -1;
  // 4096 decoded bytes, checked on the text before decoding (docs/FORMAT.md limits).
  if (dot < 0 || dot > 5462) throw new MalformedEnvelopeError('the JWS protected header is missing or too large');
  try {
    return decodeProtectedHeader(jws);
  } catch {
    throw new MalformedEnvelopeError('the manifest is not a compact JWS');
  }
}

/**
 * Verifies a compact JWS with ES256 against the given public JWK (only kty/crv/x/y are used); a `typ`
 * in its header must be `typ` (the manifest's by default; a reply receipt passes its own).
 * @returns {Promise<Uint8Array>} the verified payload
 */
export async function verifyManifestJws(jws, publicJwk, typ = MANIFEST_TYP) {
  const header = peekSignatureHeader(jws);
  if (header.alg !== 'ES256') throw new MalformedEnvelopeError('the manifest must be signed with ES256');
  if (header.crit !== undefined) throw new MalformedEnvelopeError('crit is not allowed');
  if (header.typ !== undefined && header.typ !== typ) {
    throw new MalformedEnvelopeError('unexpected signature type');
  }
  if (!publicJwk || publicJwk.kty !== 'EC' || publicJwk.crv !== 'P-256' || publicJwk.d !== undefined) {
    throw new UntrustedSignerError('the signing key is not a public P-256 key');
  }
  let key;
  try {
    key = await importJWK({ kty: 'EC', crv: 'P-256', x: publicJwk.x, y: publicJwk.y }, 'ES256');
  } catch {
    throw new UntrustedSignerError('the published signing key is not usable');
  }
  try {
    const { payload } = await compactVerify(jws, key, { algorithms: ['ES256'] });
    return payload;
  } catch (e) {
    if (e && e.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
      throw new IntegrityError('the signature does not verify');
    }
    throw new MalformedEnvelopeError(`the manifest JWS was refused: ${e && e.code ? e.code : e}`);
  }
}

// ---- attachments: STREAM of AES-256-GCM chunks ----

export const STREAM_MAGIC = utf8.encode('SPA1');
export const TAG_LENGTH = 16;
const MAX_CHUNKS = 0xffffffff;

function u16Prefixed(text) {
  const bytes = utf8.encode(text);
  if (bytes.length > 0xffff) throw new MalformedEnvelopeError('id too long');
  return concatBytes(Uint8Array.of(bytes.length >>> 8, bytes.length & 0xff), bytes);
}

/** AAD = header || u16(len) scopeId || u16(len) attachmentId (scopeId: the envelope id, or a reply's id). */
function streamAad(header, scopeId, attachmentId) {
  return concatBytes(header, u16Prefixed(scopeId), u16Prefixed(attachmentId));
}

/** nonce = noncePrefix (7) || counter (4, big-endian) || final flag (1). */
function chunkNonce(prefix, counter, final) {
  const iv = new Uint8Array(12);
  iv.set(prefix, 0);
  new DataView(iv.buffer).setUint32(7, counter, false);
  iv[11] = final ? 1 : 0;
  return iv;
}

/**
 * Opens the chunks of one attachment in order.
 * AAD = header || u16(len) envelopeId || u16(len) attachmentId;
 * nonce = noncePrefix (7) || counter (4, big-endian, from 0) || final flag (1).
 * @param {{key: Uint8Array, noncePrefix: Uint8Array, header: Uint8Array, envelopeId: string, attachmentId: string}} p
 * @returns {Promise<{open(ciphertext: Uint8Array, final: boolean): Promise<Uint8Array>}>}
 */
export async function attachmentOpener({ key, noncePrefix, header, envelopeId, attachmentId }) {
  if (!(key instanceof Uint8Array) || key.length !== 32) throw new MalformedEnvelopeError('attachment key');
  if (!(noncePrefix instanceof Uint8Array) || noncePrefix.length !== 7) {
    throw new MalformedEnvelopeError('attachment nonce prefix');
  }
  let aesKey;
  try {
    aesKey = await subtle.importKey('raw', key, { name: 'AES-GCM' }, false, ['decrypt']);
  } finally {
    key.fill(0);
  }
  const aad = streamAad(header, envelopeId, attachmentId);
  const prefix = Uint8Array.from(noncePrefix);
  let counter = 0;
  let finished = false;
  return {
    async open(ciphertext, final) {
      if (finished) throw new IntegrityError('data after the final chunk');
      if (counter > MAX_CHUNKS) throw new IntegrityError('too many chunks');
      if (ciphertext.length < TAG_LENGTH) throw new IntegrityError('truncated chunk');
      const iv = chunkNonce(prefix, counter, final);
      let plain;
      try {
        plain = await subtle.decrypt(
          { name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 },
          aesKey,
          ciphertext,
        );
      } catch {
        throw new IntegrityError(`chunk ${counter} failed its authentication tag`);
      }
      counter++;
      if (final) finished = true;
      return new Uint8Array(plain);
    },
  };
}

/** An incremental SHA-256 (WebCrypto's digest needs the whole input at once). */
export function sha256Stream() {
  const h = sha256.create();
  return {
    update(bytes) {
      h.update(bytes);
    },
    digest() {
      return h.digest();
    },
  };
}

// ---- replies (REPLY-WIRE.md): STREAM sealing and the reply manifest JWE ----

export const REPLY_CTY = 'sealpost-reply+json';
const REPLY_ALGS = ['RSA-OAEP-256', 'ECDH-ES+A256KW'];

/** A random UUID (reply and attachment ids are drawn by the replier). */
export function randomUuid() {
  return globalThis.crypto.randomUUID();
}

/** A fresh attachment key (32 bytes) and nonce prefix (7 bytes) from the CSPRNG; callers never choose them. */
export function newAttachmentSecrets() {
  const c = globalThis.crypto;
  return { key: c.getRandomValues(new Uint8Array(32)), noncePrefix: c.getRandomValues(new Uint8Array(7)) };
}

/**
 * Seals the chunks of one attachment in order, the mirror of attachmentOpener: same nonce, same AAD
 * (scopeId = the reply id for a reply). The key bytes are imported non-extractable and zeroed, so the
 * caller encodes them for the manifest first.
 * @returns {Promise<{header: Uint8Array, seal(plain: Uint8Array, final: boolean): Promise<Uint8Array>}>}
 */
export async function attachmentSealer({ key, noncePrefix, chunkSize, scopeId, attachmentId }) {
  if (!(key instanceof Uint8Array) || key.length !== 32) throw new TypeError('attachment key');
  if (!(noncePrefix instanceof Uint8Array) || noncePrefix.length !== 7) throw new TypeError('attachment nonce prefix');
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 16 || chunkSize > 1024 * 1024) throw new TypeError('chunk size');
  let aesKey;
  try {
    aesKey = await subtle.importKey('raw', key, { name: 'AES-GCM' }, false, ['encrypt']);
  } finally {
    key.fill(0);
  }
  const header = new Uint8Array(8);
  header.set(STREAM_MAGIC, 0);
  new DataView(header.buffer).setUint32(4, chunkSize, false);
  const aad = streamAad(header, scopeId, attachmentId);
  const prefix = Uint8Array.from(noncePrefix);
  let counter = 0;
  let finished = false;
  return {
    header,
    async seal(plain, final) {
      if (finished) throw new TypeError('a chunk after the final one');
      if (counter > MAX_CHUNKS) throw new TypeError('too many chunks');
      // Every chunk but the last is full; the last holds 1..chunkSize bytes (0 only when it is the only one).
      const fits = final ? plain.length <= chunkSize && (plain.length > 0 || counter === 0) : plain.length === chunkSize;
      if (!fits) throw new TypeError(`chunk ${counter} has ${plain.length} bytes`);
      const sealed = await subtle.encrypt(
        { name: 'AES-GCM', iv: chunkNonce(prefix, counter, final), additionalData: aad, tagLength: 128 },
        aesKey,
        plain,
      );
      counter++;
      if (final) finished = true;
      return new Uint8Array(sealed);
    },
  };
}

/**
 * Encrypts the reply manifest to the tenant's reply keys (JSON General Serialization): protected header
 * exactly {"cty":"sealpost-reply+json","enc":"A256GCM"}, one entry per key with {alg, kid} (and epk for
 * ECDH-ES+A256KW) in the per-recipient header.
 * jose puts the ECDH-ES `epk` in the *protected* header when a GeneralEncrypt has a single recipient
 * (RFC 7516 allows either; FORMAT.md 4.1 requires a flat protected header and REPLY-WIRE.md the epk per
 * recipient). So a lone key is joined by a throwaway recipient (a fresh P-256 key whose private half
 * is non-extractable and dropped) whose entry is then removed: entries are not authenticated, and the
 * content and the real entry are exactly what jose made. The result's shape is checked before use.
 * @param {Uint8Array} plaintext the reply manifest JSON bytes
 * @param {{kid: string, alg: string, jwk: object}[]} replyKeys checked public keys (js/reply.js)
 * @returns {Promise<object>} the General JSON JWE object
 */
export async function encryptReplyManifest(plaintext, replyKeys) {
  if (replyKeys.length < 1) throw new TypeError('no reply key');
  const enc = new GeneralEncrypt(plaintext).setProtectedHeader({ cty: REPLY_CTY, enc: 'A256GCM' });
  for (const k of replyKeys) {
    if (!REPLY_ALGS.includes(k.alg)) throw new TypeError('reply key algorithm');
    const pub = k.jwk.kty === 'RSA' ? { kty: 'RSA', n: k.jwk.n, e: k.jwk.e } : { kty: 'EC', crv: 'P-256', x: k.jwk.x, y: k.jwk.y };
    enc.addRecipient(await importJWK(pub, k.alg)).setUnprotectedHeader({ alg: k.alg, kid: k.kid });
  }
  const lone = replyKeys.length === 1;
  if (lone) {
    const throwaway = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
    enc.addRecipient(throwaway.publicKey).setUnprotectedHeader({ alg: 'ECDH-ES+A256KW', kid: 'throwaway' });
  }
  const jwe = await enc.encrypt();
  if (lone) jwe.recipients = jwe.recipients.slice(0, 1);
  assertReplyJweShape(jwe, replyKeys);
  return jwe;
}

const sameMembers = (o, names) =>
  o !== null && typeof o === 'object' && Object.keys(o).sort().join() === [...names].sort().join();

/** The wire shape of REPLY-WIRE.md, checked on what jose produced (a library update must not change it silently). */
function assertReplyJweShape(jwe, replyKeys) {
  const fail = (what) => {
    throw new Error(`the reply JWE does not have the wire shape: ${what}`);
  };
  if (!sameMembers(jwe, ['protected', 'recipients', 'iv', 'ciphertext', 'tag'])) fail('members');
  let prot;
  try {
    prot = JSON.parse(utf8Strict.decode(fromBase64Url(jwe.protected)));
  } catch {
    fail('protected header');
  }
  if (!sameMembers(prot, ['cty', 'enc']) || prot.cty !== REPLY_CTY || prot.enc !== 'A256GCM') fail('protected header');
  if (!Array.isArray(jwe.recipients) || jwe.recipients.length !== replyKeys.length) fail('recipients');
  jwe.recipients.forEach((r, i) => {
    const k = replyKeys[i];
    const ec = k.alg === 'ECDH-ES+A256KW';
    if (!sameMembers(r, ['header', 'encrypted_key'])) fail(`entry ${i}`);
    if (!sameMembers(r.header, ec ? ['alg', 'kid', 'epk'] : ['alg', 'kid'])) fail(`entry ${i} header`);
    if (r.header.alg !== k.alg || r.header.kid !== k.kid) fail(`entry ${i} alg/kid`);
    if (ec && !(sameMembers(r.header.epk, ['kty', 'crv', 'x', 'y']) && r.header.epk.crv === 'P-256')) fail(`entry ${i} epk`);
  });
}
