// The auditor console (/audit/): sign in with an AUDITOR key, search events, show one envelope's
// chain of custody from its evidence bundle, verify that bundle here (audit-verify.js, against the
// published JWKS), export, print. The key lives only in this module's memory: never in storage or a
// cookie; a reload or "Sign out" forgets it. Every value is written with textContent.

import * as api from './audit-api.js';
import { formatTime, preferredLanguage, setAttr, setLanguage, setText, t } from './audit-i18n.js';
import { MalformedBundle, verifyEvidence } from './audit-verify.js';

const TYPES = [
  'ENVELOPE_CREATED', 'NOTIFICATION_SENT', 'NOTIFICATION_FAILED', 'CHALLENGE_STARTED', 'CODE_SENT', 'VERIFY_FAILED',
  'RECIPIENT_LOCKED', 'ENVELOPE_OPENED', 'ATTACHMENT_DOWNLOADED', 'PARTNER_FETCHED', 'ENVELOPE_REVOKED', 'ENVELOPE_EXPIRED',
  'KEYS_SHREDDED', 'API_KEY_CREATED', 'API_KEY_REVOKED', 'PARTNER_REGISTERED', 'FETCH_REFUSED', 'AUDIT_EXPORTED',
  'LINK_REISSUED', 'PARTNER_UPDATED', 'PARTNER_DISABLED', 'TENANT_UPDATED', 'SIGNING_KEY_ROTATED',
];

const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
};

const state = { key: null, cursors: [null], page: 0, filter: null, evidence: null };
const SCREENS = ['screen-signin', 'screen-events', 'screen-evidence'];

function show(id) {
  for (const s of SCREENS) $(s).hidden = s !== id;
  $('nav').hidden = id === 'screen-signin';
  const h = $(id).querySelector('h1');
  if (h) h.focus();
}

function clearText(e) {
  delete e.dataset.i18n;
  delete e.dataset.i18nArgs;
  e.textContent = '';
}

function showError(p, key, args) {
  setText(p, key, args);
  p.hidden = false;
}

function errorKey(e) {
  if (e && e.kind === 'network') return ['error.network'];
  if (e && e.kind === 'busy') return ['error.busy'];
  if (e && e.kind === 'notFound') return ['error.notFound'];
  if (e && e.kind === 'badRequest') return ['error.badFilter', { detail: e.detail || String(e.status) }];
  if (e && (e.kind === 'invalid' || e.kind === 'forbidden')) return [e.kind === 'invalid' ? 'signin.invalid' : 'signin.notAuditor'];
  return ['error.generic', { status: e && e.status ? e.status : '?' }];
}

// ---- sign in / out ----

async function signIn(ev) {
  ev.preventDefault();
  const err = $('signin-error');
  err.hidden = true;
  const key = $('signin-key').value.trim();
  if (!key) return showError(err, 'signin.empty');
  $('signin-submit').disabled = true;
  try {
    await api.checkAuditor(key);
    state.key = key;
    $('signin-key').value = '';
    clearText($('status'));
    show('screen-events');
    await search();
  } catch (e) {
    const [k, a] = errorKey(e);
    showError(err, k, a);
  } finally {
    $('signin-submit').disabled = false;
  }
}

function signOut() {
  state.key = null;
  state.evidence = null;
  state.cursors = [null];
  state.page = 0;
  $('events-body').replaceChildren();
  $('ev-timeline').replaceChildren();
  $('ev-summary').replaceChildren();
  $('ev-content').hidden = true;
  $('ev-envelope').value = '';
  $('events-count').textContent = '';
  show('screen-signin');
  setText($('status'), 'signedout');
}

// ---- events ----

function localToIso(v) {
  if (!v) return '';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}

function readFilter() {
  return {
    envelope: $('f-envelope').value.trim(),
    recipient: $('f-recipient').value.trim(),
    type: $('f-type').value,
    actor: $('f-actor').value.trim(),
    from: localToIso($('f-from').value),
    to: localToIso($('f-to').value),
    limit: $('f-limit').value,
  };
}

async function search(ev) {
  if (ev) ev.preventDefault();
  state.filter = readFilter();
  state.cursors = [null];
  state.page = 0;
  await loadPage();
}

async function loadPage() {
  const err = $('events-error');
  err.hidden = true;
  try {
    const page = await api.events(state.key, { ...state.filter, cursor: state.cursors[state.page] });
    renderEvents(page.items || []);
    state.cursors[state.page + 1] = page.nextCursor || null;
    $('page-next').disabled = !page.nextCursor;
    $('page-prev').disabled = state.page === 0;
    setText($('page-info'), 'page.info', { n: state.page + 1 });
  } catch (e) {
    const [k, a] = errorKey(e);
    showError(err, k, a);
  }
}

