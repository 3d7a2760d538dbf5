// Envelope format v1 manifest: parse the verified JWS payload, check every field before anything is shown.

import { fromBase64Url, utf8Strict } from './bytes.js';
import { MalformedEnvelopeError, UntrustedSignerError } from './errors.js';
import { assertJsonDepth, MAX_MANIFEST_DEPTH } from './jwe.js';

const ID = /^[A-Za-z0-9._~-]{1,128}$/;
const MAX_ATTACHMENTS = 1000;
const MIN_CHUNK_SIZE = 16;
const MAX_CHUNK_SIZE = 1024 * 1024;

function fail(what) {
  throw new MalformedEnvelopeError(`manifest: ${what}`);
}

function str(o, name, { optional = false } = {}) {
  const v = o[name];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') fail(`${name} must be a string`);
  return v;
}

function bytesField(o, name, length) {
  let b;
  try {
    b = fromBase64Url(str(o, name));
  } catch (e) {
    if (e instanceof MalformedEnvelopeError) throw e;
    fail(`${name} is not base64url`);
  }
  if (b.length !== length) fail(`${name} must be ${length} bytes`);
  return b;
}

function instant(o, name, optional) {
  const v = str(o, name, { optional });
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (!/^\d{4}-\d\d-\d\dT/.test(v) || Number.isNaN(d.getTime())) fail(`${name} is not an RFC 3339 time`);
  return d;
}

/**
 * Parses and checks the manifest (the verified JWS payload).
 * @param {Uint8Array} payload
 * @param {string} expectedEnvelopeId the id from the link: a manifest of another envelope is refused
 */
export function parseManifest(payload, expectedEnvelopeId) {
  let text;
  try {
    text = utf8Strict.decode(payload);
  } catch {
    fail('not UTF-8');
  }
  assertJsonDepth(text, MAX_MANIFEST_DEPTH, 'the manifest');
  let m;
  try {
    m = JSON.parse(text);
  } catch {
    fail('not JSON');
  }
  if (m === null || typeof m !== 'object' || Array.isArray(m)) fail('not an object');
  if (m.v !== 1) fail('unsupported version');
  const envelopeId = str(m, 'envelopeId');
  if (envelopeId !== expectedEnvelopeId) fail('belongs to another envelope');
  const tenant = str(m, 'tenant');
  if (tenant.length === 0) fail('tenant is empty');
  const created = instant(m, 'created', false);
  const expires = instant(m, 'expires', true);
  const subject = str(m, 'subject');
  const message = str(m, 'message');
  const list = m.attachments === undefined ? [] : m.attachments;
  if (!Array.isArray(list) || list.length > MAX_ATTACHMENTS) fail('attachments must be a list of at most 1000');
  const seen = new Set();
  const attachments = list.map((a) => {
    if (a === null || typeof a !== 'object' || Array.isArray(a)) fail('attachment is not an object');
    const id = str(a, 'id');
    if (!ID.test(id) || seen.has(id)) fail('attachment id');
    seen.add(id);
    const size = a.size;
    if (!Number.isSafeInteger(size) || size < 0) fail('attachment size');
    const chunkSize = a.chunkSize;
    if (!Number.isSafeInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) fail('chunkSize');
    bytesField(a, 'sha256', 32);
    bytesField(a, 'key', 32);
    bytesField(a, 'noncePrefix', 7);
    return Object.freeze({
      id,
      name: str(a, 'name'),
      mediaType: str(a, 'mediaType'),
      size,
      chunkSize,
      sha256: a.sha256,
      key: a.key,
      noncePrefix: a.noncePrefix,
    });
  });
  return Object.freeze({
    envelopeId,
    tenant,
    created,
    expires,
    subject,
    message,
    attachments: Object.freeze(attachments),
  });
}

/** Finds the one published signing key with this `kid`. */
export function signingKeyFor(jwks, kid) {
  if (typeof kid !== 'string' || kid.length === 0) throw new UntrustedSignerError('the signature names no key');
  const keys = jwks && Array.isArray(jwks.keys) ? jwks.keys : [];
  const matches = keys.filter((k) => k && k.kid === kid);
  if (matches.length !== 1) throw new UntrustedSignerError('the signing key is not published');
  const jwk = matches[0];
  if (jwk.use !== undefined && jwk.use !== 'sig') throw new UntrustedSignerError('not a signing key');
  return jwk;
}

/**
 * Checks that the signing key belongs to the tenant the manifest names, so one tenant cannot seal in
 * another's name. The server's convention (DESIGN.md: each kid says which tenant it belongs to):
 * kid = "<tenantId>.<n>"; a JWK may also carry "tenant": "<tenantId>", which must then agree.
 */
export function assertSignerIsTenant(jwk, kid, tenant) {
  const prefix = `${tenant}.`;
  const kidNamesTenant = kid.startsWith(prefix) && /^[0-9]+$/.test(kid.slice(prefix.length));
  const memberAgrees = jwk.tenant === undefined || jwk.tenant === tenant;
  if (!kidNamesTenant || !memberAgrees) {
    throw new UntrustedSignerError('the signing key belongs to another organisation');
  }
}

/**
 * The name to show in "Sealed by ...": the tenant's display name as the server publishes it with the
 * verified key ("tenantName" in the JWK) beside its unique name ("tenantUniqueName", e.g.
 * "Acme Insurance (acme)"), as a browser shows a certificate's organisation beside its domain;
 * either alone when only one is published (once when they are equal), else the tenant id from the
 * signed manifest.
 */
export function organisationName(manifest, jwk) {
  const name = jwk && typeof jwk.tenantName === 'string' ? jwk.tenantName.trim() : '';
  const display = name.length > 0 && name.length <= 200 ? name : '';
  const unique =
    jwk && typeof jwk.tenantUniqueName === 'string' && /^[a-z0-9][a-z0-9-]{0,62}$/.test(jwk.tenantUniqueName)
      ? jwk.tenantUniqueName
      : '';
  if (display && unique && display !== unique) {
    return `${display} (${unique})`;
  }
  return display || unique || manifest.tenant;
}
