// The calls the auditor console makes: same origin, the key as a Bearer header (never a cookie),
// no cache, no Referer, no redirects. Errors become ConsoleError{kind, status, detail}.

export class ConsoleError extends Error {
  constructor(kind, status = 0, detail = '') {
    super(`${kind} ${status} ${detail}`);
    this.name = 'ConsoleError';
    this.kind = kind;
    this.status = status;
    this.detail = detail;
  }
}

async function call(path, key, accept = 'application/json') {
  let res;
  try {
    res = await fetch(path, {
      headers: { Accept: `${accept}, application/problem+json`, ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ConsoleError('network');
  }
  if (res.ok) return res;
  let detail = '';
  try {
    const p = await res.json();
    if (p && typeof p.detail === 'string') detail = p.detail;
  } catch {
    /* the status alone decides */
  }
  const kind =
    res.status === 401 ? 'invalid' : res.status === 403 ? 'forbidden' : res.status === 404 ? 'notFound'
      : res.status === 429 || res.status === 503 ? 'busy' : res.status === 400 || res.status === 422 ? 'badRequest' : 'generic';
  throw new ConsoleError(kind, res.status, detail);
}

/** Whether the key is an AUDITOR's: the audit API answers it (403 for every other role). */
export async function checkAuditor(key) {
  await call('/v1/audit/events?limit=1', key);
}

/** One page of events: {items, nextCursor}. filter: {envelope, recipient, type, actor, from, to, limit, cursor}. */
export async function events(key, filter) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const res = await call(`/v1/audit/events?${q}`, key);
  return res.json();
}

/** The evidence bundle: the exact text as served (downloaded byte for byte) and its parsed form. */
export async function evidence(key, envelopeId) {
  const res = await call(`/v1/audit/evidence/${encodeURIComponent(envelopeId)}`, key);
  const text = await res.text();
  return { text, bundle: JSON.parse(text) };
}

/** The whole log export (format ndjson or csv) as a Blob. */
export async function exportLog(key, format) {
  const res = await call(`/v1/audit/export?format=${encodeURIComponent(format)}`, key, format === 'csv' ? 'text/csv' : 'application/x-ndjson');
  return res.blob();
}

/** The server's published signing keys (public, no key needed): what Verify trusts. */
export const JWKS_PATH = '/.well-known/jwks.json';
export async function publishedJwks() {
  const res = await call(JWKS_PATH, null, 'application/jwk-set+json');
  return res.json();
}
