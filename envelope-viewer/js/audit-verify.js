// Checks an evidence bundle (format sealpost-audit-evidence-v1) in the browser, step by step as
// docs/AUDIT.md "How to verify it" says and in the order sdk-java's AuditEvidence.verify follows, so
// the console and `sealpost audit evidence verify` agree on every bundle (same first broken link,
// same reason text). The keys are the published JWKS the caller fetched, not the server's opinion.

import { protectedHeader, sha256Hex, verifyEs256 } from './audit-crypto.js';

export const FORMAT = 'sealpost-audit-evidence-v1';
export const GENESIS = '0'.repeat(64);
const LABEL = 'sealpost-audit-v1';
const JWS_TYPE = 'sealpost-audit-checkpoint+jws';
const MAX_JWS_CHARS = 4096;
const DETAIL = /^evidence bundle; earlier events: ([0-9]{1,9})(?:;.*)?$/;
const TIME = /^(\d{4}|[+-]\d{4,9})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** The text is not an evidence bundle at all (the CLI's exit 5). */
export class MalformedBundle extends Error {
  constructor(message) {
    super(message);
    this.name = 'MalformedBundle';
  }
}

const malformed = (why) => new MalformedBundle(`not an evidence bundle: ${why}`);

function text(m, field, required) {
  const v = m[field];
  if ((v === null || v === undefined) && !required) return null;
  if (typeof v !== 'string' || (required && v === '')) {
    throw malformed(`${field}${v === null || v === undefined ? ' is missing' : ' is not a string'}`);
  }
  return v;
}

function number(m, field) {
  const v = m[field];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw malformed(`${field} is not a number`);
  return v;
}

function list(m, field) {
  const v = m[field];
  if (!Array.isArray(v)) throw malformed(`${field} is missing`);
  for (const o of v) if (!o || typeof o !== 'object' || Array.isArray(o)) throw malformed(`${field} holds a non-object`);
  return v;
}

/** RFC 3339 (as java.time.Instant.parse reads it) to epoch milliseconds, truncated; null if not one. */
export function epochMillis(s) {
  const m = TIME.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  // setUTCFullYear, not Date.UTC: years 0..99 are years, not 1900 + year.
  const date = new Date(0);
  date.setUTCFullYear(Number(y), +mo - 1, +d);
  date.setUTCHours(+h, +mi, +sec, 0);
  let ms = date.getTime();
  if (Number.isNaN(ms)) return null; // beyond what a JavaScript Date holds (|year| > 275760)
  if (date.getUTCDate() !== +d || date.getUTCMonth() !== +mo - 1 || +h > 23 || +mi > 59 || +sec > 59) return null;
  if (frac) ms += Number(frac.padEnd(9, '0').slice(0, 3));
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60000;
  }
  return ms;
}

/** The canonical bytes of one event (docs/AUDIT.md step 4; AuditChain.canonical). */
export function canonical(tenant, e) {
  const parts = [];
  const enc = new TextEncoder();
  const str = (s) => {
    if (s === null || s === undefined) {
      parts.push(Uint8Array.of(0));
      return;
    }
    const b = enc.encode(s);
    const head = new Uint8Array(5);
    head[0] = 1;
    new DataView(head.buffer).setUint32(1, b.length);
    parts.push(head, b);
  };
  const u64 = (n) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, BigInt(n));
    parts.push(b);
  };
  str(LABEL);
  str(tenant);
  u64(e.seq);
  str(e.type);
  u64(e.timeMillis);
  str(e.actor);
  str(e.envelopeId);
  str(e.recipientId);
  str(e.ip);
  str(e.userAgent);
  str(e.prevHash);
  if (e.detail !== null) str(e.detail);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function eventHash(tenant, e) {
  return sha256Hex(canonical(tenant, e));
}

function record(item) {
  const e = {
    seq: number(item, 'seq'),
    type: text(item, 'type', true),
    time: text(item, 'time', true),
    actor: text(item, 'actor', true),
    envelopeId: text(item, 'envelopeId', false),
    recipientId: text(item, 'recipientId', false),
    ip: text(item, 'ip', false),
    userAgent: text(item, 'userAgent', false),
    prevHash: text(item, 'prevHash', true),
    hash: text(item, 'hash', true),
    detail: text(item, 'detail', false),
  };
  e.timeMillis = epochMillis(e.time);
  if (e.timeMillis === null) throw malformed('an event has a bad time');
  return e;
}