function cell(text, cls) {
  return el('td', text ?? '', cls);
}

function timeEl(iso) {
  const tm = el('time', formatTime(iso));
  tm.setAttribute('datetime', iso);
  return tm;
}

function renderEvents(items) {
  const rows = items.map((e) => {
    const tr = el('tr');
    tr.dataset.seq = String(e.seq);
    const time = el('td');
    time.append(timeEl(e.time));
    const envelope = el('td', null, 'mono');
    if (e.envelopeId) {
      const b = el('button', e.envelopeId, 'link');
      b.type = 'button';
      b.dataset.envelopeId = e.envelopeId;
      setAttr(b, 'aria-label', 'events.openTimeline', { id: e.envelopeId });
      b.addEventListener('click', () => openEvidence(e.envelopeId));
      envelope.append(b);
    }
    tr.append(cell(e.seq), time, cell(e.type), envelope, cell(e.recipientId, 'mono'), cell(e.actor, 'mono'), cell(e.ip, 'mono'), cell(e.userAgent), cell(e.detail));
    return tr;
  });
  $('events-body').replaceChildren(...rows);
  if (items.length === 0) setText($('events-count'), 'events.none');
  else setText($('events-count'), 'events.count', { n: items.length });
}

// ---- downloads ----

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function exportLog(format) {
  const status = $('export-status');
  try {
    const blob = await api.exportLog(state.key, format);
    const file = `sealpost-audit-${new Date().toISOString().slice(0, 10)}.${format}`;
    download(blob, file);
    setText(status, 'export.done', { file });
  } catch (e) {
    const [k, a] = errorKey(e);
    setText(status, k, a);
  }
}

// ---- evidence ----

async function openEvidence(envelopeId) {
  show('screen-evidence');
  $('ev-envelope').value = envelopeId;
  await loadEvidence();
}

async function loadEvidence(ev) {
  if (ev) ev.preventDefault();
  const err = $('ev-error');
  err.hidden = true;
  const id = $('ev-envelope').value.trim();
  if (!id) return showError(err, 'evidence.empty');
  $('ev-load').disabled = true;
  try {
    state.evidence = await api.evidence(state.key, id);
    renderEvidence(state.evidence.bundle);
  } catch (e) {
    state.evidence = null;
    $('ev-content').hidden = true;
    const [k, a] = errorKey(e);
    showError(err, k, a);
  } finally {
    $('ev-load').disabled = false;
  }
}

function summaryRow(dl, key, value) {
  const dt = el('dt');
  setText(dt, key);
  const dd = el('dd', value, 'mono');
  dl.append(dt, dd);
}

function renderEvidence(b) {
  $('ev-result').hidden = true;
  setText($('ev-heading'), 'evidence.heading', { id: b.envelopeId });
  const dl = $('ev-summary');
  dl.replaceChildren();
  summaryRow(dl, 'evidence.tenant', b.tenant);
  const env = b.envelope && typeof b.envelope === 'object' ? b.envelope : null;
  if (env) {
    summaryRow(dl, 'evidence.status', env.status);
    const rs = Array.isArray(env.recipients) ? env.recipients : [];
    summaryRow(dl, 'evidence.recipients', rs.map((r) => `${r.id} (${r.type}, ${r.status})`).join('; '));
  }
  const created = el('dt');
  setText(created, 'evidence.created');
  const cdd = el('dd');
  cdd.append(timeEl(b.createdAt));
  dl.append(created, cdd);
  $('ev-gone').hidden = !!env;
  const events = Array.isArray(b.events) ? b.events : [];
  const own = events.filter((e) => e && e.envelopeId === b.envelopeId);
  $('ev-timeline').replaceChildren(...own.map(timelineItem));
  setText($('ev-paths'), 'evidence.pathNote', { n: events.length - own.length });
  $('ev-content').hidden = false;
}

function timelineItem(e) {
  const li = el('li');
  li.dataset.seq = String(e.seq);
  const head = el('p', null, 'tl-head');
  head.append(timeEl(e.time), el('span', ' — '), el('strong', e.type), el('span', ` #${e.seq}`, 'fine'));
  li.append(head);
  const facts = [];
  if (e.recipientId) facts.push(['evidence.recipient', { id: e.recipientId }]);
  if (e.actor) facts.push(['evidence.by', { actor: e.actor }]);
  if (e.ip) facts.push(['evidence.from', { ip: e.ip }]);
  if (e.userAgent) facts.push(['evidence.agent', { agent: e.userAgent }]);
  if (facts.length) {
    const p = el('p', null, 'tl-facts');
    facts.forEach(([k, a], i) => {
      const s = el('span');
      setText(s, k, a);
      p.append(s);
      if (i < facts.length - 1) p.append(el('span', ' · '));
    });
    li.append(p);
  }
  if (e.detail) li.append(el('p', e.detail, 'tl-detail mono'));
  return li;
}

