// The API calls the viewer makes (DESIGN.md REST table, /v1/open/...), all same-origin, no cookies,
// no Referer, no cache. Errors (RFC 9457 problem+json) become ApiError with a `kind` the page can explain.

import { toBase64Url } from './bytes.js';
import { ApiError } from './errors.js';

const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;
const ATTEMPTS_MEMBERS = ['remainingAttempts', 'attemptsLeft', 'attemptsRemaining'];

const seg = (s) => encodeURIComponent(s);

async function request(method, path, { json, bearer, accept = 'application/json', signal } = {}) {
  const headers = { Accept: `${accept}, application/problem+json` };
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
      signal,
    });
  } catch {
    throw new ApiError('network');
  }
  if (!res.ok) throw await problemOf(res, bearer !== undefined);
  return res;
}

function retryAfterSeconds(header, problem) {
  const h = header('Retry-After');
  if (h && /^\d+$/.test(h.trim())) return Number(h.trim());
  if (h) {
    const at = Date.parse(h);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - Date.now()) / 1000));
  }
  return Number.isSafeInteger(problem.retryAfter) ? problem.retryAfter : null;
}

/** Maps a problem+json answer to what a person needs to know. Reads `type`'s last segment and the status. */
async function problemOf(res, authenticated) {
  let text = '';
  try {
    text = await res.text();
  } catch {
    /* no body: the status alone decides */
  }
  const info = problemInfo(res.status, (name) => res.headers.get(name), text);
  return new ApiError(kindOf(res.status, info.slug, authenticated), info);
}

/** The status, problem type (and its last segment), Retry-After and remaining attempts of an error answer. */
function problemInfo(status, header, text) {
  let problem = {};
  try {
    const body = JSON.parse(text);
    if (body && typeof body === 'object') problem = body;
  } catch {
    /* not JSON: the status alone decides */
  }
  const type = typeof problem.type === 'string' ? problem.type : '';
  const slug = type.slice(type.lastIndexOf('/') + 1).toLowerCase();
  let attemptsLeft = null;
  for (const m of ATTEMPTS_MEMBERS) if (Number.isSafeInteger(problem[m])) attemptsLeft = problem[m];
  return {
    status,
    type,
    slug,
    title: typeof problem.title === 'string' ? problem.title : '',
    detail: typeof problem.detail === 'string' ? problem.detail : '',
    retryAfter: retryAfterSeconds(header, problem),
    attemptsLeft,
  };
}

function kindOf(status, slug, authenticated) {
  const has = (...words) => words.some((w) => slug.includes(w));
  if (status === 429 || has('rate-limit', 'too-many')) return 'rateLimited';
  if (status === 423 || has('locked')) return 'locked';
  if (has('revoked')) return 'revoked';
  if (has('expired') && !has('token', 'session')) return 'expired';
  if (has('max-opens', 'opens-exhausted', 'opens-used', 'no-opens', 'open-limit')) return 'opensUsed';
  if (has('wrong-code', 'invalid-code', 'wrong-secret', 'invalid-secret', 'code-mismatch', 'verification-failed')) {
    return 'wrongCode';
  }
  if (status === 410) return 'gone';
  if (status === 404) return 'notFound';
  if (status === 401 && authenticated) return 'sessionEnded';
  if (status === 401 || status === 403) return slug === '' ? 'notFound' : 'wrongCode';
  if (status >= 500) return 'server';
  return 'server';
}

/** Starts the second factor (mails a code for EMAIL_OTP). Answers {method, hint}. */
export async function challenge(envelopeId, recipientId, token) {
  const res = await request('POST', `/v1/open/${seg(envelopeId)}/${seg(recipientId)}/challenge`, {
    json: { token: toBase64Url(token) },
  });
  const body = await res.json();
  return {
    method: typeof body.method === 'string' ? body.method : '',
    hint: typeof body.hint === 'string' ? body.hint : '',
  };
}

/**
 * Proves the second factor. `answer` is {code} or {secret} (or {} for NONE).
 * Answers {accessToken, expiresIn, serverShare (base64url)}.
 */