/** The ES256 keys a JWK set offers, by kid (as sdk-java TrustedKeys keeps them). */
export function trustedKeys(jwks) {
  const keys = new Map();
  const list = jwks && Array.isArray(jwks.keys) ? jwks.keys : jwks && jwks.kty ? [jwks] : null;
  if (!list) throw new Error('not a JWK set or JWK');
  for (const k of list) {
    if (!k || k.kty !== 'EC' || k.crv !== 'P-256' || k.use === 'enc') continue;
    if (k.alg !== undefined && k.alg !== 'ES256') continue;
    if (typeof k.kid !== 'string' || k.kid === '') continue;
    if (keys.has(k.kid)) throw new Error(`two trusted keys share the kid ${k.kid}`);
    keys.set(k.kid, k);
  }
  return keys;
}

class Refused extends Error {}

/** AuditCheckpoint.verify: a signature failure is a Refused (the bundle fails), a bad shape Malformed. */
async function verifyCheckpoint(jws, keys, tenant) {
  const notJws = () => new MalformedBundle('not an audit checkpoint JWS');
  if (typeof jws !== 'string' || jws.length > MAX_JWS_CHARS) throw notJws();
  const parts = jws.split('.');
  if (parts.length !== 3) throw notJws();
  const header = protectedHeader(jws);
  let payload;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b64url(parts[1])));
  } catch {
    throw notJws();
  }
  if (!header || !payload || typeof payload !== 'object') throw notJws();
  if (header.alg !== 'ES256' || header.typ !== JWS_TYPE || header.crit !== undefined) {
    throw new MalformedBundle('not an ES256 audit checkpoint JWS');
  }
  const kid = header.kid;
  if (typeof kid !== 'string' || !kid.startsWith(`${tenant}.`)) {
    throw new Refused(`the checkpoint is signed with kid ${kid ?? null}, which is not tenant ${tenant}`);
  }
  const jwk = keys.get(kid);
  if (!jwk) throw new Refused(`the checkpoint is signed with kid ${kid}, which is not trusted`);
  if ((await verifyEs256(jws, jwk)) === null) throw new Refused(`an audit checkpoint signature does not verify (kid ${kid})`);
  const { seq, head, time } = payload;
  if (typeof payload.tenant !== 'string' || typeof seq !== 'number' || typeof head !== 'string' || typeof time !== 'string' || epochMillis(time) === null) {
    throw new MalformedBundle('a checkpoint payload is missing tenant, seq, head or time');
  }
  if (payload.tenant !== tenant) throw new Refused('a checkpoint names another tenant');
  if (!/^[0-9a-f]{64}$/.test(head) || seq < 1) throw new MalformedBundle('a checkpoint has a bad seq or head');
  return { seq: Math.trunc(seq), head, time };
}

