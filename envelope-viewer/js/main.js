// The viewer's flow. Loading the page sends nothing and consumes nothing (mail scanners open links):
// the first request is made only when the person chooses Continue.
//
// start --Continue--> challenge --EMAIL_OTP--> code --verify--> open --> message
//                               --SHARED_SECRET--> secret --verify--^
//                               --NONE--> verify --^

import * as api from './api.js';
import { deriveToken, importLinkSecret, webCryptoAvailable } from './crypto.js';
import { openEnvelope } from './envelope.js';
import {
  ApiError,
  IntegrityError,
  MalformedEnvelopeError,
  SaveError,
  SignatureError,
  UntrustedSignerError,
} from './errors.js';
import { takeLinkFromLocation } from './fragment.js';
import { LANGUAGES, preferredLanguage, setLanguage, setText } from './i18n.js';
import { sanitizeFileName } from './names.js';
import { parseReplyOffer } from './reply.js';
import { offerReply } from './reply-view.js';
import {
  fieldError,
  rowFailed,
  rowIdle,
  rowProgress,
  rowReady,
  rowSaved,
  setBusy,
  setStatus,
  showCodeScreen,
  showMessage,
  showProblem,
  showScreen,
  showSecretScreen,
} from './render.js';
import {
  fileSink,
  fileSystemAccessAvailable,
  pickFile,
  serviceWorkerDownloadAvailable,
  startStreamedDownload,
  STREAM_FROM_BYTES,
} from './save.js';
import { decryptAttachment } from './stream.js';

const $ = (id) => document.getElementById(id);

const session = {
  envelopeId: null,
  recipientId: null,
  linkKey: null,
  token: null,
  method: null,
  accessToken: null,
  objectUrls: [],
};

// Problems that end the flow: the message cannot be opened from this page any more.
const FATAL = new Set(['locked', 'expired', 'revoked', 'opensUsed', 'gone', 'notFound', 'sessionEnded']);

function browserCanDecrypt() {
  return webCryptoAvailable() && Boolean(window.ReadableStream && window.TextDecoder && window.Blob);
}

function setupLanguage() {
  const select = $('lang-select');
  const lang = preferredLanguage();
  select.value = lang;
  setLanguage(lang);
  select.addEventListener('change', () => setLanguage(LANGUAGES.includes(select.value) ? select.value : 'en'));
}

async function start() {
  setupLanguage();
  const link = takeLinkFromLocation();
  if (!browserCanDecrypt()) return showProblem('browser');
  if (!link.envelopeId) return showProblem('notFound');
  if (!link.secret) return showProblem('linkIncomplete');
  session.envelopeId = link.envelopeId;
  session.recipientId = link.recipientId;
  try {
    session.linkKey = await importLinkSecret(link.secret);
    session.token = await deriveToken(session.linkKey);
  } catch {
    return showProblem('browser');
  }
  wire();
  showScreen('start', { focus: false });
}

function wire() {
  $('start-continue').addEventListener('click', onContinue);
  $('code-form').addEventListener('submit', onCodeSubmit);
  $('code-resend').addEventListener('click', onResend);
  $('secret-form').addEventListener('submit', onSecretSubmit);
  $('secret-toggle').addEventListener('click', onToggleSecret);
  window.addEventListener('pagehide', () => session.objectUrls.forEach((u) => URL.revokeObjectURL(u)));
}

/** Runs an async step with the page marked busy; maps failures to inline errors or the problem screen. */
async function step(statusKey, fn, inline) {
  setBusy(true);
  setStatus(statusKey);
  try {
    await fn();
  } catch (e) {
    setStatus(null);
    handleError(e, inline);
  } finally {
    setBusy(false);
  }
}

