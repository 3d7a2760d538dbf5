package dev.sealpost.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The audit hash chain rule, shared by the server (which appends) and the {@code sealpost} CLI
 * (which verifies exports offline), so the two can never disagree.
 *
 * <p>{@code hash_n = SHA-256(canonical(event_n))}, lower-case hex, where the canonical encoding is
 * unambiguous: a version label, then every field in a fixed order, each string as a presence byte
 * ({@code 0x00} absent, {@code 0x01} present) followed by its UTF-8 length (4 bytes, big-endian)
 * and bytes; {@code seq} and the time (milliseconds since the epoch) as 8-byte big-endian integers:
 *
 * <pre>
 * str("sealpost-audit-v1") str(tenant) u64(seq) str(type) u64(epochMillis) str(actor)
 * str(envelopeId) str(recipientId) str(ip) str(userAgent) str(prevHash) [str(detail)]
 * </pre>
 *
 * The trailing {@code str(detail)} is written only when the event has a detail ({@link
 * AuditRecord#detail}): an event without one encodes, and so hashes, exactly as it did before
 * details existed, so every older chain and export still verifies. With a detail the encoding is
 * longer, so the two kinds never encode alike.
 *
 * <p>The first event's {@code prevHash} is {@link #GENESIS}; every later one is the hash of the
 * event before it. Changing, removing or reordering any stored event changes a recomputed hash or
 * breaks a link; signed {@link AuditCheckpoint}s pin the head so a rewritten chain is detected too.
 */
public final class AuditChain {
  /** The {@code prevHash} of a tenant's first event: 64 zeros. */
  public static final String GENESIS =
      "0000000000000000000000000000000000000000000000000000000000000000";

  private static final String LABEL = "sealpost-audit-v1";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private AuditChain() {}

  /** The canonical bytes that {@link #hash} digests. */
  public static byte[] canonical(AuditRecord r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    str(out, LABEL);
    str(out, r.tenant());
    u64(out, r.seq());
    str(out, r.type());
    u64(out, r.time().toEpochMilli());
    str(out, r.actor());
    str(out, r.envelopeId());
    str(out, r.recipientId());
    str(out, r.ip());
    str(out, r.userAgent());
    str(out, r.prevHash());
    if (r.detail() != null) {
      str(out, r.detail());
    }
    return out.toByteArray();
  }

  /** SHA-256 of the canonical encoding, lower-case hex (64 characters). */
  public static String hash(AuditRecord r) {
    return hex(sha256().digest(canonical(r)));
  }

  /** Constant-time comparison of two hex hashes (either may be null). */
  public static boolean sameHash(String a, String b) {
    if (a == null || b == null) {
      return a == null && b == null;
    }
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  /** True for 64 lower-case hex characters. */
  public static boolean isHash(String s) {
    if (s == null || s.length() != 64) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static void str(ByteArrayOutputStream out, String s) {
    if (s == null) {
      out.write(0);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(1);
    u32(out, b.length);
    out.write(b, 0, b.length);
  }

  private static void u32(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  private static void u64(ByteArrayOutputStream out, long v) {
    u32(out, (int) (v >>> 32));
    u32(out, (int) v);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JRE", e);
    }
  }

  static String hex(byte[] bytes) {
    char[] c = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      c[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
      c[2 * i + 1] = HEX[bytes[i] & 0xf];
    }
    return new String(c);
  }
}