function b64url(s) {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('not base64url');
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * Checks a bundle (its JSON text or the parsed object) under `jwks` (the published JWK set; null to
 * use the bundle's own, which shows consistency only). Answers what AuditEvidenceVerification holds:
 * {ok, tenant, envelopeId, envelopeEvents, pathEvents, checkpointSeqs, keySource, evidenceSeq,
 * firstBadSeq, firstBadType, reason}. Throws MalformedBundle if it is not a bundle at all.
 */
export async function verifyEvidence(bundleOrJson, jwks) {
  let bundle = bundleOrJson;
  if (typeof bundle === 'string') {
    try {
      bundle = JSON.parse(bundle);
    } catch {
      throw malformed('not a JSON object');
    }
  }
  if (!bundle || typeof bundle !== 'object' || Array.isArray(bundle)) throw malformed('not a JSON object');
  if (bundle.format !== FORMAT) throw malformed(`format is not ${FORMAT}`);
  const tenant = text(bundle, 'tenant', true);
  const envelopeId = text(bundle, 'envelopeId', true);
  let keys;
  let keySource = 'the given keys';
  if (jwks == null) {
    if (!bundle.jwks || typeof bundle.jwks !== 'object' || Array.isArray(bundle.jwks)) throw malformed('jwks is missing');
    try {
      keys = trustedKeys(bundle.jwks);
    } catch {
      throw malformed('jwks is not a JWK set');
    }
    keySource = "the bundle's own jwks (consistent, but not independent of it)";
  } else {
    keys = trustedKeys(jwks);
  }
  const events = list(bundle, 'events');
  const checkpoints = list(bundle, 'checkpoints');
  return new Check(tenant, envelopeId, keySource).run(bundle, keys, events, checkpoints);
}

class Check {
  constructor(tenant, envelopeId, keySource) {
    Object.assign(this, { tenant, envelopeId, keySource });
    this.checkpoints = new Map();
    this.reached = [];
    this.envelopeEvents = 0;
    this.pathEvents = 0;
    this.evidenceSeq = 0;
  }

  async run(bundle, keys, eventItems, checkpointItems) {
    const env = bundle.envelope;
    if (env && typeof env === 'object' && !Array.isArray(env) && env.id !== this.envelopeId) {
      return this.fail(0, null, 'the envelope metadata names another envelope');
    }
    for (const item of checkpointItems) {
      const seq = number(item, 'seq');
      let cp;
      try {
        cp = await verifyCheckpoint(text(item, 'jws', true), keys, this.tenant);
      } catch (e) {
        if (e instanceof Refused) return this.fail(seq, null, `the checkpoint at seq ${seq}: ${e.message}`);
        throw e;
      }
      if (cp.seq !== seq || cp.head !== item.head) return this.fail(seq, null, `the checkpoint at seq ${seq} differs from its own JWS`);
      const other = this.checkpoints.get(seq);
      if (other === undefined) this.checkpoints.set(seq, cp);
      else if (other.head !== cp.head) return this.fail(seq, null, `two signed checkpoints disagree about the hash at seq ${seq}`);
    }
    const events = [];
    for (const item of eventItems) {
      const r = record(item);
      const prev = events[events.length - 1];
      if (prev && r.seq <= prev.seq) {
        return this.fail(r.seq, r.type, `events out of order or duplicated (seq ${r.seq} after seq ${prev.seq})`);
      }
      events.push(r);
    }
    let start = 0;
    while (start < events.length) {
      let end = start + 1;
      while (end < events.length && events[end].seq === events[end - 1].seq + 1) end++;
      const broken = this.path(events.slice(start, end));
      if (broken) return broken;
      start = end;
    }
    return this.complete(events);
  }

  /** One hash path (AuditVerifier.segment over the run, then: does it end at a signed checkpoint?). */
  path(run) {
    const first = run[0];
    const last = run[run.length - 1];
    if (!this.names(first)) {
      return this.fail(first.seq, first.type, `the hash path from seq ${first.seq} does not start at an event of the envelope (one dropped?)`);
    }
    let prevHash = null;
    for (const r of run) {
      const expectedPrev = prevHash ?? (r.seq === 1 ? GENESIS : r.prevHash);
      if (expectedPrev !== r.prevHash) {
        return this.fail(r.seq, r.type, `prevHash does not match the hash of the event before it (seq ${r.seq - 1})`);
      }
      if (eventHash(this.tenant, r) !== r.hash) {
        return this.fail(r.seq, r.type, "the stored hash does not match the event's fields (edited)");
      }
      const cp = this.checkpoints.get(r.seq);
      if (cp && cp.head !== r.hash) return this.fail(r.seq, r.type, `the chain differs from the signed checkpoint at seq ${r.seq}`);
      if (this.names(r)) this.envelopeEvents++;
      else this.pathEvents++;
      prevHash = r.hash;
    }
    if (!this.checkpoints.has(last.seq)) {
      return this.fail(
        first.seq,
        first.type,
        `the hash path seq ${first.seq}..${last.seq} does not end at a signed checkpoint (none at seq ${last.seq})`,
      );
    }
    this.reached.push(last.seq);
    return null;
  }

  complete(events) {
    const named = events.filter((r) => this.names(r));
    if (named.length === 0) return this.fail(0, null, 'the bundle holds no event of the envelope');
    const last = named[named.length - 1];
    const m = last.detail === null ? null : DETAIL.exec(last.detail);
    if (last.type !== 'AUDIT_EXPORTED' || !m) {
      return this.fail(
        last.seq,
        last.type,
        "the envelope's last event is not the AUDIT_EXPORTED event that records the bundle (events dropped from the end?)",
      );
    }
    this.evidenceSeq = last.seq;
    const counted = Number(m[1]);
    if (counted !== named.length - 1) {
      return this.fail(
        last.seq,
        last.type,
        `the evidence event counts ${counted} earlier events of the envelope but the bundle holds ${named.length - 1} (events dropped or added)`,
      );
    }
    return this.result(true, 0, null, null);
  }

  names(r) {
    return r.envelopeId === this.envelopeId;
  }

  fail(seq, type, reason) {
    return this.result(false, seq, type, reason);
  }

  result(ok, firstBadSeq, firstBadType, reason) {
    return {
      ok,
      tenant: this.tenant,
      envelopeId: this.envelopeId,
      envelopeEvents: this.envelopeEvents,
      pathEvents: this.pathEvents,
      checkpointSeqs: [...this.reached],
      keySource: this.keySource,
      evidenceSeq: this.evidenceSeq,
      firstBadSeq,
      firstBadType,
      reason,
    };
  }
}
