// The viewer's service worker, served at /v/sw.js and registered with scope /v/stream/ only: it never
// sees the viewer page, the API or anything else of the origin. Its one job is to answer a navigation
// to /v/stream/<id> with a stream the page handed over for that id, as a download.
//
// It keeps nothing: no Cache API, no IndexedDB, no fetch of its own. A stream is taken once and
// forgotten; the page decrypts and checks, the worker only passes the bytes on. When the page errors
// the stream (a failed check), the response body errors and the browser fails the download.

const PROTOCOL = 1;
const SCOPE_PATH = '/v/stream/';
const ID = /^[A-Za-z0-9_-]{22}$/;
const MAX_NAME = 255;
const FORGET_AFTER_MS = 60000;

/** id -> {name, size, stream, port}, until the navigation for it arrives (or a minute passes). */
const pending = new Map();

self.addEventListener('install', () => {
  self.skipWaiting();
});

function valid(d) {
  return (
    d !== null &&
    typeof d === 'object' &&
    d.v === PROTOCOL &&
    d.type === 'download' &&
    typeof d.id === 'string' &&
    ID.test(d.id) &&
    typeof d.name === 'string' &&
    d.name.length > 0 &&
    d.name.length <= MAX_NAME &&
    Number.isSafeInteger(d.size) &&
    d.size >= 0 &&
    d.stream instanceof ReadableStream &&
    d.port instanceof MessagePort
  );
}

self.addEventListener('message', (event) => {
  const d = event.data;
  // Only windows of this origin can message this worker; still, take nothing that is not well formed.
  if (!valid(d) || pending.has(d.id)) {
    if (d && d.stream instanceof ReadableStream) d.stream.cancel().catch(() => {});
    return;
  }
  const entry = { name: d.name, size: d.size, stream: d.stream, port: d.port };
  pending.set(d.id, entry);
  const forget = () => {
    if (pending.get(d.id) === entry) {
      pending.delete(d.id);
      entry.stream.cancel().catch(() => {});
    }
  };
  d.port.onmessage = (m) => {
    if (m.data && m.data.type === 'forget') forget();
  };
  setTimeout(forget, FORGET_AFTER_MS);
  d.port.postMessage({ type: 'registered' });
});

/** Content-Disposition with an ASCII fallback and the exact name in RFC 5987 encoding. */
function disposition(name) {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE_PATH)) return;
  const id = url.pathname.slice(SCOPE_PATH.length);
  const entry = event.request.method === 'GET' ? pending.get(id) : undefined;
  // Anything else goes to the server, which answers 204: a navigation to it leaves the page as it is.
  if (!entry) return;
  pending.delete(id);
  entry.port.postMessage({ type: 'started' });
  event.respondWith(
    new Response(entry.stream, {
      status: 200,
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': disposition(entry.name),
        'Content-Length': String(entry.size),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Referrer-Policy': 'no-referrer',
      },
    }),
  );
});
