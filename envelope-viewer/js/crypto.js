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

import { compactVerify, decodeProtectedHeader, flattenedDecrypt, importJWK } from 'jose';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from './bytes.js';
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
 * Verifies a compact JWS with ES256 against the given public JWK (only kty/crv/x/y are used).
 * @returns {Promise<Uint8Array>} the verified payload
 */
export async function verifyManifestJws(jws, publicJwk) {
  const header = peekSignatureHeader(jws);
  if (header.alg !== 'ES256') throw new MalformedEnvelopeError('the manifest must be signed with ES256');
  if (header.crit !== undefined) throw new MalformedEnvelopeError('crit is not allowed');
  if (header.typ !== undefined && header.typ !== MANIFEST_TYP) {
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
  const aad = concatBytes(header, u16Prefixed(envelopeId), u16Prefixed(attachmentId));
  const prefix = Uint8Array.from(noncePrefix);
  let counter = 0;
  let finished = false;
  return {
    async open(ciphertext, final) {
      if (finished) throw new IntegrityError('data after the final chunk');
      if (counter > MAX_CHUNKS) throw new IntegrityError('too many chunks');
      if (ciphertext.length < TAG_LENGTH) throw new IntegrityError('truncated chunk');
      const iv = new Uint8Array(12);
      iv.set(prefix, 0);
      new DataView(iv.buffer).setUint32(7, counter, false);
      iv[11] = final ? 1 : 0;
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
