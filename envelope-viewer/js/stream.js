// Attachment stream framing (envelope format v1, "SPA1"): an 8-byte header, then chunks of
// chunkSize + 16 bytes, the last one shorter (or full) and flagged final. This module cuts the
// ciphertext into chunks as it arrives; js/crypto.js opens each chunk.
//
// Memory stays bounded by about two chunks of ciphertext plus one batch of plaintext when the sink is a
// file or a streamed download (js/save.js); the Blob sink, the last fallback, grows with the file.
// Which chunk is final is decided by the end of the stream, so a stream cut at a chunk boundary fails
// (its last chunk was not sealed as final), and so does one with bytes after the final chunk.

import { concatBytes, equalBytes, fromBase64Url, toBase64Url } from './bytes.js';
import {
  attachmentOpener,
  attachmentSealer,
  newAttachmentSecrets,
  sha256Stream,
  STREAM_MAGIC,
  TAG_LENGTH,
} from './crypto.js';
import { FileReadError, IntegrityError, MalformedEnvelopeError, SaveError } from './errors.js';

const HEADER_LENGTH = 8;
const FOLD_BYTES = 8 * 1024 * 1024;
const WRITE_BYTES = 1024 * 1024;
const READ_BYTES = 1024 * 1024;

class ByteQueue {
  constructor() {
    this.parts = [];
    this.length = 0;
  }

  push(bytes) {
    if (bytes.length > 0) {
      this.parts.push(bytes);
      this.length += bytes.length;
    }
  }

  take(n) {
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const head = this.parts[0];
      const m = Math.min(head.length, n - at);
      out.set(head.subarray(0, m), at);
      at += m;
      if (m === head.length) this.parts.shift();
      else this.parts[0] = head.subarray(m);
    }
    this.length -= n;
    return out;
  }
}

/**
 * Decrypts one attachment from its ciphertext stream into a sink and checks size and SHA-256 at the end.
 *
 * Plaintext reaches the sink in batches of about 1 MiB, each write awaited (the sink's backpressure
 * bounds memory). The last piece of plaintext is held back until size and SHA-256 have been checked,
 * and only then is the sink closed: on any failure (a tag, the size, the hash, the network, the sink
 * itself) the sink is aborted instead, so a file sink discards what it wrote and a download fails.
 * @param {ReadableStream<Uint8Array>} body the ciphertext
 * @param {object} att the manifest's attachment descriptor (validated by js/manifest.js)
 * @param {string} envelopeId
 * @param {{onProgress?: (done: number, total: number) => void, sink?: Sink}} [options] without a sink,
 *     the plaintext is collected in a Blob (see blobSink)
 * @returns {Promise<*>} what the sink's close() answers (the Blob for the Blob sink), only once every check passed
 */
export async function decryptAttachment(body, att, envelopeId, { onProgress, sink = blobSink() } = {}) {
  const reader = body.getReader();
  try {
    await decryptFrom(reader, att, envelopeId, onProgress ?? (() => {}), new HeldBackWriter(sink));
  } catch (e) {
    reader.cancel().catch(() => {});
    await Promise.resolve(sink.abort(e)).catch(() => {});
    throw e;
  }
  try {
    return await sink.close();
  } catch (e) {
    await Promise.resolve(sink.abort(e)).catch(() => {});
    throw new SaveError('the sink could not be closed', e);
  }
}

/**
 * Where plaintext goes: write(bytes) may be awaited for backpressure; close() after the checks passed;
 * abort(reason) discards everything written.
 * @typedef {{write(bytes: Uint8Array): Promise<void>|void, close(): Promise<*>|*, abort(reason: *): Promise<void>|void}} Sink
 */

/**
 * The plaintext in a Blob, folded every 8 MiB (browsers may page Blobs to disk, but memory can still
 * grow with the file: the fallback when neither a file nor a streamed download can be written).
 * @returns {Sink}
 */
export function blobSink() {
  let blob = new Blob([]);
  let parts = [];
  let pending = 0;
  return {
    write(bytes) {
      parts.push(bytes);
      pending += bytes.length;
      if (pending >= FOLD_BYTES) {
        blob = new Blob([blob, ...parts]);
        parts = [];
        pending = 0;
      }
    },
    close() {
      return new Blob([blob, ...parts], { type: 'application/octet-stream' });
    },
    abort() {
      blob = null;
      parts = [];
    },
  };
}

/**
 * Batches plaintext into writes of about WRITE_BYTES and always keeps the newest non-empty piece back,
 * so the sink receives the end of the file only through finish(), after the checks.
 */
class HeldBackWriter {
  constructor(sink) {
    this.sink = sink;
    this.batch = [];
    this.batched = 0;
    this.held = null;
  }

  async add(plain) {
    if (plain.length === 0) return;
    if (this.held) {
      this.batch.push(this.held);
      this.batched += this.held.length;
    }
    this.held = plain;
    if (this.batched >= WRITE_BYTES) await this.flush();
  }

  async flush() {
    if (this.batch.length === 0) return;
    const bytes = this.batch.length === 1 ? this.batch[0] : concatBytes(...this.batch);
    this.batch = [];
    this.batched = 0;
    try {
      await this.sink.write(bytes);
    } catch (e) {
      throw new SaveError('the sink refused a write', e);
    }
  }

