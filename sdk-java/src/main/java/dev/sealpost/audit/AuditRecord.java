package dev.sealpost.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One event of a tenant's audit chain as stored and exported: the event fields, its position {@code
 * seq} (1, 2, 3, ... per tenant), the hash of the event before it and its own hash. Never carries
 * content, codes, secrets, tokens or keys: {@code actor} is an id such as {@code api-key:<id>}.
 *
 * <p>Times are kept to the millisecond (the precision every supported database stores exactly), so
 * the hash computed before storing equals the one recomputed from the stored row.
 */
public final class AuditRecord {
  private final String tenant;
  private final long seq;
  private final String type;
  private final Instant time;
  private final String actor;
  private final String envelopeId;
  private final String recipientId;
  private final String ip;
  private final String userAgent;
  private final String detail;
  private final String prevHash;
  private final String hash;

  /**
   * @param prevHash the previous event's hash ({@link AuditChain#GENESIS} for seq 1)
   * @param hash this event's stored hash; may be null before it is computed
   */
  public AuditRecord(
      String tenant,
      long seq,
      String type,
      Instant time,
      String actor,
      String envelopeId,
      String recipientId,
      String ip,
      String userAgent,
      String prevHash,
      String hash) {
    this(
        tenant,
        seq,
        type,
        time,
        actor,
        envelopeId,
        recipientId,
        ip,
        userAgent,
        null,
        prevHash,
        hash);
  }

  private AuditRecord(
      String tenant,
      long seq,
      String type,
      Instant time,
      String actor,
      String envelopeId,
      String recipientId,
      String ip,
      String userAgent,
      String detail,
      String prevHash,
      String hash) {
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.seq = seq;
    this.type = Objects.requireNonNull(type, "type");
    this.time = Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.MILLIS);
    this.actor = Objects.requireNonNull(actor, "actor");
    this.envelopeId = envelopeId;
    this.recipientId = recipientId;
    this.ip = ip;
    this.userAgent = userAgent;
    this.detail = detail;
    this.prevHash = Objects.requireNonNull(prevHash, "prevHash");
    this.hash = hash;
  }

  /**
   * An event time read from an export or a bundle: RFC 3339, and within the range the chain encodes
   * (milliseconds since the epoch in a signed 64-bit integer), so a hostile year such as {@code
   * +999999999} is refused here instead of overflowing later.
   *
   * @throws java.time.DateTimeException if it is not such a time
   */
  static Instant parseTime(String text) {
    Instant t = Instant.parse(text);
    try {
      t.toEpochMilli();
    } catch (ArithmeticException e) {
      throw new java.time.DateTimeException("time out of range: " + text);
    }
    return t;
  }

  /** The same event with its hash computed by {@link AuditChain#hash}. */
  public AuditRecord sealed() {
    return withHash(AuditChain.hash(this));
  }

  public AuditRecord withHash(String newHash) {
    return new AuditRecord(
        tenant,
        seq,
        type,
        time,
        actor,
        envelopeId,
        recipientId,
        ip,
        userAgent,
        detail,
        prevHash,
        newHash);
  }

  /**
   * The same event with a short, optional {@code detail} (what changed, e.g. {@code custody: on};
   * never personal data or a secret), or without one when null. A present detail is part of the
   * hash ({@link AuditChain}); an event without one hashes exactly as before details existed.
   */
  public AuditRecord withDetail(String newDetail) {
    return new AuditRecord(
        tenant,
        seq,
        type,
        time,
        actor,
        envelopeId,
        recipientId,
        ip,
        userAgent,
        newDetail,
        prevHash,
        hash);
  }

  public String tenant() {
    return tenant;
  }

  public long seq() {
    return seq;
  }

  public String type() {
    return type;
  }

  public Instant time() {
    return time;
  }

  public String actor() {
    return actor;
  }

  public String envelopeId() {
    return envelopeId;
  }

  public String recipientId() {
    return recipientId;
  }

  public String ip() {
    return ip;
  }

  public String userAgent() {
    return userAgent;
  }

  /** What the event changed, or null (most events have none). */
  public String detail() {
    return detail;
  }

  public String prevHash() {
    return prevHash;
  }

  /** The stored hash (null if not computed yet). */
  public String hash() {
    return hash;
  }

  @Override
  public String toString() {
    return "AuditRecord[" + tenant + " #" + seq + " " + type + " " + time + "]";
  }
}
