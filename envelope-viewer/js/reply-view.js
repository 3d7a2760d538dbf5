// The "Reply securely" section under an opened message (shown only when the verify answer offered a
// reply): a message and files, sealed in the browser (js/reply.js), uploaded with progress
// (js/api.js), then the server's receipt. Nothing is said to be sent unless the server answered 201.

import * as api from './api.js';
import { ApiError, FileReadError, ReplyInputError } from './errors.js';
import { setAttr, setText } from './i18n.js';
import { el, fieldError, setStatus } from './render.js';
import { checkReceipt, ReceiptError } from './receipt.js';
import { checkReplyInput, sealReply } from './reply.js';

const $ = (id) => document.getElementById(id);

/** How long the receipt check waits for the published keys before saying it could not check. */
const JWKS_TIMEOUT_MS = 15000;

// Answers after which this page cannot send a reply any more (the person reopens the link, or cannot reply).
const CLOSED = new Set(['replyNotAllowed', 'expired', 'revoked', 'opensUsed', 'gone', 'notFound', 'locked']);

/**
 * @param {{offer: {keys: object[], remaining: number, maxBytes: number}, envelopeId: string,
 *     recipientId: string, accessToken: string, organisation: string, tenant: string}} ctx
 */
export function offerReply(ctx) {
  const state = { remaining: ctx.offer.remaining, maxBytes: ctx.offer.maxBytes, busy: false, closed: false };
  setText($('reply-lead'), 'reply.lead', { org: ctx.organisation });
  setText($('reply-max'), 'reply.maxSize', { size: { $bytes: state.maxBytes } });
  showRemaining(state);
  $('reply-files').addEventListener('change', listFiles);
  $('reply-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!state.busy && !state.closed) send(ctx, state);
  });
  $('reply').hidden = false;
}

function showRemaining(state) {
  const none = state.remaining <= 0;
  if (none) setText($('reply-remaining'), 'reply.none');
  else setText($('reply-remaining'), 'reply.remaining', { n: state.remaining });
  $('reply-form').hidden = none;
}

function listFiles() {
  const list = $('reply-file-list');
  list.replaceChildren();
  for (const f of Array.from($('reply-files').files || [])) {
    const li = el('li');
    setText(li, 'reply.fileRow', { name: f.name, size: { $bytes: f.size } });
    list.append(li);
  }
}

function replyError(key, args) {
  fieldError('reply-error', key, args);
}

function setSending(busy) {
  $('reply-send').disabled = busy;
  $('reply-message').readOnly = busy;
  $('reply-files').disabled = busy;
  $('reply').setAttribute('aria-busy', String(busy));
}

function progressPainter(key) {
  let last = 0;
  return (ratio, force = false) => {
    const now = performance.now();
    if (!force && now - last < 100) return;
    last = now;
    const bar = $('reply-progress');
    const text = $('reply-progress-text');
    bar.hidden = false;
    text.hidden = false;
    bar.value = ratio;
    const args = { percent: { $percent: Math.floor(ratio * 100) / 100 } };
    setAttr(bar, 'aria-label', key, args);
    setText(text, key, args);
  };
}

function hideProgress() {
  $('reply-progress').hidden = true;
  $('reply-progress-text').hidden = true;
}

async function send(ctx, state) {
  const message = $('reply-message').value;
  const files = Array.from($('reply-files').files || []);
  replyError(null);
  $('reply-receipt').hidden = true;
  try {
    checkReplyInput({ message, files, maxBytes: state.maxBytes });
  } catch (e) {
    return failed(e, state);
  }
  state.busy = true;
  setSending(true);
  try {
    setStatus('reply.encryptingAnnounce');
    const encrypting = progressPainter('reply.encrypting');
    encrypting(0, true);
    const sealed = await sealReply({
      envelopeId: ctx.envelopeId,
      recipientId: ctx.recipientId,
      message,
      files,
      keys: ctx.offer.keys,
      maxBytes: state.maxBytes,
      onProgress: (done, total) => encrypting(total > 0 ? done / total : 1),
    });
    encrypting(1, true);
    setStatus('reply.sendingAnnounce');
    const uploading = progressPainter('reply.uploading');
    uploading(0, true);
    const answer = await api.uploadReply(ctx.envelopeId, ctx.recipientId, ctx.accessToken, sealed, (sent, total) =>
      uploading(total > 0 ? sent / total : 1),
    );
    uploading(1, true);
    state.remaining = Math.max(0, state.remaining - 1);
    sent(answer, state);
    checkSentReceipt(ctx, sealed, answer); // not awaited: the reply is stored; this reports on its receipt
    return undefined;
  } catch (e) {
    return failed(e, state);
  } finally {
    state.busy = false;
    setSending(false);
    hideProgress();
  }
}

