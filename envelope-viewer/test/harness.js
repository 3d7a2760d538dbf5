// Test-only entry point (bundled to target/viewer-test/, never shipped): exposes the viewer's own modules
// to the Selenium tests, which call them with executeAsyncScript and compare against Java.

import * as api from '../js/api.js';
import { fromBase64Url, toBase64Url } from '../js/bytes.js';
import { decryptManifestJwe, deriveKek, deriveLinkShare, deriveToken, importLinkSecret, sha256Stream } from '../js/crypto.js';
import { verifiedManifest } from '../js/envelope.js';
import { sanitizeFileName } from '../js/names.js';
import { decryptAttachment } from '../js/stream.js';

function describe(e) {
  return { ok: false, error: e && e.name ? e.name : String(e), message: e && e.message ? e.message : '' };
}

async function guard(fn) {
  try {
    return { ok: true, ...(await fn()) };
  } catch (e) {
    return describe(e);
  }
}

window.sealpostHarness = {
  derive: (secretB64) =>
    guard(async () => {
      const key = await importLinkSecret(fromBase64Url(secretB64));
      return { token: toBase64Url(await deriveToken(key)), linkShare: toBase64Url(await deriveLinkShare(key)) };
    }),

  /** Decrypts the flattened JWE with the KEK derived from link secret + server share, then verifies. */
  open: (jweJson, secretB64, serverShareB64, envelopeId, jwksJson) =>
    guard(async () => {
      const key = await importLinkSecret(fromBase64Url(secretB64));
      const kek = await deriveKek(key, fromBase64Url(serverShareB64), envelopeId);
      const jws = await decryptManifestJwe(JSON.parse(jweJson), kek);
      const m = await verifiedManifest(jws, JSON.parse(jwksJson), envelopeId);
      return {
        kekExtractable: kek.extractable,
        kekUsages: kek.usages,
        jws,
        manifest: { ...m, created: m.created.toISOString(), expires: m.expires ? m.expires.toISOString() : null },
      };
    }),

  /** Streams an attachment from url and decrypts it; answers its size and SHA-256 (base64url). */
  attachment: (url, attJson, envelopeId) =>
    guard(async () => {
      const res = await fetch(url, { cache: 'no-store' });
      let chunks = 0;
      const blob = await decryptAttachment(res.body, JSON.parse(attJson), envelopeId, { onProgress: () => chunks++ });
      const h = sha256Stream();
      h.update(new Uint8Array(await blob.arrayBuffer()));
      return { size: blob.size, sha256: toBase64Url(h.digest()), progressCalls: chunks };
    }),

  sanitize: (name) => guard(async () => ({ name: sanitizeFileName(name) })),

  api,
};
document.body.dataset.ready = 'true';
