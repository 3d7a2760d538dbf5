// Opening sequence after the second factor: manifest JWE -> KEK -> decrypt -> verify signature -> manifest.
// Nothing from the manifest reaches the page unless the signature verified with the tenant's own key.

import * as api from './api.js';
import { fromBase64Url } from './bytes.js';
import { decryptManifestJwe, deriveKek, peekSignatureHeader, verifyManifestJws } from './crypto.js';
import { ApiError, MalformedEnvelopeError, SignatureError } from './errors.js';
import { assertSignerIsTenant, organisationName, parseManifest, signingKeyFor } from './manifest.js';

/**
 * @param {{envelopeId: string, linkKey: CryptoKey, serverShare: string, accessToken: string}} p
 * @returns {Promise<object>} the verified, parsed manifest (see js/manifest.js) plus `organisation`,
 *     the name to show as the sealer
 * @throws {SignatureError} when the signature, its key or the signer's tenant does not check out
 */
export async function openEnvelope({ envelopeId, linkKey, serverShare, accessToken }) {
  let share;
  try {
    share = fromBase64Url(serverShare);
  } catch {
    throw new MalformedEnvelopeError('the server share is not base64url');
  }
  const [jwe, kek] = await Promise.all([
    api.fetchManifest(envelopeId, accessToken),
    deriveKek(linkKey, share, envelopeId),
  ]);
  const jws = await decryptManifestJwe(jwe, kek);
  const jwks = await api.fetchJwks();
  return verifiedManifest(jws, jwks, envelopeId);
}

/** Verifies the compact JWS against the JWKS and returns the parsed manifest. */
export async function verifiedManifest(jws, jwks, envelopeId) {
  let jwk;
  let payload;
  try {
    const { kid } = peekSignatureHeader(jws);
    jwk = signingKeyFor(jwks, kid);
    payload = await verifyManifestJws(jws, jwk);
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new SignatureError(e.message);
  }
  const manifest = parseManifest(payload, envelopeId);
  try {
    assertSignerIsTenant(jwk, jwk.kid, manifest.tenant);
  } catch (e) {
    throw new SignatureError(e.message);
  }
  return Object.freeze({ ...manifest, organisation: organisationName(manifest, jwk) });
}
