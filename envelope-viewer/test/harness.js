// Test-only entry point (bundled to target/viewer-test/, never shipped): exposes the viewer's own modules
// to the Selenium tests, which call them with executeAsyncScript and compare against Java.

import * as api from '../js/api.js';
import { fromBase64Url, toBase64Url } from '../js/bytes.js';
import { decryptManifestJwe, deriveKek, deriveLinkShare, deriveToken, importLinkSecret, sha256Stream } from '../js/crypto.js';
import { importJWK } from 'jose';
import { verifiedManifest, verifySignature } from '../js/envelope.js';
import { parseManifestJwe } from '../js/jwe.js';
import { parseManifest } from '../js/manifest.js';
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
  open: (jweJson, secretB64, serverShareB64, envelopeId, jwksJson, recipientId) =>
    guard(async () => {
      const key = await importLinkSecret(fromBase64Url(secretB64));
      const kek = await deriveKek(key, fromBase64Url(serverShareB64), envelopeId);
      const jws = await decryptManifestJwe(parseManifestJwe(jweJson, recipientId), kek);
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

  /** Runs one shared test vector (testvectors/README.md) through the viewer's own code. */
  vector: (json) => runVector(JSON.parse(json)),

  /** Size and SHA-256 (base64url) of a file in the origin-private file system, read as a stream. */
  opfsFile: (name) =>
    guard(async () => {
      const dir = await navigator.storage.getDirectory();
      let handle;
      try {
        handle = await dir.getFileHandle(name);
      } catch (e) {
        if (e.name === 'NotFoundError') return { exists: false };
        throw e;
      }
      const file = await handle.getFile();
      const h = sha256Stream();
      const reader = file.stream().getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        h.update(value);
      }
      return { exists: true, size: file.size, sha256: toBase64Url(h.digest()) };
    }),

  sanitize: (name) => guard(async () => ({ name: sanitizeFileName(name) })),

  api,
};
document.body.dataset.ready = 'true';

// ---- shared test vectors ----

async function recipientKey(r, envelopeId) {
  if (r.kind === 'link') {
    const link = await importLinkSecret(fromBase64Url(r.linkSecret));
    const derived = {
      token: toBase64Url(await deriveToken(link)),
      linkShare: toBase64Url(await deriveLinkShare(link)),
    };
    const kek = await deriveKek(link, fromBase64Url(r.serverShare), r.envelopeId ?? envelopeId);
    return { key: kek, kid: r.recipientId, algs: ['A256KW'], derived };
  }
  if (r.kind === 'custody') return { key: fromBase64Url(r.key), kid: r.keyId, algs: ['A256KW'] };
  const alg = r.jwk.kty === 'RSA' ? 'RSA-OAEP-256' : 'ECDH-ES+A256KW';
  return { key: await importJWK(r.jwk, alg), kid: r.jwk.kid, algs: [alg] };
}

async function runVector(v) {
  const out = { ok: true, stage: null, error: null, message: null, attachments: [] };
  const fail = (stage, e) => ({ ...out, ok: false, stage, error: e && e.name ? e.name : String(e), message: e && e.message });
  let manifest;
  try {
    const rk = await recipientKey(v.keys.recipient);
    out.derived = rk.derived ?? null;
    const jwe = parseManifestJwe(v.jwe, rk.kid);
    const jws = await decryptManifestJwe(jwe, rk.key, rk.algs);
    const { payload, jwk } = await verifySignature(jws, v.keys.trustedKeys);
    const text = new TextDecoder().decode(payload);
    const envelopeId = JSON.parse(text).envelopeId;
    manifest = parseManifest(payload, envelopeId);
    out.signerKid = jwk.kid;
    out.manifest = { ...manifest, created: manifest.created.toISOString(), expires: manifest.expires ? manifest.expires.toISOString() : null };
  } catch (e) {
    return fail('manifest', e);
  }
  for (const a of v.attachments ?? []) {
    const att = manifest.attachments.find((x) => x.id === a.id);
    try {
      const bytes = fromBase64Url(a.ciphertext);
      const blob = await decryptAttachment(new Blob([bytes]).stream(), att, manifest.envelopeId);
      const plain = new Uint8Array(await blob.arrayBuffer());
      const h = sha256Stream();
      h.update(plain);
      out.attachments.push({ id: a.id, size: plain.length, sha256: toBase64Url(h.digest()), plaintext: toBase64Url(plain) });
    } catch (e) {
      return fail('attachment', e);
    }
  }
  return out;
}
