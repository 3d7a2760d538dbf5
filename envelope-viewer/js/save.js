// Where a decrypted attachment goes, so that a large one never has to fit in memory:
//
// 1. the File System Access API (showSaveFilePicker -> createWritable), where the browser has it: the
//    plaintext is written to a temporary file beside the chosen one, which the browser moves into place
//    only on close(); abort() discards it, and the empty file the picker created is removed;
// 2. otherwise a streamed download through this page's service worker (js/sw.js, scope /v/stream/):
//    the page hands the worker a ReadableStream and navigates to /v/stream/<id>; the worker answers
//    that navigation with the stream as an attachment, the browser writes it to its downloads folder;
//    erroring the stream makes the download fail;
// 3. the Blob of js/stream.js as the last fallback (memory grows with the file).
//
// Attachments below STREAM_FROM_BYTES always take the Blob: checked completely before the Save link
// appears, and small enough that memory does not matter.

import { toBase64Url } from './bytes.js';
import { SaveError } from './errors.js';

export const STREAM_FROM_BYTES = 16 * 1024 * 1024;

const WORKER_URL = '/v/sw.js';
const WORKER_SCOPE = '/v/stream/';
const PROTOCOL = 1;
const START_TIMEOUT_MS = 15000;

/** The picker is there (Chromium-based desktop browsers). It must be called within the click. */
export function fileSystemAccessAvailable() {
  return typeof window.showSaveFilePicker === 'function' && window.isSecureContext;
}

/** A service worker can serve the download: secure context, service workers and transferable streams. */
export function serviceWorkerDownloadAvailable() {
  if (!window.isSecureContext || !navigator.serviceWorker || typeof MessageChannel !== 'function') return false;
  try {
    const probe = new ReadableStream();
    structuredClone(probe, { transfer: [probe] });
    return true;
  } catch {
    return false;
  }
}

/**
 * Asks where to save (the browser's own dialog). Answers the handle, or null when the person cancelled.
 * Throws when the picker cannot be used here (the caller then falls back).
 */
export async function pickFile(fileName) {
  try {
    return await window.showSaveFilePicker({ suggestedName: fileName });
  } catch (e) {
    if (e && e.name === 'AbortError') return null;
    throw e;
  }
}

/**
 * A sink writing to the picked file. abort() discards the temporary file the writes went to and removes
 * the (empty) file the picker created, so nothing unchecked is left under the chosen name.
 */
export async function fileSink(handle) {
  let writable;
  try {
    writable = await handle.createWritable();
  } catch (e) {
    await removeEntry(handle);
    throw new SaveError('the file cannot be written', e);
  }
  return {
    write: (bytes) => writable.write(bytes),
    close: async () => {
      await writable.close();
      return handle;
    },
    abort: async (reason) => {
      await writable.abort(reason).catch(() => {});
      await removeEntry(handle);
    },
  };
}

async function removeEntry(handle) {
  // FileSystemHandle.remove(): Chromium 110+. Without it an empty file stays, never unchecked content.
  if (typeof handle.remove === 'function') await handle.remove().catch(() => {});
}

let registration = null;

async function activeWorker() {
  if (!registration) {
    registration = await navigator.serviceWorker.register(WORKER_URL, {
      scope: WORKER_SCOPE,
      type: 'classic',
      updateViaCache: 'none',
    });
  }
  const worker = registration.active ?? registration.waiting ?? registration.installing;
  if (!worker) throw new SaveError('no service worker');
  if (worker.state !== 'activated') {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new SaveError('the service worker did not start')), START_TIMEOUT_MS);
      worker.addEventListener('statechange', () => {
        if (worker.state === 'activated') {
          clearTimeout(timer);
          resolve();
        } else if (worker.state === 'redundant') {
          clearTimeout(timer);
          reject(new SaveError('the service worker was replaced'));
        }
      });
    });
  }
  return worker;
}

function reply(port, wanted) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new SaveError(`no "${wanted}" from the service worker`)), START_TIMEOUT_MS);
    port.onmessage = (event) => {
      if (event.data && event.data.type === wanted) {
        clearTimeout(timer);
        resolve();
      }
    };
  });
}

/**
 * Starts a browser download of `size` bytes named `fileName` through the service worker and answers a
 * sink that feeds it. Throws SaveError when the download could not start (the caller falls back).
 */
export async function startStreamedDownload(fileName, size) {
  const worker = await activeWorker();
  const id = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  const { readable, writable } = new TransformStream();
  const channel = new MessageChannel();
  const registered = reply(channel.port1, 'registered');
  worker.postMessage({ v: PROTOCOL, type: 'download', id, name: fileName, size, stream: readable, port: channel.port2 }, [
    readable,
    channel.port2,
  ]);
  try {
    await registered;
    const started = reply(channel.port1, 'started');
    // A navigation answered with Content-Disposition: attachment becomes a download; this page stays.
    window.location.assign(WORKER_SCOPE + id);
    await started;
  } catch (e) {
    channel.port1.postMessage({ type: 'forget' });
    writable.abort(e).catch(() => {});
    throw e;
  } finally {
    channel.port1.onmessage = null;
  }
  channel.port1.close();
  const writer = writable.getWriter();
  return {
    write: async (bytes) => {
      await writer.ready;
      await writer.write(bytes);
    },
    close: () => writer.close(),
    abort: (reason) => writer.abort(reason),
  };
}