function handleError(e, inline) {
  if (e instanceof ApiError) {
    if (FATAL.has(e.kind)) return showProblem(e.kind);
    if (!inline) return showProblem(e.kind === 'network' ? 'network' : 'server');
    const { errorId, field, wrongKey } = inline;
    if (e.kind === 'wrongCode' && wrongKey) {
      const left = e.attemptsLeft;
      if (left === 0) return showProblem('locked');
      fieldError(errorId, left === null ? wrongKey : `${wrongKey}Left`, left === null ? undefined : { n: left }, field);
      if (field) {
        field.select();
        field.focus();
      }
      return undefined;
    }
    if (e.kind === 'rateLimited') {
      const s = e.retryAfter;
      if (s === null) return fieldError(errorId, 'err.rateLimited', undefined, null);
      if (s >= 90) return fieldError(errorId, 'err.rateLimitedMinutes', { n: Math.ceil(s / 60) }, null);
      return fieldError(errorId, 'err.rateLimitedFor', { n: Math.max(1, s) }, null);
    }
    return fieldError(errorId, e.kind === 'network' ? 'err.network' : 'err.server', undefined, null);
  }
  if (e instanceof SignatureError || e instanceof UntrustedSignerError) return showProblem('signature', e.message);
  if (e instanceof IntegrityError || e instanceof MalformedEnvelopeError) return showProblem('damaged', e.message);
  console.error(e);
  return showProblem('server');
}

function onContinue() {
  fieldError('start-error', null);
  return step(
    'status.starting',
    async () => {
      const { method, hint } = await api.challenge(session.envelopeId, session.recipientId, session.token);
      session.method = method;
      setStatus(null);
      if (method === 'EMAIL_OTP') showCodeScreen(hint);
      else if (method === 'SHARED_SECRET') showSecretScreen(hint);
      else if (method === 'NONE') await verifyAndOpen({});
      else throw new ApiError('server');
    },
    { errorId: 'start-error', field: null, wrongKey: null },
  );
}

function onResend() {
  fieldError('code-error', null, undefined, $('code-input'));
  return step(
    'status.starting',
    async () => {
      await api.challenge(session.envelopeId, session.recipientId, session.token);
      setStatus('code.resent');
      $('code-input').focus();
    },
    { errorId: 'code-error', field: null, wrongKey: null },
  );
}

function onCodeSubmit(event) {
  event.preventDefault();
  const input = $('code-input');
  const code = input.value.replace(/[\s-]/g, '');
  if (code === '') {
    fieldError('code-error', 'code.empty', undefined, input);
    input.focus();
    return undefined;
  }
  fieldError('code-error', null, undefined, input);
  return step('status.checking', () => verifyAndOpen({ code }), {
    errorId: 'code-error',
    field: input,
    wrongKey: 'err.wrongCode',
  });
}

function onSecretSubmit(event) {
  event.preventDefault();
  const input = $('secret-input');
  const secret = input.value.trim();
  if (secret === '') {
    fieldError('secret-error', 'secret.empty', undefined, input);
    input.focus();
    return undefined;
  }
  fieldError('secret-error', null, undefined, input);
  return step('status.checking', () => verifyAndOpen({ secret }), {
    errorId: 'secret-error',
    field: input,
    wrongKey: 'err.wrongSecret',
  });
}

function onToggleSecret() {
  const input = $('secret-input');
  const toggle = $('secret-toggle');
  const show = input.type === 'password';
  input.type = show ? 'text' : 'password';
  toggle.setAttribute('aria-pressed', String(show));
  setText(toggle, show ? 'secret.hide' : 'secret.show');
}

