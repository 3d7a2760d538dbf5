package dev.sealpost.api.application;

import static dev.sealpost.api.application.BlobWrites.storage;

import dev.sealpost.api.application.BlobWrites.StorageOut;
import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.Digests;
import dev.sealpost.api.domain.OpenLinkRepository.LinkState;
import dev.sealpost.api.domain.PayloadTooLargeException;
import dev.sealpost.api.domain.ReplyRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes one reply's parts into the blob store under its upload's prefix, in constant memory: each
 * part's SHA-256 (base64url, as in the receipt) and size taken as it streams, the bytes of all
 * parts counted against {@code sealpost.reply.max-bytes}. A failed read of the client's body is the
 * client's failure: the HTTP edge's streams throw it as a 400 (never an IOException); an
 * IOException here is the store's (503, retryable).
 */
final class ReplyObjects {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final BlobStore blobs;
  private final long maxBytes;
  private final BlobKey prefix;
  private long total;

  ReplyObjects(BlobStore blobs, long maxBytes, BlobKey prefix) {
    this.blobs = blobs;
    this.maxBytes = maxBytes;
    this.prefix = prefix;
  }

  /**
   * Reads {@code parts} to their end and describes the reply (without its receipt), received at
   * {@code acceptedAt}'s answer, asked once every part is stored: a receipt attests what was
   * received, so its time is when the last byte was in, not when the upload began.
   */
  ReplyRecord write(
      LinkState s,
      String replyId,
      List<String> attachmentIds,
      ReplyParts parts,
      Supplier<Instant> acceptedAt)
      throws IOException {
    byte[] manifest = parts.manifest();
    count(manifest.length);
    BlobKey manifestKey = key("manifest.jwe");
    long manifestSize = stored(manifestKey, new ByteArrayInputStream(manifest), false).size();
    String manifestSha = B64.encodeToString(Digests.sha256().digest(manifest));
    List<ReplyRecord.Part> written = new ArrayList<>();
    for (String id : attachmentIds) {
      BlobKey k = key(id);
      Stored st = stored(k, parts.attachment(id), true);
      written.add(new ReplyRecord.Part(id, k.value(), st.size(), st.sha256()));
    }
    parts.end();
    return new ReplyRecord(
        replyId,
        s.tenantId(),
        s.envelopeId(),
        s.recipientId(),
        acceptedAt.get(),
        manifestKey.value(),
        manifestSize,
        manifestSha,
        written,
        null);
  }

  private BlobKey key(String name) {
    return new BlobKey(prefix.value() + "/" + name);
  }

  private record Stored(long size, String sha256) {}

  /** Streams {@code in} into a new object at {@code key}, hashing (and counting if asked). */
  private Stored stored(BlobKey key, InputStream in, boolean counted) throws IOException {
    MessageDigest digest = Digests.sha256();
    byte[] buf = new byte[64 * 1024];
    long size = 0;
    try (BlobStore.Upload up = storage(() -> blobs.upload(key))) {
      OutputStream out = new StorageOut(up.stream());
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        if (n == 0) {
          continue;
        }
        if (counted) {
          count(n);
        }
        digest.update(buf, 0, n);
        size += n;
        out.write(buf, 0, n);
      }
      storage(up::commit);
    }
    return new Stored(size, B64.encodeToString(digest.digest()));
  }

  private void count(long n) {
    total += n;
    if (total > maxBytes) {
      throw new PayloadTooLargeException("a reply may have at most " + maxBytes + " bytes");
    }
  }
}