  /** Call only once the whole attachment checked out. */
  async finish() {
    if (this.held) {
      this.batch.push(this.held);
      this.held = null;
    }
    await this.flush();
  }
}

async function decryptFrom(reader, att, envelopeId, onProgress, out) {
  const queue = new ByteQueue();
  let ended = false;
  const pull = async () => {
    const { value, done } = await reader.read();
    if (done) ended = true;
    else queue.push(value instanceof Uint8Array ? value : new Uint8Array(value));
  };

  while (queue.length < HEADER_LENGTH && !ended) await pull();
  if (queue.length < HEADER_LENGTH) throw new IntegrityError('the attachment stream is truncated');
  const header = queue.take(HEADER_LENGTH);
  if (!equalBytes(header.subarray(0, 4), STREAM_MAGIC)) {
    throw new MalformedEnvelopeError('not an attachment stream (magic)');
  }
  const chunkSize = new DataView(header.buffer).getUint32(4, false);
  // The header is authenticated (it is in every chunk's AAD): a different chunk size is tampering.
  if (chunkSize !== att.chunkSize) throw new IntegrityError('chunk size differs from the manifest');

  const opener = await attachmentOpener({
    key: fromBase64Url(att.key),
    noncePrefix: fromBase64Url(att.noncePrefix),
    header,
    envelopeId,
    attachmentId: att.id,
  });
  const hash = sha256Stream();
  const sealedChunk = chunkSize + TAG_LENGTH;
  let done = 0;

  const accept = (plain) => {
    done += plain.length;
    if (done > att.size) throw new IntegrityError('the attachment is longer than the manifest says');
    hash.update(plain);
    onProgress(done, att.size);
    return plain;
  };

  for (;;) {
    // Keep one byte beyond a full chunk before opening it as non-final: only the end of the stream
    // says which chunk is the last.
    while (queue.length > sealedChunk) await out.add(accept(await opener.open(queue.take(sealedChunk), false)));
    if (ended) break;
    await pull();
  }
  if (queue.length < TAG_LENGTH) throw new IntegrityError('the attachment stream is truncated');
  await out.add(accept(await opener.open(queue.take(queue.length), true)));

  if (done !== att.size) throw new IntegrityError('the attachment size differs from the manifest');
  if (!equalBytes(hash.digest(), fromBase64Url(att.sha256))) {
    throw new IntegrityError('the attachment SHA-256 differs from the manifest');
  }
  await out.finish();
}

// ---- sealing a reply attachment (the mirror of the above, REPLY-WIRE.md "Reply attachments") ----

/** The size of the STREAM object for a plaintext of `size` bytes: header, data, one tag per chunk (at least one). */
export function sealedSize(size, chunkSize) {
  return HEADER_LENGTH + size + TAG_LENGTH * Math.max(1, Math.ceil(size / chunkSize));
}

/**
 * Encrypts a file the person chose into a STREAM object, reading it in slices of about 1 MiB
 * (File.slice), so the plaintext is never read whole; only ciphertext is kept, in a Blob folded every
 * 8 MiB (a browser may page it to disk). SHA-256 of the plaintext is computed as it is read.
 * The chunk that ends the file is sealed as final (the size is known up front); a file that changes
 * length while it is read is refused (FileReadError).
 * @param {Blob} file
 * @param {{scopeId: string, attachmentId: string, chunkSize?: number, onProgress?: (done: number) => void}} p
 * @returns {Promise<{blob: Blob, size: number, sha256: string, key: string, noncePrefix: string, chunkSize: number}>}
 */
export async function encryptFile(file, { scopeId, attachmentId, chunkSize = 65536, onProgress = () => {} }) {
  const { key, noncePrefix } = newAttachmentSecrets();
  const encoded = { key: toBase64Url(key), noncePrefix: toBase64Url(noncePrefix) };
  const sealer = await attachmentSealer({ key, noncePrefix, chunkSize, scopeId, attachmentId });
  const size = file.size;
  const chunks = Math.max(1, Math.ceil(size / chunkSize));
  const perRead = Math.max(1, Math.floor(READ_BYTES / chunkSize)) * chunkSize;
  const hash = sha256Stream();
  const out = blobSink();
  out.write(sealer.header);
  let index = 0;
  if (size === 0) {
    out.write(await sealer.seal(new Uint8Array(0), true));
  }
  for (let at = 0; at < size; at += perRead) {
    const end = Math.min(size, at + perRead);
    let bytes;
    try {
      bytes = new Uint8Array(await file.slice(at, end).arrayBuffer());
    } catch (e) {
      throw new FileReadError(file.name, e);
    }
    if (bytes.length !== end - at) throw new FileReadError(file.name, 'the file changed while it was read');
    hash.update(bytes);
    for (let off = 0; off < bytes.length; off += chunkSize) {
      const piece = bytes.subarray(off, Math.min(bytes.length, off + chunkSize));
      out.write(await sealer.seal(piece, index === chunks - 1));
      index++;
    }
    bytes.fill(0);
    onProgress(end);
  }
  const blob = out.close();
  if (blob.size !== sealedSize(size, chunkSize)) throw new FileReadError(file.name, 'unexpected ciphertext size');
  return { blob, size, sha256: toBase64Url(hash.digest()), ...encoded, chunkSize };
}
