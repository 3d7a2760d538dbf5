// Attachment stream framing (envelope format v1, "SPA1"): an 8-byte header, then chunks of
// chunkSize + 16 bytes, the last one shorter (or full) and flagged final. This module cuts the
// ciphertext into chunks as it arrives; js/crypto.js opens each chunk.
//
// Memory stays bounded by about two chunks of ciphertext plus the plaintext not yet handed to a Blob:
// plaintext is folded into a Blob every few MiB, which the browser may page to disk.
// Which chunk is final is decided by the end of the stream, so a stream cut at a chunk boundary fails
// (its last chunk was not sealed as final), and so does one with bytes after the final chunk.

import { equalBytes, fromBase64Url } from './bytes.js';
import { attachmentOpener, sha256Stream, STREAM_MAGIC, TAG_LENGTH } from './crypto.js';
import { IntegrityError, MalformedEnvelopeError } from './errors.js';

const HEADER_LENGTH = 8;
const FOLD_BYTES = 8 * 1024 * 1024;

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
 * Decrypts one attachment from its ciphertext stream and checks size and SHA-256 at the end.
 * @param {ReadableStream<Uint8Array>} body the ciphertext
 * @param {object} att the manifest's attachment descriptor (validated by js/manifest.js)
 * @param {string} envelopeId
 * @param {{onProgress?: (done: number, total: number) => void}} [options]
 * @returns {Promise<Blob>} the plaintext, only once every check passed
 */
export async function decryptAttachment(body, att, envelopeId, { onProgress } = {}) {
  const reader = body.getReader();
  try {
    return await decryptFrom(reader, att, envelopeId, onProgress ?? (() => {}));
  } catch (e) {
    reader.cancel().catch(() => {});
    throw e;
  }
}

async function decryptFrom(reader, att, envelopeId, onProgress) {
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
  let blob = new Blob([]);
  let parts = [];
  let pending = 0;
  let done = 0;

  const accept = (plain) => {
    done += plain.length;
    if (done > att.size) throw new IntegrityError('the attachment is longer than the manifest says');
    hash.update(plain);
    parts.push(plain);
    pending += plain.length;
    if (pending >= FOLD_BYTES) {
      blob = new Blob([blob, ...parts]);
      parts = [];
      pending = 0;
    }
    onProgress(done, att.size);
  };

  for (;;) {
    // Keep one byte beyond a full chunk before opening it as non-final: only the end of the stream
    // says which chunk is the last.
    while (queue.length > sealedChunk) accept(await opener.open(queue.take(sealedChunk), false));
    if (ended) break;
    await pull();
  }
  if (queue.length < TAG_LENGTH) throw new IntegrityError('the attachment stream is truncated');
  accept(await opener.open(queue.take(queue.length), true));

  if (done !== att.size) throw new IntegrityError('the attachment size differs from the manifest');
  if (!equalBytes(hash.digest(), fromBase64Url(att.sha256))) {
    throw new IntegrityError('the attachment SHA-256 differs from the manifest');
  }
  return new Blob([blob, ...parts], { type: 'application/octet-stream' });
}
