package dev.sealpost.api.domain;

/**
 * Where a recipient stands. PENDING: created (with {@code notify=false} the sender delivers the
 * link itself); NOTIFIED: the notification was sent; OPENED: verified and opened at least once;
 * LOCKED: too many failed attempts. The consumer flow moves a recipient along.
 */
public enum RecipientStatus {
  PENDING,
  NOTIFIED,
  OPENED,
  LOCKED
}