export async function verify(envelopeId, recipientId, token, answer) {
  const res = await request('POST', `/v1/open/${seg(envelopeId)}/${seg(recipientId)}/verify`, {
    json: { token: toBase64Url(token), ...answer },
  });
  const body = await res.json();
  if (typeof body.accessToken !== 'string' || typeof body.serverShare !== 'string') throw new ApiError('server');
  return body;
}

/** The recipient's flattened JWE as text (js/jwe.js checks and parses it), refused above 32 MiB. */
export async function fetchManifest(envelopeId, accessToken) {
  const res = await request('GET', `/v1/open/${seg(envelopeId)}/manifest`, { bearer: accessToken });
  const length = Number(res.headers.get('Content-Length'));
  if (length > MAX_MANIFEST_BYTES) throw new ApiError('server');
  return res.text();
}

/**
 * Every tenant's published signing keys. `timeoutMs` bounds the whole exchange (an answer that never
 * comes is a network failure).
 */
export async function fetchJwks(timeoutMs) {
  const signal = timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined;
  const res = await request('GET', '/.well-known/jwks.json', {
    accept: 'application/jwk-set+json, application/json',
    signal,
  });
  try {
    return await res.json();
  } catch {
    throw new ApiError(signal && signal.aborted ? 'network' : 'server');
  }
}

/** The attachment's ciphertext as a stream. */
export async function fetchAttachment(envelopeId, attachmentId, accessToken) {
  const res = await request('GET', `/v1/open/${seg(envelopeId)}/attachments/${seg(attachmentId)}`, {
    bearer: accessToken,
    accept: 'application/octet-stream',
  });
  if (!res.body) throw new ApiError('server');
  return res.body;
}

/**
 * Uploads a sealed reply (REPLY-WIRE.md "Upload"): multipart/form-data with the parts `reply`
 * (the ids, the only clear text), `manifest` (the JWE) and one `attachment` per id in the declared
 * order, filename = the id. XMLHttpRequest, for upload progress (Chromium refuses a streamed fetch
 * body over HTTP/1.1); the FormData holds only ciphertext Blobs. Only a 201 counts as sent.
 * @param {{replyId: string, replyJson: string, manifest: Uint8Array, attachments: {id: string, blob: Blob}[]}} reply
 * @param {(sent: number, total: number) => void} onProgress
 * @returns {Promise<{replyId: string, received: string, receipt: string}>} the server's answer
 * @throws {ApiError} kinds: sessionEnded (401), replyLimit (409), tooLarge (413), replyNotAllowed (403),
 *     expired / revoked / gone (410), rateLimited, network, server
 */
export function uploadReply(envelopeId, recipientId, accessToken, reply, onProgress) {
  const form = new FormData();
  form.append('reply', new Blob([reply.replyJson], { type: 'application/json' }), 'reply');
  form.append('manifest', new Blob([reply.manifest], { type: 'application/jose+json' }), 'manifest');
  for (const a of reply.attachments) form.append('attachment', a.blob, a.id);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/v1/open/${seg(envelopeId)}/${seg(recipientId)}/replies`);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Authorization', `Bearer ${accessToken}`);
    xhr.withCredentials = false;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    const failed = () => reject(new ApiError('network'));
    xhr.onerror = failed;
    xhr.onabort = failed;
    xhr.ontimeout = failed;
    xhr.onload = () => {
      if (xhr.status === 201) {
        let body = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          /* a 201 is a stored reply even if its body is unreadable */
        }
        const ok = body && typeof body === 'object';
        resolve({
          replyId: ok && typeof body.replyId === 'string' ? body.replyId : reply.replyId,
          received: ok && typeof body.received === 'string' ? body.received : '',
          receipt: ok && typeof body.receipt === 'string' ? body.receipt : '',
        });
        return;
      }
      const info = problemInfo(xhr.status, (name) => xhr.getResponseHeader(name), xhr.responseText || '');
      reject(new ApiError(replyKindOf(xhr.status, info.slug), info));
    };
    xhr.send(form);
  });
}

function replyKindOf(status, slug) {
  if (status === 401) return 'sessionEnded';
  if (status === 409) return 'replyLimit';
  if (status === 413) return 'tooLarge';
  if (status === 403) return 'replyNotAllowed';
  if (status === 0) return 'network';
  return kindOf(status, slug, true);
}