async function verifyAndOpen(answer) {
  const granted = await api.verify(session.envelopeId, session.recipientId, session.token, answer);
  session.accessToken = granted.accessToken;
  // The codes and answers are no longer needed on the page.
  $('code-input').value = '';
  $('secret-input').value = '';
  setStatus('status.opening');
  let manifest;
  try {
    manifest = await openEnvelope({
      envelopeId: session.envelopeId,
      recipientId: session.recipientId,
      linkKey: session.linkKey,
      serverShare: granted.serverShare,
      accessToken: granted.accessToken,
    });
  } catch (e) {
    // Past verify, every failure ends the flow (the open was counted; the person reopens the link).
    if (e instanceof ApiError && !FATAL.has(e.kind)) return showProblem(e.kind === 'network' ? 'network' : 'server');
    throw e;
  }
  setStatus('status.opened');
  showMessage(manifest, downloadAttachment);
  // REPLY-WIRE.md "What the viewer learns": present only when this envelope accepts replies now.
  const offer = parseReplyOffer(granted.reply);
  if (offer) {
    offerReply({
      offer,
      envelopeId: session.envelopeId,
      recipientId: session.recipientId,
      accessToken: granted.accessToken,
      organisation: manifest.organisation,
      tenant: manifest.tenant,
    });
  }
  return undefined;
}

/**
 * Large attachments go straight to disk (js/save.js): a file the person picks, else a streamed download,
 * else (and for small ones) a Blob checked before the Save link appears.
 */
function downloadAttachment(att, row) {
  const fileName = sanitizeFileName(att.name);
  const large = att.size >= STREAM_FROM_BYTES;
  // The file dialog needs the click's user activation: it is asked for before anything is awaited.
  const picking = large && fileSystemAccessAvailable() ? pickFile(fileName).catch(() => undefined) : null;
  row.button.disabled = true;
  return saveAttachment(att, row, fileName, large, picking);
}

async function saveAttachment(att, row, fileName, large, picking) {
  let target = 'blob';
  let handle = null;
  if (picking) {
    handle = await picking;
    if (handle === null) return rowIdle(row);
    if (handle) target = 'file';
  }
  if (target === 'blob' && large && serviceWorkerDownloadAvailable()) target = 'download';
  rowProgress(row, att, 0, att.size);
  let lastPaint = 0;
  const onProgress = (done, total) => {
    const now = performance.now();
    if (now - lastPaint > 100 || done === total) {
      lastPaint = now;
      rowProgress(row, att, done, total);
    }
  };
  let sink;
  try {
    if (target === 'file') sink = await fileSink(handle);
    let body;
    try {
      body = await api.fetchAttachment(session.envelopeId, att.id, session.accessToken);
    } catch (e) {
      if (sink) await sink.abort(e);
      throw e;
    }
    if (target === 'download') {
      try {
        sink = await startStreamedDownload(fileName, att.size);
      } catch (e) {
        console.warn('streamed download unavailable, keeping the file in memory', e);
        target = 'blob';
      }
    }
    const result = await decryptAttachment(body, att, session.envelopeId, { onProgress, sink });
    if (target === 'blob') {
      const url = URL.createObjectURL(result);
      session.objectUrls.push(url);
      return rowReady(row, att, url, fileName);
    }
    return rowSaved(row, att, target, target === 'file' ? handle.name : fileName);
  } catch (e) {
    return attachmentFailed(row, att, target, e);
  }
}

const FAILED_KEYS = { blob: 'att.failed', file: 'att.failedFile', download: 'att.failedDownload' };

function attachmentFailed(row, att, target, e) {
  if (e instanceof ApiError) {
    if (e.kind === 'sessionEnded') return rowFailed(row, att, 'problem.sessionEnded.body', undefined, { retry: false });
    if (FATAL.has(e.kind)) return rowFailed(row, att, `problem.${e.kind}.body`, undefined, { retry: false });
    return rowFailed(row, att, e.kind === 'network' ? 'err.network' : 'err.server', undefined, { retry: true });
  }
  if (e instanceof SaveError) {
    console.warn(e, e.cause);
    const key = target === 'file' ? 'att.saveFailed' : 'att.downloadStopped';
    return rowFailed(row, att, key, undefined, { retry: true });
  }
  if (!(e instanceof IntegrityError || e instanceof MalformedEnvelopeError)) console.error(e);
  return rowFailed(row, att, FAILED_KEYS[target], undefined, { retry: false });
}

start();