function sent(answer, state) {
  const detail = $('reply-receipt-detail');
  if (answer.received && !Number.isNaN(Date.parse(answer.received))) {
    setText(detail, 'reply.sent', { date: { $date: answer.received }, id: answer.replyId });
  } else {
    setText(detail, 'reply.sentNoDate', { id: answer.replyId });
  }
  $('reply-receipt').dataset.replyId = answer.replyId;
  $('reply-receipt').hidden = false;
  $('reply-message').value = '';
  $('reply-files').value = '';
  listFiles();
  showRemaining(state);
  setStatus('reply.sentAnnounce');
  $('reply-receipt-title').focus();
}

/**
 * Checks the server's signed receipt against what this page sent (js/receipt.js) and says so under
 * the confirmation: signed for exactly this reply, not matching (the reference stays shown), or not
 * checkable now (the published keys could not be fetched). The reply counts as sent either way: the
 * server answered 201.
 */
async function checkSentReceipt(ctx, sealed, answer) {
  const line = $('reply-receipt-check');
  setText(line, 'reply.receiptChecking');
  line.dataset.state = 'checking';
  line.hidden = false;
  const shown = $('reply-receipt').dataset.replyId;
  let result = 'bad';
  try {
    // The reference shown must be the reply this page sealed, which the receipt must then sign for.
    if (answer.replyId !== sealed.replyId) throw new ReceiptError('the answer names another reply');
    const jwks = await api.fetchJwks(JWKS_TIMEOUT_MS);
    await checkReceipt(answer.receipt, jwks, {
      tenant: ctx.tenant,
      envelopeId: ctx.envelopeId,
      recipientId: ctx.recipientId,
      replyId: sealed.replyId,
      received: answer.received,
      manifest: sealed.manifest,
      attachments: sealed.attachments,
    });
    result = 'ok';
  } catch (e) {
    if (e instanceof ApiError) result = 'unchecked';
    else console.warn('reply receipt not accepted:', e && e.message);
  }
  // A later reply took its place (each send shows its own reply id, or hides the receipt first).
  if ($('reply-receipt').hidden || $('reply-receipt').dataset.replyId !== shown) return;
  const keys = { ok: 'reply.receiptOk', bad: 'reply.receiptBad', unchecked: 'reply.receiptUnchecked' };
  setText(line, keys[result], { org: ctx.organisation });
  line.dataset.state = result;
}

function failed(e, state) {
  setStatus(null); // the error below is an alert: it is what is announced
  if (e instanceof ReplyInputError) return replyError(e.key, e.args);
  if (e instanceof FileReadError) return replyError('reply.err.file', { name: e.fileName });
  if (!(e instanceof ApiError)) {
    console.error(e);
    return replyError('reply.err.server');
  }
  if (e.kind === 'sessionEnded') return close(state, 'reply.err.sessionEnded');
  if (e.kind === 'replyLimit') {
    state.remaining = 0;
    setText($('reply-remaining'), 'reply.none');
    return close(state, 'reply.err.limit');
  }
  if (e.kind === 'tooLarge') return replyError('reply.err.tooLarge', { size: { $bytes: state.maxBytes } });
  if (CLOSED.has(e.kind)) return close(state, e.kind === 'replyNotAllowed' ? 'reply.err.notAllowed' : 'reply.err.gone');
  if (e.kind === 'rateLimited') return replyError('reply.err.rateLimited');
  return replyError(e.kind === 'network' ? 'reply.err.network' : 'reply.err.server');
}

/** This page cannot send (another) reply: the error stays, the form stays readable (to copy the text), Send goes. */
function close(state, key) {
  state.closed = true;
  replyError(key);
  $('reply-send').hidden = true;
}
