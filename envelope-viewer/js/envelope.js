// Opening sequence after the second factor: manifest JWE -> KEK -> decrypt -> verify signature -> manifest.
// Nothing from the manifest reaches the page unless the signature verified with the tenant's own key.

import * as api from './api.js';
import { fromBase64Url } from './bytes.js';
import { decryptManifestJwe, deriveKek, peekSignatureHeader, verifyManifestJws } from './crypto.js';
import { ApiError, MalformedEnvelopeError, SignatureError } from './errors.js';
import { parseManifestJwe } from './jwe.js';
import { assertSignerIsTenant, organisationName, parseManifest, signingKeyFor } from './manifest.js';

/**
 * @param {{envelopeId: string, recipientId: string, linkKey: CryptoKey, serverShare: string, accessToken: string}} p
 * @returns {Promise<object>} the verified, parsed manifest (see js/manifest.js) plus `organisation`,
 *     the name to show as the sealer
 * @throws {SignatureError} when the signature, its key or the signer's tenant does not check out
 */
export async function openEnvelope({ envelopeId, recipientId, linkKey, serverShare, accessToken }) {
  let share;
  try {
    share = fromBase64Url(serverShare);
  } catch {
    throw new MalformedEnvelopeError('the server share is not base64url');
  }
  const [jweText, kek] = await Promise.all([
    api.fetchManifest(envelopeId, accessToken),
    deriveKek(linkKey, share, envelopeId),
  ]);
  // A consumer link's entry has the recipient id as its kid (PLAN.md / docs/FORMAT.md).
  const jws = await decryptManifestJwe(parseManifestJwe(jweText, recipientId), kek);
  const jwks = await api.fetchJwks();
  return verifiedManifest(jws, jwks, envelopeId);
}

/** Verifies the compact JWS against the JWKS and returns the parsed manifest. */
export async function verifiedManifest(jws, jwks, envelopeId) {
  const { payload, jwk } = await verifySignature(jws, jwks);
  const manifest = parseManifest(payload, envelopeId);
  try {
    assertSignerIsTenant(jwk, jwk.kid, manifest.tenant);
  } catch (e) {
    throw new SignatureError(e.message);
  }
  return Object.freeze({ ...manifest, organisation: organisationName(manifest, jwk) });
}

/**
 * Finds the key the JWS names in the JWKS and verifies the signature (ES256 only).
 * @returns {Promise<{payload: Uint8Array, jwk: object}>}
 * @throws {SignatureError} for anything that is not a valid signature by a published key
 */
export async function verifySignature(jws, jwks) {
  try {
    const { kid } = peekSignatureHeader(jws);
    const jwk = signingKeyFor(jwks, kid);
    return { payload: await verifyManifestJws(jws, jwk), jwk };
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new SignatureError(e.message);
  }
}