async function verify() {
  if (!state.evidence) return;
  const box = $('ev-result');
  const title = $('ev-result-title');
  const checked = $('ev-checked');
  for (const id of ['ev-broken', 'ev-reason', 'ev-reason-label']) $(id).hidden = true;
  checked.replaceChildren();
  for (const li of $('ev-timeline').children) {
    li.classList.remove('broken');
    li.querySelector('.marker')?.remove();
  }
  delete box.dataset.ok;
  delete box.dataset.firstBadSeq;
  box.hidden = false;
  box.className = 'result';
  setText(title, 'verify.running');
  $('ev-verify').disabled = true;
  try {
    let jwks;
    try {
      jwks = await api.publishedJwks();
    } catch {
      box.classList.add('bad');
      setText(title, 'verify.noKeys');
      return;
    }
    let v;
    try {
      v = await verifyEvidence(state.evidence.text, jwks);
    } catch (e) {
      if (!(e instanceof MalformedBundle)) throw e;
      box.classList.add('bad');
      setText(title, 'verify.notBundle', { detail: e.message });
      return;
    }
    renderVerification(v, jwks);
  } finally {
    $('ev-verify').disabled = false;
    box.focus();
  }
}

function renderVerification(v, jwks) {
  const box = $('ev-result');
  box.dataset.ok = String(v.ok);
  box.dataset.firstBadSeq = String(v.firstBadSeq);
  box.classList.add(v.ok ? 'ok' : 'bad');
  setText($('ev-result-title'), v.ok ? 'verify.ok' : 'verify.bad');
  if (!v.ok) {
    const broken = $('ev-broken');
    if (v.firstBadType) setText(broken, 'verify.broken', { seq: v.firstBadSeq, type: v.firstBadType });
    else setText(broken, 'verify.brokenNoEvent', { seq: v.firstBadSeq });
    broken.hidden = false;
    $('ev-reason-label').hidden = false;
    $('ev-reason').textContent = v.reason;
    $('ev-reason').hidden = false;
    const li = $('ev-timeline').querySelector(`li[data-seq="${Number(v.firstBadSeq)}"]`);
    if (li) {
      li.classList.add('broken');
      const m = el('p', null, 'marker');
      setText(m, 'verify.marker');
      li.prepend(m);
    }
  }
  const kids = (jwks.keys || []).map((k) => k.kid).filter((k) => typeof k === 'string' && k.startsWith(`${v.tenant}.`));
  const items = [
    ['verify.keys', { url: api.JWKS_PATH, kids: kids.join(', ') }],
    ['verify.format', { id: v.envelopeId, tenant: v.tenant }],
    ['verify.checkpoints', { n: v.checkpointSeqs.length, seqs: v.checkpointSeqs.join(', ') }],
    ['verify.events', { n: v.envelopeEvents, m: v.pathEvents }],
  ];
  if (v.ok) items.push(['verify.complete', { seq: v.evidenceSeq }]);
  $('ev-checked').replaceChildren(
    ...items.map(([k, a]) => {
      const li = el('li');
      setText(li, k, a);
      return li;
    }),
  );
}

function downloadBundle() {
  if (!state.evidence) return;
  const id = state.evidence.bundle.envelopeId;
  download(new Blob([state.evidence.text], { type: 'application/json' }), `evidence-${id}.json`);
}

// ---- start ----

function start() {
  const select = $('lang-select');
  for (const type of TYPES) $('f-type').append(el('option', type));
  const lang = preferredLanguage();
  select.value = lang;
  setLanguage(lang);
  select.addEventListener('change', () => setLanguage(select.value));
  $('signin-form').addEventListener('submit', signIn);
  $('nav-signout').addEventListener('click', signOut);
  $('nav-events').addEventListener('click', () => show('screen-events'));
  $('nav-evidence').addEventListener('click', () => show('screen-evidence'));
  $('filter-form').addEventListener('submit', search);
  $('filter-reset').addEventListener('click', () => setTimeout(() => search(), 0));
  $('page-next').addEventListener('click', () => {
    state.page++;
    loadPage();
  });
  $('page-prev').addEventListener('click', () => {
    state.page = Math.max(0, state.page - 1);
    loadPage();
  });
  $('export-ndjson').addEventListener('click', () => exportLog('ndjson'));
  $('export-csv').addEventListener('click', () => exportLog('csv'));
  $('evidence-form').addEventListener('submit', loadEvidence);
  $('ev-verify').addEventListener('click', verify);
  $('ev-download').addEventListener('click', downloadBundle);
  $('ev-print').addEventListener('click', () => window.print());
  show('screen-signin');
  document.body.dataset.ready = 'true';
}

start();
