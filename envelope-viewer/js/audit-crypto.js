// The auditor console's only use of the JOSE library and of hashing: ES256 checkpoint signatures
// (jose, under the published JWKS) and SHA-256 over an audit event's canonical bytes (@noble/hashes).
// Nothing here is hand-rolled crypto; the rules (which header, which key) follow docs/AUDIT.md.

import { sha256 } from '@noble/hashes/sha2.js';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';

const HEX = '0123456789abcdef';

/** SHA-256 of bytes, lower-case hex. */
export function sha256Hex(bytes) {
  const d = sha256(bytes);
  let s = '';
  for (const b of d) s += HEX[b >> 4] + HEX[b & 15];
  return s;
}

/** The protected header of a compact JWS, or null when it is not one. */
export function protectedHeader(jws) {
  try {
    return decodeProtectedHeader(jws);
  } catch {
    return null;
  }
}

/**
 * Checks an ES256 compact JWS under one public JWK; answers the payload bytes, or null when the
 * signature does not verify.
 */
export async function verifyEs256(jws, jwk) {
  let key;
  try {
    key = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, 'ES256');
  } catch {
    return null;
  }
  try {
    const { payload } = await compactVerify(jws, key, { algorithms: ['ES256'] });
    return payload;
  } catch {
    return null;
  }
}
