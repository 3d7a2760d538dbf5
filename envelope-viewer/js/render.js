// DOM: which screen shows, the message, the attachment rows, inline errors and the status line.
// Everything from the envelope or the API is written with textContent (via i18n.setText or directly).

import { setAttr, setText, t } from './i18n.js';

const SCREENS = ['start', 'code', 'secret', 'message', 'problem'];

const $ = (id) => document.getElementById(id);

export function el(tag, className) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  return e;
}

/** Shows one screen, hides the others, moves focus to its heading (for keyboard and screen reader users). */
export function showScreen(name, { focus = true } = {}) {
  for (const s of SCREENS) $(`screen-${s}`).hidden = s !== name;
  if (focus) {
    const heading = $(`screen-${name}`).querySelector('h1');
    if (heading) heading.focus();
  }
}

export function setStatus(key, args) {
  const s = $('status');
  if (key) setText(s, key, args);
  else {
    delete s.dataset.i18n;
    s.textContent = '';
  }
}

export function setBusy(busy) {
  document.body.classList.toggle('busy', busy);
  // Buttons are disabled; inputs only read-only, so focus can still move to them when the next screen shows.
  for (const b of document.querySelectorAll('main button')) {
    if (!b.closest('#att-list')) b.disabled = busy;
  }
  for (const i of document.querySelectorAll('main input')) i.readOnly = busy;
  $('main').setAttribute('aria-busy', String(busy));
}

/** An error under a field (or null to clear it). The field is marked invalid while it shows. */
export function fieldError(id, key, args, field) {
  const p = $(id);
  if (key) {
    setText(p, key, args);
    p.hidden = false;
  } else {
    p.hidden = true;
    p.textContent = '';
  }
  if (field) field.setAttribute('aria-invalid', String(Boolean(key)));
}

/**
 * The problem screen. kind picks the texts (problem.<kind>.title/body); the signature kind is shown as a
 * loud warning. detail is an optional technical line (never secret, never content).
 */
export function showProblem(kind, detail) {
  const section = $('screen-problem');
  section.classList.toggle('danger', kind === 'signature');
  setText($('problem-title'), `problem.${kind}.title`);
  setText($('problem-body'), `problem.${kind}.body`);
  const tech = $('problem-technical');
  if (detail) {
    setText(tech, 'problem.technical', { detail });
    tech.hidden = false;
  } else {
    tech.hidden = true;
  }
  setStatus(null);
  showScreen('problem');
}

export function showCodeScreen(hint) {
  if (hint) setText($('code-lead'), 'code.lead', { hint });
  else setText($('code-lead'), 'code.leadNoHint');
  showScreen('code');
  $('code-input').focus();
}

export function showSecretScreen(hint) {
  const h = $('secret-hint');
  if (hint) {
    delete h.dataset.i18n;
    h.textContent = hint;
    h.classList.remove('muted');
  } else {
    setText(h, 'secret.noHint');
    h.classList.add('muted');
  }
  showScreen('secret');
  $('secret-input').focus();
}

/**
 * Renders a verified manifest. onDownload(att, row) is called when a person asks for an attachment.
 */
export function showMessage(manifest, onDownload) {
  const org = manifest.organisation;
  setText($('seal-title'), 'message.sealedBy', { org });
  setText($('seal-detail'), 'message.sealedDetail', { org });
  $('msg-subject').textContent = manifest.subject;
  setText($('msg-created'), 'message.created', { date: { $date: manifest.created.toISOString() } });
  const expires = $('msg-expires');
  if (manifest.expires) setText(expires, 'message.expires', { date: { $date: manifest.expires.toISOString() } });
  else expires.textContent = '';
  $('msg-body').textContent = manifest.message;

  const list = $('att-list');
  list.replaceChildren();
  $('att-none').hidden = manifest.attachments.length > 0;
  for (const att of manifest.attachments) {
    const row = attachmentRow(att);
    row.button.addEventListener('click', () => onDownload(att, row));
    list.append(row.li);
  }
  showScreen('message');
}

function fileIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '24');
  svg.setAttribute('height', '24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'att-icon');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', 'M6 2a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8l-6-6H6Zm7 1.5L18.5 9H13V3.5Z');
  svg.append(path);
  return svg;
}

function attachmentRow(att) {
  const li = el('li', 'attachment');
  li.dataset.attachmentId = att.id;
  const head = el('div', 'att-head');
  const text = el('div', 'att-text');
  const name = el('p', 'att-name');
  name.textContent = att.name;
  const meta = el('p', 'att-meta');
  setText(meta, 'att.meta', { size: { $bytes: att.size }, type: att.mediaType || 'application/octet-stream' });
  text.append(name, meta);
  head.append(fileIcon(), text);

  const actions = el('div', 'att-actions');
  const button = el('button', 'button secondary att-download');
  button.type = 'button';
  setText(button, 'att.download');
  setAttr(button, 'aria-label', 'att.downloadLabel', { name: att.name });
  const save = el('a', 'button primary att-save');
  save.hidden = true;
  actions.append(button, save);

  const progress = el('progress', 'att-progress');
  progress.max = 1;
  progress.value = 0;
  progress.hidden = true;
  setAttr(progress, 'aria-label', 'att.progress', { name: att.name, percent: { $percent: 0 } });
  const state = el('p', 'att-state');
  state.hidden = true;

  li.append(head, actions, progress, state);
  return { li, button, save, progress, state };
}

export function rowProgress(row, att, done, total) {
  const ratio = total > 0 ? done / total : 1;
  row.progress.hidden = false;
  row.progress.value = ratio;
  const args = { name: att.name, percent: { $percent: Math.floor(ratio * 100) / 100 } };
  setAttr(row.progress, 'aria-label', 'att.progress', args);
  row.state.hidden = false;
  setText(row.state, 'att.progress', args);
}

export function rowReady(row, att, url, fileName) {
  row.progress.hidden = true;
  row.button.hidden = true;
  row.save.href = url;
  row.save.download = fileName;
  row.save.hidden = false;
  setText(row.save, 'att.save', { name: fileName });
  row.state.hidden = false;
  row.state.className = 'att-state ok';
  setText(row.state, 'att.ready');
  setStatus('att.readyAnnounce', { name: fileName });
  row.save.focus();
}

/** The attachment was written to a file (how = 'file') or handed to the browser's downloads ('download'). */
export function rowSaved(row, att, how, fileName) {
  row.progress.hidden = true;
  row.button.hidden = true;
  row.save.hidden = true;
  row.state.hidden = false;
  row.state.className = 'att-state ok';
  setText(row.state, how === 'file' ? 'att.saved' : 'att.downloaded', { name: fileName });
  setStatus(how === 'file' ? 'att.savedAnnounce' : 'att.downloadedAnnounce', { name: fileName });
  row.state.tabIndex = -1;
  row.state.focus();
}

/** Back to the download button (the person cancelled the file dialog). */
export function rowIdle(row) {
  row.progress.hidden = true;
  row.state.hidden = true;
  row.button.disabled = false;
  row.button.hidden = false;
  row.button.focus();
}

export function rowFailed(row, att, key, args, { retry }) {
  row.progress.hidden = true;
  row.save.hidden = true;
  row.save.removeAttribute('href');
  row.state.hidden = false;
  row.state.className = 'att-state error';
  setText(row.state, key, args);
  setStatus('att.failedAnnounce', { name: att.name });
  row.button.disabled = !retry;
  row.button.hidden = !retry;
  if (retry) setText(row.button, 'att.retry');
}

export function announce(key, args) {
  setStatus(key, args);
  return t(key, args);
}
